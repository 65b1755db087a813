"""Exercise check of chapter 9: read an honest ladder.

``first_unique_rung(rungs)`` returns the label of the first rung whose count is exactly 1 (the
first criterion under which this kind of explanation is identifiable), or ``None``.

Example
-------
>>> print(check_first_unique_rung(first_unique_rung))
correct: all 5 cases pass.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import Case, Feedback, Mistake, verify

__all__ = ["first_unique_rung", "check_first_unique_rung"]


def first_unique_rung(rungs: Sequence[tuple]) -> str | None:
    """Label of the first rung (top to bottom) with exactly one explanation, else ``None``."""
    for label, count, *_ in rungs:
        if count == 1:
            return label
    return None


def _at_most_one(rungs):
    for label, count, *_ in rungs:
        if count <= 1:
            return label
    return None


def _the_count(rungs):
    for _, count, *_ in rungs:
        if count == 1:
            return count
    return None


def _last(rungs):
    found = None
    for label, count, *_ in rungs:
        if count == 1:
            found = label
    return found


_CASES = [
    Case("a ladder that reaches one", ([("paper", 120, "paper"), ("merged", 15, "artefact-free"),
                                        ("strict", 1, "strict")],)),
    Case("a ladder that never reaches one", ([("paper", 56, "paper"), ("classes", 6, "artefact-free")],)),
    Case("a ladder that falls to zero", ([("paper", 10, "paper"), ("joint", 0, "strict"), ("x", 1, "strict")],)),
    Case("one already at the top", ([("paper", 1, "paper"), ("strict", 1, "strict")],)),
    Case("rungs without kinds", ([("a", 3), ("b", 1), ("c", 1)],)),
]
_MISTAKES = [
    Mistake(_at_most_one, "a count of 0 means no explanation survives at all, which is not identifiability: "
                          "look for exactly one."),
    Mistake(_the_count, "return the rung's label (what was counted), not its count."),
    Mistake(_last, "the ladder is read from the paper's count down: return the first rung that reaches one."),
]


def check_first_unique_rung(student: Callable[[Sequence[tuple]], str | None]) -> Feedback:
    """Check ``first_unique_rung`` on ladders that reach one, never do, fall to zero, or start at one."""
    return verify(student, first_unique_rung, _CASES, _MISTAKES, name="first_unique_rung")
