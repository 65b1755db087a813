"""Widgets of chapters 3-4: circuits and interpretations per gate and width."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ['circuits_widget']

from ..experiments import circuit_summary  # noqa: E402  (the widget shows these summaries)


def _summary_html(s: dict) -> str:
    title = f"<b>{s['gate']}</b>, network 2-{s['width']}-{s['width']}-1"
    if not s["accepted"]:
        return f"{title}: no accepted training run among the seeds tried (the net failed to learn {s['gate']})."
    rows = [
        ("candidate circuits", f"{s['n_candidates']:,}"),
        ("valid circuits (every node mask)", f"{s['n_valid']:,}"),
        ("valid circuits (paper's search)", f"{s['n_valid_paper']:,} of {s['n_candidates_paper']:,}"),
    ]
    if s["interpretations"] is not None:
        rows += [
            ("interpretations, all valid circuits", f"{s['interpretations']:,}"),
            ("threshold assignments, all valid circuits", f"{s['assignments']:,}"),
        ]
    of = "" if s["interpretations"] is not None else f" (of {s['n_interpreted']:,} evenly spaced circuits)"
    rows += [
        (f"median interpretations per circuit{of}", f"{s['median_interpretations']:,.0f}"),
        (f"most interpretations of one circuit{of}", f"{s['max_interpretations']:,}"),
    ]
    body = "".join(f"<tr><td>{k}</td><td style='text-align:right'>{v}</td></tr>" for k, v in rows)
    return f"{title} (training seed {s['seed']})<table>{body}</table>"


def circuits_widget(
    gates=None,
    widths=(2, 3, 4),
    gate: str = "XOR",
    width: int = 3,
    seed: int = 0,
    summaries=None,
    precompute: bool = False,
):
    """Choose a gate and a hidden width; see how many valid circuits and interpretations there are.

    Returns a ``VBox`` with attributes ``control`` (the gate ``Dropdown``, CSS class
    ``mi-ident-control``), ``width`` (the width ``Dropdown``), ``result`` (an ``HTML``
    with class ``mi-ident-result``) and ``cache`` (summaries by ``(gate, width)``).
    Each new setting trains one small net and runs the census (a few seconds, up to
    ~10 s for a slow-to-train width-2 net); results are cached. ``summaries`` (a list
    of :func:`circuit_summary` results, e.g. loaded from JSON) fills the cache up front,
    as does ``precompute=True`` by computing every setting.

    >>> w = circuits_widget(widths=(2,), width=2)
    >>> w.control.value = "AND"
    >>> "valid circuits" in w.result.value
    True
    """
    import ipywidgets as widgets

    from ..boolean import GATES

    gates = list(GATES) if gates is None else list(gates)
    widths = [int(w) for w in widths]
    if gate not in gates or width not in widths:
        raise ParameterError(f"gate must be one of {gates} and width one of {widths}; got {gate!r}, {width!r}")
    cache: dict[tuple[str, int], dict] = {(d["gate"], int(d["width"])): d for d in summaries or ()}

    def summary(g: str, w: int) -> dict:
        if (g, w) not in cache:
            cache[(g, w)] = circuit_summary(g, w, seed=seed)
        return cache[(g, w)]

    if precompute:
        for g in gates:
            for w in widths:
                summary(g, w)
    control = widgets.Dropdown(options=gates, value=gate, description="gate")
    control.add_class("mi-ident-control")
    width_control = widgets.Dropdown(options=widths, value=width, description="hidden width")
    result = widgets.HTML(_summary_html(summary(gate, width)))
    result.add_class("mi-ident-result")

    def update(_=None) -> None:
        result.value = f"<i>computing {control.value}, width {width_control.value}…</i>"
        result.value = _summary_html(summary(control.value, width_control.value))

    control.observe(update, names="value")
    width_control.observe(update, names="value")
    box = widgets.VBox([widgets.HBox([control, width_control]), result])
    box.control, box.width, box.result, box.cache = control, width_control, result, cache
    return box
