"""DAS: the rotated interchange against neuron-set alignment and a plain per-pair loop."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ortho_group

from mi_ident.algorithms import parse_formula
from mi_ident.alignment import align, interchange_pairs
from mi_ident.discovery import das, das_runs, das_summary, distinct_subspaces, neuron_search_aligns, rotated_iia
from mi_ident.errors import ParameterError
from mi_ident.model import MLP
from mi_ident.weights import load_weights

FORMULA = "¬(A*B)*(A+B)"
ROWS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)


@pytest.fixture(scope="module")
def seed_03(reference_dir):
    return load_weights(reference_dir / "seed_03_weights.npz").model


def np_patched_output(model, layer, P, base, source) -> float:
    """The rotated interchange of one pair, written out in numpy (float64)."""
    weights = model.numpy_weights()

    def act(i, z):
        return z if (i == len(weights) - 1 and model.output_activation == "identity") else np.where(z > 0, z, 0.01 * z)

    def run(x, upto):
        h = x
        for i in range(upto):
            W, b = weights[i]
            h = act(i, W.astype(np.float64) @ h + b)
        return h

    hb, hs = run(base, layer), run(source, layer)
    h = hb + P @ (hs - hb)
    for i in range(layer, len(weights)):
        W, b = weights[i]
        h = act(i, W.astype(np.float64) @ h + b)
    return float(h[0])


def loop_iia(model, formula, layer, rotation, subspaces):
    f = parse_formula(formula)
    out = []
    for node, s in zip(f.aligned_nodes, subspaces):
        R = np.asarray(rotation)[list(s)]
        agree = []
        for src, base in interchange_pairs(2, "all"):
            low = np_patched_output(model, layer, R.T @ R, ROWS[base], ROWS[src]) > 0.5
            forced = f.evaluate(f.inputs[[base]], {node.id: f.values[node.id][[src]]})[f.root.id][0]
            agree.append(low == bool(forced))
        out.append(np.mean(agree))
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_axis_aligned_das_equals_neuron_set_iia(seed):
    model = MLP([2, 3, 3, 1], seed=seed)
    result = align(model, FORMULA)  # extended: every ordered pair, as DAS
    node_ids = [n.id for n in parse_formula(FORMULA).aligned_nodes]
    for layer in (1, 2):
        for perm in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
            R = np.eye(3)[perm]  # rotated coordinate k = neuron perm[k]
            got = rotated_iia(model, FORMULA, layer, R, [(0,), (1,)])
            for node_id, k, iia in zip(node_ids, (0, 1), got):
                j = result.sets.index(frozenset({(layer, perm[k])}))
                assert iia == pytest.approx(result.node_iia[node_id][j])


@pytest.mark.parametrize("seed", [0, 1])
def test_rotated_iia_equals_a_plain_loop(seed, seed_03):
    R = ortho_group.rvs(3, random_state=seed)
    for model in (MLP([2, 3, 3, 1], seed=seed), seed_03):
        for layer in (1, 2):
            got = rotated_iia(model, FORMULA, layer, R, [(0,), (1,)])
            assert got == pytest.approx(loop_iia(model, FORMULA, layer, R, [(0,), (1,)]))


def test_das_is_deterministic_and_aligns_where_neurons_do(seed_03):
    a = das(seed_03, FORMULA, layer=1, seed=4)
    b = das(seed_03, FORMULA, layer=1, seed=4)
    assert np.array_equal(a.rotation, b.rotation) and a.iia == b.iia
    assert np.allclose(a.rotation @ a.rotation.T, np.eye(3), atol=1e-5)
    assert a.iia == pytest.approx(loop_iia(seed_03, FORMULA, 1, a.rotation, a.subspaces))
    assert neuron_search_aligns(seed_03, FORMULA, 1)
    assert any(das(seed_03, FORMULA, layer=1, seed=s).aligned for s in range(3))


def test_neuron_sets_of_an_axis_aligned_result(seed_03):
    r = das(seed_03, FORMULA, layer=1, steps=1, seed=0)
    axis = type(r)(r.formula, 1, np.eye(3)[[1, 0, 2]], r.subspaces, r.iia)
    assert axis.neuron_sets() == [frozenset({(1, 1)}), frozenset({(1, 0)})]
    tilted = type(r)(r.formula, 1, ortho_group.rvs(3, random_state=0), r.subspaces, r.iia)
    assert tilted.neuron_sets() is None


def test_distinct_subspaces_groups_by_projector(seed_03):
    r = das(seed_03, FORMULA, layer=1, steps=1, seed=0)
    same = type(r)(r.formula, 1, -r.rotation, r.subspaces, r.iia)  # sign flips: same subspaces
    other = type(r)(r.formula, 1, np.eye(3), r.subspaces, r.iia)
    assert distinct_subspaces([r, same, other, r]) == [0, 0, 1, 0]


def test_das_runs_table(seed_03):
    runs = das_runs(seed_03, FORMULA, layers=[1], seeds=[0, 1], steps=20)
    assert len(runs) == 2 and runs.neuron_search.all()
    assert ((runs.subspace >= 0) == runs.aligned).all()


def test_das_bad_input():
    model = MLP([2, 3, 3, 1], seed=0)
    with pytest.raises(ParameterError):
        das(model, FORMULA, layer=3)
    with pytest.raises(ParameterError):
        das(model, FORMULA, layer=1, dims=2)
    with pytest.raises(ParameterError):
        das(model, FORMULA, steps=0)


def test_das_aligns_where_neuron_sets_cannot():
    """XOR 2-3-3-1 trained with seed 1: no neuron-set mapping inside layer 1 aligns the formula,
    a rotated subspace does, and a plain numpy loop confirms its IIA of 1."""
    from mi_ident.training import train_many

    model = train_many("XOR", [2, 3, 3, 1], seeds=[1], progress=False)[0].model
    assert not neuron_search_aligns(model, FORMULA, 1)
    aligned = [r for r in (das(model, FORMULA, layer=1, seed=s) for s in range(3)) if r.aligned]
    assert aligned
    assert loop_iia(model, FORMULA, 1, aligned[0].rotation, aligned[0].subspaces) == [1.0, 1.0]
    assert aligned[0].neuron_sets() is None


def test_das_summary_counts(seed_03):
    runs = das_runs(seed_03, FORMULA, layers=[1, 2], seeds=[0, 1, 2])
    summary = das_summary(runs).set_index("layer")
    for layer, g in runs.groupby("layer"):
        row = summary.loc[layer]
        assert row.aligned == g.aligned.sum() and row.seeds == len(g)
        assert row.subspaces == len(set(g.subspace[g.aligned]))
        assert row.das_only == (row.aligned > 0 and not row.neuron_search)
