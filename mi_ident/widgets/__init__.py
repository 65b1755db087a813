"""Interactive ipywidgets for the chapters: change the task, width or seed and watch the result.

One module per chapter or topic. The core library never imports widgets.
"""

from .basics import linear_fit_html, linear_fit_widget, activations_html, activations_widget
from .circuits import circuits_widget
from .alignment import alignment_widget

__all__ = [
    'linear_fit_html',
    'linear_fit_widget',
    'activations_html',
    'activations_widget',
    'circuits_widget',
    'alignment_widget',
]
