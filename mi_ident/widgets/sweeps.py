"""Widget of chapter 6: pick the axis of a sweep and see its box plots, paper counts beside artefact-free ones."""

from __future__ import annotations

import base64
import io

import pandas as pd

from ..errors import ParameterError

__all__ = ["sweep_html", "sweep_widget"]


def sweep_html(df: pd.DataFrame, by: str, reference=None) -> str:
    """HTML: a one-line summary and the box plots of ``df`` drawn by ``by`` (a PNG image).

    >>> df = pd.DataFrame({"width": [2, 3], "seed": [0, 0], "accepted": [True, True],
    ...                    "census_mode": ["paper"] * 2, "n_valid_circuits": [3, 30]})
    >>> sweep_html(df, "width").startswith("<b>by width</b>")
    True
    """
    import matplotlib.pyplot as plt

    from ..plotting.sweeps import plot_sweep

    fig = plot_sweep(df, by=by, reference=reference)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60, bbox_inches="tight")
    plt.close(fig)
    accepted = int(df["accepted"].astype(bool).sum())
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"<b>by {by}</b>: {accepted} accepted networks of {len(df)} trained"
            f"<br><img src='data:image/png;base64,{png}'/>")


def sweep_widget(tables: dict[str, tuple[pd.DataFrame, str]], reference: dict | None = None):
    """A ``Dropdown`` of experiments (label -> ``(results table, axis)``) and the figure of the chosen one.

    Returns a ``VBox`` with attributes ``control`` (the ``Dropdown``, CSS class
    ``mi-ident-control``) and ``result`` (``HTML``, class ``mi-ident-result``). ``reference``
    (panel -> {axis value: count}) is drawn on experiments drawn by width.
    """
    import ipywidgets as widgets

    if not tables:
        raise ParameterError("sweep_widget needs at least one (results table, axis) pair")
    control = widgets.Dropdown(options=list(tables), description="experiment",
                               style={"description_width": "80px"}, layout=widgets.Layout(width="420px"))
    control.add_class("mi-ident-control")
    result = widgets.HTML()
    result.add_class("mi-ident-result")
    cache: dict[str, str] = {}

    def show(_=None) -> None:
        label = control.value
        if label not in cache:
            df, by = tables[label]
            cache[label] = sweep_html(df, by, reference if by == "width" else None)
        result.value = cache[label]

    control.observe(show, names="value")
    show()
    box = widgets.VBox([control, result])
    box.control, box.result = control, result
    return box
