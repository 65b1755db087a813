"""The ground truth a discovery method is judged against: every valid circuit, with features.

:func:`ground_truth` runs the census and describes each valid circuit by its number of
edges, its weight mass (sum of |w| over its edges), its margin (the smallest distance of
its output to the read-out 0.5, on the right side, over the task inputs) and its
**silent-neuron class**. A hidden neuron is *silent* when its pre-activation in the full
network is ``<= 0`` on every task input: it never fires, and circuits that differ only
in silent neurons (and their edges) are one explanation counted several times. The class
of a circuit is the circuit with its silent neurons removed. (Computed here from the
full network; the census does not expose such classes yet.)

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
import torch

from ..circuits import Circuit, CensusResult, census
from ..vocabulary import DEFAULT_ACCURACY, READOUT
from ._common import TaskData, circuit_outputs, task_data

__all__ = ["GroundTruth", "ground_truth", "silent_neurons", "silent_class"]


@dataclass(frozen=True, eq=False)
class GroundTruth:
    """The valid circuits of one network (census order) and one row of features per circuit."""

    data: TaskData
    census: CensusResult
    circuits: list[Circuit]
    table: pd.DataFrame  # position, index, n_edges, weight_mass, margin, cls
    positions: dict  # Circuit -> position in ``circuits``

    @property
    def n_valid(self) -> int:
        return len(self.circuits)

    @property
    def n_classes(self) -> int:
        return int(self.table["cls"].nunique())

    def identify(self, circuit: Circuit) -> int:
        """Position of ``circuit`` among the valid circuits, or -1 if it is not one of them."""
        return self.positions.get(circuit, -1)


def silent_neurons(data: TaskData) -> list[np.ndarray]:
    """One boolean array per hidden layer: the neurons whose pre-activation is ``<= 0`` on every input."""
    with torch.no_grad():
        h = data.X
        out = []
        for i, layer in enumerate(data.model.layers[:-1]):
            z = layer(h)
            out.append((z <= 0).all(dim=0).numpy())
            h = data.model.activate(i, z)
    return out


def silent_class(circuit: Circuit, silent: list[np.ndarray]) -> Circuit:
    """The circuit with its silent neurons and their edges removed (the class representative)."""
    keep = [np.ones(len(circuit.node_masks[0]), bool)] + [~s for s in silent] + [np.ones(len(circuit.node_masks[-1]), bool)]
    nodes = tuple(tuple(int(v and k) for v, k in zip(m, kk)) for m, kk in zip(circuit.node_masks, keep))
    edges = tuple((np.asarray(e) * keep[i + 1][:, None] * keep[i][None, :]).astype(np.uint8)
                  for i, e in enumerate(circuit.edge_masks))
    return Circuit(nodes, edges)


def ground_truth(model, task="XOR", accuracy: float = DEFAULT_ACCURACY, census_result: CensusResult | None = None,
                 max_valid: int = 200_000) -> GroundTruth:
    """Census of ``model`` on ``task`` (truth-table rows), its valid circuits and their features.

    ``census_result`` reuses a census already run on the same model and task. Refuses
    (``TooLargeError``) more than ``max_valid`` valid circuits, which a table cannot show.
    """
    from .._validation import check_size

    data = task_data(model, task)
    res = census_result if census_result is not None else census(data.model, task, accuracy,
                                                                 progress=False)
    check_size("valid circuits", res.n_valid, max_valid,
               "use a narrower network, or raise max_valid if you have the memory")
    circuits = res.circuits()
    silent = silent_neurons(data)
    weights = [np.abs(W) for W, _ in data.model.numpy_weights()]
    classes: dict[Circuit, int] = {}
    rows = []
    if circuits:
        out = circuit_outputs(data, circuits).numpy()
        sign = 2 * data.y - 1
        margins = ((out - READOUT) * sign).min(axis=1)
    for pos, c in enumerate(circuits):
        key = silent_class(c, silent)
        rows.append({"position": pos, "index": int(res.index[pos]),
                     "n_edges": int(sum(int(e.sum()) for e in c.edge_masks)),
                     "n_nodes": int(sum(sum(m) for m in c.node_masks[1:-1])),
                     "weight_mass": float(sum((w * e).sum() for w, e in zip(weights, c.edge_masks))),
                     "margin": float(margins[pos]), "cls": classes.setdefault(key, len(classes))})
    table = pd.DataFrame(rows, columns=["position", "index", "n_edges", "n_nodes", "weight_mass", "margin", "cls"])
    return GroundTruth(data, res, circuits, table, {c: i for i, c in enumerate(circuits)})
