"""Readings: what each neuron computes from the network inputs, once per distinct answer.

A **reading** of a circuit is a dictionary ``neuron -> truth table over the input rows``
for every interpreted neuron, coming from a consistent threshold assignment. Two
interpretations with the same table on every neuron are one reading: they differ only
in how a local gate fills parent patterns that never occur (don't-cares), which no
input can tell apart. Distinct thresholds of a neuron give distinct tables, so the
readings of one circuit are its consistent threshold assignments, counted under the
gap rule (:data:`DEFAULT_MIN_GAP`) by default.

Across circuits, two readings are the same when they interpret the same neurons with
the same tables (a neuron left out, because it is outside the circuit or constant on
the rows, is simply not in the dictionary). :func:`distinct_readings` collects them.

Don't-cares are reported apart (:func:`dont_cares`, :func:`completion_counts`): the
paper's count is ``sum over readings of completions``, never a count of readings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .._validation import check_int, check_size
from .counting import _as_array, _count, _counts
from .gates import _local, _n_gates, input_gate_label
from .listing import _table_choices
from .problem import DEFAULT_MIN_GAP, Node, _Problem, _problems

__all__ = [
    "Reading",
    "iter_readings",
    "count_readings",
    "reading_counts",
    "distinct_readings",
    "count_distinct_readings",
    "DontCares",
    "dont_cares",
    "completion_counts",
    "MAX_READINGS",
]

#: Most readings :func:`distinct_readings` lists before refusing (checked before any listing).
MAX_READINGS = 2_000_000


@dataclass(frozen=True)
class Reading(Mapping):
    """One reading: a mapping ``neuron -> truth table`` over :attr:`rows` (input counting order).

    >>> r = Reading(((0, 0), (0, 1), (1, 0), (1, 1)), (((1, 0), (0, 1, 1, 1)), ((2, 0), (0, 1, 1, 0))))
    >>> r[(2, 0)], r.labels()
    ((0, 1, 1, 0), {(1, 0): 'OR(A,B)', (2, 0): 'XOR(A,B)'})
    """

    rows: tuple[tuple[int, ...], ...]
    tables: tuple[tuple[Node, tuple[int, ...]], ...]  # sorted by neuron

    def __getitem__(self, node: Node) -> tuple[int, ...]:
        return dict(self.tables)[tuple(node)]

    def __iter__(self) -> Iterator[Node]:
        return (node for node, _ in self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def __hash__(self) -> int:
        return hash((self.rows, self.tables))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reading) and (self.rows, self.tables) == (other.rows, other.tables)

    def labels(self, input_names=("A", "B")) -> dict[Node, str]:
        """Each neuron's function of the inputs, e.g. ``"XOR(A,B)"`` (its table when partial)."""
        return {node: input_gate_label(t, self.rows, input_names) for node, t in self.tables}


def _reading(problem: _Problem, choice: Sequence[int]) -> Reading:
    tables = tuple(
        (n.node, tuple((n.candidates[c][1] >> r) & 1 for r in range(problem.n_rows)))
        for n, c in zip(problem.neurons, choice) if n.node[0] > 0
    )
    return Reading(problem.rows, tuple(sorted(tables)))


def iter_readings(model, circuit, X=None, mode: str = "corrected", min_gap: float = DEFAULT_MIN_GAP
                  ) -> Iterator[Reading]:
    """Every distinct reading of ``circuit``, lazily (first neuron's threshold varying slowest).

    ``min_gap`` joins values closer than it into one level (corrected mode; paper mode
    ignores it); ``min_gap=0`` keeps every threshold between distinct values.
    """
    problem = _problems(model, [circuit], X, mode, min_gap)[0]
    return (_reading(problem, choice) for choice in _table_choices(problem))


def count_readings(model, circuit, X=None, mode: str = "corrected", min_gap: float = DEFAULT_MIN_GAP) -> int:
    """Number of distinct readings of ``circuit`` (a dynamic program; nothing is listed).

    >>> from mi_ident.model import MLP
    >>> from mi_ident.circuits import Circuit
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
    ...                        "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
    >>> count_readings(MLP([2, 2, 1], seed=0), c) == len(set(iter_readings(MLP([2, 2, 1], seed=0), c)))
    True
    """
    return _count(_problems(model, [circuit], X, mode, min_gap)[0], indicator=True)


def reading_counts(model, circuits: Sequence, X=None, mode: str = "corrected", progress: bool = False,
                   min_gap: float = DEFAULT_MIN_GAP) -> np.ndarray:
    """:func:`count_readings` for many circuits (one memoised forward pass), as an array."""
    return _counts(model, circuits, X, mode, progress, True, min_gap)


