"""Chapter 9's widget: pick a kind of non-identifiability and see its honest ladder.

Example
-------
>>> w = ladders_widget({"circuits": [("paper", 15, "paper"), ("edge-minimal", 4, "strict")]})
>>> w.control.value, len(w.result.value) > 0
('circuits', True)
"""

from __future__ import annotations

import io

from ..errors import ParameterError

__all__ = ["ladders_widget"]


def _png(rungs, title: str) -> bytes:
    import matplotlib.pyplot as plt

    from ..plotting import plot_ladder

    ax = plot_ladder(rungs, title=title)
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=72, bbox_inches="tight")
    plt.close(ax.figure)
    return buffer.getvalue()


def ladders_widget(ladders: dict, titles: dict | None = None):
    """A ``VBox``: a ``Dropdown`` of kinds (``control``, class ``mi-ident-control``) and the chosen
    kind's ladder drawn as an ``Image`` (``result``, class ``mi-ident-result``).

    ``ladders`` maps a kind to its rungs (see :func:`mi_ident.experiments.ladders.honest_ladders`);
    ``titles`` optionally maps a kind to the figure's title.
    """
    import ipywidgets as widgets

    if not ladders:
        raise ParameterError("ladders needs at least one kind, e.g. {'circuits': [('paper', 15), ...]}")
    titles = titles or {}
    images = {kind: _png(rungs, titles.get(kind, kind)) for kind, rungs in ladders.items()}
    control = widgets.Dropdown(options=list(ladders), description="kind")
    control.add_class("mi-ident-control")
    result = widgets.Image(value=images[control.value], format="png")
    result.add_class("mi-ident-result")
    control.observe(lambda change: setattr(result, "value", images[change["new"]]), names="value")
    box = widgets.VBox([control, result])
    box.control, box.result = control, result
    return box
