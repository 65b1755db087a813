"""The exercise machinery: coercion in `same`, and `verify`'s verdicts and messages."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mi_ident.exercises import Case, Feedback, Mistake, same, verify

SECRET = 987654321  # an answer no message may show


@pytest.mark.parametrize("a, b", [
    ("69", 69), (" 69 ", 69.0), ("2.5", 2.5), ([1, 2], (1, 2)), ([[1, 2], [3]], ((1, 2), (3,))),
    (np.array([1.0, 2.0]), [1, 2]), (torch.tensor([1, 2]), (1, 2)), (np.int64(3), 3), (np.float32(0.1), 0.1),
    (0.1 + 0.2, 0.3), (True, 1), ({"a": [1, 2]}, {"a": (1, 2)}), ({1, 2}, frozenset({2, 1})), ("XOR", "XOR"),
    (torch.tensor(7), "7"),
])
def test_same_coerces(a, b):
    assert same(a, b) and same(b, a)


@pytest.mark.parametrize("a, b", [
    ("69", 68), ([1, 2], (1, 2, 3)), ([1, 2], (2, 1)), (np.array([1.0, 2.0]), [1.0, 2.1]), (np.ones(2), np.ones(3)),
    ({"a": 1}, {"b": 1}), ("XOR", "xor"), (1.0, 1.01), (True, 0), ("abc", 3), (None, 0),
])
def test_same_tells_different_values_apart(a, b):
    assert not same(a, b) and not same(b, a)


CASES = [Case("n = 1", (1,)), Case("n = 2", (2,)), Case("n = 3", (3,))]


def reference(n):
    return SECRET * n


def test_correct_only_when_every_case_passes():
    assert verify(reference, reference, CASES).passed
    wrong_last = verify(lambda n: SECRET * n if n < 3 else 0, reference, CASES)
    assert not wrong_last.passed and "n = 3" in wrong_last.message and "correct" not in wrong_last.message
    ok = verify(lambda n: str(SECRET * n), reference, CASES)  # a string of the right number is right
    assert ok.passed and ok.message == "correct: all 3 cases pass." and bool(ok) and str(ok) == ok.message


def test_lists_and_tuples_are_the_same_answer():
    cases = [Case("x", (3,))]
    assert verify(lambda n: [n, n + 1], lambda n: (n, n + 1), cases).passed
    assert verify(lambda n: np.array([n, n + 1]), lambda n: [n, n + 1], cases).passed


def test_messages_never_show_the_expected_value():
    students = [lambda n: 0, lambda n: [0, 1], lambda n: "nope", lambda n: 1 / 0, lambda n: SECRET * n + 12345]
    mistakes = [Mistake(lambda n: SECRET * n + 12345, "off by one")]
    for student in students:
        feedback = verify(student, reference, CASES, mistakes)
        assert not feedback.passed
        for case in CASES:
            assert str(reference(*case.args)) not in feedback.message
            assert f"{reference(*case.args):,}" not in feedback.message


def test_known_mistake_gets_its_hint_and_unknown_gets_none():
    mistakes = [Mistake(lambda n: SECRET * n + 12345, "HINT-A"), Mistake(lambda n: -SECRET * n, "HINT-B")]
    assert "HINT-B" in verify(lambda n: -SECRET * n, reference, CASES, mistakes).message
    assert "HINT-A" in verify(lambda n: SECRET * n + 12345, reference, CASES, mistakes).message
    plain = verify(lambda n: 5, reference, CASES, mistakes).message
    assert "Hint" not in plain and "not right" in plain


def test_large_integers_compare_exactly():
    assert not same(SECRET + 1, SECRET)


def test_a_mistake_equal_to_the_answer_on_a_case_gives_no_hint_there():
    # the "mistake" agrees with the reference on n = 1; the student fails there differently
    mistakes = [Mistake(lambda n: SECRET if n == 1 else 0, "HINT")]
    assert "HINT" not in verify(lambda n: SECRET if n == 1 else -1, reference, CASES, mistakes).message


def test_a_mistake_that_raises_is_skipped():
    mistakes = [Mistake(lambda n: 1 / 0, "HINT-RAISES"), Mistake(lambda n: 0, "HINT-ZERO")]
    assert "HINT-ZERO" in verify(lambda n: 0, reference, CASES, mistakes).message


def test_errors_are_reported_not_raised():
    feedback = verify(lambda n: {}[n], reference, CASES)
    assert not feedback.passed and "KeyError" in feedback.message and "n = 1" in feedback.message


def test_a_stub_gets_a_reminder_not_a_failure():
    def stub(n):
        raise NotImplementedError

    feedback = verify(stub, reference, CASES)
    assert isinstance(feedback, Feedback)
    assert not feedback.passed and not feedback.implemented and "not implemented yet" in feedback.message
    assert verify(reference, reference, CASES).implemented


def test_shape_and_type_notes_describe_without_values():
    shape = verify(lambda n: [1, 2], lambda n: [SECRET, SECRET, SECRET], CASES).message
    assert "shape (2,)" in shape and str(SECRET) not in shape
    kind = verify(lambda n: "abc", reference, CASES).message
    assert "str" in kind and str(SECRET) not in kind


def test_a_ragged_answer_gets_a_message_not_a_crash():
    feedback = verify(lambda: (np.zeros(2), np.zeros(3)), lambda: (np.zeros(2), np.ones(3)), [Case("ragged")])
    assert not feedback.passed and "not right" in feedback.message


def test_pandas_answers_compare_by_value_and_nan_equals_nan():
    import pandas as pd

    assert same(pd.Series([1.0, float("nan")], index=[2, 3]), pd.Series([1.0, float("nan")], index=[2, 3]))
    assert not same(pd.Series([1.0, 2.0], index=[2, 3]), pd.Series([1.0, 2.5], index=[2, 3]))
    assert not same(pd.Series([1.0], index=[2]), pd.Series([1.0], index=[3]))
