"""The comparison with the census, cross-checked by brute force on 2-2-2-1 nets."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from mi_ident.circuits import circuit_forward, iter_circuits
from mi_ident.discovery import differ_probability, ground_truth, method_runs, pick_summary, survey
from mi_ident.discovery.compare import METHODS
from mi_ident.errors import ParameterError
from mi_ident.model import MLP
from mi_ident.training import train_many

ROWS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
GRID = {"greedy": {"tau": [0.0, 0.02, 0.1]}, "attribution": {"k": [4, 6, 8, 20]}, "masks": {"penalty": [0.05, 0.5]}}
SEEDS = [0, 1, 2, 3]


@pytest.fixture(scope="module")
def small_nets():
    out = []
    for gate in ("XOR", "AND", "OR"):
        out += [(gate, r.model) for r in train_many(gate, [2, 2, 2, 1], seeds=[0, 1, 2], progress=False) if r.accepted]
    assert len(out) >= 4
    return out


def brute_valid(model, gate):
    """Every candidate, evaluated one by one with the census' reference forward pass."""
    y = np.array({"XOR": [0, 1, 1, 0], "AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1]}[gate], dtype=bool)
    return [c for c in iter_circuits(model.widths)
            if ((circuit_forward(model, c, ROWS)[-1][:, 0].numpy() > 0.5) == y).mean() > 0.99]


def test_ground_truth_matches_brute_force(small_nets):
    for gate, model in small_nets:
        gt, brute = ground_truth(model, gate), brute_valid(model, gate)
        assert gt.circuits == brute
        for pos, c in enumerate(brute):
            row = gt.table.iloc[pos]
            assert row.n_edges == sum(int(e.sum()) for e in c.edge_masks)
            mass = sum((np.abs(W) * e).sum() for (W, _), e in zip(model.numpy_weights(), c.edge_masks))
            assert row.weight_mass == pytest.approx(mass, rel=1e-6)
            out = circuit_forward(model, c, ROWS)[-1][:, 0].numpy()
            # the census' margin: distance to the nearest rounding boundary k + 0.5 (all rows right)
            to_boundary = np.abs(out - (np.round(out - 0.5) + 0.5))
            assert row.margin == pytest.approx(to_boundary.min(), abs=1e-5)


def test_runs_and_summaries_match_brute_force(small_nets):
    for gate, model in small_nets:
        gt, brute = ground_truth(model, gate), brute_valid(model, gate)
        runs = method_runs(model, gate, GRID, SEEDS, gt)
        picks = {}
        for method, knobs in GRID.items():
            knob, run = METHODS[method]
            for v in knobs[knob]:
                if method == "attribution" and v > 10:
                    assert not ((runs.method == method) & (runs.value == v)).any()
                    continue
                circuits = run(model, gate, [v], SEEDS)[0]
                assert len(circuits) == (1 if method == "attribution" else len(SEEDS))
                got = runs[(runs.method == method) & (runs.value == v)]
                expected = [brute.index(c) if c in brute else -1 for c in circuits]
                assert got.position.tolist() == expected
                picks[(method, v)] = circuits
        summary = pick_summary(runs, gt).set_index(["method", "value"])
        sparsest = min(sum(int(e.sum()) for e in c.edge_masks) for c in brute)
        for key, circuits in picks.items():
            row = summary.loc[key]
            valid = [c for c in circuits if c in brute]
            assert row.valid == pytest.approx(len(valid) / len(circuits))
            assert row.distinct == len(set(valid))
            pairs = list(itertools.combinations(circuits, 2))
            keyed = [(a in brute and b in brute and a == b) or (a not in brute and b not in brute) for a, b in pairs]
            assert row.p_differ == pytest.approx(1 - np.mean(keyed) if keyed else 0.0)
            minimal = [c for c in brute if not any(d != c and all((a <= b).all() for a, b in zip(d.edge_masks, c.edge_masks))
                                                   for d in brute)]
            assert row.edge_minimal == pytest.approx(np.mean([c in minimal for c in circuits]))
            assert row.sparsest == pytest.approx(
                np.mean([c in brute and sum(int(e.sum()) for e in c.edge_masks) == sparsest for c in circuits]))


def test_pooled_summary(small_nets):
    gate, model = small_nets[0]
    gt = ground_truth(model, gate)
    runs = method_runs(model, gate, GRID, SEEDS, gt)
    pooled = pick_summary(runs, gt, by=("method",)).set_index("method")
    for method, g in runs.groupby("method"):
        assert pooled.loc[method, "runs"] == len(g)
        assert pooled.loc[method, "distinct"] == g.position[g.position >= 0].nunique()
        assert pooled.loc[method, "p_differ"] == pytest.approx(differ_probability(g.position))


def test_differ_probability():
    assert differ_probability([1, 1, 1]) == 0.0
    assert differ_probability([1, 2]) == 1.0
    assert differ_probability([1, 1, 2]) == pytest.approx(2 / 3)
    assert differ_probability([5]) == 0.0


def test_silent_neurons_merge_classes():
    """A neuron that never fires: circuits differing only in it share a class."""
    model = MLP([2, 3, 2, 1], seed=0)
    with torch.no_grad():  # make hidden neuron L1.2 silent: negative weights and bias
        model.layers[0].weight[2] = torch.tensor([-1.0, -1.0])
        model.layers[0].bias[2] = -1.0
    with torch.no_grad():
        table = [int(b) for b in model.run(torch.from_numpy(ROWS))[-1][:, 0].numpy() > 0.5]
    gt = ground_truth(model, table)  # the task the network computes: every candidate judged on it
    assert (1, 2) in gt.census.silent
    # brute force: the class key drops column/row 2 of the layer-1 neurons
    keys = {}
    for c in gt.circuits:
        key = (c.node_masks[1][:2], c.node_masks[2], c.edge_masks[0][:2].tobytes(),
               c.edge_masks[1][:, :2].tobytes(), c.edge_masks[2].tobytes())
        keys.setdefault(key, set()).add(int(gt.table.cls.iat[gt.positions[c]]))
    assert all(len(v) == 1 for v in keys.values())
    assert gt.n_classes == len(keys) < gt.n_valid


def test_survey_columns_and_bad_grids(small_nets):
    runs, sums = survey(gates=("AND",), widths=(2,), net_seeds=(0,), grid={"greedy": {"tau": [0.02]}}, seeds=(0, 1))
    assert set(runs.gate) <= {"AND"} and len(sums) <= 1
    gate, model = small_nets[0]
    with pytest.raises(ParameterError):
        method_runs(model, gate, {"greedy": {"k": [1]}})
    with pytest.raises(ParameterError):
        method_runs(model, gate, {"acdc": {"tau": [1]}})
