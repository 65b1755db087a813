"""The explorer: vary the target function and watch non-identifiability emerge.

Plain functions, no widgets: given :class:`Settings` (a truth table, the network, the
training recipe and the criteria), train every seed at once with checkpoints (cached by
parameters) and compute the data of four views, one per kind of non-identifiability:
valid circuits (:func:`circuit_view`), interpretations of a circuit
(:func:`interpretation_view`), aligned algorithms in classes (:func:`algorithm_view`)
and mappings of an algorithm (:func:`mapping_view`); :func:`explore_data` does all of it
and :func:`training_dynamics` follows the counts along training. Figures are in
:mod:`mi_ident.plotting.explorer`, the interactive ``explore()`` in
:mod:`mi_ident.widgets.explorer`.

Example
-------
>>> ex = explore_data(Settings.from_preset("AND", width=2, depth=1, formula_depth=2))
>>> ex.circuits.n_edge_minimal <= ex.circuits.n_silent_classes <= ex.circuits.n_valid
True
"""

from .circuits import CircuitView, circuit_view, edge_minimal, silent_keys, valid_circuits
from .explore import Dynamics, Exploration, check_tractable, explore_data, training_dynamics
from .settings import PRESETS, Settings
from .training import Checkpoint, SeedRun, TrainingRun, clear_cache, train_with_checkpoints
from .views import (AlgorithmView, InterpretationView, MappingView, algorithm_view, formula_candidates,
                    interpretation_view, mapping_view)

__all__ = [
    "Settings", "PRESETS",
    "train_with_checkpoints", "clear_cache", "Checkpoint", "SeedRun", "TrainingRun",
    "circuit_view", "valid_circuits", "edge_minimal", "silent_keys", "CircuitView",
    "interpretation_view", "InterpretationView",
    "algorithm_view", "formula_candidates", "AlgorithmView",
    "mapping_view", "MappingView",
    "explore_data", "training_dynamics", "check_tractable", "Exploration", "Dynamics",
]
