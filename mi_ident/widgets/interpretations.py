"""Widget of chapter 4: pick a circuit, see its distinct readings drawn."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ["readings_widget", "readings_html"]


def readings_html(model, circuit, X=None, min_gap: float | None = None, caption: str = "") -> str:
    """An HTML snippet: a caption and the :func:`~mi_ident.plotting.interpretations.plot_readings` figure.

    The figure is embedded as a PNG, so the snippet needs no running kernel to show.
    """
    import base64
    import io
    from html import escape

    import matplotlib.pyplot as plt

    from ..plotting.interpretations import plot_readings

    fig = plot_readings(model, circuit, X=X, min_gap=min_gap)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    image = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<p>{escape(caption)}</p><img src='data:image/png;base64,{image}'/>"


def readings_widget(model, circuits, names=None, X=None, min_gap: float | None = None, index: int = 0):
    """Choose a circuit from a list; see its distinct input-level readings, drawn side by side.

    ``names`` labels the circuits in the menu (default ``"circuit i"``). Returns a ``VBox``
    with attributes ``control`` (the ``Dropdown``, CSS class ``mi-ident-control``),
    ``result`` (an ``HTML`` holding a caption and the drawing, class ``mi-ident-result``)
    and ``cache`` (HTML by circuit position). Each drawing takes a fraction of a second.

    >>> from mi_ident.model import MLP
    >>> from mi_ident.circuits import Circuit
    >>> full = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
    ...                           "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
    >>> half = Circuit.from_dict({"node_masks": [[1, 1], [1, 0], [1]],
    ...                           "edge_masks": [[[1, 1], [0, 0]], [[1, 0]]]})
    >>> w = readings_widget(MLP([2, 2, 1], seed=0), [full, half])
    >>> before = w.result.value; w.control.value = 1; w.result.value != before
    True
    """
    import ipywidgets as widgets

    circuits = list(circuits)
    if not circuits:
        raise ParameterError("give at least one circuit, e.g. census(model, 'XOR').circuits()")
    names = [f"circuit {i}" for i in range(len(circuits))] if names is None else [str(n) for n in names]
    if len(names) != len(circuits):
        raise ParameterError(f"give one name per circuit: {len(names)} names for {len(circuits)} circuits")
    if not 0 <= index < len(circuits):
        raise ParameterError(f"index must be between 0 and {len(circuits) - 1}; got {index}")
    cache: dict[int, str] = {}

    def html(i: int) -> str:
        if i not in cache:
            cache[i] = readings_html(model, circuits[i], X=X, min_gap=min_gap, caption=names[i])
        return cache[i]

    control = widgets.Dropdown(options=[(n, i) for i, n in enumerate(names)], value=index, description="circuit",
                               layout=widgets.Layout(width="460px"))
    control.add_class("mi-ident-control")
    result = widgets.HTML(html(index))
    result.add_class("mi-ident-result")

    def update(_=None) -> None:
        result.value = html(control.value)

    control.observe(update, names="value")
    box = widgets.VBox([control, result])
    box.control, box.result, box.cache = control, result, cache
    return box
