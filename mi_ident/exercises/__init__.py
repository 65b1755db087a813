"""Exercise checks for the chapters: run the student's function, say what is wrong, give a hint.

Each chapter has a module (``ch01``, ``ch03``, ...) with one ``check_*`` function per
exercise. A check runs the student's function on several small cases, compares with a
reference solution, and recognises the mistakes students actually make (each with its
own hint). It never shows the expected value, and says "correct" only when every case
passes. Results are coerced before comparing: ``"69"`` equals ``69``, a list equals a
tuple, arrays and tensors compare by value (to a tolerance for floats).

A stub that still raises :class:`NotImplementedError` gets a friendly reminder, not a
failure, so the committed notebooks (whose stubs are empty) run cleanly.

Example
-------
>>> def reference(n): return n * (n + 1) // 2
>>> def off_by_one(n): return n * (n - 1) // 2
>>> cases = [Case("n = 3", (3,)), Case("n = 10", (10,))]
>>> mistakes = [Mistake(off_by_one, "count from 1 to n, both ends included")]
>>> verify(lambda n: n * (n - 1) // 2, reference, cases, mistakes).passed
False
>>> print(verify(lambda n: str(n * (n + 1) // 2), reference, cases, mistakes))
correct: all 2 cases pass.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Case", "Mistake", "Feedback", "verify", "same"]


@dataclass(frozen=True)
class Case:
    """One input to try: a readable name, positional and keyword arguments."""

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation and the hint to give when a student's answers match it."""

    solution: Callable[..., Any]
    hint: str


@dataclass(frozen=True)
class Feedback:
    """The verdict of a check: ``passed`` and a message for the student."""

    passed: bool
    message: str
    implemented: bool = True

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.passed


def _plain(value: Any) -> Any:
    """Tensors and arrays to numpy, strings of numbers to numbers, sequences to tuples."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if hasattr(value, "to_dict") and hasattr(value, "index"):  # a pandas Series or DataFrame
        value = value.to_dict()
    if isinstance(value, str):
        text = value.strip()
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return text
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_plain(v) for v in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def same(a: Any, b: Any, tol: float = 1e-6) -> bool:
    """Equal after coercion (numbers to a relative tolerance, arrays elementwise)."""
    a, b = _plain(a), _plain(b)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        except (TypeError, ValueError):
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, numbers.Integral) and isinstance(b, numbers.Integral):
        return a == b  # counts compare exactly: 987654322 is not 987654321
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)  # "no value" in both answers
        return abs(a - b) <= tol * max(1.0, abs(a), abs(b))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], tol) for k in a)
    return a == b


def _call(fn: Callable[..., Any], case: Case) -> tuple[Any, BaseException | None]:
    try:
        return fn(*case.args, **case.kwargs), None
    except NotImplementedError:
        raise
    except Exception as exc:  # the student's code may fail in any way: report it, do not crash
        return None, exc


def verify(
    student: Callable[..., Any],
    reference: Callable[..., Any],
    cases: Sequence[Case],
    mistakes: Sequence[Mistake] = (),
    name: str | None = None,
    tol: float = 1e-6,
) -> Feedback:
    """Run ``student`` and ``reference`` on every case; the first failing case decides the message.

    The message names the case and, when the student's answer matches a known mistake on it,
    that mistake's hint; otherwise it describes the difference (type, shape) without the
    expected value.
    """
    label = name or getattr(student, "__name__", "your function")
    for case in cases:
        try:
            got, error = _call(student, case)
        except NotImplementedError:
            return Feedback(False, f"`{label}` is not implemented yet (it raises NotImplementedError): "
                                   f"write it above, then run this cell again.", implemented=False)
        expected = reference(*case.args, **case.kwargs)
        if error is not None:
            return Feedback(False, f"not yet: on {case.name}, `{label}` raised "
                                   f"{type(error).__name__}: {error}")
        if same(got, expected, tol):
            continue
        for mistake in mistakes:
            try:
                wrong = mistake.solution(*case.args, **case.kwargs)
            except Exception:
                continue
            if same(got, wrong, tol) and not same(wrong, expected, tol):
                return Feedback(False, f"not yet: on {case.name} your answer looks like a common mistake. "
                                       f"Hint: {mistake.hint}")
        return Feedback(False, f"not yet: on {case.name} your answer is not right{_shape_note(got, expected)}.")
    return Feedback(True, f"correct: all {len(cases)} cases pass.")


def _shape(value: Any) -> tuple | None:
    """The array shape of ``value``, or None where it has none (dicts, ragged tuples)."""
    if isinstance(value, dict):
        return None
    try:
        return np.shape(value)
    except ValueError:  # a tuple of arrays of different shapes
        return None


def _article(name: str) -> str:
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _shape_note(got: Any, expected: Any) -> str:
    g, e = _plain(got), _plain(expected)
    if type(g) is not type(e) and not (isinstance(g, numbers.Real) and isinstance(e, numbers.Real)):
        return f" (you returned {_article(type(got).__name__)}; {_article(type(expected).__name__)} is expected)"
    shape_g, shape_e = _shape(g), _shape(e)
    if shape_g is not None and shape_e is not None and shape_g != shape_e:
        return f" (shape {shape_g}; the answer has shape {shape_e})"
    return ""
