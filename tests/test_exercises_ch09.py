"""Chapter 9's exercise check: the reference passes, each common mistake fails with its own hint,
and no message gives the answer away."""

from __future__ import annotations

from mi_ident.exercises.ch09 import _MISTAKES, check_first_unique_rung, first_unique_rung


def test_the_reference_passes():
    assert check_first_unique_rung(first_unique_rung).passed


def test_each_mistake_fails_with_its_hint():
    for mistake in _MISTAKES:
        feedback = check_first_unique_rung(mistake.solution)
        assert not feedback.passed
        assert mistake.hint in feedback.message


def test_an_empty_stub_gets_a_reminder_not_the_answer():
    def stub(rungs):
        raise NotImplementedError

    feedback = check_first_unique_rung(stub)
    assert not feedback.passed and not feedback.implemented
    assert "strict" not in feedback.message and "not implemented" in feedback.message


def test_a_wrong_answer_without_a_known_mistake_names_the_case_only():
    feedback = check_first_unique_rung(lambda rungs: "paper")
    assert not feedback.passed and "not right" in feedback.message
    assert "strict" not in feedback.message
