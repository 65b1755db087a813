"""Figures of chapter 5: formulas as trees, mappings drawn on the network."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ['plot_formula', 'plot_mapping', 'plot_mappings', 'plot_mapping_counts']

_NODE_COLORS = ("tab:orange", "tab:green", "tab:purple", "tab:red", "tab:brown", "tab:pink", "tab:olive", "tab:cyan")


def plot_formula(formula, ax=None, title: str | None = None):
    """Draw a formula as a tree, root on top; aligned nodes coloured as in :func:`plot_mapping`.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.algorithms import parse_formula
    >>> ax = plot_formula(parse_formula("¬(A*B)*(A+B)")); plt.close("all")
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(3.2, 2.6))
    colors = {n.id: _NODE_COLORS[k % len(_NODE_COLORS)] for k, n in enumerate(formula.aligned_nodes)}
    symbols = {"AND": "∧", "OR": "∨", "NOT": "¬"}
    leaves = [n for n in formula.root.preorder() if n.is_leaf]
    xs = {n.id: float(k) for k, n in enumerate(leaves)}
    depth_of: dict[int, int] = {}

    def place(node, depth):
        depth_of[node.id] = depth
        for c in node.children:
            place(c, depth + 1)
        if node.children:
            xs[node.id] = sum(xs[c.id] for c in node.children) / len(node.children)

    place(formula.root, 0)
    for node in formula.nodes:
        for c in node.children:
            ax.plot([xs[node.id], xs[c.id]], [-depth_of[node.id], -depth_of[c.id]], color="grey", lw=1, zorder=1)
    for node in formula.nodes:
        face = colors.get(node.id, "white")
        ax.scatter(xs[node.id], -depth_of[node.id], s=420, c=face, edgecolors="black", zorder=2)
        text = node.var if node.is_leaf else symbols[node.op]
        ax.text(xs[node.id], -depth_of[node.id], text, ha="center", va="center", fontsize=10, zorder=3)
    ax.set_title(title if title is not None else str(formula), fontsize=9)
    ax.set_axis_off()
    ax.margins(0.15)
    return ax


def plot_mapping(model, mapping, ax=None, title: str | None = None, input_names=("A", "B")):
    """Draw the network with each aligned node's neurons filled in that node's colour.

    The legend lists the formula's aligned nodes; the output neuron stands for the root.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.model import MLP
    >>> from mi_ident.alignment import NeuronMapping
    >>> m = NeuronMapping.from_dict("¬(A*B)*(A+B)", {"A+B": [(1, 0)], "¬(A*B)": [(2, 1)]})
    >>> ax = plot_mapping(MLP([2, 3, 3, 1], seed=0), m); plt.close("all")
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    widths = list(model.widths)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.4 * len(widths) + 1.6, 0.8 * max(widths) + 1.0))
    pos = {(l, j): (1.6 * l, (w - 1) / 2 - j) for l, w in enumerate(widths) for j in range(w)}
    for l in range(len(widths) - 1):
        for j in range(widths[l]):
            for k in range(widths[l + 1]):
                (x0, y0), (x1, y1) = pos[(l, j)], pos[(l + 1, k)]
                ax.plot([x0, x1], [y0, y1], color="lightgrey", lw=0.8, zorder=1)
    fill = {}
    handles = []
    formula = mapping.formula
    for k, (node_id, neurons) in enumerate(mapping.assignment):
        color = _NODE_COLORS[k % len(_NODE_COLORS)]
        for n in neurons:
            fill[n] = color
        handles.append(Line2D([], [], marker="o", ls="", markersize=9, markerfacecolor=color,
                              markeredgecolor="black", label=str(formula.node(node_id))))
    for (l, j), (x, y) in pos.items():
        ax.scatter(x, y, s=380, c=fill.get((l, j), "white"), edgecolors="black", zorder=2)
        if l == 0:
            label = input_names[j] if j < len(input_names) else f"x{j}"
        elif l == len(widths) - 1:
            label = "out"
        else:
            label = f"{l}.{j}"
        ax.text(x, y, label, ha="center", va="center", fontsize=7, zorder=3)
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=7,
                  frameon=False, ncol=min(3, len(handles)))
    ax.set_title(title if title is not None else str(formula), fontsize=9)
    ax.set_axis_off()
    ax.margins(0.12)
    return ax


def plot_mappings(model, mappings, ncols: int = 4, title: str | None = None, titles=None):
    """A grid of :func:`plot_mapping`, one panel per mapping (e.g. one formula, several places);
    ``titles`` names the panels (default ``mapping 1``, ``mapping 2``, ...).

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.model import MLP
    >>> from mi_ident.alignment import NeuronMapping
    >>> m = NeuronMapping.from_dict("¬(A*B)*(A+B)", {"A+B": [(1, 0)], "¬(A*B)": [(2, 1)]})
    >>> fig = plot_mappings(MLP([2, 3, 3, 1], seed=0), [m, m], titles=["here", "there"]); plt.close("all")
    """
    import matplotlib.pyplot as plt

    mappings = list(mappings)
    if not mappings:
        raise ParameterError("no mappings to draw: nothing aligned")
    ncols = max(1, min(ncols, len(mappings)))
    nrows = -(-len(mappings) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols, 2.9 * nrows), squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k < len(mappings):
            plot_mapping(model, mappings[k], ax=ax, title=titles[k] if titles else f"mapping {k + 1}")
        else:
            ax.set_axis_off()
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_mapping_counts(result, ax=None, title: str | None = None):
    """Bar chart: minimal mappings per aligned formula of a :class:`~mi_ident.alignment.WhatThenWhere`.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.model import MLP
    >>> from mi_ident.alignment import what_then_where
    >>> ax = plot_mapping_counts(what_then_where(MLP([2, 2, 1], seed=0), "AND", depth=1, threshold=0.0))
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    aligned = result.aligned
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.3 * max(len(aligned), 1) + 1.0))
    names = [str(a.formula) for a in aligned]
    ax.barh(range(len(aligned)), [a.n_mappings for a in aligned], color="tab:blue")
    ax.set_yticks(range(len(aligned)), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("minimal aligned mappings")
    ax.set_title(title if title is not None else (
        f"{result.n_formulas} of {result.n_candidate_formulas} formulas align, "
        f"{result.total_mappings} mappings"), fontsize=9)
    return ax
