"""Chapter 2's exercise checks: references against independent computations, mistakes get hints."""

from __future__ import annotations

import numpy as np
import pytest

from mi_ident.exercises import ch02
from mi_ident.model import MLP
from mi_ident.training.recipe import _StoppingRule

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def numpy_hidden(model):
    """Hidden activations on the corners, written out with numpy."""
    x, out = CORNERS, []
    for W, b in model.numpy_weights()[:-1]:
        z = x @ W.T.astype(float) + b
        x = np.where(z > 0, z, model.negative_slope * z)
        out.append(x)
    return out


def stub(*args, **kwargs):
    raise NotImplementedError


@pytest.mark.parametrize("check, reference", [
    (ch02.check_n_silent, ch02.n_silent), (ch02.check_first_layer_code, ch02.first_layer_code),
    (ch02.check_should_stop, ch02.should_stop),
])
def test_reference_passes_and_stub_gets_a_reminder(check, reference):
    assert check(reference).passed
    feedback = check(stub)
    assert not feedback.passed and not feedback.implemented and "not implemented yet" in feedback.message


def test_n_silent_and_code_against_numpy():
    for seed in range(30):
        model = MLP([2, 3, 3, 1], seed=seed)
        hidden = numpy_hidden(model)
        assert ch02.n_silent(model) == sum(int((h <= 0).all(axis=0).sum()) for h in hidden)
        patterns = ["".join("1" if v > 0.05 else "0" for v in column) for column in hidden[0].T]
        assert ch02.first_layer_code(model) == tuple(sorted(patterns))
        # the code does not depend on the order of the first-layer neurons
        perm = np.random.default_rng(seed).permutation(3)
        (W0, b0), (W1, b1), last = model.numpy_weights()
        swapped = MLP.from_weights([(W0[perm], b0[perm]), (W1[:, perm], b1), last])
        assert ch02.first_layer_code(swapped) == ch02.first_layer_code(model)


def test_should_stop_matches_the_training_loop():
    rng = np.random.default_rng(0)
    for _ in range(400):
        losses = [float(v) for v in rng.choice([0.005, 0.01, 0.02, 0.1, 0.2, 0.25, 0.3], size=rng.integers(1, 9))]
        patience = int(rng.integers(1, 4))
        rule = _StoppingRule(0.01, patience)
        reasons = [rule.update(v) for v in losses]
        assert ch02.should_stop(losses, 0.01, patience) == (reasons[-1] is not None)


def silent_count(model, test, layers):
    acts = numpy_hidden(model) + [numpy_out(model)]
    return sum(int(test(a).all(axis=0).sum()) for a in acts[layers])


def numpy_out(model):
    W, b = model.numpy_weights()[-1]
    z = numpy_hidden(model)[-1] @ W.T.astype(float) + b
    return np.where(z > 0, z, model.negative_slope * z)


@pytest.mark.parametrize("student, hint", [
    (lambda m: silent_count(m, lambda a: a <= 0, slice(0, 3)), "leave out the output layer"),
    (lambda m: silent_count(m, lambda a: a < 0, slice(0, 2)), "silent means <= 0, not < 0"),
    (lambda m: silent_count(m, lambda a: a <= 0, slice(0, 1)), "every hidden layer"),
])
def test_n_silent_mistakes(student, hint):
    feedback = ch02.check_n_silent(student)
    assert not feedback.passed and hint in feedback.message


def patterns(model, threshold=0.05):
    return ["".join("1" if v > threshold else "0" for v in column) for column in numpy_hidden(model)[0].T]


@pytest.mark.parametrize("student, hint", [
    (lambda m: patterns(m), "sort the patterns"),
    (lambda m: sorted(set(patterns(m))), "keep repeats"),
    (lambda m: sorted(patterns(m, 0.0)), "not merely above 0"),
])
def test_first_layer_code_mistakes(student, hint):
    feedback = ch02.check_first_layer_code(student)
    assert not feedback.passed and hint in feedback.message


def stop(losses, loss_target=0.01, patience=3, le_target=False, le_best=False, consecutive=True, extra=0):
    best, bad = float("inf"), 0
    for v in losses:
        if v < best or (le_best and v == best):
            best = v
            bad = 0 if consecutive else bad
        else:
            bad += 1
    below = losses[-1] <= loss_target if le_target else losses[-1] < loss_target
    return below or bad >= patience + extra


@pytest.mark.parametrize("student, hint", [
    (lambda *a, **k: stop(*a, **k, le_target=True), "a loss equal to it does not stop"),
    (lambda *a, **k: stop(*a, **k, extra=1), "not the 4th"),
    (lambda *a, **k: stop(*a, **k, extra=-1), "stop at the 3rd, not before"),
    (lambda *a, **k: stop(*a, **k, le_best=True), "equalling the best loss is not beating it"),
    (lambda *a, **k: stop(*a, **k, consecutive=False), "in a row"),
])
def test_should_stop_mistakes(student, hint):
    feedback = ch02.check_should_stop(student)
    assert not feedback.passed and hint in feedback.message


def test_numpy_answers_and_lists_are_accepted():
    assert ch02.check_n_silent(lambda m: np.int64(silent_count(m, lambda a: a <= 0, slice(0, 2)))).passed
    assert ch02.check_first_layer_code(lambda m: sorted(patterns(m))).passed  # a list, not a tuple
    assert ch02.check_should_stop(lambda *a, **k: np.bool_(stop(*a, **k))).passed
