"""Chapter 3's exercise checks: references pass, every listed mistake gets its own hint,
no message reveals an expected value, and the references agree with independent code."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
import torch

from mi_ident.circuits import census
from mi_ident.exercises import ch03
from mi_ident.model import MLP

EXERCISES = [
    (ch03.check_masked_forward, ch03.masked_forward, ch03._forward_cases, ch03._FORWARD_MISTAKES),
    (ch03.check_count_valid_circuits, ch03.count_valid_circuits, ch03._census_cases, ch03._CENSUS_MISTAKES),
    (ch03.check_edge_blocks, ch03.n_edge_blocks, ch03._block_cases, ch03._BLOCK_MISTAKES),
]
IDS = ["masked_forward", "count_valid_circuits", "n_edge_blocks"]


@pytest.mark.parametrize("check, reference, _cases, _mistakes", EXERCISES, ids=IDS)
def test_reference_passes_and_stub_gets_a_reminder(check, reference, _cases, _mistakes):
    assert check(reference).passed
    assert str(check(reference)).startswith("correct")

    def stub(*args):
        raise NotImplementedError

    feedback = check(stub)
    assert not feedback.passed and not feedback.implemented and "not implemented yet" in str(feedback)


@pytest.mark.parametrize("check, reference, cases, mistakes", EXERCISES, ids=IDS)
def test_every_mistake_gets_its_own_hint_and_no_expected_value(check, reference, cases, mistakes):
    for mistake in mistakes:
        feedback = check(mistake.solution)
        assert not feedback.passed and "not yet" in str(feedback)
        assert mistake.hint in str(feedback), str(feedback)
        text = str(feedback).replace(mistake.hint, "")
        for case in cases():  # no answer shown (numbers in the cases' names and the fixed hint aside)
            text = text.replace(case.name, "")
        for case in cases():
            expected = reference(*case.args)
            if np.ndim(expected) == 0:
                assert not re.search(rf"(?<![\d.]){int(expected)}(?![\d.])", text), (case.name, str(feedback))
            else:
                for value in np.asarray(expected, dtype=float).ravel():
                    assert f"{value:.3f}" not in text and f"{value:.2f}" not in text


def test_answers_are_coerced_before_comparing():
    assert ch03.check_edge_blocks(lambda i, o: str(ch03.n_edge_blocks(i, o))).passed  # "7" equals 7
    assert ch03.check_masked_forward(lambda *a: ch03.masked_forward(*a).tolist()).passed  # list equals array
    assert ch03.check_masked_forward(lambda *a: torch.tensor(ch03.masked_forward(*a), dtype=torch.float32)).passed
    assert ch03.check_count_valid_circuits(lambda *a: str(ch03.count_valid_circuits(*a))).passed


def test_a_crashing_or_wrong_answer_is_reported_without_the_answer():
    def crash(*args):
        raise KeyError("oops")

    assert "raised KeyError" in str(ch03.check_edge_blocks(crash))
    wrong = ch03.check_edge_blocks(lambda i, o: ch03.n_edge_blocks(i, o) + 100)
    assert not wrong.passed and "not right" in str(wrong)


def test_masked_forward_reference_matches_model_run():
    """An independent implementation: the package's torch forward pass on the same masks."""
    for case in ch03._forward_cases():
        weights, biases, nodes, edges, x, slope = case.args
        model = MLP.from_weights(list(zip(weights, biases)), negative_slope=slope)
        out = model.run(torch.as_tensor(x, dtype=torch.float32), node_masks=nodes, edge_masks=edges)[-1]
        np.testing.assert_allclose(ch03.masked_forward(*case.args), out.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_each_forward_case_set_exercises_every_mistake():
    cases = ch03._forward_cases()
    for mistake in ch03._FORWARD_MISTAKES:
        differs = [not np.allclose(mistake.solution(*c.args), ch03.masked_forward(*c.args), atol=1e-5) for c in cases]
        assert any(differs), mistake.hint


def test_count_valid_circuits_reference_matches_the_census():
    """The exercise's brute-force loop and the factorised census agree on every case."""
    for case in ch03._census_cases():
        model, X, y, threshold = case.args
        assert ch03.count_valid_circuits(*case.args) == census(model, (X, y), accuracy_threshold=threshold,
                                                               progress=False).n_valid


def test_each_census_mistake_changes_some_count():
    cases = ch03._census_cases()
    for mistake in ch03._CENSUS_MISTAKES:
        assert any(mistake.solution(*c.args) != ch03.count_valid_circuits(*c.args) for c in cases), mistake.hint


@pytest.mark.parametrize("n_in, n_out", [(1, 1), (1, 4), (2, 2), (2, 3), (3, 2), (3, 3)])
def test_edge_blocks_match_brute_force(n_in, n_out):
    count = 0
    for bits in itertools.product([0, 1], repeat=n_in * n_out):
        m = np.array(bits).reshape(n_out, n_in)
        count += bool(m.any(axis=1).all() and m.any(axis=0).all())
    assert ch03.n_edge_blocks(n_in, n_out) == count
