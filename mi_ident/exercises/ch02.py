"""Exercise checks of chapter 2 (training tiny MLPs), and the reference solutions they use.

Same conventions as :mod:`mi_ident.exercises.ch01`: ``check_<exercise>(student)`` returns a
:class:`~mi_ident.exercises.Feedback`; the reference solution has the exercise's name.

Example
-------
>>> print(check_should_stop(should_stop))
correct: all 10 cases pass.
>>> print(check_n_silent(lambda model: 0))
not yet: on a hand-made 2-2-3-1 network your answer is not right.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch

from ..model import MLP
from . import Case, Feedback, Mistake
from .ch01 import run_check

__all__ = [
    "CORNERS",
    "ACTIVE_THRESHOLD",
    "n_silent",
    "first_layer_code",
    "should_stop",
    "check_n_silent",
    "check_first_layer_code",
    "check_should_stop",
]

#: The four inputs 00, 01, 10, 11, in that order.
CORNERS = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
#: A first-layer neuron is "clearly active" on an input when its activation exceeds this.
ACTIVE_THRESHOLD = 0.05


def _hidden(model: MLP) -> list[np.ndarray]:
    with torch.no_grad():
        return [a.numpy() for a in model.run(CORNERS)[1:-1]]


# -- silent neurons ------------------------------------------------------------------------


def n_silent(model: MLP) -> int:
    """How many hidden neurons (every hidden layer, not the output) have activation <= 0 on all
    four corners."""
    return int(sum((a <= 0).all(axis=0).sum() for a in _hidden(model)))


def _net(weights) -> MLP:
    return MLP.from_weights([(np.array(W, dtype=np.float32), np.array(b, dtype=np.float32)) for W, b in weights])


def _silent_cases() -> list[Case]:
    # layer 1: neuron 0 is exactly 0 on 00 and negative elsewhere (silent, though not < 0 on 00);
    # layer 2: neurons 0 and 1 negative everywhere; the output is negative everywhere (not hidden).
    # Each listed mistake gives a different count here (3 expected).
    hand = _net([([[-1, -1], [1, 1]], [0, 0]), ([[1, 1], [1, 1], [1, 1]], [-5, -6, 0.5]), ([[1, 1, 1]], [-10])])
    awake = _net([([[1, 1], [1, -1]], [0.5, 2]), ([[1, 1], [1, 0]], [0, 1]), ([[1, -1]], [0])])
    return [Case("a hand-made 2-2-3-1 network", (hand,)),
            Case("a network whose neurons all fire", (awake,))] + [
        Case(f"MLP([2, 3, 3, 1], seed={s})", (MLP([2, 3, 3, 1], seed=s),)) for s in (0, 1, 2, 5)]


def check_n_silent(student: Callable) -> Feedback:
    """Check ``n_silent(model)`` on hand-made and random networks."""
    mistakes = [
        Mistake(lambda m: n_silent(m) + int((m(CORNERS) <= 0).all()),
                "only hidden neurons count: leave out the output layer (activations[1:-1])."),
        Mistake(lambda m: int(sum((a < 0).all(axis=0).sum() for a in _hidden(m))),
                "a neuron that outputs exactly 0 does not fire either: silent means <= 0, not < 0."),
        Mistake(lambda m: int((_hidden(m)[0] <= 0).all(axis=0).sum()),
                "count the neurons of every hidden layer, not only the first."),
    ]
    return run_check(student, n_silent, _silent_cases(), mistakes, "n_silent")


# -- a permutation-invariant code of the first layer ---------------------------------------


def _patterns(model: MLP, threshold: float = ACTIVE_THRESHOLD) -> list[str]:
    active = _hidden(model)[0] > threshold  # corners x neurons
    return ["".join(str(int(v)) for v in column) for column in active.T]


def first_layer_code(model: MLP) -> tuple[str, ...]:
    """Each first-layer neuron as a 4-character string, ``"1"`` where its activation on 00, 01,
    10, 11 exceeds :data:`ACTIVE_THRESHOLD`; the code is the *sorted* tuple of these strings
    (neuron order forgotten, repeated patterns kept)."""
    return tuple(sorted(_patterns(model)))


def _code_cases() -> list[Case]:
    # neurons out of sorted order, a repeated pattern, and a neuron at 0.02 (active, but not clearly)
    shuffled = _net([([[1, 1], [-1, -1], [1, 1]], [0, 0.5, 0]), ([[1, 1, 1]], [0])])
    faint = _net([([[0.01, 0.01], [1, 0], [-1, 1]], [0, 0, 0]), ([[1, 1, 1]], [0])])
    return [Case("a network with neurons in no particular order", (shuffled,)),
            Case("a network with a faint neuron", (faint,))] + [
        Case(f"MLP([2, 3, 3, 1], seed={s})", (MLP([2, 3, 3, 1], seed=s),)) for s in (0, 3)]


def check_first_layer_code(student: Callable) -> Feedback:
    """Check ``first_layer_code(model)`` on hand-made and random networks."""
    mistakes = [
        Mistake(lambda m: tuple(_patterns(m)), "the code must not depend on the order of the neurons: sort the patterns."),
        Mistake(lambda m: tuple(sorted(set(_patterns(m)))),
                "two neurons with the same pattern are two neurons: keep repeats (a set drops them)."),
        Mistake(lambda m: tuple(sorted(_patterns(m, 0.0))),
                "'clearly active' means above ACTIVE_THRESHOLD (0.05), not merely above 0."),
    ]
    return run_check(student, first_layer_code, _code_cases(), mistakes, "first_layer_code")


# -- the paper's stopping rule -------------------------------------------------------------


def should_stop(losses: Sequence[float], loss_target: float = 0.01, patience: int = 3) -> bool:
    """Does training stop after the last of these epoch losses?

    Yes when the last loss is strictly below ``loss_target``, or when the last ``patience``
    epochs in a row all failed to beat (strictly) the best loss seen before them.
    """
    best, bad = float("inf"), 0
    for loss in losses:
        best, bad = (loss, 0) if loss < best else (best, bad + 1)
    return bool(losses) and (losses[-1] < loss_target or bad >= patience)


def _stop_variant(losses, loss_target=0.01, patience=3, *, below=float.__lt__, improved=float.__lt__,
                  reset=True, reach=0):
    best, bad = float("inf"), 0
    for loss in map(float, losses):
        if improved(loss, best):
            best, bad = loss, 0 if reset else bad
        else:
            bad += 1
    return bool(losses) and (below(float(losses[-1]), float(loss_target)) or bad >= patience + reach)


_STOP_CASES = [
    Case("losses [0.3, 0.2, 0.1]", ([0.3, 0.2, 0.1],)),
    Case("losses [0.3, 0.2, 0.009]", ([0.3, 0.2, 0.009],)),
    Case("losses [0.3, 0.2, 0.01]", ([0.3, 0.2, 0.01],)),
    Case("losses [0.3, 0.25, 0.26, 0.27, 0.28]", ([0.3, 0.25, 0.26, 0.27, 0.28],)),
    Case("losses [0.3, 0.25, 0.26, 0.27]", ([0.3, 0.25, 0.26, 0.27],)),
    Case("losses [0.3, 0.25, 0.25, 0.25, 0.25, 0.25]", ([0.3, 0.25, 0.25, 0.25, 0.25, 0.25],)),
    Case("losses [0.3, 0.25, 0.26, 0.27, 0.24, 0.28]", ([0.3, 0.25, 0.26, 0.27, 0.24, 0.28],)),
    Case("losses [0.5, 0.6] with patience=1", ([0.5, 0.6],), {"patience": 1}),
    Case("losses [0.5, 0.29] with loss_target=0.3", ([0.5, 0.29],), {"loss_target": 0.3}),
    Case("losses (0.5, 0.4, 0.45, 0.41) as a tuple", ((0.5, 0.4, 0.45, 0.41),)),
]


def check_should_stop(student: Callable) -> Feedback:
    """Check ``should_stop(losses, loss_target=0.01, patience=3)`` on short loss histories."""
    mistakes = [
        Mistake(lambda *a, **k: _stop_variant(*a, **k, below=float.__le__),
                "the loss must drop *below* the target: a loss equal to it does not stop training."),
        Mistake(lambda *a, **k: _stop_variant(*a, **k, reach=1),
                "patience 3 stops after the 3rd epoch in a row without improvement, not the 4th."),
        Mistake(lambda *a, **k: _stop_variant(*a, **k, reach=-1),
                "patience 3 lets 2 epochs without improvement pass: stop at the 3rd, not before."),
        Mistake(lambda *a, **k: _stop_variant(*a, **k, improved=float.__le__),
                "equalling the best loss is not beating it: only a strictly lower loss resets the count."),
        Mistake(lambda *a, **k: _stop_variant(*a, **k, reset=False),
                "'in a row': a new best loss starts the count of bad epochs again from 0."),
    ]
    return run_check(student, should_stop, _STOP_CASES, mistakes, "should_stop")
