"""Greedy edge pruning in the style of ACDC (Conmy et al., 2023).

Start from the full network. Visit the edges from the output backwards; for each edge,
try the current circuit without it. If the loss of faithfulness to the *full* network
grows by less than ``tau`` (``loss(without) - loss(current) < tau``), the edge goes and
the current circuit (and its loss) become the smaller one. Neurons left off every
input-to-output path go with their edges (:func:`~mi_ident.discovery.circuit_from_edges`).

The method is sequential by nature: one forward pass per visited edge (18 on 2-3-3-1),
each on the four truth-table rows.

Example
-------
>>> from mi_ident.model import MLP
>>> c = greedy_prune(MLP([2, 2, 1], seed=0), "XOR", tau=0.05)
>>> c.widths
[2, 2, 1]
"""

from __future__ import annotations

import numpy as np

from .._validation import check_choice, check_number, check_seed
from ..circuits import Circuit
from ._common import (METRICS, TaskData, circuit_from_edges, circuit_outputs, edge_list,
                      faithfulness_loss, full_edges, task_data)

__all__ = ["greedy_prune", "prune_step", "ORDERS"]

#: ``"reverse"``: output layer first, inside a layer in row-major order (ACDC's order);
#: ``"shuffled"``: output layer first, edges of each layer in a random order (seeded).
ORDERS = ("reverse", "shuffled")


def prune_step(data: TaskData, edges: list[np.ndarray], edge: tuple[int, int, int], tau: float,
               current_loss: float, metric: str = "mae") -> tuple[list[np.ndarray], float]:
    """Try removing one edge ``(layer, out, in)``; return the edges and loss that follow.

    The loss is always measured against the full network, and the step compares it with the
    loss of the *current* circuit (passed in, as the greedy loop keeps it up to date).
    """
    layer, o, k = edge
    trial = [e.copy() for e in edges]
    trial[layer][o, k] = 0
    loss = float(faithfulness_loss(data, circuit_outputs(data, [circuit_from_edges(trial)]), metric)[0])
    if loss - current_loss < tau:
        return trial, loss
    return edges, current_loss


def greedy_prune(model, task="XOR", tau: float = 0.05, metric: str = "mae", order: str = "reverse",
                 seed: int = 0) -> Circuit:
    """The circuit greedy pruning returns (see the module docstring).

    Parameters
    ----------
    model:
        A single-output :class:`~mi_ident.model.MLP` (or weights file / path).
    task:
        The gate (name, truth table or Task) whose truth-table rows are the data.
    tau:
        The threshold: an edge goes when removing it raises the loss by less than ``tau``.
        Larger ``tau``, sparser circuits.
    metric:
        ``"mae"`` (mean |Δoutput| against the full network) or ``"bits"`` (fraction of
        inputs whose output bit differs from the full network's).
    order, seed:
        The visiting order within each layer (see :data:`ORDERS`); ``seed`` shuffles it.
    """
    tau = check_number("tau", tau)
    metric = check_choice("metric", metric, METRICS)
    order = check_choice("order", order, ORDERS)
    seed = check_seed(seed)
    data = task_data(model, task)
    edges = full_edges(data.model.widths)
    loss = float(faithfulness_loss(data, circuit_outputs(data, [circuit_from_edges(edges)]), metric)[0])
    for edge in _visiting_order(data.model.widths, order, seed):
        edges, loss = prune_step(data, edges, edge, tau, loss, metric)
    return circuit_from_edges(edges)


def _visiting_order(widths, order: str, seed: int) -> list[tuple[int, int, int]]:
    visit = edge_list(widths)
    if order == "reverse":
        return visit
    rng = np.random.default_rng(seed)
    out = []
    for layer in reversed(range(len(widths) - 1)):
        block = [e for e in visit if e[0] == layer]
        out += [block[j] for j in rng.permutation(len(block))]
    return out
