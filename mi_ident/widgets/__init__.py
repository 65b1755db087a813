"""Interactive ipywidgets for the chapters: change the task, width or seed and watch the result.

One module per chapter or topic. The core library never imports widgets.
"""

from .basics import linear_fit_html, linear_fit_widget, activations_html, activations_widget
from .circuits import circuit_ladder, ladder_rungs, ladder_figure, circuits_widget
from .interpretations import readings_widget, readings_html
from .alignment import alignment_widget
from .sweeps import sweep_html, sweep_widget
from .discovery import discovery_widget, pick_figure
from .explorer import explore
from .summary import ladders_widget

__all__ = [
    "linear_fit_html",
    "linear_fit_widget",
    "activations_html",
    "activations_widget",
    "circuit_ladder",
    "ladder_rungs",
    "ladder_figure",
    "circuits_widget",
    "readings_widget",
    "readings_html",
    "alignment_widget",
    "sweep_html",
    "sweep_widget",
    "discovery_widget",
    "pick_figure",
    "explore",
    "ladders_widget",
]
