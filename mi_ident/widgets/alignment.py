"""Widget of chapter 5: draw the minimal mappings of an aligned formula under each criterion."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ["alignment_widget", "ALIGN_SETTINGS"]

#: Criterion menu: label -> keyword arguments of :func:`mi_ident.alignment.what_then_where`.
ALIGN_SETTINGS = {
    "paper: one node at a time, 6 pairs": dict(mode="paper"),
    "corrected: one node at a time, 16 pairs": dict(mode="corrected", criterion="single"),
    "corrected: nodes jointly (default)": dict(mode="corrected", criterion="joint"),
}
_MAX_DRAWN = 8


def _png(fig) -> str:
    import base64
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=70, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _drawing(model, result, paper: str | None, setting: str) -> str:
    """HTML: a one-line summary and a picture of the formula's mappings (at most 8)."""
    from html import escape

    from ..plotting.algorithms import plot_mappings

    head = (f"<b>{escape(setting)}</b>: {result.n_formulas} aligned formulas "
            f"({result.n_formula_classes} up to NOT and padding), {result.total_mappings} minimal mappings "
            f"({result.n_mapping_classes} up to NOT-duality)")
    if paper is None:
        return head + "<p>no formula aligns under this criterion</p>"
    a = result[paper]
    shown = a.mappings[:_MAX_DRAWN]
    more = f", the first {len(shown)} drawn" if len(shown) < a.n_mappings else ""
    fig = plot_mappings(model, shown, ncols=4, title=f"{a.formula}: {a.n_mappings} minimal mappings{more}")
    line = f"<b>{escape(str(a.formula))}</b>: {a.n_mappings} minimal mappings{more}"
    return f"{head}<br>{line}<br><img src='data:image/png;base64,{_png(fig)}'/>"


def alignment_widget(model, results: dict | None = None, gate: str = "XOR", depth: int = 3):
    """Pick a criterion, then one of the formulas it aligns: see its minimal mappings drawn on the network.

    ``results`` maps labels of :data:`ALIGN_SETTINGS` to :class:`~mi_ident.alignment.WhatThenWhere`
    results already computed for ``model`` (the others are computed on first use, for ``gate``
    at ``depth``). Returns a ``VBox`` with attributes ``control`` (the criterion ``Dropdown``, CSS
    class ``mi-ident-control``), ``formula`` (``Dropdown`` of the aligned formulas) and ``result``
    (``HTML`` with the drawing, class ``mi-ident-result``).

    >>> from mi_ident.model import MLP
    >>> from mi_ident.alignment import what_then_where
    >>> net = MLP([2, 2, 1], seed=0)
    >>> results = {k: what_then_where(net, "AND", depth=1, threshold=0.5, **v) for k, v in ALIGN_SETTINGS.items()}
    >>> w = alignment_widget(net, results)
    >>> "<img" in w.result.value
    True
    """
    import ipywidgets as widgets

    from ..alignment import what_then_where

    results = dict(results or {})
    unknown = sorted(set(results) - set(ALIGN_SETTINGS))
    if unknown:
        raise ParameterError(f"results must be keyed by {list(ALIGN_SETTINGS)}; got {unknown}")

    def result_for(setting: str):
        if setting not in results:
            results[setting] = what_then_where(model, gate, depth=depth, **ALIGN_SETTINGS[setting])
        return results[setting]

    def formula_options(setting: str) -> list:
        return [(str(a.formula), a.formula.paper) for a in result_for(setting).aligned]

    start = next((k for k in ALIGN_SETTINGS if k in results), next(iter(ALIGN_SETTINGS)))
    control = widgets.Dropdown(options=list(ALIGN_SETTINGS), value=start, description="criterion",
                               layout=widgets.Layout(width="440px"), style={"description_width": "70px"})
    control.add_class("mi-ident-control")
    options = formula_options(start)
    formula = widgets.Dropdown(options=options, value=options[0][1] if options else None, description="formula",
                               layout=widgets.Layout(width="440px"), style={"description_width": "70px"})
    result = widgets.HTML(_drawing(model, result_for(start), formula.value, start))
    result.add_class("mi-ident-result")
    busy = {"refill": False}

    def show(_=None) -> None:
        if not busy["refill"]:
            result.value = _drawing(model, result_for(control.value), formula.value, control.value)

    def change_setting(_=None) -> None:
        busy["refill"] = True  # refill the formula list without drawing at each step
        opts = formula_options(control.value)
        formula.options = opts
        formula.value = opts[0][1] if opts else None
        busy["refill"] = False
        show()

    control.observe(change_setting, names="value")
    formula.observe(show, names="value")
    box = widgets.VBox([control, formula, result])
    box.control, box.formula, box.result = control, formula, result
    return box
