"""The ground truth a discovery method is judged against: every valid circuit, with features.

:func:`ground_truth` runs the census (:func:`mi_ident.circuits.census`) and describes each
valid circuit by its number of edges and neurons, its weight mass (sum of |w| over its
edges), and the census' artefact-free views: its margin (how far its outputs stay from
the read-out 0.5), its **silent class** (circuits that differ only in the wiring of
neurons that never fire on the task are one explanation counted several times) and
whether it is **edge-minimal** (no valid proper sub-circuit).

Example
-------
>>> from mi_ident.model import MLP
>>> gt = ground_truth(MLP([2, 2, 2, 1], seed=0), "XOR")
>>> gt.n_valid == len(gt.table)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validation import check_size
from ..boolean import Task, make_task
from ..circuits import Circuit, CensusResult, census
from ..vocabulary import DEFAULT_ACCURACY
from ._common import TaskData, task_data

__all__ = ["GroundTruth", "ground_truth"]

COLUMNS = ["position", "index", "n_edges", "n_nodes", "weight_mass", "margin", "cls", "edge_minimal"]


@dataclass(frozen=True, eq=False)
class GroundTruth:
    """The valid circuits of one network (census order) and one row of features per circuit."""

    data: TaskData
    census: CensusResult
    circuits: list[Circuit]
    table: pd.DataFrame  # COLUMNS; cls is the census' silent class
    positions: dict  # Circuit -> position in ``circuits``

    @property
    def n_valid(self) -> int:
        return len(self.circuits)

    @property
    def n_classes(self) -> int:
        """Silent classes among the valid circuits (the artefact-free count)."""
        return int(self.table["cls"].nunique())

    @property
    def n_edge_minimal(self) -> int:
        return int(self.table["edge_minimal"].sum())

    def identify(self, circuit: Circuit) -> int:
        """Position of ``circuit`` among the valid circuits, or -1 if it is not one of them."""
        return self.positions.get(circuit, -1)


def ground_truth(model, task="XOR", accuracy: float = DEFAULT_ACCURACY, census_result: CensusResult | None = None,
                 max_valid: int = 1_000_000) -> GroundTruth:
    """Census of ``model`` on ``task`` (truth-table rows), its valid circuits and their features.

    ``census_result`` reuses a census already run on the same model and task (with every
    valid circuit kept). Refuses (``TooLargeError``) more than ``max_valid`` valid circuits.
    """
    task = task if isinstance(task, Task) else make_task(task)
    data = task_data(model, task)
    res = census_result if census_result is not None else census(data.model, task, accuracy, progress=False)
    check_size("valid circuits", res.n_valid, max_valid,
               "use a narrower network, or raise max_valid if you have the memory")
    circuits = res.circuits()
    flat_w = np.concatenate([np.abs(W).ravel() for W, _ in data.model.numpy_weights()]).astype(np.float64)
    edges = (np.array([np.concatenate([e.ravel() for e in c.edge_masks]) for c in circuits], dtype=np.float64)
             if circuits else np.zeros((0, len(flat_w))))
    minimal = res.edge_minimal if res.edge_minimal is not None else np.zeros(len(circuits), bool)
    rows = {"position": np.arange(len(circuits)), "index": np.asarray(res.index[:len(circuits)], dtype=np.int64),
            "n_edges": edges.sum(axis=1).astype(np.int64), "n_nodes": [c.n_neurons for c in circuits],
            "weight_mass": edges @ flat_w, "margin": np.asarray(res.margin, dtype=np.float64),
            "cls": np.asarray(res.silent_class, dtype=np.int64), "edge_minimal": np.asarray(minimal, dtype=bool)}
    table = pd.DataFrame(rows, columns=COLUMNS)
    return GroundTruth(data, res, circuits, table, {c: i for i, c in enumerate(circuits)})
