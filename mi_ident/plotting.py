"""Figures: networks and circuits, training curves, counts. Depends on the core, never the reverse.

Each section below belongs to one chapter's helpers; add functions to your own section only.
"""

from __future__ import annotations

from .errors import InputTypeError, ParameterError
# == training and activations (chapters 1-2) ==
def _as_models(items):
    """Models from a list of MLPs and/or TrainResults, with default titles."""
    models, titles = [], []
    for i, item in enumerate(items):
        model = getattr(item, "model", item)
        if not hasattr(model, "activations"):
            raise InputTypeError(f"expected MLPs or TrainResults; item {i} is a {type(item).__name__}")
        models.append(model)
        seed = getattr(item, "seed", None)
        titles.append(f"seed {seed}" if seed is not None else f"net {i}")
    if not models:
        raise ParameterError("give at least one model or training result")
    return models, titles


def plot_truth_table(task, ax=None, title: str | None = None):
    """A 2-input task's outputs as coloured points on the corners of the unit square.

    Filled dark markers are 1, light ones 0; with a ``LinearFit`` you can add its
    line with :func:`plot_linear_fit`.

    >>> import matplotlib.pyplot as plt
    >>> ax = plot_truth_table("XOR"); plt.close("all")
    """
    import matplotlib.pyplot as plt

    from .boolean import make_task

    task = make_task(task)
    if task.n_inputs != 2:
        raise ParameterError(f"plot_truth_table draws 2-input tasks; {task.name} has {task.n_inputs} inputs")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6, 2.6))
    x = task.inputs
    y = task.table[:, 0]
    ax.scatter(x[y == 0, 0], x[y == 0, 1], s=260, c="#f2d7b6", edgecolors="k", label="0", zorder=3)
    ax.scatter(x[y == 1, 0], x[y == 1, 1], s=260, c="#1f4e79", edgecolors="k", label="1", zorder=3)
    for (a, b), v in zip(x, y):
        ax.annotate(str(v), (a, b), ha="center", va="center", color="w" if v else "k", fontsize=9, zorder=4)
    ax.set(xlim=(-0.4, 1.4), ylim=(-0.4, 1.4), xticks=[0, 1], yticks=[0, 1],
           xlabel=task.input_names[0], ylabel=task.input_names[1], aspect="equal")
    ax.set_title(title or task.output_names[0])
    return ax


def plot_linear_fit(fit, output: int = 0, ax=None, title: str | None = None):
    """The truth table with the best linear unit's boundary and its accuracy in the title.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.training import fit_linear
    >>> ax = plot_linear_fit(fit_linear("XOR")); plt.close("all")
    """
    import numpy as np

    from .boolean import Task

    task = fit.task
    single = Task.from_table(task.table[:, output], output_names=[task.output_names[output]])
    ax = plot_truth_table(single, ax=ax)
    (w1, w2), b = fit.weights[output], fit.bias[output]
    xs = np.linspace(-0.4, 1.4, 50)
    gx, gy = np.meshgrid(xs, xs)
    ax.contourf(gx, gy, (w1 * gx + w2 * gy + b > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=["#f2d7b6", "#1f4e79"], alpha=0.18)
    if w2 != 0:
        ax.plot(xs, -(w1 * xs + b) / w2, "k--", lw=1)
    elif w1 != 0:
        ax.axvline(-b / w1, color="k", ls="--", lw=1)
    acc = fit.accuracy[output]
    ax.set_title(title or f"{task.output_names[output]}: best line gets {round(acc * 4)}/4")
    return ax


def plot_loss_curves(results, ax=None, loss_target: float | None = 0.01, title: str | None = None, log: bool = True):
    """Epoch losses of training runs: accepted runs in blue, rejected in red, the target dashed.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.training import train_many
    >>> ax = plot_loss_curves(train_many("AND", [2, 2, 1], seeds=2, progress=False)); plt.close("all")
    """
    import matplotlib.pyplot as plt

    results = list(results)
    if not results:
        raise ParameterError("give at least one TrainResult")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.2))
    for r in results:
        color = "tab:blue" if r.accepted else "tab:red"
        ax.plot(range(1, len(r.losses) + 1), r.losses, color=color, lw=1, alpha=0.7)
    if loss_target is not None:
        ax.axhline(loss_target, color="k", ls="--", lw=1, label=f"loss target {loss_target:g}")
    n_ok = sum(r.accepted for r in results)
    ax.plot([], [], color="tab:blue", label=f"accepted ({n_ok})")
    ax.plot([], [], color="tab:red", label=f"rejected ({len(results) - n_ok})")
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="epoch loss (MSE)", title=title or f"{len(results)} training runs")
    ax.legend(fontsize=8, frameon=False)
    return ax


