"""Discovery methods: determinism, independent re-implementations, and cross-checks with the census."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from mi_ident.circuits import Circuit, census, circuit_forward, iter_circuits
from mi_ident.discovery import (attribution_patching, circuit_from_edges, edge_scores, greedy_prune, in_space,
                                is_valid, learned_masks, learned_masks_many, task_data)
from mi_ident.discovery._common import edge_list, full_edges
from mi_ident.errors import MIIdentError, ParameterError
from mi_ident.model import MLP
from mi_ident.training import train_many


ROWS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)


@pytest.fixture(scope="module")
def nets():
    """Trained 2-2-2-1 and 2-3-3-1 nets on XOR and AND (accepted runs only)."""
    out = {}
    for gate, w in itertools.product(("XOR", "AND"), (2, 3)):
        for r in train_many(gate, [2, w, w, 1], seeds=[0, 1, 2], progress=False):
            if r.accepted:
                out[(gate, w, r.seed)] = r.model
    assert len(out) >= 6
    return out


def reference_output(model, circuit) -> np.ndarray:
    """The census' reference forward pass of one circuit (independent of the batched MLP.run path)."""
    return circuit_forward(model, circuit, ROWS)[-1][:, 0].numpy()


def brute_greedy(model, tau, order):
    """Greedy pruning written directly from its definition, with the reference forward pass."""
    full = reference_output(model, Circuit.from_dict({"node_masks": [[1] * w for w in model.widths],
                                                      "edge_masks": [e.tolist() for e in full_edges(model.widths)]}))
    edges = full_edges(model.widths)
    loss = lambda es: float(np.abs(reference_output(model, circuit_from_edges(es)) - full).mean())
    current = loss(edges)
    for layer, o, k in order:
        trial = [e.copy() for e in edges]
        trial[layer][o, k] = 0
        new = loss(trial)
        if new - current < tau:
            edges, current = trial, new
    return circuit_from_edges(edges)


# -- edge sets as circuits -------------------------------------------------------------------
@pytest.mark.parametrize("widths", [[2, 2, 2, 1], [2, 3, 2, 1]])
def test_every_candidate_is_its_own_edge_circuit(widths):
    for c in iter_circuits(widths):
        assert circuit_from_edges(c.edge_masks) == c
        assert in_space(c)


def test_edge_circuits_are_candidates_or_out_of_space():
    rng = np.random.default_rng(0)
    candidates = set(iter_circuits([2, 2, 2, 1]))
    for _ in range(300):
        edges = [rng.integers(0, 2, size=s) for s in [(2, 2), (2, 2), (1, 2)]]
        c = circuit_from_edges(edges)
        assert all(((a <= b).all()) for a, b in zip(c.edge_masks, edges))  # only removes
        assert circuit_from_edges(c.edge_masks) == c  # a fixed point
        assert (c in candidates) == in_space(c)


# -- greedy pruning ------------------------------------------------------------------------
@pytest.mark.parametrize("tau", [0.0, 0.01, 0.05, 0.2])
def test_greedy_equals_a_plain_reimplementation(nets, tau):
    for model in nets.values():
        expected = brute_greedy(model, tau, edge_list(model.widths))
        assert greedy_prune(model, "XOR", tau=tau) == expected


def test_greedy_extremes_and_seeds(nets):
    model = nets[next(k for k in nets if k[1] == 3)]
    full = greedy_prune(model, "XOR", tau=-1.0)
    assert all(e.all() for e in full.edge_masks)  # every removal costs >= 0 > tau
    empty = greedy_prune(model, "XOR", tau=10.0)
    assert not any(e.any() for e in empty.edge_masks) and not in_space(empty)
    a = greedy_prune(model, "XOR", tau=0.02, order="shuffled", seed=3)
    assert a == greedy_prune(model, "XOR", tau=0.02, order="shuffled", seed=3)


# -- attribution patching ------------------------------------------------------------------
def test_edge_scores_equal_finite_differences(nets):
    model = nets[next(k for k in nets if k[1] == 3)]
    scores = edge_scores(model, "XOR")
    eps = 1e-3
    for layer, o, k in edge_list(model.widths):
        outs = []
        for sign in (1, -1):
            masks = [torch.ones(o_, i_) for i_, o_ in zip(model.widths[:-1], model.widths[1:])]
            masks[layer][o, k] += sign * eps
            with torch.no_grad():
                outs.append(model.run(torch.from_numpy(ROWS), edge_masks=masks)[-1][:, 0].double().numpy())
        fd = np.abs((outs[0] - outs[1]) / (2 * eps)).mean()
        assert scores[layer][o, k] == pytest.approx(fd, rel=1e-2, abs=1e-3)


def test_attribution_keeps_the_top_k(nets):
    model = nets[next(k for k in nets if k[1] == 3)]
    flat = np.concatenate([s.ravel() for s in edge_scores(model, "XOR")])
    for k in range(1, len(flat) + 1):
        c = attribution_patching(model, "XOR", k=k)
        kept = np.concatenate([e.ravel() for e in c.edge_masks]).astype(bool)
        assert kept.sum() <= k
        top = np.argsort(-flat, kind="stable")[:k]
        assert set(np.flatnonzero(kept)) <= set(top)
    by_threshold = attribution_patching(model, "XOR", threshold=float(np.median(flat)))
    assert by_threshold == circuit_from_edges(
        [(s > np.median(flat)).astype(np.uint8) for s in edge_scores(model, "XOR")])


# -- learned masks -------------------------------------------------------------------------
def test_learned_masks_are_deterministic_and_batching_changes_nothing(nets):
    model = nets[next(k for k in nets if k[1] == 3)]
    many = learned_masks_many(model, "XOR", penalty=0.1, seeds=[0, 1, 2], steps=60)
    for seed, c in zip([0, 1, 2], many):
        assert learned_masks(model, "XOR", penalty=0.1, seed=seed, steps=60) == c
    mixed = learned_masks_many(model, "XOR", penalty=[0.1, 0.3], seeds=[2, 2], steps=60)
    assert mixed[0] == many[2] and mixed[1] == learned_masks(model, "XOR", penalty=0.3, seed=2, steps=60)
    with pytest.raises(ParameterError):
        learned_masks_many(model, "XOR", penalty=[0.1, 0.2], seeds=[0], steps=5)
    dense = learned_masks(model, "XOR", penalty=0.0, steps=60)
    sparse = learned_masks(model, "XOR", penalty=5.0, steps=60)
    count = lambda c: sum(int(e.sum()) for e in c.edge_masks)
    assert count(sparse) < count(dense)


# -- validity: the census' rule --------------------------------------------------------------
@pytest.mark.parametrize("gate,w", [("XOR", 2), ("AND", 2), ("XOR", 3)])
def test_is_valid_equals_census_membership_for_every_candidate(nets, gate, w):
    key = next(k for k in nets if k[:2] == (gate, w))
    model = nets[key]
    valid = set(census(model, gate, progress=False).circuits())
    data = task_data(model, gate)
    for c in iter_circuits(model.widths):
        assert is_valid(data, c) == (c in valid)


def test_bad_input_gets_package_errors(nets):
    model = next(iter(nets.values()))
    with pytest.raises(ParameterError):
        attribution_patching(model, "XOR")
    with pytest.raises(ParameterError):
        attribution_patching(model, "XOR", k=0)
    with pytest.raises(ParameterError):
        greedy_prune(model, "XOR", metric="kl")
    with pytest.raises(MIIdentError):
        learned_masks(model, "XOR", steps=0)
    with pytest.raises(ParameterError):
        task_data(MLP([2, 2, 2], seed=0), "XOR")
