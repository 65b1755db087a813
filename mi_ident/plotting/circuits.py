"""Figures of chapters 3-4: networks, circuits and their interpretations drawn."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ['draw_circuit', 'draw_circuit_grid', 'plot_thresholds', 'plot_count_distribution']

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
