"""Figures of chapters 3-4: networks, circuits and their interpretations drawn."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ['draw_circuit', 'neuron_labels', 'draw_circuit_grid', 'plot_thresholds', 'plot_count_distribution']

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
    labels: str = "inputs",
    highlight=(),
):
    """Draw a network and, if given, a circuit on it; label neurons with what they compute.

    Nodes and edges outside the circuit are faded and dashed. ``interpretation`` is an
    :class:`~mi_ident.interpretations.Interpretation` or a
    :class:`~mi_ident.interpretations.Reading`; ``labels`` says what each neuron shows:

    * ``"inputs"`` (default): its function of the network inputs with its truth table,
      e.g. ``XOR(A,B)`` over ``0110`` (rows 00, 01, 10, 11);
    * ``"local"``: its local gate over its parents ``p1, p2, ...`` (numbered top to
      bottom among its parents in the circuit), e.g. ``p1∧¬p2``; needs an Interpretation.

    Neurons in ``highlight`` are outlined in orange (e.g. where two readings differ).

    >>> import matplotlib.pyplot as plt
    >>> ax = draw_circuit(widths=[2, 3, 3, 1]); plt.close("all")
    """
    import matplotlib.pyplot as plt
    import networkx as nx
    import numpy as np

    if circuit is None and widths is None:
        raise ParameterError("give a circuit, or the network's widths to draw the bare network")
    if labels not in ("inputs", "local"):
        raise ParameterError(f"labels must be 'inputs' (functions of the inputs) or 'local' (gates over "
                             f"parents p1, p2, ...); got {labels!r}")
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
            G.add_node((layer, j), active=circuit is None or bool(circuit.node_masks[layer][j]))
    for i in range(len(widths) - 1):
        for o in range(widths[i + 1]):
            for k in range(widths[i]):
                on = circuit is None or bool(np.asarray(circuit.edge_masks[i])[o, k])
                G.add_edge((i, k), (i + 1, o), active=on)
    on_nodes = [n for n, a in G.nodes(data="active") if a]
    off_nodes = [n for n, a in G.nodes(data="active") if not a]
    on_edges = [(u, v) for u, v, a in G.edges(data="active") if a]
    off_edges = [(u, v) for u, v, a in G.edges(data="active") if not a]
    hot = {tuple(n) for n in highlight}
    nx.draw_networkx_edges(G, pos, edgelist=off_edges, ax=ax, edge_color="lightgrey", style="dashed",
                           width=1, arrows=False, node_size=node_size)
    nx.draw_networkx_edges(G, pos, edgelist=on_edges, ax=ax, edge_color=color, width=2, arrows=True,
                           arrowstyle="-|>", node_size=node_size)
    nx.draw_networkx_nodes(G, pos, nodelist=off_nodes, ax=ax, node_color="whitesmoke",
                           edgecolors="lightgrey", node_size=node_size)
    nx.draw_networkx_nodes(G, pos, nodelist=on_nodes, ax=ax, node_color="white",
                           edgecolors=["tab:orange" if n in hot else color for n in on_nodes],
                           linewidths=2, node_size=node_size)
    names = {(0, j): (input_names[j] if j < len(input_names) else f"x{j + 1}") for j in range(widths[0])}
    if interpretation is not None:
        # active neurons the interpretation leaves out are constant on the rows: no bit to read
        names.update({n: "silent" for n in on_nodes if n[0] > 0})
        names.update(neuron_labels(interpretation, labels, input_names))
    for node, text in names.items():
        x, y = pos[node]
        # a label wider than its node sits in a box of the node's colour drawn over it
        box = None if node[0] == 0 else dict(boxstyle="round,pad=0.25", fc="white", lw=1.2,
                                             ec="tab:orange" if node in hot else color)
        ax.text(x, y, text, ha="center", va="center", fontsize=font_size, zorder=5, bbox=box)
    ax.set_title(title or "", fontsize=9)
    ax.set_axis_off()
    ax.margins(0.2)
    return ax


def neuron_labels(interpretation, labels: str = "inputs", input_names=("A", "B")) -> dict:
    """The text :func:`draw_circuit` writes on each interpreted neuron.

    >>> from mi_ident.interpretations import Reading
    >>> r = Reading(((0, 0), (0, 1), (1, 0), (1, 1)), (((2, 0), (0, 1, 1, 0)),))
    >>> neuron_labels(r)
    {(2, 0): 'XOR(A,B)\\n0110'}
    """
    from ..interpretations import Interpretation, input_gate_label, local_gate_label

    if labels == "local":
        if not isinstance(interpretation, Interpretation):
            raise ParameterError("labels='local' needs an Interpretation (a Reading has no local gates); "
                                 "use labels='inputs'")
        return {node: local_gate_label(g.local_table) for node, g in interpretation.items()}
    rows = interpretation.rows
    tables = interpretation.tables() if isinstance(interpretation, Interpretation) else dict(interpretation)
    out = {}
    for node, table in tables.items():
        name = input_gate_label(table, rows, input_names)
        code = "".join(str(int(b)) for b in table)
        out[tuple(node)] = name if name == code else f"{name}\n{code}"
    return out


def draw_circuit_grid(
    circuits,
    widths=None,
    interpretations=None,
    titles=None,
    ncols: int = 5,
    max_circuits: int = 20,
    panel_size: tuple[float, float] = (2.2, 1.8),
    labels: str = "inputs",
):
    """A grid of circuits (at most ``max_circuits``), optionally each with an interpretation.

    ``labels`` is passed to :func:`draw_circuit`. To compare readings of one circuit use
    :func:`~mi_ident.plotting.plot_readings`: interpretations that differ only in
    don't-care completions have the same tables and would look identical.

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
            labels=labels,
        )
    fig.tight_layout()
    return fig


def plot_thresholds(values, rows, thresholds=None, ax=None, title: str | None = None,
                    min_gap: float | None = None):
    """A neuron's activation on each input row, with the candidate thresholds between them.

    ``values[r]`` is the activation on ``rows[r]``; each threshold splits the rows
    into a truth table (above the line: 1). With ``min_gap`` (and no ``thresholds``),
    values closer than it are one level (shaded grey) and thresholds lie between levels.

    >>> import matplotlib.pyplot as plt
    >>> ax = plot_thresholds([0.1, 0.9, 0.9, 2.0], ["00", "01", "10", "11"]); plt.close("all")
    """
    import matplotlib.pyplot as plt
    import numpy as np

    values = np.asarray(values, dtype=float)
    if len(values) != len(rows):
        raise ParameterError(f"one value per row: got {len(values)} values for {len(rows)} rows")
    merged = []
    if thresholds is None:
        from ..interpretations import levels

        lv = levels(values, 0.0 if min_gap is None else min_gap)
        thresholds = [(a[1] + b[0]) / 2 for a, b in zip(lv[:-1], lv[1:])]
        merged = [(lo, hi) for lo, hi in lv if hi > lo]
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 2.6))
    for k, (lo, hi) in enumerate(merged):
        pad = max(hi - lo, 1e-3) * 0.6
        ax.axhspan(lo - pad, hi + pad, color="lightgrey", alpha=0.6, zorder=1,
                   label=f"one level (gaps < {min_gap:g})" if k == 0 else None)
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
    if len(thresholds) or merged:
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
