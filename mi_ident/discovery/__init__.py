"""Circuit discovery methods, and what they pick among the many valid circuits.

Each method returns one :class:`~mi_ident.circuits.Circuit`, as practitioners use them:

* :func:`greedy_prune` — ACDC-style greedy edge pruning with a threshold ``tau``;
* :func:`attribution_patching` — gradient estimates of each edge's effect, top ``k``;
* :func:`learned_masks` — sigmoid edge masks trained with a sparsity ``penalty``;
* :func:`das` — distributed alignment search: a learned rotation of a hidden layer whose
  subspaces align a formula's nodes (what-then-where beyond neuron sets).

:mod:`~mi_ident.discovery.compare` places their picks among the census' valid circuits.

Example
-------
>>> from mi_ident.model import MLP
>>> greedy_prune(MLP([2, 2, 1], seed=0), "XOR", tau=0.0).widths
[2, 2, 1]
"""

from ._common import TaskData, circuit_from_edges, circuit_outputs, faithfulness_loss, in_space, is_valid, task_data
from .acdc import greedy_prune, prune_step
from .attribution import attribution_patching, edge_scores
from .masks import learned_masks, learned_masks_many, train_mask_logits
from .das import DASResult, das, rotated_iia
from .truth import GroundTruth, ground_truth
from .compare import METHODS, DEFAULT_GRID, method_runs, pick_summary, survey, differ_probability
from .das_survey import das_runs, das_summary, distinct_subspaces, neuron_search_aligns

__all__ = [
    "TaskData",
    "task_data",
    "circuit_from_edges",
    "circuit_outputs",
    "faithfulness_loss",
    "in_space",
    "is_valid",
    "greedy_prune",
    "prune_step",
    "attribution_patching",
    "edge_scores",
    "learned_masks",
    "learned_masks_many",
    "train_mask_logits",
    "DASResult",
    "das",
    "rotated_iia",
    "das_runs",
    "das_summary",
    "distinct_subspaces",
    "neuron_search_aligns",
    "GroundTruth",
    "ground_truth",
    "METHODS",
    "DEFAULT_GRID",
    "method_runs",
    "pick_summary",
    "differ_probability",
    "survey",
]