def distinct_readings(model, circuits: Sequence, X=None, mode: str = "corrected",
                      min_gap: float = DEFAULT_MIN_GAP, max_readings: int = MAX_READINGS) -> list[Reading]:
    """The distinct readings of a set of circuits, in order of first appearance.

    Readings of different circuits are the same when they interpret the same neurons
    with the same tables. Refuses (:class:`~mi_ident.errors.TooLargeError`) before
    listing when the circuits have more than ``max_readings`` readings in total.
    """
    circuits = list(circuits)
    max_readings = check_int("max_readings", max_readings, minimum=1)
    problems = _problems(model, circuits, X, mode, min_gap) if circuits else []
    total = sum(_count(p, indicator=True) for p in problems)
    check_size("readings to list", total, max_readings,
               "pass fewer circuits, a larger min_gap, or raise max_readings")
    seen: dict[Reading, None] = {}
    for p in problems:
        for choice in _table_choices(p):
            seen.setdefault(_reading(p, choice))
    return list(seen)


def count_distinct_readings(model, circuits: Sequence, X=None, mode: str = "corrected",
                            min_gap: float = DEFAULT_MIN_GAP, max_readings: int = MAX_READINGS) -> int:
    """Number of distinct readings over a set of circuits (see :func:`distinct_readings`)."""
    return len(distinct_readings(model, circuits, X, mode, min_gap, max_readings))


@dataclass(frozen=True)
class DontCares:
    """Where a circuit's interpretations come from: readings times don't-care completions.

    ``per_reading[i] = (unobserved, completions)`` for the ``i``-th reading of
    :func:`iter_readings` (same ``min_gap``): the number of (neuron, parent pattern)
    pairs that never occur, and the local-gate completions they allow (``2**unobserved``
    in corrected mode; paper mode drops XOR/XNOR completions). ``unobserved_by_neuron``
    gives each neuron's largest number of unobserved parent patterns.
    """

    readings: int
    interpretations: int
    per_reading: tuple[tuple[int, int], ...]
    unobserved_by_neuron: dict

    @property
    def completions(self) -> int:
        """Interpretations that differ from another one only on parent patterns that never occur."""
        return self.interpretations - self.readings


def dont_cares(model, circuit, X=None, mode: str = "corrected", min_gap: float = 0.0,
               max_readings: int = 100_000) -> DontCares:
    """Explain a circuit's interpretation count: each reading and its don't-care completions.

    ``min_gap`` defaults to 0, as :func:`count_interpretations` does, so
    ``interpretations`` equals it.

    >>> from mi_ident.model import MLP
    >>> from mi_ident.circuits import Circuit
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
    ...                        "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
    >>> d = dont_cares(MLP([2, 2, 1], seed=0), c)
    >>> d.interpretations == sum(n for _, n in d.per_reading) and len(d.per_reading) == d.readings
    True
    """
    problem = _problems(model, [circuit], X, mode, min_gap)[0]
    max_readings = check_int("max_readings", max_readings, minimum=1)
    n = _count(problem, indicator=True)
    check_size("readings to explain", n, max_readings, "pass a smaller circuit or raise max_readings")
    neurons = problem.neurons
    per_reading, worst = [], {}
    for choice in _table_choices(problem):
        unobserved, completions = 0, 1
        for i, neuron in enumerate(neurons):
            if not neuron.checked:
                continue
            table = neuron.candidates[choice[i]][1]
            parents = tuple(neurons[p].candidates[choice[p]][1] for p in neuron.parents)
            missing = len(_local(table, parents, problem.n_rows)[1])
            unobserved += missing
            completions *= _n_gates(table, parents, problem.n_rows, problem.mode)
            if neuron.node[0] > 0:
                worst[neuron.node] = max(worst.get(neuron.node, 0), missing)
        per_reading.append((unobserved, completions))
    return DontCares(n, _count(problem), tuple(per_reading), worst)


def completion_counts(model, circuits: Sequence, X=None, mode: str = "corrected", min_gap: float = 0.0
                      ) -> np.ndarray:
    """Per circuit, interpretations minus readings: the count that don't-cares add.

    ``interpretation_counts == reading_counts(min_gap=...) + completion_counts`` at the same ``min_gap``.
    """
    circuits = list(circuits)
    problems = _problems(model, circuits, X, mode, min_gap) if circuits else []
    return _as_array([_count(p) - _count(p, indicator=True) for p in problems])
