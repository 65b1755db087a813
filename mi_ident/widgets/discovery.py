"""Widget of chapter 8: choose a discovery method, its knob and a seed; see its pick among all
valid circuits."""

from __future__ import annotations

import io

from ..errors import ParameterError

__all__ = ["discovery_widget", "pick_figure"]


def pick_figure(truth, circuit, method: str, label: str):
    """Two panels: every valid circuit (edges x margin) with ``circuit`` starred, and ``circuit`` drawn."""
    import matplotlib.pyplot as plt

    from ..plotting.circuits import draw_circuit
    from ..plotting.discovery import METHOD_STYLES, plot_valid_circuits

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1.6, 1]})
    plot_valid_circuits(truth, ax=left)
    pos = truth.identify(circuit)
    colour = METHOD_STYLES.get(method, ("tab:blue", "o"))[0]
    if pos >= 0:
        row = truth.table.iloc[pos]
        left.scatter([row.n_edges], [row.margin], s=260, marker="*", color=colour, zorder=4, label="the pick")
        left.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
        verdict = f"valid circuit #{pos} of {truth.n_valid} (silent class {int(row.cls)})"
    else:
        verdict = "not a valid circuit"
    left.set_title(f"{method}, {label}: {verdict}", fontsize=9)
    draw_circuit(circuit, ax=right, color=colour, title=f"{circuit.n_edges} edges, {circuit.n_neurons} hidden neurons")
    fig.tight_layout()
    return fig


def discovery_widget(model, task="XOR", truth=None, grid=None, seeds=(0, 1, 2, 3, 4), method: str = "greedy"):
    """Choose a method (``Dropdown`` with CSS class ``mi-ident-control``), a knob value and a seed.

    Returns a ``VBox`` with attributes ``control`` (method), ``knob``, ``seed`` (Dropdowns),
    ``result`` (an ``Image`` with class ``mi-ident-result``: the valid circuits with the pick
    starred, and the pick drawn) and ``cache`` (PNG bytes by setting). ``truth`` reuses a
    :func:`~mi_ident.discovery.ground_truth`; ``grid`` maps each method to its knob values
    (default :data:`~mi_ident.discovery.DEFAULT_GRID`).

    >>> from mi_ident.model import MLP
    >>> w = discovery_widget(MLP([2, 2, 2, 1], seed=0), "XOR", seeds=(0, 1))
    >>> before = w.result.value
    >>> w.control.value = "masks"
    >>> w.result.value != before
    True
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from ..discovery import DEFAULT_GRID, METHODS, ground_truth

    truth = ground_truth(model, task) if truth is None else truth
    grid = DEFAULT_GRID if grid is None else grid
    if method not in grid or any(m not in METHODS for m in grid):
        raise ParameterError(f"method must be one of {sorted(grid)} (the grid's methods, from {sorted(METHODS)}); "
                             f"got {method!r}")
    cache: dict[tuple, bytes] = {}

    def values(m: str) -> list:
        return list(grid[m][METHODS[m][0]])

    def image(m: str, value, seed: int) -> bytes:
        key = (m, value, seed)
        if key not in cache:
            circuit = METHODS[m][1](truth.data.model, task, [value], [seed])[0][0]
            fig = pick_figure(truth, circuit, m, f"{METHODS[m][0]} = {value}, seed {seed}")
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=80)
            plt.close(fig)
            cache[key] = buf.getvalue()
        return cache[key]

    control = widgets.Dropdown(options=list(grid), value=method, description="method")
    control.add_class("mi-ident-control")
    knob = widgets.Dropdown(options=values(method), description=METHODS[method][0])
    seed = widgets.Dropdown(options=list(seeds), description="seed")
    result = widgets.Image(value=image(method, knob.value, seed.value), format="png")
    result.add_class("mi-ident-result")

    def on_method(_=None) -> None:
        knob.unobserve(update, names="value")  # one image for the new method, not one per trait change
        knob.options = values(control.value)  # selects the first value
        knob.description = METHODS[control.value][0]
        knob.observe(update, names="value")
        update()

    def update(_=None) -> None:
        result.value = image(control.value, knob.value, seed.value)

    control.observe(on_method, names="value")
    knob.observe(update, names="value")
    seed.observe(update, names="value")
    box = widgets.VBox([widgets.HBox([control, knob, seed]), result])
    box.control, box.knob, box.seed, box.result, box.cache = control, knob, seed, result, cache
    return box
