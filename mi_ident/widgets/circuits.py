"""Chapter 3's widget: the honest ladder of circuit counts, and the circuits that survive it.

For one trained ``2-w-w-1`` net and one ablation, :func:`circuit_ladder` counts the valid
circuits rung by rung (the paper's census, every node mask, up to silent-neuron wiring,
distinct sets of live neurons, edge-minimal, edge-minimal with a margin) and keeps the
edge-minimal circuits; :func:`ladder_figure` draws the ladder next to those circuits;
:func:`circuits_widget` lets the reader pick the gate, the width and the ablation.

Example
-------
>>> from mi_ident.model import MLP
>>> lad = circuit_ladder(MLP([2, 2, 2, 1], seed=0), "AND")
>>> [label for label, _, _ in ladder_rungs(lad)][:2]
["paper's census (skips full node masks)", 'valid circuits, every node mask']
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from .._validation import check_choice, check_fraction
from ..errors import TooLargeError
from ..vocabulary import ABLATIONS

__all__ = ["circuit_ladder", "ladder_rungs", "ladder_figure", "circuits_widget"]

#: Margin of the strict rung: every output at least this far from the 0.5 read-out.
STRICT_MARGIN = 0.1
#: Edge-minimal circuits kept per ladder (for the drawings).
MAX_DRAWN = 12
#: Valid circuits a ladder may hold in memory (classes and minimality need all of them; ~40 bytes
#: each): every 2-4-4-1 net seen has fewer than 1.5 million, 2-5-5-1 nets have ~1e8.
MAX_KEPT = 5_000_000


def circuit_ladder(model, data, ablation: str = "zero", min_margin: float = STRICT_MARGIN,
                   max_circuits: int = MAX_DRAWN) -> dict[str, Any]:
    """Counts of every rung for one net, evaluation data and ablation, plus the edge-minimal circuits.

    Returns a JSON-ready dict: ``paper`` (the paper's census: full node masks skipped),
    ``valid`` (every node mask), ``classes`` (valid circuits up to the wiring of silent
    neurons), ``neuron_sets`` (distinct sets of live neurons among them), ``edge_minimal``,
    ``strict_valid`` / ``strict_classes`` / ``strict_edge_minimal`` (the same with outputs more
    than ``min_margin`` from 0.5), ``silent`` (names of the silent neurons), ``circuits`` (the
    first ``max_circuits`` edge-minimal circuits, as dicts: some nets have over a thousand) and
    ``class_sizes`` (the size of each one's silent class).

    >>> from mi_ident.model import MLP
    >>> lad = circuit_ladder(MLP([2, 2, 2, 1], seed=0), "AND")
    >>> lad["valid"] >= lad["classes"] >= lad["neuron_sets"], len(lad["circuits"]) == min(12, lad["edge_minimal"])
    (True, True)
    """
    from ..circuits import census

    ablation = check_choice("ablation", ablation, ABLATIONS)
    min_margin = check_fraction("min_margin", min_margin, high=0.5, high_open=True)
    paper = census(model, data, mode="paper", ablation=ablation, max_keep=0, progress=False)
    full = census(model, data, ablation=ablation, max_keep=MAX_KEPT, progress=False)
    if full.truncated:
        raise TooLargeError(f"this net has {full.n_valid:,} valid circuits; the ladder's classes and edge-minimal "
                            f"circuits need all of them in memory (at most {MAX_KEPT:,}): use census() for raw counts")
    strict = census(model, data, ablation=ablation, min_margin=min_margin, progress=False)
    classes = full.silent_classes()
    minimal = np.flatnonzero(full.edge_minimal)[:max_circuits]
    sizes = np.bincount(full.silent_class, minlength=len(classes))
    return {
        "ablation": ablation,
        "min_margin": min_margin,
        "paper": paper.n_valid,
        "valid": full.n_valid,
        "classes": full.n_silent_classes,
        "neuron_sets": len({c.canonical.node_masks for c in classes}),
        "edge_minimal": full.n_edge_minimal,
        "strict_valid": strict.n_valid,
        "strict_classes": strict.n_silent_classes,
        "strict_edge_minimal": strict.n_edge_minimal,
        "silent": [str(n) for n in full.silent],
        "circuits": [c.to_dict() for c in full.edge_minimal_circuits()[:max_circuits]],
        "class_sizes": [int(sizes[full.silent_class[i]]) for i in minimal],
    }


def ladder_rungs(ladder: dict[str, Any]) -> list[tuple[str, int, str]]:
    """The rungs ``(label, count, kind)`` of :func:`~mi_ident.plotting.plot_ladder` for a ladder dict."""
    return [
        ("paper's census (skips full node masks)", ladder["paper"], "paper"),
        ("valid circuits, every node mask", ladder["valid"], "paper"),
        ("classes up to silent-neuron wiring", ladder["classes"], "artefact-free"),
        ("distinct sets of live neurons", ladder["neuron_sets"], "artefact-free"),
        ("edge-minimal circuits", ladder["edge_minimal"], "artefact-free"),
        (f"edge-minimal, margin > {ladder['min_margin']:g}", ladder["strict_edge_minimal"], "strict"),
    ]


def ladder_figure(ladder: dict[str, Any], title: str = "", max_circuits: int = 6):
    """The ladder (left) and up to ``max_circuits`` edge-minimal circuits (right), one figure."""
    import matplotlib.pyplot as plt

    from ..circuits import Circuit
    from ..plotting import draw_circuit, plot_ladder

    circuits = [Circuit.from_dict(d) for d in ladder["circuits"][:max_circuits]]
    ncols = min(3, max(1, len(circuits)))
    nrows = max(1, -(-len(circuits) // ncols))
    fig = plt.figure(figsize=(6.4 + 2.1 * ncols, max(2.9, 1.75 * nrows)))
    grid = fig.add_gridspec(nrows, 1 + ncols, width_ratios=[3.2] + [1.0] * ncols)
    n = ladder["edge_minimal"]
    shown = f"{n} edge-minimal" if n <= len(circuits) else f"{len(circuits)} of {n:,} edge-minimal"
    plot_ladder(ladder_rungs(ladder), ax=fig.add_subplot(grid[:, 0]), title=f"{title} ({shown} circuits drawn)")
    for k, circuit in enumerate(circuits):
        ax = fig.add_subplot(grid[k // ncols, 1 + k % ncols])
        size = ladder["class_sizes"][k]
        draw_circuit(circuit, ax=ax, title=f"edge-minimal #{k + 1}\n(silent class of {size:,})", node_size=200,
                     font_size=6)
    if not circuits:
        ax = fig.add_subplot(grid[0, 1])
        ax.text(0.5, 0.5, "no valid circuit", ha="center", va="center")
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=72)
    plt.close(fig)
    return buffer.getvalue()


def _trained(gate: str, width: int, seeds) -> Any:
    """The first accepted net among ``seeds`` (``None`` if none learns the gate)."""
    from ..training import train

    for seed in seeds:
        result = train(gate, [2, width, width, 1], seed=seed, progress=False)
        if result.accepted:
            return result
    return None


def circuits_widget(
    gates=None,
    widths=(2, 3, 4),
    gate: str = "XOR",
    width: int = 3,
    ablation: str = "zero",
    seed: int = 0,
    summaries=None,
    precompute: bool = False,
):
    """Pick a gate, a hidden width and an ablation; see the ladder and the edge-minimal circuits.

    Returns a ``VBox`` with attributes ``control`` (the gate ``Dropdown``, CSS class
    ``mi-ident-control``), ``width`` and ``ablation`` (``Dropdown``\\ s), ``result`` (an
    ``Image`` with class ``mi-ident-result``: the ladder and the circuits, drawn) and
    ``cache`` (ladder dicts by ``(gate, width, ablation)``). ``summaries`` (the entries of
    ``notebooks/data/circuit_summaries.json``) fill the cache from their ``ladder`` field and
    give the training seed of each setting; a setting not in them trains its net (the first
    accepted seed from ``seed``) and runs the censuses, a few seconds (tens for width 4).
    ``precompute=True`` computes every setting up front.

    >>> from mi_ident.model import MLP
    >>> shipped = [{"gate": g, "width": 2, "seed": 0, "ladder": {"zero": circuit_ladder(MLP([2, 2, 2, 1], seed=0), g)}}
    ...            for g in ("AND", "OR")]
    >>> w = circuits_widget(gates=["AND", "OR"], widths=(2,), width=2, gate="AND", summaries=shipped)
    >>> before = w.result.value
    >>> w.control.value = "OR"
    >>> w.result.value != before, ("OR", 2, "zero") in w.cache
    (True, True)
    """
    import ipywidgets as widgets

    from ..boolean import GATES
    from ..errors import ParameterError

    gates = list(GATES) if gates is None else list(gates)
    widths = [int(w) for w in widths]
    if gate not in gates or width not in widths or ablation not in ABLATIONS:
        raise ParameterError(f"gate must be one of {gates}, width one of {widths} and ablation one of "
                             f"{list(ABLATIONS)}; got {gate!r}, {width!r}, {ablation!r}")
    cache: dict[tuple[str, int, str], dict] = {}
    seeds: dict[tuple[str, int], int] = {}
    for s in summaries or ():
        seeds[(s["gate"], int(s["width"]))] = int(s["seed"])
        for abl, lad in (s.get("ladder") or {}).items():
            cache[(s["gate"], int(s["width"]), abl)] = lad

    def ladder(g: str, w: int, a: str) -> dict | None:
        if (g, w, a) not in cache:
            start = seeds.get((g, w), seed)
            run = _trained(g, w, range(start, start + 5))
            cache[(g, w, a)] = None if run is None else circuit_ladder(run.model, g, a)
        return cache[(g, w, a)]

    def image(g: str, w: int, a: str) -> bytes:
        lad = ladder(g, w, a)
        if lad is None:
            import matplotlib.pyplot as plt

            fig, ax = plt.subplots(figsize=(6, 1.2))
            ax.text(0.5, 0.5, f"{g}, 2-{w}-{w}-1: no training seed tried learned the gate", ha="center")
            ax.set_axis_off()
            return _png(fig)
        return _png(ladder_figure(lad, title=f"{g}, 2-{w}-{w}-1, {a} ablation"))

    if precompute:
        for g in gates:
            for w in widths:
                for a in ABLATIONS:
                    ladder(g, w, a)
    control = widgets.Dropdown(options=gates, value=gate, description="gate")
    control.add_class("mi-ident-control")
    width_control = widgets.Dropdown(options=widths, value=width, description="hidden width")
    ablation_control = widgets.Dropdown(options=list(ABLATIONS), value=ablation, description="ablation")
    result = widgets.Image(value=image(gate, width, ablation), format="png")
    result.add_class("mi-ident-result")

    def update(_=None) -> None:
        result.value = image(control.value, width_control.value, ablation_control.value)

    for c in (control, width_control, ablation_control):
        c.observe(update, names="value")
    box = widgets.VBox([widgets.HBox([control, width_control, ablation_control]), result])
    box.control, box.width, box.ablation, box.result, box.cache = (
        control, width_control, ablation_control, result, cache)
    return box
