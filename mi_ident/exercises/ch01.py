"""Exercise checks of chapter 1 (Boolean functions), and the reference solutions they use.

Conventions (shared by every ``chNN`` module):

* one ``check_<exercise>(student)`` per exercise; it takes the student's function, runs it
  on every case with :func:`mi_ident.exercises.verify` and returns a
  :class:`~mi_ident.exercises.Feedback` (shown as one line in a notebook);
* the reference solution is a public function with the exercise's name (``ch01.majority``):
  later cells of a chapter call it, so the chapter runs before the exercise is solved;
* each :class:`~mi_ident.exercises.Mistake` is a real wrong implementation with a hint that
  points at the idea, never at the expected value;
* a stub that still raises ``NotImplementedError`` gets the friendly reminder, after the
  check has verified that the reference passes its own cases (so a committed notebook
  with empty stubs still exercises every check).

Example
-------
>>> print(check_majority(majority))
correct: all 8 cases pass.
>>> print(check_majority(lambda a, b, c: int(a + b + c >= 1)))
not yet: on A, B, C = 0, 0, 1 your answer looks like a common mistake. Hint: majority needs at least two of the three inputs; one is not enough.
"""

from __future__ import annotations

import itertools
from typing import Callable, Sequence

from . import Case, Feedback, Mistake, verify

__all__ = [
    "majority",
    "parity",
    "table_index",
    "is_linearly_separable",
    "check_majority",
    "check_parity",
    "check_table_index",
    "check_is_linearly_separable",
    "run_check",
]


def run_check(student: Callable, reference: Callable, cases: Sequence[Case], mistakes: Sequence[Mistake],
              name: str) -> Feedback:
    """:func:`verify` the student's function; for a stub, first make sure the reference passes."""
    feedback = verify(student, reference, cases, mistakes, name=name)
    if not feedback.implemented:
        self_test = verify(reference, reference, cases, mistakes, name=name)
        if not self_test.passed:  # a bug in this module, not the student's
            raise AssertionError(f"the reference solution of {name} fails its own check: {self_test}")
    return feedback


# -- three-input truth tables --------------------------------------------------------------

_ROWS3 = list(itertools.product([0, 1], repeat=3))
_CASES3 = [Case(f"A, B, C = {a}, {b}, {c}", (a, b, c)) for a, b, c in _ROWS3]


def majority(a: int, b: int, c: int) -> int:
    """1 when at least two of the three inputs are 1."""
    return int(a + b + c >= 2)


def parity(a: int, b: int, c: int) -> int:
    """1 when an odd number of the inputs are 1."""
    return (a + b + c) % 2


def check_majority(student: Callable) -> Feedback:
    """Check ``majority(a, b, c)`` on the 8 rows."""
    mistakes = [
        Mistake(lambda a, b, c: int(a + b + c >= 1), "majority needs at least two of the three inputs; one is not enough."),
        Mistake(lambda a, b, c: int(a + b + c == 3), "two of three is already a majority: you need not have all three."),
        Mistake(lambda a, b, c: int(a + b + c == 2), "three 1s are a majority too: at least two, not exactly two."),
    ]
    return run_check(student, majority, _CASES3, mistakes, "majority")


def check_parity(student: Callable) -> Feedback:
    """Check ``parity(a, b, c)`` on the 8 rows."""
    mistakes = [
        Mistake(lambda a, b, c: int(a + b + c == 1), "three is odd too: parity counts the 1s modulo 2."),
        Mistake(lambda a, b, c: a + b + c, "return a bit (0 or 1), not the number of 1s: what is left modulo 2?"),
        Mistake(lambda a, b, c: 1 - (a + b + c) % 2, "that is even parity: parity is 1 for an *odd* number of 1s."),
    ]
    return run_check(student, parity, _CASES3, mistakes, "parity")


# -- naming a two-input table by its index -------------------------------------------------

_TABLES2 = [tuple(int(c) for c in format(i, "04b")) for i in range(16)]
_INDEX_ORDER = [6, 1, 7, 14, 11, 2, 0, 15, 3, 9, 8, 4, 5, 10, 12, 13]


def table_index(table: Sequence[int]) -> int:
    """The index of a two-input truth table: its outputs on 00, 01, 10, 11 read as a binary
    number, the output on 00 the most significant bit (the paper's naming)."""
    return int("".join(str(int(v)) for v in table), 2)


def check_table_index(student: Callable) -> Feedback:
    """Check ``table_index(table)`` on all 16 tables (given as lists, in a mixed order)."""
    cases = [Case(f"the table {list(_TABLES2[i])}", (list(_TABLES2[i]),)) for i in _INDEX_ORDER]
    mistakes = [
        Mistake(lambda t: int("".join(str(int(v)) for v in t[::-1]), 2),
                "the output on 00 is the most significant bit: read the table left to right."),
        Mistake(lambda t: table_index(t) + 1, "indices start at 0: the all-zero table (FALSE) has index 0."),
        Mistake(lambda t: sum(int(v) for v in t), "count with place values (8, 4, 2, 1), not just the 1s."),
    ]
    return run_check(student, table_index, cases, mistakes, "table_index")


# -- linear separability by trying lines ---------------------------------------------------

_WEIGHTS = range(-2, 3)


def _separable(table: Sequence[int], weights=_WEIGHTS, biases=None) -> bool:
    n = (len(table) - 1).bit_length()
    rows = list(itertools.product([0, 1], repeat=n))
    if biases is None:  # integer weights give integer sums: half-integer biases cover every cut
        biases = [k + 0.5 for k in range(-2 * n - 1, 2 * n + 1)]
    target = [int(v) for v in table]
    for w in itertools.product(weights, repeat=n):
        for b in biases:
            if all(int(sum(wi * xi for wi, xi in zip(w, x)) + b > 0) == t for x, t in zip(rows, target)):
                return True
    return False


def is_linearly_separable(table: Sequence[int]) -> bool:
    """True if one threshold unit ``step(w . x + b)`` computes the table (rows in binary counting
    order, ``len(table) == 2**n``): try integer weights in -2..2 and every bias."""
    return _separable(table)


def check_is_linearly_separable(student: Callable) -> Feedback:
    """Check ``is_linearly_separable(table)`` on the 16 two-input tables and three 3-input ones."""
    cases = [Case(f"the table {list(_TABLES2[i])}", (list(_TABLES2[i]),)) for i in _INDEX_ORDER]
    cases += [Case("3-input majority", ([majority(*r) for r in _ROWS3],)),
              Case("3-input parity", ([parity(*r) for r in _ROWS3],)),
              Case("A and (B xor C)", ([a * (b ^ c) for a, b, c in _ROWS3],))]
    mistakes = [
        Mistake(lambda t: _separable(t, weights=range(0, 3)),
                "some lines need negative weights: a function can be 1 when an input is 0 (think of NOR)."),
        Mistake(lambda t: _separable(t, biases=[0]),
                "a line need not go through the origin: let the bias vary too."),
        Mistake(lambda t: _separable(t[:4]),
                "use every row: a table with n inputs has 2**n rows, and each input gets a weight."),
    ]
    return run_check(student, is_linearly_separable, cases, mistakes, "is_linearly_separable")
