"""Chapter 4's exercise checks: references against independent computations, mistakes get their hints."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mi_ident.exercises import ch04
from mi_ident.interpretations import candidate_tables
from mi_ident.model import MLP
from mi_ident.circuits import Circuit


def stub(*args, **kwargs):
    raise NotImplementedError


CHECKS = [(ch04.check_threshold_tables, ch04.threshold_tables), (ch04.check_count_local_gates, ch04.count_local_gates)]
MISTAKES = {
    ch04.check_threshold_tables: [(ch04._every_pair, "distinct"), (ch04._strict, ">="), (ch04._no_gap, "min_gap")],
    ch04.check_count_local_gates: [(ch04._all_gates, "not every gate"), (ch04._no_dont_cares, "don't-care"),
                                   (ch04._no_conflicts, "same parent pattern")],
}


@pytest.mark.parametrize("check, reference", CHECKS)
def test_reference_passes_and_stub_gets_a_reminder(check, reference):
    assert check(reference).passed
    feedback = check(stub)
    assert not feedback.passed and not feedback.implemented and "not implemented yet" in feedback.message


@pytest.mark.parametrize("check", list(MISTAKES))
def test_each_mistake_fails_with_its_own_hint(check):
    for mistake, words in MISTAKES[check]:
        feedback = check(mistake)
        assert not feedback.passed and "common mistake" in feedback.message and words in feedback.message


def test_feedback_never_shows_the_answer():
    for wrong in (lambda *a, **k: "nonsense", lambda *a, **k: [(1, 1, 1, 1)], ch04._strict):
        feedback = ch04.check_threshold_tables(wrong)
        assert not feedback.passed
        for case in ch04._TABLE_CASES:
            for table in ch04.threshold_tables(*case.args, **case.kwargs):
                assert str(table) not in feedback.message and "".join(map(str, table)) not in feedback.message


def test_threshold_tables_agree_with_the_library():
    """The reference solution gives the library's candidate tables on random networks' neurons."""
    full = Circuit.from_dict({"node_masks": [[1, 1], [1, 1, 1], [1, 1, 1], [1]],
                              "edge_masks": [np.ones((3, 2), int).tolist(), np.ones((3, 3), int).tolist(),
                                             [[1, 1, 1]]]})
    rows = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    for seed in range(10):
        model = MLP([2, 3, 3, 1], seed=seed)
        acts = [a.detach().numpy() for a in model.run(rows)]
        for gap in (0.0, 0.02, 0.2):
            library = candidate_tables(model, full, min_gap=gap)
            for layer in (1, 2):
                for j in range(3):
                    expected = [t for _, t in library.get((layer, j), [])]
                    assert ch04.threshold_tables(acts[layer][:, j].tolist(), gap) == expected


def test_count_local_gates_by_brute_force():
    rng = np.random.default_rng(0)
    for _ in range(300):
        k = int(rng.integers(1, 4))
        n = int(rng.integers(1, 6))
        parents = [tuple(int(b) for b in rng.integers(0, 2, k)) for _ in range(n)]
        bits = [int(b) for b in rng.integers(0, 2, n)]
        agree = sum(
            all(gate[int("".join(map(str, p)), 2)] == b for p, b in zip(parents, bits))
            for gate in itertools.product((0, 1), repeat=2**k)
        )
        assert ch04.count_local_gates(parents, bits) == agree
