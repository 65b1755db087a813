"""Datasets drawn from a Boolean task.

Two ways to make data:

* :func:`make_dataset` — each truth-table row repeated ``n_repeats`` times (or,
  with ``input_probs``, rows drawn from a skewed distribution), optional
  Gaussian noise on the inputs, shuffled with an explicit seed.
* :func:`paper_datasets` — the exact draws of the paper's original code for a
  seed offset, including its RNG ordering (offsets 0 and 1 share their data).

Example
-------
>>> from mi_ident.boolean import make_task
>>> ds = make_dataset(make_task("XOR"), n_repeats=2, seed=0)
>>> tuple(ds.X.shape), tuple(ds.y.shape)
((8, 2), (8, 1))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from .errors import ParameterError
from .boolean import Task, make_task


@dataclass(frozen=True)
class Dataset:
    """Inputs ``X`` (n x n_inputs) and targets ``y`` (n x n_outputs), float32 tensors."""

    X: torch.Tensor
    y: torch.Tensor

    def __len__(self) -> int:
        return len(self.X)

    def numpy(self) -> tuple[np.ndarray, np.ndarray]:
        return self.X.numpy(), self.y.numpy()


def _check_probs(input_probs: Sequence[float], n_rows: int) -> np.ndarray:
    p = np.asarray(input_probs, dtype=np.float64)
    if p.shape != (n_rows,):
        raise ParameterError(f"input_probs needs one probability per truth-table row ({n_rows}); got {p.shape[0] if p.ndim else p}")
    if (p < 0).any() or not np.isclose(p.sum(), 1.0):
        raise ParameterError(f"input_probs must be non-negative and sum to 1; got {p.tolist()}")
    return p / p.sum()


def make_dataset(
    task: Task | str | Sequence,
    n_repeats: int = 1000,
    noise_std: float = 0.0,
    input_probs: Sequence[float] | None = None,
    seed: int = 0,
    label_noise: float = 0.0,
) -> Dataset:
    """Sample a dataset from ``task``.

    Parameters
    ----------
    n_repeats:
        Each row appears ``n_repeats`` times (balanced). With ``input_probs``,
        ``n_repeats * 2**n_inputs`` rows are drawn i.i.d. with those probabilities.
    noise_std:
        Standard deviation of Gaussian noise added to the inputs (targets stay exact).
    seed:
        The only source of randomness: same arguments, same data.
    label_noise:
        Fraction of targets flipped (0 -> 1, 1 -> 0): ``round(label_noise * n)`` samples chosen
        at random, independently for each output. The inputs and their noise are drawn first,
        so the same seed gives the same inputs with or without label noise.

    >>> clean = make_dataset("AND", n_repeats=25, seed=0)
    >>> noisy = make_dataset("AND", n_repeats=25, seed=0, label_noise=0.1)
    >>> int((clean.y != noisy.y).sum()), bool((clean.X == noisy.X).all())
    (10, True)
    """
    task = make_task(task)
    if int(n_repeats) < 1:
        raise ParameterError(f"n_repeats must be at least 1; got {n_repeats}")
    if noise_std < 0:
        raise ParameterError(f"noise_std must be >= 0; got {noise_std}")
    if not 0 <= label_noise <= 1:
        raise ParameterError(f"label_noise is a fraction of flipped targets in [0, 1]; got {label_noise}")
    rng = np.random.default_rng(seed)
    n_rows = len(task.table)
    if input_probs is None:
        rows = rng.permutation(np.repeat(np.arange(n_rows), int(n_repeats)))
    else:
        rows = rng.choice(n_rows, size=int(n_repeats) * n_rows, p=_check_probs(input_probs, n_rows))
    X = task.inputs[rows].astype(np.float32)
    if noise_std > 0:
        X = X + rng.normal(0.0, noise_std, size=X.shape).astype(np.float32)
    y = task.table[rows].astype(np.float32)
    if label_noise > 0:  # drawn last, so that clean and noisy data share their inputs
        n_flip = int(round(label_noise * len(y)))
        for j in range(y.shape[1]):
            flip = rng.choice(len(y), size=n_flip, replace=False)
            y[flip, j] = 1.0 - y[flip, j]
    return Dataset(torch.from_numpy(X), torch.from_numpy(y))


@dataclass(frozen=True)
class PaperData:
    """The three datasets of the original code: training, evaluation, grounding."""

    train: Dataset
    eval: Dataset
    ground: Dataset


def paper_datasets(
    task: Task | str | Sequence,
    seed_offset: int = 0,
    n_samples_train: int = 1000,
    n_samples_val: int = 50,
    n_repeats_grounding: int = 10,
) -> PaperData:
    """Reproduce the original code's noise-free data for a seed offset.

    The original draws, after ``np.random.seed(max(seed_offset - 1, 0))``, the
    grounding set, then the training set, then the evaluation set, each as
    uniform i.i.d. indices into the truth-table rows. (The seeding happens at
    the end of the previous offset's run, hence offsets 0 and 1 share data.)
    """
    task = make_task(task)
    n_rows = len(task.table)
    rng = np.random.RandomState(max(int(seed_offset) - 1, 0))
    p = np.full(n_rows, 1.0 / n_rows)
    sets = []
    for n in (n_repeats_grounding, n_samples_train, n_samples_val):
        rows = rng.choice(n_rows, size=n_rows * n, p=p)
        X = task.inputs[rows].astype(np.float32)
        y = task.table[rows].astype(np.float32)
        sets.append(Dataset(torch.from_numpy(X), torch.from_numpy(y)))
    ground, train, evaluation = sets
    return PaperData(train=train, eval=evaluation, ground=ground)
