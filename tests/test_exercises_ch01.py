"""Chapter 1's exercise checks: references pass, each known mistake gets its own hint."""

from __future__ import annotations

import itertools

import pytest

from mi_ident.boolean import TWO_INPUT_NAMES, gate_name
from mi_ident.exercises import ch01
from mi_ident.training import fit_linear

ROWS3 = list(itertools.product([0, 1], repeat=3))


def stub(*args):
    raise NotImplementedError


def test_references_agree_with_the_library():
    assert [ch01.majority(*r) for r in ROWS3] == [0, 0, 0, 1, 0, 1, 1, 1]
    assert [ch01.parity(*r) for r in ROWS3] == [0, 1, 1, 0, 1, 0, 0, 1]
    for i, name in enumerate(TWO_INPUT_NAMES):
        table = [int(c) for c in format(i, "04b")]
        assert TWO_INPUT_NAMES[ch01.table_index(table)] == gate_name(table) == name
        assert ch01.is_linearly_separable(table) == bool(fit_linear(table).separable)
    for code in range(256):  # every 3-input function, against the library's exhaustive fit
        table = [int(c) for c in format(code, "08b")]
        assert ch01.is_linearly_separable(table) == bool(fit_linear(table).separable)


@pytest.mark.parametrize("check, reference", [
    (ch01.check_majority, ch01.majority), (ch01.check_parity, ch01.parity),
    (ch01.check_table_index, ch01.table_index), (ch01.check_is_linearly_separable, ch01.is_linearly_separable),
])
def test_reference_passes_and_stub_gets_a_reminder(check, reference):
    assert check(reference).passed
    feedback = check(stub)
    assert not feedback.passed and not feedback.implemented and "not implemented yet" in feedback.message


def test_other_correct_forms_pass():
    assert ch01.check_majority(lambda a, b, c: (a and b) or (a and c) or (b and c)).passed  # returns bools/ints
    assert ch01.check_parity(lambda a, b, c: a ^ b ^ c).passed
    assert ch01.check_table_index(lambda t: str(8 * t[0] + 4 * t[1] + 2 * t[2] + t[3])).passed  # "6" is 6
    assert ch01.check_table_index(lambda t: sum(v << (3 - k) for k, v in enumerate(tuple(t)))).passed


@pytest.mark.parametrize("student, hint", [
    (lambda a, b, c: int(a + b + c >= 1), "one is not enough"),
    (lambda a, b, c: int(a and b and c), "need not have all three"),
    (lambda a, b, c: int(a + b + c == 2), "at least two, not exactly two"),
])
def test_majority_mistakes(student, hint):
    feedback = ch01.check_majority(student)
    assert not feedback.passed and hint in feedback.message


@pytest.mark.parametrize("student, hint", [
    (lambda a, b, c: int([a, b, c].count(1) == 1), "three is odd too"),
    (lambda a, b, c: a + b + c, "not the number of 1s"),
    (lambda a, b, c: int((a + b + c) % 2 == 0), "even parity"),
])
def test_parity_mistakes(student, hint):
    feedback = ch01.check_parity(student)
    assert not feedback.passed and hint in feedback.message


@pytest.mark.parametrize("student, hint", [
    (lambda t: t[0] + 2 * t[1] + 4 * t[2] + 8 * t[3], "most significant bit"),
    (lambda t: 1 + int("".join(map(str, t)), 2), "indices start at 0"),
    (lambda t: t.count(1), "place values"),
])
def test_table_index_mistakes(student, hint):
    feedback = ch01.check_table_index(student)
    assert not feedback.passed and hint in feedback.message


def lines(table, weights, biases, n=None):
    """A student's search: try every (w, b) in the given ranges on the first 2**n rows."""
    n = n or (len(table) - 1).bit_length()
    rows = list(itertools.product([0, 1], repeat=n))
    return any(all((sum(wi * xi for wi, xi in zip(w, x)) + b > 0) == bool(t) for x, t in zip(rows, table))
               for w in itertools.product(weights, repeat=n) for b in biases)


@pytest.mark.parametrize("student, hint", [
    (lambda t: lines(t, range(0, 3), [k / 2 for k in range(-9, 10)]), "negative weights"),
    (lambda t: lines(t, range(-2, 3), [0]), "through the origin"),
    (lambda t: lines(t, range(-2, 3), [k / 2 for k in range(-9, 10)], n=2), "use every row"),
])
def test_is_linearly_separable_mistakes(student, hint):
    feedback = ch01.check_is_linearly_separable(student)
    assert not feedback.passed and hint in feedback.message


def test_messages_do_not_reveal_answers():
    for check, student in [(ch01.check_table_index, lambda t: -1), (ch01.check_majority, lambda a, b, c: 7)]:
        message = check(student).message
        assert "not right" in message and "expected" not in message.lower()
