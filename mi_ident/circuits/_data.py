"""Evaluation data of a census reduced to distinct input rows, and the acceptance rule.

A circuit is valid iff ``correct / N > accuracy_threshold`` (the original's rule, in floats),
i.e. iff at least :attr:`_Data.min_correct` of the ``N`` samples are correct.

Example
-------
>>> d = _prepare_data(None, "XOR", 0.99, n_in=2, n_out=1)
>>> d.rows.tolist(), d.min_correct
([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], 4)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_array
from ..errors import ParameterError

__all__: list[str] = []  # private helpers of the census


@dataclass
class _Data:
    """Evaluation data reduced to distinct input rows, with the acceptance rule as integers."""

    X: np.ndarray  # (N, n_in) float32, as given
    y: np.ndarray  # (N, n_out) float32
    rows: np.ndarray  # (R, n_in) float64, distinct input rows
    targets: list[list[tuple[np.ndarray, int]]]  # per row: (target vector, count)
    min_correct: int  # a circuit is valid iff #correct samples >= min_correct

    @property
    def row_counts(self) -> np.ndarray:
        """Number of samples of each distinct row."""
        return np.array([sum(k for _, k in t) for t in self.targets], dtype=np.int64)


def _resolve(file_data: dict, data):
    """``(X, y)`` from whatever form ``data`` takes (or the weights file's eval data)."""
    from ..boolean import Task, make_task
    from ..data import Dataset

    if data is None:
        if {"X_eval", "y_eval"} <= set(file_data):
            return file_data["X_eval"], file_data["y_eval"]
        raise ParameterError(
            "give the evaluation data: (X, y), a Dataset, or a gate name / Task "
            "(or a WeightsFile that stores X_eval and y_eval)"
        )
    if isinstance(data, (str, Task)) or (
        isinstance(data, (list, tuple)) and len(data) and all(isinstance(s, str) for s in data)
    ):
        task = make_task(data)
        return task.inputs, task.table
    if isinstance(data, Dataset):
        return data.X, data.y
    if isinstance(data, (tuple, list)) and len(data) == 2:
        return data
    raise ParameterError(f"data must be (X, y), a mi_ident Dataset, or a gate name / Task; got {type(data).__name__}")


def _prepare_data(file_data: dict | None, data, threshold: float, n_in: int, n_out: int) -> _Data:
    """Checked evaluation data for a network with ``n_in`` inputs and ``n_out`` outputs
    (``file_data``: the arrays of the weights file the model came from, if any)."""
    X, y = _resolve(file_data or {}, data)
    X, y = as_array("X", X), as_array("y", y)
    if y.ndim == 1:
        y = y[:, None]
    widths = f"this network's {n_in} inputs and {n_out} outputs"
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ParameterError(f"X must have shape (n_samples, {n_in}) for {widths}; got {X.shape}")
    if y.ndim != 2 or y.shape[1] != n_out:
        raise ParameterError(
            f"y must have shape (n_samples, {n_out}) for {widths} (one column per output); "
            f"got {y.shape}: does the task match the network?"
        )
    if len(X) != len(y) or len(X) == 0:
        raise ParameterError(f"X and y need the same, nonzero number of samples; got {len(X)} and {len(y)}")
    N = len(X)
    c = max(0, int(threshold * N) - 2)
    while c <= N and not c / N > threshold:  # the original's rule: correct / N > threshold, in floats
        c += 1
    rows, inverse = np.unique(X, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    targets = []
    for r in range(len(rows)):
        ys, counts = np.unique(y[inverse == r], axis=0, return_counts=True)
        targets.append([(t.astype(np.float64), int(k)) for t, k in zip(ys, counts)])
    return _Data(X, y, rows.astype(np.float64), targets, c)
