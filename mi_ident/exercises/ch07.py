"""Exercises of chapter 7 (the explorer): when a count settles, and a gate with a unique circuit.

``check_settle_epoch`` runs the student's ``settle_epoch`` on several small curves against the
reference :func:`settle_epoch`; ``check_unique_gate`` checks a student's *answer* (a gate name)
by computing its edge-minimal circuits, without saying which gates would pass.

Example
-------
>>> print(check_settle_epoch(settle_epoch))
correct: all 6 cases pass.
>>> print(check_settle_epoch(lambda epochs, counts: epochs[-1]))  # doctest: +ELLIPSIS
not yet: on ... Hint: ...
"""

from __future__ import annotations

from . import Case, Feedback, Mistake, verify

__all__ = ["settle_epoch", "check_settle_epoch", "check_unique_gate"]


def settle_epoch(epochs, counts):
    """The first checkpoint epoch from which ``counts`` never changes again.

    >>> settle_epoch([0, 2, 4, 6, 8], [0, 39, 188, 120, 120])
    6
    """
    k = len(counts) - 1
    while k > 0 and counts[k - 1] == counts[k]:
        k -= 1
    return epochs[k]


def _first_nonzero(epochs, counts):
    """Mistake: the epoch where circuits first appear, not where the count stops moving."""
    return next((e for e, c in zip(epochs, counts) if c), epochs[-1])


def _first_repeat(epochs, counts):
    """Mistake: the first time two consecutive checkpoints agree (the count may move again)."""
    return next((epochs[k] for k in range(1, len(counts)) if counts[k] == counts[k - 1]), epochs[-1])


def _last_epoch(epochs, counts):
    """Mistake: the end of training."""
    return epochs[-1]


_CASES = [
    Case("a count that rises then settles", ([0, 2, 4, 6, 8, 10], [0, 0, 39, 188, 120, 120])),
    Case("a count that is 0, then 5, then 0 again", ([0, 1, 2, 3, 4], [0, 5, 0, 0, 0])),
    Case("a count that never repeats", ([0, 3, 6], [1, 2, 3])),
    Case("a constant count", ([0, 5, 10], [7, 7, 7])),
    Case("a count that agrees twice, then moves again", ([0, 2, 4, 6, 8, 10], [0, 3, 3, 9, 9, 9])),
    Case("a single checkpoint", ([4], [12])),
]
_MISTAKES = [
    Mistake(_first_nonzero, "the question is when the count stops *changing*, not when circuits first "
                            "appear: walk back from the end while the count stays the same"),
    Mistake(_first_repeat, "two equal neighbours are not enough: the count may move again later; "
                           "check every later checkpoint"),
    Mistake(_last_epoch, "the end of training is an upper bound: go back to the first checkpoint "
                         "of the final stretch of equal counts"),
]


def check_settle_epoch(student) -> Feedback:
    """Check ``settle_epoch(epochs, counts)``; for a stub, first verify the reference."""
    feedback = verify(student, settle_epoch, _CASES, _MISTAKES, name="settle_epoch")
    if not feedback.implemented:
        self_test = verify(settle_epoch, settle_epoch, _CASES, _MISTAKES, name="settle_epoch")
        if not self_test.passed:
            raise AssertionError(f"the reference settle_epoch fails its own check: {self_test}")
    return feedback


def check_unique_gate(gate, width: int = 3, seed: int = 0) -> Feedback:
    """Is ``gate`` a preset whose trained ``2-width-width-1`` network (this seed) has exactly one
    edge-minimal valid circuit? Says yes or no for that gate only, never which gates would pass."""
    from ..explorer import PRESETS, Settings, circuit_view, train_with_checkpoints

    if gate is None:
        return Feedback(False, "no answer yet: set my_gate to a gate name such as 'OR', then run this "
                               "cell again.", implemented=False)
    if gate not in PRESETS or len(PRESETS[gate]) != 4 or len(PRESETS[gate][0]) != 1:
        names = ", ".join(n for n, t in PRESETS.items() if len(t) == 4 and len(t[0]) == 1)
        return Feedback(False, f"not yet: {gate!r} is not one of the 2-input gates ({names}).")
    s = Settings.from_preset(gate, width=width, seed=seed)
    run = train_with_checkpoints(s, progress=False).run_for(seed)
    if not run.accepted:
        return Feedback(False, f"not yet: seed {seed}'s network did not learn {gate}, so it has no "
                               f"circuits to count; try another gate.")
    n = circuit_view(run.model, s, n_gallery=0).n_edge_minimal
    if n == 1:
        return Feedback(True, f"correct: {gate} has a single edge-minimal circuit.")
    return Feedback(False, f"not yet: {gate} has {n} edge-minimal circuits; use the explorer's first "
                           f"panel (its strict rung) to compare gates.")
