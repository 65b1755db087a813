"""What every discovery method shares: the task data, edge masks as circuits, faithfulness.

Discovery methods search over **edge masks** (one 0/1 ``out x in`` matrix per ``Linear``
layer). An edge mask becomes a :class:`~mi_ident.circuits.Circuit` by
:func:`circuit_from_edges`: a hidden neuron is kept when it still lies on a path from
the inputs to the output, and only edges between kept neurons are kept. So every
circuit a method evaluates is a census candidate (or visibly outside the candidate
space, when an input or the output has lost every edge), and it runs with the census'
semantics: a dropped neuron passes 0 (its bias is gone with it).

Example
-------
>>> import numpy as np
>>> edges = [np.ones((2, 2)), np.array([[1, 0]])]   # 2-2-1: hidden neuron 1 feeds nothing
>>> c = circuit_from_edges(edges)
>>> c.node_masks, c.edge_masks[0].tolist()
(((1, 1), (1, 0), (1,)), [[1, 1], [0, 0]])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from .._validation import as_model, check_choice
from ..boolean import Task, input_rows, make_task
from ..errors import ParameterError
from ..circuits import Circuit
from ..model import MLP
from ..vocabulary import DEFAULT_ACCURACY, READOUT

__all__ = ["TaskData", "task_data", "circuit_from_edges", "full_edges", "edge_list", "in_space",
           "circuit_outputs", "faithfulness_loss", "circuit_accuracy", "is_valid", "METRICS"]

#: Faithfulness losses against the full network: mean |Δoutput| over the task inputs, or the
#: fraction of inputs whose output bit differs from the full network's.
METRICS = ("mae", "bits")


@dataclass(frozen=True)
class TaskData:
    """A network's task inputs (truth-table rows, once each), targets and full-network outputs."""

    model: MLP
    X: torch.Tensor  # (n, n_inputs)
    y: np.ndarray  # (n,) target bits
    full: torch.Tensor  # (n, 1) outputs of the full network


def task_data(model, task="XOR") -> TaskData:
    """The truth-table rows of ``task`` (a gate name, truth table or Task) for ``model``.

    >>> from mi_ident.model import MLP
    >>> d = task_data(MLP([2, 2, 1], seed=0), "XOR")
    >>> d.X.tolist(), d.y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    model = as_model(model)
    t = task if isinstance(task, Task) else make_task(task)
    if model.widths[-1] != 1 or t.table.shape[1] != 1 or model.widths[0] != len(t.input_names):
        raise ParameterError(
            f"discovery methods need a single-output network and a one-output task over its "
            f"{model.widths[0]} inputs; got a {model.widths} network and task {t.name!r}")
    X = torch.as_tensor(input_rows(len(t.input_names)).astype(np.float32))
    with torch.no_grad():
        full = model.run(X)[-1]
    return TaskData(model, X, np.asarray(t.table[:, 0], dtype=np.int64), full)


def full_edges(widths: Sequence[int]) -> list[np.ndarray]:
    """Every edge kept: one ``out x in`` matrix of ones per layer."""
    return [np.ones((o, i), dtype=np.uint8) for i, o in zip(widths[:-1], widths[1:])]


def edge_list(widths: Sequence[int]) -> list[tuple[int, int, int]]:
    """Every edge as ``(layer, out, in)``, from the output backwards (ACDC's visiting order)."""
    return [(i, o, k) for i in reversed(range(len(widths) - 1))
            for o in range(widths[i + 1]) for k in range(widths[i])]


def circuit_from_edges(edge_masks: Sequence) -> Circuit:
    """The circuit an edge set defines: neurons on an input-to-output path, edges between them.

    A hidden neuron needs an edge from a kept neuron and an edge to a kept neuron; removing
    one neuron can strand another, so this repeats until nothing changes (at most one pass
    per layer in each direction).
    """
    edges = [np.asarray(e).astype(bool) for e in edge_masks]
    widths = [edges[0].shape[1]] + [e.shape[0] for e in edges]
    alive = [np.ones(w, dtype=bool) for w in widths]
    while True:
        before = [a.copy() for a in alive]
        for i in range(1, len(widths) - 1):  # forwards: fed by a kept neuron
            alive[i] &= (edges[i - 1] & alive[i - 1][None, :]).any(axis=1)
        for i in reversed(range(1, len(widths) - 1)):  # backwards: feeds a kept neuron
            alive[i] &= (edges[i] & alive[i + 1][:, None]).any(axis=0)
        if all(np.array_equal(a, b) for a, b in zip(alive, before)):
            break
    kept = [(e & alive[i + 1][:, None] & alive[i][None, :]).astype(np.uint8) for i, e in enumerate(edges)]
    return Circuit(tuple(tuple(int(v) for v in a) for a in alive), tuple(kept))


def in_space(circuit: Circuit) -> bool:
    """Is this circuit a census candidate (every input feeds it, the output is fed)?"""
    first, last = circuit.edge_masks[0], circuit.edge_masks[-1]
    return bool(np.asarray(first).any(axis=0).all() and np.asarray(last).any(axis=1).all())


def _stack(circuits: Sequence[Circuit]) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    n_layers = len(circuits[0].edge_masks)
    nodes = [torch.tensor(np.array([c.node_masks[i] for c in circuits]), dtype=torch.float32)
             for i in range(n_layers + 1)]
    edges = [torch.from_numpy(np.stack([c.edge_masks[i] for c in circuits]).astype(np.float32))
             for i in range(n_layers)]
    return nodes, edges


def circuit_outputs(data: TaskData, circuits: Sequence[Circuit]) -> torch.Tensor:
    """Outputs ``(n_circuits, n_rows)`` of many circuits in one batched forward pass."""
    nodes, edges = _stack(circuits)
    with torch.no_grad():
        out = data.model.run(data.X.expand(len(circuits), -1, -1), node_masks=nodes, edge_masks=edges)[-1]
    return out[..., 0]


def faithfulness_loss(data: TaskData, outputs: torch.Tensor, metric: str = "mae") -> np.ndarray:
    """Loss of faithfulness to the full network, per circuit, from :func:`circuit_outputs`."""
    metric = check_choice("metric", metric, METRICS)
    full = data.full[:, 0]
    if metric == "mae":
        return (outputs - full).abs().mean(dim=-1).numpy().astype(np.float64)
    return ((outputs > READOUT) != (full > READOUT)).double().mean(dim=-1).numpy()


def circuit_accuracy(data: TaskData, outputs: torch.Tensor) -> np.ndarray:
    """Accuracy on the task (truth table), per circuit."""
    return ((outputs > READOUT).numpy() == data.y.astype(bool)).mean(axis=-1)


def is_valid(data: TaskData, circuit: Circuit, accuracy: float = DEFAULT_ACCURACY) -> bool:
    """The census' rule: a candidate whose accuracy on the task is ``> accuracy``."""
    acc = circuit_accuracy(data, circuit_outputs(data, [circuit]))[0]
    return in_space(circuit) and bool(acc > accuracy)
