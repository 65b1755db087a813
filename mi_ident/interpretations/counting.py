"""Counting without listing: a dynamic program over layers.

Given its parents' tables, each neuron's number of choices is a product factor, so a
dynamic program whose state is the truth tables of one layer sums the products.
:func:`count_interpretations` counts gate completions too (the paper's "groundings");
:func:`count_assignments` counts consistent threshold choices only.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Sequence

import numpy as np

from .gates import _n_gates
from .problem import _Problem, _problems

__all__ = ["count_interpretations", "interpretation_counts", "count_assignments", "assignment_counts"]


@lru_cache(maxsize=1 << 14)
def _factor(
    tables: tuple[int, ...], parent_tables: tuple[tuple[int, ...], ...], n_rows: int, mode: str, indicator: bool,
) -> np.ndarray:
    """Gate counts of one neuron, an array ``[parent 1 choice, ..., parent k choice, own choice]``."""
    shape = [len(t) for t in parent_tables] + [len(tables)]
    out = np.zeros(shape, dtype=object)
    for combo in itertools.product(*(range(n) for n in shape[:-1])):
        parents = tuple(t[c] for t, c in zip(parent_tables, combo))
        for c, table in enumerate(tables):
            n = _n_gates(table, parents, n_rows, mode)
            out[combo + (c,)] = min(n, 1) if indicator else n
    out.setflags(write=False)
    return out


def _count(problem: _Problem, indicator: bool = False) -> int:
    """Sum over all consistent table choices of the product of per-neuron gate counts.

    ``f`` holds one axis per neuron of the previous layer: the number of (partial)
    interpretations of the layers so far for each joint choice of that layer's tables.
    A layer's neurons only depend on the previous layer, so each step multiplies ``f``
    by one factor per neuron and sums out the previous layer. With ``indicator`` each
    factor is 1 where at least one gate is allowed: the sum counts threshold choices.
    """
    neurons = problem.neurons
    prev: tuple[int, ...] = ()
    f = np.ones((), dtype=object)
    for layer in problem.layers:
        k = len(prev)
        total = f.reshape(f.shape + (1,) * len(layer))
        for pos, i in enumerate(layer):
            neuron = neurons[i]
            tables = tuple(t for _, t in neuron.candidates)
            if not neuron.checked:
                factor = np.ones(len(tables), dtype=object)
                axes: list[int] = []
            else:
                factor = _factor(
                    tables, tuple(tuple(t for _, t in neurons[p].candidates) for p in neuron.parents),
                    problem.n_rows, problem.mode, indicator,
                )
                axes = [prev.index(p) for p in neuron.parents]
            shape = [1] * (k + len(layer))
            for a, n in zip(axes, factor.shape[:-1]):
                shape[a] = n
            shape[k + pos] = factor.shape[-1]
            # parents appear in index order, as the axes of f do, so a reshape places them
            total = total * factor.reshape(shape)
        f = np.asarray(total.sum(axis=tuple(range(k))) if k else total, dtype=object)
        prev = layer
    return int(f.sum())


def _as_array(counts: list[int]) -> np.ndarray:
    if all(c < 2**63 for c in counts):
        return np.array(counts, dtype=np.int64)
    return np.array(counts, dtype=object)


def _counts(model, circuits, X, mode, progress, indicator, min_gap) -> np.ndarray:
    from tqdm.auto import tqdm

    circuits = list(circuits)
    problems = _problems(model, circuits, X, mode, min_gap) if circuits else []
    return _as_array([_count(p, indicator) for p in tqdm(problems, disable=not progress, desc="counting")])


def count_interpretations(model, circuit, X=None, mode: str = "corrected", min_gap: float = 0.0) -> int:
    """Number of interpretations of ``circuit``: a threshold and a local gate for every neuron.

    This is the paper's count ("groundings"): it multiplies every consistent threshold
    assignment by the completions of parent patterns that never occur, so it is
    dominated by don't-cares (see :func:`~mi_ident.interpretations.completion_counts`);
    :func:`~mi_ident.interpretations.count_readings` is the honest count.
    ``X`` holds the input rows to read the neurons on (the grounding set ``X_ground``
    in paper mode; every Boolean row when None). ``min_gap`` (corrected mode only;
    default 0, every distinct value a level) joins values closer than it into one level.

    >>> from mi_ident.model import MLP
    >>> from mi_ident.circuits import Circuit
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 0], [1]],
    ...                        "edge_masks": [[[1, 1], [0, 0]], [[1, 0]]]})
    >>> count_interpretations(MLP([2, 2, 1], seed=0), c) >= count_assignments(MLP([2, 2, 1], seed=0), c)
    True
    """
    return _count(_problems(model, [circuit], X, mode, min_gap)[0])


def interpretation_counts(model, circuits: Sequence, X=None, mode: str = "corrected", progress: bool = False,
                          min_gap: float = 0.0) -> np.ndarray:
    """:func:`count_interpretations` for many circuits (one memoised forward pass), as an array.

    The array is int64, or of Python ints (dtype object) if a count does not fit.
    """
    return _counts(model, circuits, X, mode, progress, False, min_gap)


def count_assignments(model, circuit, X=None, mode: str = "corrected", min_gap: float = 0.0) -> int:
    """Number of consistent threshold choices (one truth table per neuron), don't-cares ignored.

    Each has at least one allowed local gate per neuron. Distinct thresholds of a neuron
    give distinct tables, so this is also the number of distinct input-level readings of
    the circuit (:func:`~mi_ident.interpretations.count_readings`, which applies the gap
    rule by default; this function's default ``min_gap=0`` keeps every threshold).
    """
    return _count(_problems(model, [circuit], X, mode, min_gap)[0], indicator=True)


def assignment_counts(model, circuits: Sequence, X=None, mode: str = "corrected", progress: bool = False,
                      min_gap: float = 0.0) -> np.ndarray:
    """:func:`count_assignments` for many circuits, as an array."""
    return _counts(model, circuits, X, mode, progress, True, min_gap)
