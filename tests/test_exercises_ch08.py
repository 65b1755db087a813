"""Chapter 8's exercise check: the reference is greedy pruning's own step, each mistake gets its hint."""

from __future__ import annotations

import numpy as np
import pytest

from mi_ident.discovery import greedy_prune, task_data
from mi_ident.discovery._common import circuit_from_edges, circuit_outputs, edge_list, faithfulness_loss
from mi_ident.discovery.acdc import prune_step as library_step
from mi_ident.exercises import ch08
from mi_ident.model import MLP


def stub(*args, **kwargs):
    raise NotImplementedError


def test_reference_passes_and_stub_gets_a_reminder():
    assert ch08.check_prune_step(ch08.prune_step).passed
    feedback = ch08.check_prune_step(stub)
    assert not feedback.passed and not feedback.implemented and "not implemented yet" in feedback.message


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_step_drives_greedy_pruning(seed):
    """Running the exercise's step over every edge gives the library's greedy circuit."""
    model = MLP([2, 3, 3, 1], seed=seed)
    for tau in (0.0, 0.01, 0.05):
        edges = ch08.all_edges(model)
        for edge in edge_list(model.widths):
            edges = ch08.prune_step(model, edges, edge, tau)
        assert circuit_from_edges(edges) == greedy_prune(model, "XOR", tau=tau)


def test_reference_step_equals_the_library_step():
    rng = np.random.default_rng(0)
    model = MLP([2, 3, 3, 1], seed=4)
    data = task_data(model, "XOR")
    for _ in range(30):
        edges = [(rng.random(e.shape) < 0.8).astype(np.uint8) for e in ch08.all_edges(model)]
        edge, tau = edge_list(model.widths)[rng.integers(18)], float(rng.choice([0.0, 0.01, 0.05]))
        loss = float(faithfulness_loss(data, circuit_outputs(data, [circuit_from_edges(edges)]))[0])
        expected, _ = library_step(data, edges, edge, tau, loss)
        got = ch08.prune_step(model, edges, edge, tau)
        assert all(np.array_equal(a, b) for a, b in zip(got, expected))


def test_each_mistake_gets_its_own_hint():
    def stale(model, edges, edge, tau):
        trial = [e.copy() for e in edges]
        trial[edge[0]][edge[1], edge[2]] = 0
        loss = np.abs(ch08.circuit_output(model, trial) - ch08.circuit_output(model, ch08.all_edges(model))).mean()
        return trial if loss < tau else edges

    def against_circuit(model, edges, edge, tau):
        trial = [e.copy() for e in edges]
        trial[edge[0]][edge[1], edge[2]] = 0
        change = np.abs(ch08.circuit_output(model, trial) - ch08.circuit_output(model, edges)).mean()
        return trial if change < tau else edges

    def reversed_sign(model, edges, edge, tau):
        full = ch08.circuit_output(model, ch08.all_edges(model))
        trial = [e.copy() for e in edges]
        trial[edge[0]][edge[1], edge[2]] = 0
        now, without = (np.abs(ch08.circuit_output(model, es) - full).mean() for es in (edges, trial))
        return trial if now - without < tau else edges

    for student, words in [(stale, "evaluate it again"), (against_circuit, "against the full network"),
                           (reversed_sign, "check the sign")]:
        feedback = ch08.check_prune_step(student)
        assert not feedback.passed and words in feedback.message, (student.__name__, feedback.message)
    assert "not right" in ch08.check_prune_step(lambda m, edges, edge, tau: [np.zeros_like(e) for e in edges]).message
