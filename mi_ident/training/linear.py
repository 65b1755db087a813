"""The linear baseline: the best single threshold unit for each output of a task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..errors import ParameterError
from ..boolean import Task, make_task


__all__ = ['LinearFit', 'fit_linear']

# -- the linear baseline -------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearFit:
    """The best single linear threshold unit for each output: output 1 iff ``x @ w + b > 0``.

    ``weights`` is outputs x inputs, ``bias`` and ``accuracy`` (fraction of
    truth-table rows it gets right) have one entry per output.
    """

    task: Task
    weights: np.ndarray
    bias: np.ndarray
    accuracy: np.ndarray

    @property
    def separable(self) -> bool:
        """Whether a linear threshold unit computes every output exactly."""
        return bool(np.all(self.accuracy == 1.0))

    def predict(self, x: np.ndarray | None = None) -> np.ndarray:
        """0/1 outputs on ``x`` (default: every truth-table row)."""
        x = self.task.inputs if x is None else np.asarray(x)
        return (x @ self.weights.T + self.bias > 0).astype(np.int64)


def fit_linear(task: "str | Task | Sequence | np.ndarray") -> LinearFit:
    """Search every linear threshold unit for the one that best fits each output of ``task``.

    A single neuron without hidden layer can only draw one straight line (a
    hyperplane) through input space. Threshold functions of at most 3 inputs
    need integer weights of size at most 2, so searching weights in -2..2 and
    every threshold between the attainable sums is exact: ``accuracy`` is the
    best any linear unit can do. XOR is the classic failure (best 3/4).

    >>> fit_linear("AND").separable
    True
    >>> fit_linear("XOR").accuracy.tolist()
    [0.75]
    """
    task = make_task(task)
    n = task.n_inputs
    if n > 3:
        raise ParameterError(f"fit_linear searches exhaustively and supports up to 3 inputs; got {n}")
    grid = np.array(np.meshgrid(*[np.arange(-2, 3)] * n, indexing="ij")).reshape(n, -1).T  # candidates x n
    biases = np.arange(-2 * n, 2 * n + 2) - 0.5
    # smallest weights and bias first, so that ties go to the simplest unit
    grid = grid[np.argsort(np.abs(grid).sum(axis=1), kind="stable")]
    biases = biases[np.argsort(np.abs(biases), kind="stable")]
    # predictions of every (weights, bias) pair on every row: candidates x biases x rows
    sums = grid @ task.inputs.T
    preds = (sums[:, None, :] + biases[None, :, None] > 0).astype(np.int64)
    weights, bias, acc = [], [], []
    for j in range(task.n_outputs):
        hits = (preds == task.table[:, j]).mean(axis=2)
        w_idx, b_idx = np.unravel_index(np.argmax(hits), hits.shape)
        weights.append(grid[w_idx].astype(np.float64))
        bias.append(float(biases[b_idx]))
        acc.append(float(hits[w_idx, b_idx]))
    return LinearFit(task, np.array(weights), np.array(bias), np.array(acc))
