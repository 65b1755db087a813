"""mi-ident: watch mechanistic-interpretability explanations fail to be unique.

The core modules (``boolean``, ``data``, ``model``, ``training``, ``circuits``,
``interpretations``, ``algorithms``, ``alignment``) are plain functions over plain
data; ``plotting``, ``widgets`` and ``cli`` build on them.
"""

from .boolean import GATES, Task, make_task
from .data import Dataset, make_dataset, paper_datasets
from .model import MLP, load_weights, save_weights
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
]
__version__ = "0.1.0"
