"""Figures of chapter 4: the distinct readings of a circuit, side by side."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ["plot_readings"]


def plot_readings(model, circuit, readings=None, X=None, min_gap: float | None = None, ncols: int = 4,
                  max_readings: int = 8, titles=None, panel_size: tuple[float, float] = (2.9, 2.3),
                  input_names=("A", "B"), title: str | None = None):
    """Draw the *distinct* readings of one circuit side by side, each neuron with its truth table.

    ``readings`` defaults to every reading of the circuit
    (:func:`~mi_ident.interpretations.iter_readings` with ``X`` and ``min_gap``, whose
    default is the library's gap rule); duplicates are dropped, so two panels always
    differ somewhere. Neurons whose table is not the same in every panel are outlined
    in orange. At most ``max_readings`` panels; the figure's title says how many there are.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.model import MLP
    >>> from mi_ident.circuits import Circuit
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
    ...                        "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
    >>> fig = plot_readings(MLP([2, 2, 1], seed=0), c); plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from ..circuits import check_circuit
    from ..interpretations import DEFAULT_MIN_GAP, Reading, iter_readings
    from .._validation import as_model
    from .circuits import draw_circuit

    model = as_model(model)
    check_circuit(model, circuit)
    if readings is None:
        gap = DEFAULT_MIN_GAP if min_gap is None else min_gap
        readings = iter_readings(model, circuit, X, min_gap=gap)
    readings = list(readings)
    if any(not isinstance(r, Reading) for r in readings):
        raise ParameterError("readings must be Reading objects, e.g. from mi_ident.interpretations.iter_readings")
    unique = list(dict.fromkeys(readings))
    n = len(unique)
    shown = unique[:max_readings]
    nodes = {node for r in shown for node in r}
    differ = {node for node in nodes if len({r.get(node) for r in shown}) > 1}
    panels = max(1, len(shown))
    ncols = max(1, min(ncols, panels))
    nrows = -(-panels // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.4),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k >= len(shown):
            ax.set_axis_off()
            continue
        label = titles[k] if titles is not None else f"reading {k + 1} of {n}"
        draw_circuit(circuit, interpretation=shown[k], ax=ax, title=label, highlight=differ,
                     input_names=input_names, node_size=700, font_size=6.5)
    if not shown:
        draw_circuit(circuit, ax=axes.flat[0], title="no consistent reading")
    head = title if title is not None else (
        f"{n} distinct reading{'s' if n != 1 else ''}" + (f" (first {len(shown)} shown)" if n > len(shown) else "")
        + ("; orange: neurons whose table differs" if differ else ""))
    fig.suptitle(head, fontsize=10)
    fig.tight_layout()
    return fig
