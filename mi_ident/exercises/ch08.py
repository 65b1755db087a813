"""Exercise check of chapter 8 (circuit discovery): one step of greedy (ACDC-style) pruning.

Same conventions as :mod:`mi_ident.exercises.ch01`: ``check_prune_step(student)`` returns a
:class:`~mi_ident.exercises.Feedback`; the reference solution is :func:`prune_step`.

Example
-------
>>> print(check_prune_step(prune_step))
correct: all 6 cases pass.
>>> never = lambda model, edges, edge, tau: edges    # never removes anything
>>> print(check_prune_step(never))  # doctest: +ELLIPSIS
not yet: on a 2-3-3-1 network, edge L1->L2 (2, 0), tau = 0.005 your answer looks like a common mistake...
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..discovery._common import circuit_from_edges, circuit_outputs, full_edges, task_data
from ..model import MLP
from . import Case, Feedback, Mistake
from .ch01 import run_check

__all__ = ["circuit_output", "all_edges", "prune_step", "check_prune_step"]


def circuit_output(model: MLP, edges) -> np.ndarray:
    """Outputs on 00, 01, 10, 11 of the circuit these edge masks define (neurons off every
    input-to-output path dropped)."""
    data = task_data(model, "XOR")  # the rows only: the outputs do not depend on the gate
    return circuit_outputs(data, [circuit_from_edges(edges)])[0].numpy().astype(np.float64)


def all_edges(model: MLP) -> list[np.ndarray]:
    """The full network's edge masks: all ones, ``out x in`` per layer."""
    return full_edges(model.widths)


def _loss(model: MLP, edges) -> float:
    return float(np.abs(circuit_output(model, edges) - circuit_output(model, all_edges(model))).mean())


def _without(edges, edge) -> list[np.ndarray]:
    layer, o, k = edge
    trial = [np.array(e, dtype=np.uint8) for e in edges]
    trial[layer][o, k] = 0
    return trial


def prune_step(model: MLP, edges, edge, tau: float) -> list[np.ndarray]:
    """Remove ``edge = (layer, out, in)`` from the circuit ``edges`` when the loss against the
    full network (mean |output difference| on the four inputs) grows by less than ``tau``;
    return the new edge masks (the input is left unchanged)."""
    trial = _without(edges, edge)
    if _loss(model, trial) - _loss(model, edges) < tau:
        return trial
    return [np.array(e, dtype=np.uint8) for e in edges]


def _cases() -> list[Case]:
    # Found by search: the first case tells apart only the stale loss, the second only the
    # loss against the current circuit, the third only the reversed difference; the last three
    # are plain cases (the full network, a removal everyone accepts, one nobody accepts).
    a = [[[0, 1], [0, 1], [1, 0]], [[1, 1, 1]] * 3, [[1, 1, 1]]]
    b = [[[1, 1], [1, 0], [1, 1]], [[1, 1, 1]] * 3, [[0, 1, 1]]]
    net = MLP([2, 3, 3, 1], seed=0)
    arr = lambda e: [np.array(m, dtype=np.uint8) for m in e]
    return [
        Case("a 2-3-3-1 network, edge L1->L2 (2, 0), tau = 0.005", (net, arr(a), (1, 2, 0), 0.005)),
        Case("a 2-3-3-1 network, edge L2->out (0, 2), tau = 0.03", (net, arr(b), (2, 0, 2), 0.03)),
        Case("a 2-3-3-1 network, edge L1->L2 (2, 0), tau = 0", (net, arr(a), (1, 2, 0), 0.0)),
        Case("the full 2-3-3-1 network, edge L0->L1 (0, 0), tau = 0.01", (net, all_edges(net), (0, 0, 0), 0.01)),
        Case("a 2-3-3-1 network, edge L1->L2 (2, 0), tau = 0.5", (net, arr(a), (1, 2, 0), 0.5)),
        Case("the full 2-3-3-1 network, edge L2->out (0, 1), tau = -0.1", (net, all_edges(net), (2, 0, 1), -0.1)),
    ]


def check_prune_step(student: Callable) -> Feedback:
    """Check ``prune_step(model, edges, edge, tau)`` on hand-picked circuits and thresholds."""

    def stale(model, edges, edge, tau):
        trial = _without(edges, edge)
        return trial if _loss(model, trial) < tau else [np.array(e, dtype=np.uint8) for e in edges]

    def against_circuit(model, edges, edge, tau):
        trial = _without(edges, edge)
        change = np.abs(circuit_output(model, trial) - circuit_output(model, edges)).mean()
        return trial if change < tau else [np.array(e, dtype=np.uint8) for e in edges]

    def reversed_sign(model, edges, edge, tau):
        trial = _without(edges, edge)
        return trial if _loss(model, edges) - _loss(model, trial) < tau else [np.array(e, dtype=np.uint8) for e in edges]

    mistakes = [
        Mistake(stale, "the threshold is on the *increase* of the loss: compare with the loss of the current "
                       "circuit (evaluate it again), not with the full network's loss of 0."),
        Mistake(against_circuit, "measure faithfulness against the full network's outputs every time, not "
                                 "against the current circuit: small steps away from it add up."),
        Mistake(reversed_sign, "check the sign: the edge goes when (loss without it) - (loss now) is below tau."),
    ]
    flat = [Mistake(_flat(m.solution), m.hint) for m in mistakes]
    checked = _flat(student)
    checked.__name__ = "prune_step"
    return run_check(checked, _flat(prune_step), _cases(), flat, "prune_step")


def _flat(fn: Callable) -> Callable:
    """Compare edge masks as one 0/1 vector (layers of different shapes do not stack)."""

    def run(*args):
        return np.concatenate([np.asarray(e, dtype=float).ravel() for e in fn(*args)])

    return run
