"""Figures: plain functions that return matplotlib axes or figures.

One module per topic; plotting depends on the core, never the reverse.
"""

from .basics import plot_truth_table, plot_linear_fit, plot_loss_curves, plot_hidden_activations, plot_decision_maps
from .circuits import draw_circuit, neuron_labels, draw_circuit_grid, plot_thresholds, plot_count_distribution
from .census import plot_circuit_classes, plot_census_counts, plot_margins
from .interpretations import plot_readings
from .algorithms import plot_formula, plot_mapping, plot_mappings, plot_mapping_counts
from .faithfulness import plot_faithfulness_scores
from .ladder import plot_ladder, plot_ladders
from .sweeps import plot_acceptance, plot_sweep
from .discovery import plot_valid_circuits, plot_pick_frequencies, plot_survey, plot_das_runs
from .explorer import plot_circuit_view, plot_interpretation_view, plot_algorithm_view, plot_mapping_view, plot_dynamics, plot_message, plot_exploration, exploration_panels

__all__ = [
    "plot_truth_table",
    "plot_linear_fit",
    "plot_loss_curves",
    "plot_hidden_activations",
    "plot_decision_maps",
    "draw_circuit",
    "neuron_labels",
    "draw_circuit_grid",
    "plot_thresholds",
    "plot_count_distribution",
    "plot_circuit_classes",
    "plot_census_counts",
    "plot_margins",
    "plot_readings",
    "plot_formula",
    "plot_mapping",
    "plot_mappings",
    "plot_mapping_counts",
    "plot_faithfulness_scores",
    "plot_ladder",
    "plot_ladders",
    "plot_acceptance",
    "plot_sweep",
    "plot_valid_circuits",
    "plot_pick_frequencies",
    "plot_survey",
    "plot_das_runs",
    "plot_circuit_view",
    "plot_interpretation_view",
    "plot_algorithm_view",
    "plot_mapping_view",
    "plot_dynamics",
    "plot_message",
    "plot_exploration",
    "exploration_panels",
]
