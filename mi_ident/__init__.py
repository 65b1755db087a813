"""mi-ident: watch mechanistic-interpretability explanations fail to be unique.

Tiny MLPs learn Boolean gates; because they are tiny, every explanation of them can
be enumerated, and counted honestly: the paper's count, the count once counting
artefacts are removed, and the count under stricter criteria.

The core modules (``boolean``, ``data``, ``model``, ``interventions``, ``training``,
``circuits``, ``interpretations``, ``algorithms``, ``alignment``, ``faithfulness``,
``experiments``) are plain functions over plain data; ``plotting``, ``widgets`` and
``cli`` build on them, never the reverse. ``vocabulary`` holds the shared words and
constants, ``errors`` the package's exceptions, and every public entry point checks
its input at the boundary (``_validation``). The most used functions are re-exported
here, imported on first use so that ``import mi_ident`` (and the command line) start
fast.

Example
-------
>>> import mi_ident as mi
>>> model = mi.train("XOR", [2, 3, 3, 1], seed=0, progress=False).model
>>> mi.census(model, "XOR", progress=False).n_candidates
9625

References
----------
.. [1] M. Méloux, S. Maniu, F. Portet and M. Peyrard. "Everything, Everywhere, All at
   Once: Is Mechanistic Interpretability Identifiable?" International Conference on
   Learning Representations (ICLR), 2025.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module that defines it.
_EXPORTS = {
    "GATES": "boolean", "Task": "boolean", "make_task": "boolean",
    "Dataset": "data", "make_dataset": "data", "paper_datasets": "data",
    "MLP": "model", "Ablation": "interventions", "Patch": "interventions",
    "load_weights": "weights", "save_weights": "weights",
    "Recipe": "training", "TrainResult": "training", "train": "training", "train_many": "training",
    "train_paper": "training",
    "Circuit": "circuits", "census": "circuits", "count_candidates": "circuits",
    "estimate_valid_circuits": "circuits", "iter_circuits": "circuits",
    "count_interpretations": "interpretations", "interpretation_counts": "interpretations",
    "iter_interpretations": "interpretations", "count_assignments": "interpretations",
    "count_readings": "interpretations", "reading_counts": "interpretations",
    "count_distinct_readings": "interpretations",
    "Formula": "algorithms", "candidate_formulas": "algorithms", "parse_formula": "algorithms",
    "align": "alignment", "what_then_where": "alignment", "NeuronMapping": "alignment",
    "honest_ladders": "experiments.ladders",
    "faithfulness_table": "faithfulness",
    "run_sweep": "experiments", "sweep_grid": "experiments",
    "Neuron": "vocabulary", "MIIdentError": "errors",
}

__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mi_ident' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
