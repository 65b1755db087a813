"""Widget of chapter 5: aligned formulas and their mappings."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ['alignment_widget']

_ALL_FORMULAS = "(every aligned formula)"
#: pair-order control: label -> (mode, pair_order); the first, the library's default, is shown first
_ALIGN_SETTINGS = {
    "extended": ("extended", "all"),
    "paper, pairs BA": ("paper", "BA"),
    "paper, pairs AB": ("paper", "AB"),
}


def _alignment_html(result, formula: str, gate: str) -> str:
    from html import escape

    head = (
        f"<b>{escape(gate)}</b>: {result.n_formulas} of {result.n_candidate_formulas} candidate "
        f"formulas align, {result.total_mappings} minimal mappings "
        f"({result.mode} mode, pairs {result.pair_order})"
    )
    if formula == _ALL_FORMULAS:
        rows = "".join(
            f"<tr><td>{escape(str(a.formula))}</td><td style='text-align:right'>{a.n_mappings}</td></tr>"
            for a in result.aligned
        )
        return head + (f"<table><tr><th>formula</th><th>mappings</th></tr>{rows}</table>" if rows else "")
    a = result[formula]
    lines = "".join(f"<li>{escape(str(m))}</li>" for m in a.mappings)
    body = f"<ol>{lines}</ol>" if lines else "<p>no aligned mapping</p>"
    return f"{head}<br><b>{escape(str(a.formula))}</b>: {a.n_mappings} minimal mappings{body}"


def alignment_widget(models: dict, gate: str | None = None, depth: int = 3):
    """Pick a gate, a formula and a pair order; see the formula's minimal aligned mappings.

    ``models`` maps a gate name to the network trained on it (``{"XOR": net, ...}``).
    The formulas are the paper's candidates for the gate (``mode="paper"``: 56 for XOR,
    a list short enough for a menu; the extended list has thousands). The pair-order
    control starts at ``"extended"``, the library's default search (sets across layers,
    every ordered pair); ``"paper, pairs BA"``/``"AB"`` reproduce the original code.
    Returns a ``VBox`` with attributes
    ``control`` (the gate ``Dropdown``, CSS class ``mi-ident-control``), ``formula``
    (``Dropdown``), ``pair_order`` (``ToggleButtons``) and ``result`` (``HTML``, class
    ``mi-ident-result``). Results are cached per gate and setting.

    >>> from mi_ident.model import MLP
    >>> w = alignment_widget({"XOR": MLP([2, 3, 3, 1], seed=0), "AND": MLP([2, 3, 3, 1], seed=1)})
    >>> w.control.value = "AND"; "AND" in w.result.value
    True
    """
    import ipywidgets as widgets

    from ..algorithms import candidate_formulas
    from ..alignment import what_then_where

    if not models:
        raise ParameterError("give at least one network, e.g. {'XOR': model}")
    gates = list(models)
    gate = gates[0] if gate is None else gate
    if gate not in models:
        raise ParameterError(f"gate must be one of {gates}; got {gate!r}")
    cache: dict = {}
    formulas_by_gate: dict = {}

    def formulas_for(g: str) -> list:
        if g not in formulas_by_gate:
            formulas_by_gate[g] = candidate_formulas(g, depth=depth, mode="paper")
        return formulas_by_gate[g]

    def result_for(g: str, setting: str):
        if (g, setting) not in cache:
            mode, order = _ALIGN_SETTINGS[setting]
            cache[(g, setting)] = what_then_where(
                models[g], depth=depth, mode=mode, pair_order=order, formulas=formulas_for(g)
            )
        return cache[(g, setting)]

    def formula_options(g: str) -> list:
        return [(_ALL_FORMULAS, _ALL_FORMULAS)] + [(str(f), f.paper) for f in formulas_for(g)]

    control = widgets.Dropdown(options=gates, value=gate, description="gate")
    control.add_class("mi-ident-control")
    formula = widgets.Dropdown(options=formula_options(gate), value=_ALL_FORMULAS, description="formula",
                               layout=widgets.Layout(width="420px"))
    pair_order = widgets.ToggleButtons(options=list(_ALIGN_SETTINGS), value="extended")
    result = widgets.HTML(_alignment_html(result_for(gate, pair_order.value), formula.value, gate))
    result.add_class("mi-ident-result")
    busy = {"gate": False}

    def show(_=None) -> None:
        if not busy["gate"]:
            result.value = _alignment_html(result_for(control.value, pair_order.value), formula.value, control.value)

    def change_gate(_=None) -> None:
        busy["gate"] = True  # refill the formula list without redrawing for each step
        formula.options = formula_options(control.value)
        formula.value = _ALL_FORMULAS
        busy["gate"] = False
        show()

    control.observe(change_gate, names="value")
    formula.observe(show, names="value")
    pair_order.observe(show, names="value")
    box = widgets.VBox([widgets.HBox([control, pair_order]), formula, result])
    box.control, box.formula, box.pair_order, box.result = control, formula, pair_order, result
    return box
