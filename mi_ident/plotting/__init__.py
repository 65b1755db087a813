"""Figures: plain functions that return matplotlib axes or figures.

One module per topic; plotting depends on the core, never the reverse.
"""

from .basics import plot_truth_table, plot_linear_fit, plot_loss_curves, plot_hidden_activations, plot_decision_maps
from .circuits import draw_circuit, draw_circuit_grid, plot_thresholds, plot_count_distribution
from .algorithms import plot_formula, plot_mapping, plot_mappings, plot_mapping_counts
from .faithfulness import plot_faithfulness_scores
from .ladder import plot_ladder, plot_ladders

__all__ = [
    'plot_faithfulness_scores',
    'plot_ladder',
    'plot_ladders',
    'plot_truth_table',
    'plot_linear_fit',
    'plot_loss_curves',
    'plot_hidden_activations',
    'plot_decision_maps',
    'draw_circuit',
    'draw_circuit_grid',
    'plot_thresholds',
    'plot_count_distribution',
    'plot_formula',
    'plot_mapping',
    'plot_mappings',
    'plot_mapping_counts',
]
