"""Figures of chapter 8: what circuit-discovery methods pick among all valid circuits.

Example
-------
>>> import matplotlib.pyplot as plt
>>> from mi_ident.model import MLP
>>> from mi_ident.discovery import ground_truth, method_runs
>>> net = MLP([2, 2, 2, 1], seed=0)
>>> gt = ground_truth(net, "XOR")
>>> ax = plot_valid_circuits(gt, method_runs(net, "XOR", {"greedy": {"tau": [0.02]}}, [0], gt))
>>> plt.close("all")
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

__all__ = ["METHOD_STYLES", "plot_valid_circuits", "plot_pick_frequencies", "plot_survey", "plot_das_runs"]

#: Colour and marker of each method's picks.
METHOD_STYLES = {"greedy": ("tab:red", "s"), "attribution": ("tab:green", "^"), "masks": ("tab:purple", "D")}
_FEATURES = ("n_edges", "n_nodes", "weight_mass", "margin")


def _jitter(truth, x: str) -> np.ndarray:
    """Small deterministic horizontal offsets so circuits with the same x stay apart."""
    t = truth.table
    offsets = np.zeros(len(t))
    for _, idx in t.groupby(x).groups.items():
        idx = np.asarray(list(idx))
        offsets[idx] = np.linspace(-0.3, 0.3, len(idx)) if len(idx) > 1 else 0.0
    return t[x].to_numpy(dtype=float) + (offsets if x in ("n_edges", "n_nodes") else 0.0)


def plot_valid_circuits(truth, runs=None, x: str = "n_edges", y: str = "margin", ax=None, title: str | None = None):
    """Every valid circuit as a dot at (``x``, ``y``), edge-minimal ones ringed, each method's picks marked.

    ``runs`` is a :func:`~mi_ident.discovery.method_runs` table (or ``None``); a pick's marker
    grows with how many runs chose it, and invalid picks are counted in the legend.
    """
    import matplotlib.pyplot as plt

    if x not in _FEATURES or y not in _FEATURES:
        raise ParameterError(f"x and y are features of the valid circuits, one of {_FEATURES}; got {x!r}, {y!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4))
    t = truth.table
    xs, ys = _jitter(truth, x), t[y].to_numpy(dtype=float)
    ax.scatter(xs, ys, s=14, color="lightgrey", edgecolor="grey", linewidth=0.4,
               label=f"valid circuits ({truth.n_valid}; {truth.n_classes} silent classes)", zorder=1)
    minimal = t.edge_minimal.to_numpy(dtype=bool)
    ax.scatter(xs[minimal], ys[minimal], s=60, facecolor="none", edgecolor="black", linewidth=0.8,
               label=f"edge-minimal ({int(minimal.sum())})", zorder=2)
    for method, g in ([] if runs is None else runs.groupby("method", sort=False)):
        colour, marker = METHOD_STYLES.get(method, ("tab:blue", "o"))
        counts = g[g.valid].position.value_counts()
        n_invalid = int((~g.valid).sum())
        pos = counts.index.to_numpy(dtype=int)
        ax.scatter(xs[pos], ys[pos], s=30 + 120 * counts.to_numpy() / len(g), color=colour, marker=marker,
                   alpha=0.8, zorder=3, label=f"{method}: {len(counts)} circuits picked in {len(g)} runs"
                   + (f", {n_invalid} invalid" if n_invalid else ""))
    ax.set_xlabel({"n_edges": "edges in the circuit", "n_nodes": "hidden neurons in the circuit",
                   "weight_mass": "sum of |weights| of its edges", "margin": "margin (distance to 0.5)"}[x])
    ax.set_ylabel({"n_edges": "edges", "n_nodes": "hidden neurons", "weight_mass": "sum of |weights|",
                   "margin": "margin (distance of outputs to 0.5)"}[y])
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title(title or "", fontsize=9)
    return ax


def plot_pick_frequencies(runs, truth, ax=None, title: str | None = None):
    """For each method (rows), how often each valid circuit (columns, by edges) was picked; the
    last column counts invalid picks."""
    import matplotlib.pyplot as plt

    methods = list(dict.fromkeys(runs.method))
    picked = sorted(set(runs.position[runs.valid]), key=lambda p: (truth.table.n_edges.iat[p], p))
    cols = {p: k for k, p in enumerate(picked)}
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4, 0.35 * len(picked) + 2), 0.6 * len(methods) + 1.4))
    for row, method in enumerate(methods):
        g = runs[runs.method == method]
        colour, marker = METHOD_STYLES.get(method, ("tab:blue", "o"))
        counts = g.position.value_counts()
        for p, n in counts.items():
            xcol = len(picked) if p < 0 else cols[p]
            ax.scatter(xcol, row, s=400 * n / len(g), color="black" if p < 0 else colour, marker=marker)
    ax.set_yticks(range(len(methods)), methods)
    labels = [f"#{p}\n{truth.table.n_edges.iat[p]}e" for p in picked] + ["invalid"]
    ax.set_xticks(range(len(picked) + 1), labels, fontsize=7)
    ax.set_xlim(-0.7, len(picked) + 0.7)
    ax.set_ylim(-0.7, len(methods) - 0.3)
    ax.set_xlabel("picked circuit (position among the valid circuits, edges); dot area = share of the method's runs")
    ax.set_title(title or "", fontsize=9)
    return ax


def plot_survey(summaries, ax=None, title: str | None = None):
    """Across networks: for each method, the share of its settings where two runs may differ, the
    share of valid picks, and how often picks are sparsest / edge-minimal / largest weights / margin."""
    import matplotlib.pyplot as plt

    stats = ["valid", "p_differ", "sparsest", "edge_minimal", "max_weight", "max_margin"]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.2))
    methods = list(dict.fromkeys(summaries.method))
    width = 0.8 / max(1, len(methods))
    for k, method in enumerate(methods):
        g = summaries[summaries.method == method]
        means = [g[s].mean() for s in stats]
        colour, _ = METHOD_STYLES.get(method, ("tab:blue", "o"))
        ax.bar(np.arange(len(stats)) + (k - (len(methods) - 1) / 2) * width, means, width, color=colour,
               label=f"{method} ({len(g)} settings)")
    ax.set_xticks(range(len(stats)), ["pick\nvalid", "two runs\ndiffer", "pick is\nsparsest",
                                      "pick is\nedge-minimal", "largest\nweights", "largest\nmargin"], fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("mean over networks and knob values")
    ax.legend(fontsize=7)
    ax.set_title(title or "", fontsize=9)
    return ax


def plot_das_runs(runs, ax=None, title: str | None = None):
    """Per hidden layer: DAS runs that align the formula, distinct subspaces among them, runs that
    landed on a neuron set, and whether neuron-set search aligns the formula in that layer."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3))
    layers = sorted(set(runs.layer))
    bars = [("aligned runs", lambda g: int(g.aligned.sum()), "tab:blue"),
            ("distinct subspaces", lambda g: int(g.subspace[g.aligned].nunique()), "tab:orange"),
            ("on a neuron set", lambda g: int((g.neuron_sets != "").sum()), "tab:green")]
    for k, (label, f, colour) in enumerate(bars):
        values = [f(runs[runs.layer == l]) for l in layers]
        ax.bar(np.arange(len(layers)) + (k - 1) * 0.27, values, 0.27, color=colour, label=label)
    n = runs.groupby("layer").size()
    names = [f"layer {l}\n({n[l]} seeds)\nneuron search: {'aligns' if runs[runs.layer == l].neuron_search.iat[0] else 'fails'}"
             for l in layers]
    ax.set_xticks(range(len(layers)), names, fontsize=8)
    ax.set_ylabel("runs / subspaces")
    ax.legend(fontsize=7)
    ax.set_title(title or "", fontsize=9)
    return ax
