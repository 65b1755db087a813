"""Exercise checks of chapter 4 (interpretations), and the reference solutions they use.

Same conventions as :mod:`mi_ident.exercises.ch01`: ``check_<exercise>(student)`` returns a
:class:`~mi_ident.exercises.Feedback`; the reference solution has the exercise's name.

Example
-------
>>> print(check_threshold_tables(threshold_tables))
correct: all 6 cases pass.
>>> print(check_count_local_gates(lambda parent_bits, bits: 16))
not yet: on parents 00, 01, 01, 11 reading 0, 1, 1, 1 your answer looks like a common mistake. Hint: a gate only has to agree with the parent patterns that occur: count the gates that match the observations, not every gate of two inputs.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import Case, Feedback, Mistake
from .ch01 import run_check

__all__ = [
    "MIN_GAP",
    "threshold_tables",
    "count_local_gates",
    "check_threshold_tables",
    "check_count_local_gates",
]

#: The gap rule of the exercise (the library's default, ``DEFAULT_MIN_GAP``).
MIN_GAP = 0.02


# -- candidate truth tables of one neuron --------------------------------------------------


def threshold_tables(values: Sequence[float], min_gap: float = MIN_GAP) -> list[tuple[int, ...]]:
    """Candidate truth tables of a neuron whose activation on input row ``r`` is ``values[r]``.

    Sort the distinct values; a step up of less than ``min_gap`` joins two values into one
    level. Each boundary between two levels is a threshold: the table is 1 on the rows
    whose value belongs to a level above it (``value >= that level's lowest value``).
    Return one table per threshold, thresholds in increasing order.
    """
    levels: list[list[float]] = []
    for v in sorted(set(float(x) for x in values)):
        if levels and v - levels[-1][-1] < min_gap:
            levels[-1].append(v)
        else:
            levels.append([v])
    return [tuple(int(float(x) >= level[0]) for x in values) for level in levels[1:]]


def _every_pair(values, min_gap=MIN_GAP):
    """Mistake: a threshold between every two neighbours of the sorted list, equal values included."""
    s = sorted(float(x) for x in values)
    return [tuple(int(float(x) > (lo + hi) / 2) for x in values) for lo, hi in zip(s, s[1:])]


def _strict(values, min_gap=MIN_GAP):
    """Mistake: ``value > level start`` drops the level's own lowest rows."""
    return [tuple(int(float(x) > t) for x in values) for t in
            [min(v for v, b in zip(values, table) if b) for table in threshold_tables(values, min_gap)]]


def _no_gap(values, min_gap=MIN_GAP):
    """Mistake: every distinct value is its own level."""
    return threshold_tables(values, 0.0)


_TABLE_CASES = [
    Case("values 0.1, 0.9, 0.9, 2.0", ([0.1, 0.9, 0.9, 2.0],)),
    Case("values 0.0, 0.51, 0.39, -0.002 (seed 0, neuron L2.0)", ([0.0, 0.5121, 0.3861, -0.0016],)),
    Case("values -0.0001, 0.681, -0.0069, 0.0005 (seed 0, neuron L1.0)", ([-0.0001, 0.681, -0.0069, 0.0005],)),
    Case("values -0.0046, -0.0102, -0.0103, -0.0022 (seed 0, neuron L2.1)", ([-0.0046, -0.0102, -0.0103, -0.0022],)),
    Case("values 0.3, 0.3, 0.3, 0.3", ([0.3, 0.3, 0.3, 0.3],)),
    Case("values 1.0, 0.5, 0.0, 0.25 with min_gap=0.3", ([1.0, 0.5, 0.0, 0.25],), {"min_gap": 0.3}),
]


def check_threshold_tables(student: Callable) -> Feedback:
    """Check ``threshold_tables(values, min_gap=MIN_GAP)`` on made-up and real neurons."""
    # the gap rule first: without duplicates, a threshold at every step is the same mistake
    mistakes = [
        Mistake(_no_gap, "values closer than min_gap are one level (numerical noise): no threshold "
                         "between them."),
        Mistake(_every_pair, "a threshold between two equal values splits nothing: take the *distinct* "
                             "values (and their levels) before placing thresholds."),
        Mistake(_strict, "a row whose value is the lowest of a level above the threshold is above it too: "
                         "compare with >=, or place the threshold between the levels."),
    ]
    return run_check(student, threshold_tables, _TABLE_CASES, mistakes, "threshold_tables")


# -- local gates consistent with observations ----------------------------------------------


def count_local_gates(parent_bits: Sequence[Sequence[int]], bits: Sequence[int]) -> int:
    """Number of local gates (Boolean functions of the ``k`` parents) that agree with the rows.

    Row ``r`` shows the parents reading ``parent_bits[r]`` and the neuron reading
    ``bits[r]``. A gate must give ``bits[r]`` on pattern ``parent_bits[r]`` for every row;
    a pattern that never occurs can go either way. Two rows with the same parent pattern
    and different neuron bits leave no gate at all.
    """
    k = len(parent_bits[0])
    seen: dict[tuple, int] = {}
    for pattern, bit in zip(map(tuple, parent_bits), bits):
        if seen.setdefault(pattern, int(bit)) != int(bit):
            return 0
    return 2 ** (2**k - len(seen))


def _all_gates(parent_bits, bits):
    return 2 ** (2 ** len(parent_bits[0]))


def _no_dont_cares(parent_bits, bits):
    return min(count_local_gates(parent_bits, bits), 1)


def _no_conflicts(parent_bits, bits):
    return 2 ** (2 ** len(parent_bits[0]) - len({tuple(p) for p in parent_bits}))


_GATE_CASES = [
    Case("parents 00, 01, 01, 11 reading 0, 1, 1, 1", ([(0, 0), (0, 1), (0, 1), (1, 1)], [0, 1, 1, 1])),
    Case("parents 00, 01, 10, 11 reading 0, 1, 1, 0", ([(0, 0), (0, 1), (1, 0), (1, 1)], [0, 1, 1, 0])),
    Case("parents 01, 01, 10, 10 reading 1, 0, 1, 1", ([(0, 1), (0, 1), (1, 0), (1, 0)], [1, 0, 1, 1])),
    Case("one parent reading 0, 0, 0, 0 and the neuron 0, 1, 0, 1", ([(0,), (0,), (0,), (0,)], [0, 1, 0, 1])),
    Case("one parent reading 1, 1, 1, 1 and the neuron 1, 1, 1, 1", ([(1,), (1,), (1,), (1,)], [1, 1, 1, 1])),
    Case("three parents 000, 011, 101, 110 reading 0, 1, 1, 0",
         ([(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)], [0, 1, 1, 0])),
]


def check_count_local_gates(student: Callable) -> Feedback:
    """Check ``count_local_gates(parent_bits, bits)`` on one, two and three parents."""
    mistakes = [
        Mistake(_all_gates, "a gate only has to agree with the parent patterns that occur: count the gates "
                            "that match the observations, not every gate of two inputs."),
        Mistake(_no_dont_cares, "a parent pattern that never occurs is a don't-care: each one doubles the "
                                "number of gates that agree."),
        Mistake(_no_conflicts, "two rows with the same parent pattern but different neuron bits: no gate "
                               "can give both."),
    ]
    return run_check(student, count_local_gates, _GATE_CASES, mistakes, "count_local_gates")
