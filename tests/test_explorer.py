"""The explorer's core: settings, checkpointed training, the four views, and their messages."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from mi_ident.circuits import census, iter_circuits
from mi_ident.data import make_dataset
from mi_ident.errors import ParameterError
from mi_ident.explorer import (Settings, circuit_view, edge_minimal, explore_data,
                               silent_keys, train_with_checkpoints, training_dynamics, valid_circuits)
from mi_ident.interventions import Ablation
from mi_ident.training import train

SMALL = dict(width=2, depth=1, formula_depth=2)


@pytest.fixture(scope="module")
def xor3():
    s = Settings.from_preset("XOR", width=3, seed=3, formula_depth=3)
    return s, train_with_checkpoints(s, progress=False).run_for(3).model


# -- settings -------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [dict(width=0), dict(width=99), dict(table=[[0], [1], [1]]),
                                 dict(table=[[2], [0], [0], [1]]), dict(ablation="half"),
                                 dict(min_margin=0.5), dict(criterion="both"), dict(noise_std=-1)])
def test_bad_settings_name_the_parameter(bad):
    with pytest.raises(ParameterError) as info:
        Settings(**bad)
    assert next(iter(bad)).split("_")[0] in str(info.value)


def test_flip_changes_one_cell_and_finds_the_preset():
    s = Settings.from_preset("XOR")
    assert s.flip(0, 0).preset == "NAND" and s.flip(0, 0).flip(0, 0) == s
    assert Settings.from_preset("MAJ3 (majority)").widths == (3, 3, 3, 1)


# -- training ---------------------------------------------------------------------------------------
def test_checkpointed_training_ends_where_train_ends():
    s = Settings.from_preset("XOR", width=3, n_seeds=2)
    run = train_with_checkpoints(s, progress=False)
    for r in run.seeds:
        ref = train("XOR", [2, 3, 3, 1], seed=r.seed, progress=False,
                    train_data=make_dataset(s.task, n_repeats=1000, seed=0),
                    val_data=make_dataset(s.task, n_repeats=50, seed=1))
        assert (len(r.losses), r.stop_reason, r.accepted) == (ref.epochs, ref.stop_reason, ref.accepted)
        for (W, b), (W2, b2) in zip(ref.model.numpy_weights(), r.checkpoints[-1].weights):
            np.testing.assert_allclose(W, W2, atol=1e-5)
        epochs = [c.epoch for c in r.checkpoints]
        assert epochs[0] == 0 and epochs[-1] == len(r.losses) and epochs == sorted(set(epochs))
    assert train_with_checkpoints(s, progress=False) is run  # cached by parameters


# -- circuits -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("ablation, margin", [("zero", 0.0), ("mean", 0.0), ("resample", 0.0), ("zero", 0.3)])
def test_census_counts_match_the_brute_force(xor3, ablation, margin):
    s, model = xor3
    s = s.replace(ablation=ablation, min_margin=margin)
    n, nodes, edges = valid_circuits(model, s)
    view = circuit_view(model, s)
    assert (n, len(edges)) == (view.n_candidates, view.n_valid)
    assert int(edge_minimal(edges).sum()) == view.n_edge_minimal
    drawn = {np.concatenate([e.ravel().astype(bool) for e in c.edge_masks]).tobytes() for c in view.gallery}
    assert drawn <= {e.tobytes() for e in edges[edge_minimal(edges)]}


def test_brute_force_matches_the_census_circuit_by_circuit(xor3):
    s, model = xor3
    _, _, edges = valid_circuits(model, s)
    result = census(model, "XOR", progress=False)
    want = {np.concatenate([e.ravel().astype(bool) for e in c.edge_masks]).tobytes() for c in result.circuits()}
    assert {e.tobytes() for e in edges} == want


def test_mean_ablation_agrees_with_one_circuit_at_a_time(xor3):
    s, model = xor3
    s = s.replace(ablation="mean")
    _, _, edges = valid_circuits(model, s)
    valid = {e.tobytes() for e in edges}
    rows = torch.tensor(s.task.inputs, dtype=torch.float32)
    y = torch.tensor(np.array(s.task.table), dtype=torch.float32)
    mean = Ablation.mean(model, rows)
    for c in itertools.islice(iter_circuits(model.widths), 0, 9625, 97):  # an independent spot check
        with torch.no_grad():
            out = model.run(rows, node_masks=c.node_masks, edge_masks=c.edge_masks, ablation=mean)[-1]
        key = np.concatenate([e.ravel().astype(bool) for e in c.edge_masks]).tobytes()
        assert bool((torch.round(out) == y).all()) == (key in valid)


def test_edge_minimal_matches_pairwise_python():
    rng = np.random.default_rng(0)
    edges = rng.random((60, 9)) < 0.5
    edges = np.unique(edges, axis=0)
    sets = [frozenset(np.flatnonzero(e)) for e in edges]
    expected = [not any(t < s for t in sets) for s in sets]
    assert edge_minimal(edges).tolist() == expected


def test_silent_keys_only_remove_edges(xor3):
    s, model = xor3
    _, nodes, edges = valid_circuits(model, s)
    keys = silent_keys(model, nodes, edges, s.task.inputs)
    assert not (keys & ~edges).any()
    view = circuit_view(model, s)
    assert view.n_edge_minimal <= view.n_silent_classes <= view.n_valid
    assert len(view.gallery) == min(8, view.n_edge_minimal)


def test_a_margin_can_only_remove_circuits(xor3):
    s, model = xor3
    loose, strict = circuit_view(model, s.replace(min_margin=0.05)), circuit_view(model, s.replace(min_margin=0.3))
    assert strict.n_valid <= loose.n_valid <= circuit_view(model, s).n_valid


# -- alignment -------------------------------------------------------------------------------------------
def test_joint_mappings_pass_joint_interventions(xor3):
    from mi_ident.alignment import joint_iia, mapping_iia

    s, model = xor3
    single = explore_data(s).algorithms
    assert single.n_formulas > 0, "seed 3 aligns XOR formulas"
    for a in single.alignments:
        assert all(mapping_iia(model, m) >= 1 - 1e-9 for m in a.mappings)
    joint = explore_data(s.replace(criterion="joint")).algorithms
    for a in joint.alignments:
        assert all(joint_iia(model, m) >= 1 - 1e-9 for m in a.mappings)


def test_classes_group_formulas_with_the_same_node_tables(xor3):
    s, _ = xor3
    view = explore_data(s).algorithms
    assert sum(c.n_formulas for c in view.classes) == view.n_formulas
    by_paper = {a.formula.paper: a.formula for a in view.alignments}
    for c in view.classes:
        keys = set()
        for paper in c.formulas:
            f = by_paper[paper]
            tables = {min(tuple(f.values[n.id]), tuple(1 - f.values[n.id])) for n in f.aligned_nodes}
            keys.add(frozenset(t for t in tables if len(set(t)) > 1))
        assert len(keys) == 1
    assert len({frozenset(c.formulas) for c in view.classes}) == len(view.classes)


# -- messages, never tracebacks --------------------------------------------------------------------
def test_impossible_settings_give_a_message():
    assert "constant" in explore_data(Settings(table=[[0], [0], [0], [0]])).message
    assert "candidate circuits" in explore_data(Settings.from_preset("XOR", width=5)).message
    failed = explore_data(Settings.from_preset("XOR", width=1, depth=1))
    assert failed.message is not None and "did not reach" in failed.message
    three = explore_data(Settings.from_preset("MAJ3 (majority)", width=3, depth=1, formula_depth=3))
    assert three.message is None and any("depth" in n for n in three.notes)


def test_dynamics_follow_the_checkpoints():
    s = Settings.from_preset("AND", **SMALL)
    d = training_dynamics(s)
    run = train_with_checkpoints(s, progress=False).run_for(0)
    assert d.epochs[0] == 0 and d.epochs[-1] == run.checkpoints[-1].epoch
    assert d.n_valid[-1] == circuit_view(run.model, s).n_valid
    assert training_dynamics(s) is d


def test_interpretation_counts_and_readings_by_brute_force(xor3):
    from mi_ident.interpretations import iter_interpretations

    s, model = xor3
    ex = explore_data(s)
    v = ex.interpretations
    everything = list(iter_interpretations(model, v.circuit))
    assert v.n_interpretations == len(everything)
    assert v.n_readings == len({tuple(sorted(i.tables().items())) for i in everything})
    assert v.n_gap_readings <= v.n_readings
    assert len({tuple(sorted(i.tables().items())) for i in v.gallery}) == len(v.gallery) == min(6, v.n_readings)
