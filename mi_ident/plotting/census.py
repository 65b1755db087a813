"""Figures of a census's honest counts: one circuit per artefact-free class, the counts side by
side, and the margins of the valid circuits."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ["plot_circuit_classes", "plot_census_counts", "plot_margins"]


def _xor_net():
    """A 2-2-2-1 net computing XOR with a silent neuron (L2.1 reads -h1 <= 0): for the examples.
    The 4 circuits that differ only in L2.1's wiring form one silent class."""
    from ..model import MLP

    return MLP.from_weights([([[1, 1], [1, 1]], [0, -1]), ([[1, -2], [-1, 0]], [0, 0]), ([[1, 0.5]], [0])])


def plot_circuit_classes(result, which: str = "silent", max_classes: int = 12, ncols: int = 4,
                         panel_size: tuple[float, float] = (2.4, 2.0)):
    """A gallery with one circuit per class of a :class:`~mi_ident.circuits.CensusResult`.

    ``which="silent"``: one representative (the first member in enumeration order) per silent
    class, titled with how many raw valid circuits it stands for, silent neurons outlined in
    orange; ``which="minimal"``: the edge-minimal circuits, titled with their edge counts. At most
    ``max_classes`` panels; the figure's title says how many there are in all.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.circuits import census
    >>> fig = plot_circuit_classes(census(_xor_net(), "XOR", progress=False))
    >>> fig.axes[0].get_title()
    'class 1: 4 circuits'
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from .circuits import draw_circuit

    if which not in ("silent", "minimal"):
        raise ParameterError(f"which must be 'silent' (silent classes) or 'minimal' (edge-minimal circuits); "
                             f"got {which!r}")
    if which == "silent":
        classes = result.silent_classes(limit=max_classes)
        shown = [c.representative for c in classes]
        titles = [f"class {k + 1}: {c.size:,} circuit{'s' * (c.size != 1)}" for k, c in enumerate(classes)]
        total = result.n_silent_classes
        heading = (f"{total:,} classes of {result.n_valid:,} valid circuits up to the wiring of silent "
                   f"neurons ({', '.join(map(str, result.silent)) or 'none'})")
    else:
        shown = result.edge_minimal_circuits(limit=max_classes)
        titles = [f"minimal {k + 1}: {c.n_edges} edges" for k, c in enumerate(shown)]
        total = result.n_edge_minimal
        heading = f"{total:,} edge-minimal circuits of {result.n_valid:,} valid"
    if not shown:
        raise ParameterError("no valid circuits to draw: the census found none")
    ncols = max(1, min(ncols, len(shown)))
    nrows = -(-len(shown) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.4),
                             squeeze=False)
    for ax in axes.flat[len(shown):]:
        ax.set_axis_off()
    for ax, circuit, title in zip(axes.flat, shown, titles):
        draw_circuit(circuit, ax=ax, title=title, highlight=result.silent if which == "silent" else ())
    more = f" (first {len(shown)} shown)" if len(shown) < total else ""
    fig.suptitle(heading + more, fontsize=9)
    fig.tight_layout()
    return fig


def plot_census_counts(result, ax=None, title: str | None = None):
    """Bars: raw valid circuits next to the artefact-free counts (silent classes, edge-minimal,
    neuron sets). Counts a truncated census cannot give are drawn as missing and labelled "n/a".

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.circuits import census
    >>> ax = plot_census_counts(census(_xor_net(), "XOR", progress=False))
    >>> [t.get_text() for t in ax.get_xticklabels()][:2]
    ['valid\\ncircuits', 'silent\\nclasses']
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    names = ["valid\ncircuits", "silent\nclasses", "edge-\nminimal", "neuron\nsets"]
    values = [result.n_valid, result.n_silent_classes, result.n_edge_minimal, result.n_neuron_sets]
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    heights = [0 if v is None else v for v in values]
    bars = ax.bar(names, heights, color=["tab:gray", "tab:blue", "tab:green", "tab:purple"])
    for bar, v in zip(bars, values):
        ax.annotate("n/a" if v is None else f"{v:,}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8)
    if max(heights) > 0:
        ax.set_yscale("symlog", linthresh=1)
    ax.set_ylabel("count")
    ax.set_title(title or f"{result.ablation} ablation, accuracy > {result.threshold}", fontsize=9)
    return ax


def plot_margins(result, ax=None, bins: int = 30, title: str | None = None):
    """Histogram of the margins of the kept valid circuits (how far from 0.5 their outputs stay).

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.circuits import census
    >>> ax = plot_margins(census(_xor_net(), "XOR", progress=False))
    >>> ax.get_xlabel()
    'margin: min |output - 0.5| over the inputs'
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    if len(result.margin) == 0:
        raise ParameterError("no valid circuits kept: no margins to plot")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    ax.hist(result.margin, bins=bins, color="tab:blue")
    if result.min_margin is not None:
        ax.axvline(result.min_margin, color="tab:orange", linestyle="--", label="min_margin")
        ax.legend(fontsize=8)
    ax.set_xlabel("margin: min |output - 0.5| over the inputs")
    ax.set_ylabel("valid circuits")
    kept = "" if not result.truncated else f" ({result.n_kept:,} kept of {result.n_valid:,})"
    ax.set_title(title or f"margins of the valid circuits{kept}", fontsize=9)
    return ax