def plot_hidden_activations(items, inputs=None, titles=None, layers=None, annotate: bool = True, cmap: str = "RdBu_r"):
    """Heatmaps of hidden activations, one row per network, one column per hidden layer.

    Each heatmap has one row per input (default: the truth-table corners 00, 01,
    10, 11) and one column per neuron; colours share one symmetric scale per
    figure so networks can be compared side by side.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.model import MLP
    >>> fig = plot_hidden_activations([MLP([2, 3, 3, 1], seed=s) for s in range(2)]); plt.close("all")
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    from .boolean import input_rows

    models, default_titles = _as_models(items)
    titles = default_titles if titles is None else list(titles)
    n_in = models[0].widths[0]
    x = input_rows(n_in) if inputs is None else np.asarray(inputs)
    layers = list(range(1, len(models[0].widths) - 1)) if layers is None else list(layers)
    if not layers:
        raise ParameterError("these networks have no hidden layer; pass layers=[...] to show the output layer")
    with torch.no_grad():
        acts = [[a.numpy() for a in m.activations(torch.as_tensor(x, dtype=torch.float32))] for m in models]
    vmax = max(float(np.abs(a[layer]).max()) for a in acts for layer in layers) or 1.0
    fig, axes = plt.subplots(len(models), len(layers), squeeze=False,
                             figsize=(1.0 + 1.3 * len(layers) * max(m.widths[1] for m in models) / 3 * 1.6,
                                      0.4 + 1.35 * len(models)))
    row_labels = ["".join(str(int(v)) for v in row) for row in x]
    for i, (a, title) in enumerate(zip(acts, titles)):
        for j, layer in enumerate(layers):
            ax = axes[i, j]
            im = ax.imshow(a[layer], cmap=cmap, vmin=-vmax, vmax=vmax, aspect="auto")
            if annotate:
                for (r, c), v in np.ndenumerate(a[layer]):
                    label = f"{v:.1f}"
                    ax.text(c, r, "0.0" if label == "-0.0" else label, ha="center", va="center", fontsize=7,
                            color="w" if abs(v) > 0.6 * vmax else "k")
            ax.set_xticks(range(a[layer].shape[1]), [f"n{k}" for k in range(a[layer].shape[1])], fontsize=7)
            ax.set_yticks(range(len(row_labels)), row_labels if j == 0 else [], fontsize=7)
            if i == 0:
                ax.set_title(f"layer {layer}", fontsize=9)
            if j == 0:
                ax.set_ylabel(title, fontsize=9)
    fig.colorbar(im, ax=axes, shrink=0.8, label="activation")
    return fig


def plot_decision_maps(items, titles=None, resolution: int = 81, lim: tuple[float, float] = (-0.25, 1.25)):
    """Each network's output over the input square, with the 0.5 contour and the four corners.

    Two networks can draw very different maps between the corners and still agree
    on all four corners — the behaviour on the task is identical.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.model import MLP
    >>> fig = plot_decision_maps([MLP([2, 3, 1], seed=0)]); plt.close("all")
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    models, default_titles = _as_models(items)
    titles = default_titles if titles is None else list(titles)
    if any(m.widths[0] != 2 for m in models):
        raise ParameterError("decision maps need networks with 2 inputs")
    xs = np.linspace(lim[0], lim[1], resolution)
    gx, gy = np.meshgrid(xs, xs)
    grid = torch.tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=torch.float32)
    n = len(models)
    rows = -(-n // 5)
    cols = -(-n // rows)
    fig, axes = plt.subplots(rows, cols, squeeze=False, figsize=(2.3 * cols, 2.3 * rows))
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    for ax, model, title in zip(axes.ravel(), models, titles):
        with torch.no_grad():
            z = model(grid)[:, 0].numpy().reshape(gx.shape)
        ax.imshow(z, origin="lower", extent=(*lim, *lim), cmap="PuOr", vmin=-0.5, vmax=1.5)
        ax.contour(gx, gy, z, levels=[0.5], colors="k", linewidths=1)
        corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        with torch.no_grad():
            out = model(torch.tensor(corners, dtype=torch.float32))[:, 0].numpy()
        ax.scatter(corners[:, 0], corners[:, 1], c=np.round(out), cmap="PuOr", vmin=-0.5, vmax=1.5,
                   edgecolors="k", s=60)
        ax.set(xticks=[0, 1], yticks=[0, 1], title=title)
    return fig


# == networks, circuits and interpretations (chapters 3-4) ==
def _layer_positions(widths):
    """Node (layer, index) -> (x, y): layers left to right, each layer centred vertically."""
    return {(layer, j): (1.7 * layer, (w - 1) / 2 - j) for layer, w in enumerate(widths) for j in range(w)}


def draw_circuit(
    circuit=None,
    widths=None,
    interpretation=None,
    ax=None,
    title: str | None = None,
    input_names=("A", "B"),
    color: str = "tab:blue",
    node_size: float | None = None,
    font_size: float | None = None,
):
    """Draw a network and, if given, a circuit on it; label neurons with an interpretation's gates.

    Nodes and edges outside the circuit are faded and dashed. With an
    :class:`~mi_ident.interpretations.Interpretation`, each interpreted neuron shows
    its local gate's name. Give ``widths`` to draw the bare network.

    >>> import matplotlib.pyplot as plt
    >>> ax = draw_circuit(widths=[2, 3, 3, 1]); plt.close("all")
    """
    import matplotlib.pyplot as plt
    import networkx as nx
    import numpy as np

    if circuit is None and widths is None:
        raise ParameterError("give a circuit, or the network's widths to draw the bare network")
    widths = list(circuit.widths if circuit is not None else widths)
    if circuit is not None and widths != list(circuit.widths):
        raise ParameterError(f"the circuit has widths {circuit.widths}, not {widths}")
    if node_size is None:
        node_size = 380 if ax is not None else 800
    if font_size is None:
        font_size = 6 if ax is not None else 8
    if ax is None:
        _, ax = plt.subplots(figsize=(1.5 * len(widths) + 0.6, 0.9 * max(widths) + 0.8))
    G = nx.DiGraph()
    pos = _layer_positions(widths)
    for layer, w in enumerate(widths):
        for j in range(w):
            on = circuit is None or bool(circuit.node_masks[layer][j])
            G.add_node((layer, j), active=on)
    for i in range(len(widths) - 1):
        for o in range(widths[i + 1]):
            for k in range(widths[i]):
                on = circuit is None or bool(np.asarray(circuit.edge_masks[i])[o, k])
                G.add_edge((i, k), (i + 1, o), active=on)
    on_nodes = [n for n, a in G.nodes(data="active") if a]
    off_nodes = [n for n, a in G.nodes(data="active") if not a]
    on_edges = [(u, v) for u, v, a in G.edges(data="active") if a]
    off_edges = [(u, v) for u, v, a in G.edges(data="active") if not a]
    nx.draw_networkx_edges(G, pos, edgelist=off_edges, ax=ax, edge_color="lightgrey", style="dashed",
                           width=1, arrows=False, node_size=node_size)
    nx.draw_networkx_edges(G, pos, edgelist=on_edges, ax=ax, edge_color=color, width=2, arrows=True,
                           arrowstyle="-|>", node_size=node_size)
    nx.draw_networkx_nodes(G, pos, nodelist=off_nodes, ax=ax, node_color="whitesmoke",
                           edgecolors="lightgrey", node_size=node_size)
    nx.draw_networkx_nodes(G, pos, nodelist=on_nodes, ax=ax, node_color="white", edgecolors=color,
                           linewidths=2, node_size=node_size)
    labels = {(0, j): (input_names[j] if j < len(input_names) else f"x{j}") for j in range(widths[0])}
    if interpretation is not None:
        labels.update({node: _short_gate(g.name) for node, g in interpretation.items()})
    nx.draw_networkx_labels(G, pos, labels=labels, ax=ax, font_size=font_size)
    ax.set_title(title or "", fontsize=9)
    ax.set_axis_off()
    ax.margins(0.15)
    return ax


def _short_gate(name: str) -> str:
    """Gate names short enough to fit in a node."""
    short = {"IDENTITY": "ID", "A_NIMPLY_B": "A∧¬B", "B_NIMPLY_A": "¬A∧B", "B_IMPLY_A": "B→A",
             "A_IMPLY_B": "A→B", "NOT_A": "¬A", "NOT_B": "¬B", "3INPUTS": "3IN"}
    if name.startswith("f") and "[" in name:
        table = name.split("[")[1].rstrip("]")  # the table itself, e.g. 01101001, on two lines
        return table[: len(table) // 2] + "\n" + table[len(table) // 2 :]
    return short.get(name, name)


def draw_circuit_grid(
    circuits,
    widths=None,
    interpretations=None,
    titles=None,
    ncols: int = 5,
    max_circuits: int = 20,
    panel_size: tuple[float, float] = (2.2, 1.8),
):
    """A grid of circuits (at most ``max_circuits``), optionally each with an interpretation.

    Pass one circuit with several interpretations to compare readings of the same
    circuit side by side (``circuits=[c] * n, interpretations=[...]``).

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.circuits import Circuit
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 0], [1]],
    ...                        "edge_masks": [[[1, 1], [0, 0]], [[1, 0]]]})
    >>> fig = draw_circuit_grid([c, c]); plt.close(fig)
    """
    import matplotlib.pyplot as plt

    circuits = list(circuits)[:max_circuits]
    if not circuits:
        raise ParameterError("no circuits to draw (the census found none?)")
    if interpretations is not None:
        interpretations = list(interpretations)[: len(circuits)]
        if len(interpretations) != len(circuits):
            raise ParameterError("give one interpretation per circuit")
    ncols = max(1, min(ncols, len(circuits)))
    nrows = -(-len(circuits) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows), squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k >= len(circuits):
            ax.set_axis_off()
            continue
        draw_circuit(
            circuits[k],
            widths=widths,
            interpretation=None if interpretations is None else interpretations[k],
            ax=ax,
            title=None if titles is None else titles[k],
        )
    fig.tight_layout()
    return fig


def plot_thresholds(values, rows, thresholds=None, ax=None, title: str | None = None):
    """A neuron's activation on each input row, with the candidate thresholds between them.

    ``values[r]`` is the activation on ``rows[r]``; each threshold splits the rows
    into a truth table (above the line: 1).

    >>> import matplotlib.pyplot as plt
    >>> ax = plot_thresholds([0.1, 0.9, 0.9, 2.0], ["00", "01", "10", "11"]); plt.close("all")
    """
    import matplotlib.pyplot as plt
    import numpy as np

    values = np.asarray(values, dtype=float)
    if len(values) != len(rows):
        raise ParameterError(f"one value per row: got {len(values)} values for {len(rows)} rows")
    if thresholds is None:
        d = np.unique(values)
        thresholds = (d[:-1] + d[1:]) / 2
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 2.6))
    labels = ["".join(map(str, r)) if not isinstance(r, str) else r for r in rows]
    ax.scatter(range(len(values)), values, color="tab:blue", zorder=3)
    for x, (v, lab) in enumerate(zip(values, labels)):
        ax.annotate(f"{v:.2f}", (x, v), textcoords="offset points", xytext=(6, 3), fontsize=7)
    for k, t in enumerate(thresholds):
        table = "".join(str(int(v > t)) for v in values)
        ax.axhline(t, color=f"C{k + 1}", linestyle="--", linewidth=1, label=f"t={t:.2f} → {table}")
    ax.set_xticks(range(len(values)), labels)
    ax.set_xlabel("input row (A B)")
    ax.set_ylabel("activation")
    ax.set_title(title or "", fontsize=9)
    if len(thresholds):
        ax.legend(fontsize=7, loc="best")
    return ax


def plot_count_distribution(counts, ax=None, label: str | None = None, title: str | None = None,
                            color: str | None = None):
    """Histogram of per-circuit counts on a log axis (zero counts shown in their own bar at 0)."""
    import matplotlib.pyplot as plt
    import numpy as np

    counts = np.asarray([int(c) for c in counts], dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    positive = counts[counts > 0]
    top = max(1.0, positive.max()) if len(positive) else 1.0
    bins = np.concatenate([[0, 1], np.logspace(0, np.log10(top) + 0.01, 16)[1:]])
    ax.hist(np.maximum(counts, 0.5), bins=np.concatenate([[0.5], bins[1:]]), alpha=0.6,
            label=label, color=color, edgecolor="white")
    ax.set_xscale("log")
    ax.set_xlabel("interpretations per circuit")
    ax.set_ylabel("circuits")
    ax.set_title(title or "", fontsize=9)
    if label:
        ax.legend(fontsize=8)
    return ax


# == algorithms and alignment (chapter 5) ==
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
    >>> from mi_ident.alignment import Mapping
    >>> m = Mapping.from_dict("¬(A*B)*(A+B)", {"A+B": [(1, 0)], "¬(A*B)": [(2, 1)]})
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


def plot_mappings(model, mappings, ncols: int = 4, title: str | None = None):
    """A grid of :func:`plot_mapping`, one panel per mapping (e.g. one formula, several places)."""
    import matplotlib.pyplot as plt

    mappings = list(mappings)
    if not mappings:
        raise ParameterError("no mappings to draw: nothing aligned")
    ncols = max(1, min(ncols, len(mappings)))
    nrows = -(-len(mappings) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols, 2.9 * nrows), squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k < len(mappings):
            plot_mapping(model, mappings[k], ax=ax, title=f"mapping {k + 1}")
        else:
            ax.set_axis_off()
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_mapping_counts(result, ax=None, title: str | None = None):
    """Bar chart: minimal mappings per aligned formula of a :class:`~mi_ident.alignment.WhatThenWhere`."""
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
