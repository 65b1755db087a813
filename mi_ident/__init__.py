"""mi-ident: watch mechanistic-interpretability explanations fail to be unique.

The core modules (``boolean``, ``data``, ``model``, ``training``, ``circuits``,
``interpretations``, ``algorithms``, ``alignment``, ``faithfulness``,
``experiments``) are plain functions over plain data; ``plotting``, ``widgets``
and ``cli`` build on them. The most used functions are re-exported here.

Example
-------
>>> import mi_ident as mi
>>> model = mi.train("XOR", [2, 3, 3, 1], seed=0, progress=False).model
>>> mi.census(model, "XOR", progress=False).n_candidates
9625
"""

from .algorithms import Formula, candidate_formulas, parse_formula
from .alignment import align, what_then_where
from .boolean import GATES, Task, make_task
from .circuits import Circuit, census, count_candidates, estimate_valid_circuits, iter_circuits
from .data import Dataset, make_dataset, paper_datasets
from .experiments import run_sweep, sweep_grid
from .faithfulness import faithfulness_table
from .interpretations import count_interpretations, interpretation_counts, iter_interpretations
from .model import MLP
from .weights import load_weights, save_weights
from .training import TrainResult, train, train_many, train_paper

__all__ = [
    "GATES",
    "Task",
    "make_task",
    "Dataset",
    "make_dataset",
    "paper_datasets",
    "MLP",
    "load_weights",
    "save_weights",
    "TrainResult",
    "train",
    "train_many",
    "train_paper",
    "Circuit",
    "census",
    "count_candidates",
    "estimate_valid_circuits",
    "iter_circuits",
    "count_interpretations",
    "interpretation_counts",
    "iter_interpretations",
    "Formula",
    "candidate_formulas",
    "parse_formula",
    "align",
    "what_then_where",
    "faithfulness_table",
    "run_sweep",
    "sweep_grid",
]
__version__ = "0.1.0"
