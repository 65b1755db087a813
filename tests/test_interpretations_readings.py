"""Readings, the gap rule and don't-care completions, against brute force.

Two independent checks: (1) every interpretation listed by ``iter_interpretations``,
grouped by hand; (2) a plain re-implementation (numpy forward, levels by a loop, every
combination of tables, consistency by a dictionary) that shares no code with the library.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from mi_ident.circuits import Circuit
from mi_ident.errors import ParameterError, TooLargeError
from mi_ident.interpretations import (
    DEFAULT_MIN_GAP,
    Reading,
    assignment_counts,
    completion_counts,
    count_distinct_readings,
    count_interpretations,
    count_readings,
    distinct_readings,
    dont_cares,
    interpretation_counts,
    iter_interpretations,
    iter_readings,
    levels,
    reading_counts,
)
from mi_ident.model import MLP
from mi_ident.weights import load_weights

GAPS = [0.0, 0.003, 0.01, DEFAULT_MIN_GAP, 0.1]


def _forward(model, circuit, X):
    """Plain numpy masked forward (independent of MLP.run/step)."""
    h = np.asarray(X, dtype=np.float32)
    out = [h]
    for i, (W, b) in enumerate(model.numpy_weights()):
        z = (h * np.asarray(circuit.node_masks[i], dtype=np.float32)) @ (W * circuit.edge_masks[i]).T + b
        h = np.where(z > 0, z, z * model.negative_slope).astype(np.float32)
        out.append(h)
    return out


def _levels(values, gap):
    """Levels by a plain loop: a new level starts where the step up is at least ``gap``."""
    vals = sorted(set(float(v) for v in values))
    starts = [vals[0]] + [b for a, b in zip(vals, vals[1:]) if b - a >= gap]
    return starts  # each level is identified by its lowest value


def _brute_readings(model, circuit, gap):
    """Set of readings (frozen dicts neuron -> table) of a circuit, corrected mode, all 4 rows."""
    rows = [(0, 0), (0, 1), (1, 0), (1, 1)]
    acts = _forward(model, circuit, np.array(rows, dtype=np.float32))
    L = len(model.widths) - 1
    nodes, options = [], []
    for layer in range(L + 1):
        for j in np.flatnonzero(circuit.node_masks[layer]):
            v = acts[layer][:, j]
            if layer == 0:
                opts = [tuple(int(x >= 0.5) for x in v)]
            elif layer == L:
                opts = [tuple(int(x > 0.5) for x in v)]
            else:
                opts = [tuple(int(x >= s) for x in v) for s in _levels(v, gap)[1:]]
            if opts:
                nodes.append((layer, int(j)))
                options.append(opts)
    found = set()
    for combo in itertools.product(*options):
        table = dict(zip(nodes, combo))
        ok = True
        for (layer, j), bits in table.items():
            if layer == 0:
                continue
            parents = [(layer - 1, p) for p in range(model.widths[layer - 1])
                       if circuit.edge_masks[layer - 1][j, p] and (layer - 1, p) in table]
            seen = {}
            for r in range(4):
                key = tuple(table[p][r] for p in parents)
                if seen.setdefault(key, bits[r]) != bits[r]:
                    ok = False
        if ok:
            found.add(frozenset((n, t) for n, t in table.items() if n[0] > 0))
    return found


def _as_set(readings):
    return {frozenset(r.items()) for r in readings}


def _random_circuit(widths, rng, p=0.8):
    node_masks = [[1] * widths[0]] + [list(rng.random(w) < p) for w in widths[1:-1]] + [[1] * widths[-1]]
    for m in node_masks[1:-1]:
        m[rng.integers(len(m))] = 1
    edges = [((rng.random((widths[i + 1], widths[i])) < p) * np.outer(node_masks[i + 1], node_masks[i])).tolist()
             for i in range(len(widths) - 1)]
    return Circuit.from_dict({"node_masks": node_masks, "edge_masks": edges})


@pytest.fixture(scope="module")
def seed0(reference_dir):
    from mi_ident.circuits import census

    wf = load_weights(reference_dir / "seed_00_weights.npz")
    circuits = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False).circuits()
    return wf.model, circuits


def _small_nets():
    """2-2-2-1 random nets and circuits (the grid over seeds gives varied activations)."""
    out = []
    for seed in range(6):
        rng = np.random.default_rng(seed)
        model = MLP([2, 2, 2, 1], seed=seed)
        out += [(model, _random_circuit([2, 2, 2, 1], rng)) for _ in range(4)]
    return out


# ---------------------------------------------------------------------------------------------
def test_levels_match_a_plain_loop():
    rng = np.random.default_rng(0)
    for _ in range(200):
        v = np.round(rng.normal(size=rng.integers(1, 7)) * 0.05, 3)
        gap = float(rng.choice([0.0, 0.005, 0.02, 0.05]))
        assert [lo for lo, _ in levels(v, gap)] == _levels(v, gap)
        assert all(b[0] - a[1] >= gap for a, b in zip(levels(v, gap)[:-1], levels(v, gap)[1:]))


@pytest.mark.parametrize("gap", GAPS)
def test_readings_match_brute_force_on_small_nets(gap):
    nets = _small_nets()
    counts = [count_readings(model, c, min_gap=gap) for model, c in nets]
    for (model, circuit), n in zip(nets, counts):
        expected = _brute_readings(model, circuit, gap)
        listed = list(iter_readings(model, circuit, min_gap=gap))
        assert n == len(listed) == len(set(listed)) == len(expected)
        assert _as_set(listed) == expected
    assert any(counts) and len(set(counts)) > 1  # the cases are not all trivial


@pytest.mark.parametrize("gap", [0.0, DEFAULT_MIN_GAP])
def test_readings_match_brute_force_on_seed0_circuits(seed0, gap):
    model, circuits = seed0
    sample = circuits[::7]
    batched = reading_counts(model, sample, min_gap=gap)
    for circuit, n in zip(sample, batched):
        expected = _brute_readings(model, circuit, gap)
        assert n == len(expected) and _as_set(iter_readings(model, circuit, min_gap=gap)) == expected


def test_distinct_readings_over_circuits_is_the_union(seed0):
    model, circuits = seed0
    for gap in (0.0, DEFAULT_MIN_GAP):
        union = set().union(*(_brute_readings(model, c, gap) for c in circuits))
        got = distinct_readings(model, circuits, min_gap=gap)
        assert _as_set(got) == union and len(got) == len(union)
        assert count_distinct_readings(model, circuits, min_gap=gap) == len(union)
    assert count_distinct_readings(model, circuits) < int(reading_counts(model, circuits).sum())


def test_readings_group_the_listed_interpretations(seed0):
    """Interpretations grouped by their tables are the readings; group sizes are the completions."""
    model, circuits = seed0
    small = [c for c, n in zip(circuits, interpretation_counts(model, circuits)) if n <= 3000][:12]
    assert len(small) >= 6
    for circuit in small:
        groups: dict = {}
        for interp in iter_interpretations(model, circuit):
            key = tuple(sorted(interp.tables().items()))
            groups[key] = groups.get(key, 0) + 1
        readings = list(iter_readings(model, circuit, min_gap=0))
        assert [tuple(sorted(r.items())) for r in readings] == list(groups)  # same order too
        d = dont_cares(model, circuit)
        assert [n for _, n in d.per_reading] == list(groups.values())
        assert all(n == 2**u for u, n in d.per_reading)
        assert d.readings == len(groups) and d.interpretations == sum(groups.values())
        assert d.completions == sum(groups.values()) - len(groups)


@pytest.mark.parametrize("mode", ["paper", "corrected"])
def test_counts_add_up_readings_plus_completions(reference_dir, mode):
    ref = json.loads((reference_dir / "seed_03.json").read_text())
    wf = load_weights(reference_dir / "seed_03_weights.npz")
    circuits = [Circuit.from_dict(c) for c in ref["valid_circuits"]][:20]
    X = wf.data["X_ground"]
    total = interpretation_counts(wf.model, circuits, X, mode=mode)
    assert (reading_counts(wf.model, circuits, X, mode=mode, min_gap=0) + completion_counts(
        wf.model, circuits, X, mode=mode) == total).all()
    assert (assignment_counts(wf.model, circuits, X, mode=mode) == reading_counts(
        wf.model, circuits, X, mode=mode, min_gap=0)).all()
    if mode == "paper":  # paper mode ignores the gap rule
        assert (reading_counts(wf.model, circuits, X, mode=mode, min_gap=0.5) == reading_counts(
            wf.model, circuits, X, mode=mode, min_gap=0)).all()


def test_paper_mode_readings_group_paper_interpretations(reference_dir):
    ref = json.loads((reference_dir / "seed_04.json").read_text())
    wf = load_weights(reference_dir / "seed_04_weights.npz")
    X = wf.data["X_ground"]
    circuits = [Circuit.from_dict(c) for c in ref["valid_circuits"]]
    small = [c for c, n in zip(circuits, ref["groundings_per_valid_circuit"]) if 0 < n <= 2000][:8]
    for circuit in small:
        groups = {tuple(sorted(i.tables().items())) for i in iter_interpretations(wf.model, circuit, X, mode="paper")}
        listed = [tuple(sorted(r.items())) for r in iter_readings(wf.model, circuit, X, mode="paper")]
        assert set(listed) == groups and len(listed) == len(groups)
        d = dont_cares(wf.model, circuit, X, mode="paper")
        assert d.interpretations == count_interpretations(wf.model, circuit, X, mode="paper")


def test_gap_rule_removes_the_noise_thresholds_of_seed0(seed0):
    """The full network: 180 assignments with every threshold, 4 readings under the gap rule."""
    model, circuits = seed0
    full = [c for c in circuits if all(all(m) for m in c.node_masks) and all(np.all(e) for e in c.edge_masks)]
    assert len(full) == 1
    assert count_readings(model, full[0], min_gap=0) == len(_brute_readings(model, full[0], 0.0))
    readings = list(iter_readings(model, full[0]))
    assert len(readings) == len(_brute_readings(model, full[0], DEFAULT_MIN_GAP))
    assert (2, 1) not in readings[0]  # the silent neuron's values all lie within 0.01 of each other
    assert all(r[(3, 0)] == (0, 1, 1, 0) for r in readings)


def test_reading_labels_name_input_functions():
    rows = ((0, 0), (0, 1), (1, 0), (1, 1))
    r = Reading(rows, (((1, 0), (0, 0, 1, 0)), ((2, 0), (0, 1, 1, 0))))
    assert r.labels() == {(1, 0): "A∧¬B", (2, 0): "XOR(A,B)"}
    assert Reading(rows[:3], (((1, 0), (0, 1, 1)),)).labels() == {(1, 0): "011"}
    assert r == Reading(rows, r.tables) and len({r, Reading(rows, r.tables)}) == 1


def test_bad_arguments_are_refused_up_front(seed0):
    model, circuits = seed0
    with pytest.raises(ParameterError, match="min_gap must be a number >= 0"):
        count_readings(model, circuits[0], min_gap=-1)
    with pytest.raises(ParameterError, match="min_gap must be a number"):
        reading_counts(model, circuits, min_gap="big")
    with pytest.raises(TooLargeError, match="readings to list"):
        distinct_readings(model, circuits, min_gap=0, max_readings=10)
    with pytest.raises(ParameterError, match="mode must be one of"):
        iter_readings(model, circuits[0], mode="fast")
    assert reading_counts(model, []).tolist() == [] and distinct_readings(model, []) == []


def test_completions_on_small_nets_group_the_listed_interpretations():
    nets = _small_nets()
    completions = [completion_counts(model, [c])[0] for model, c in nets]
    for (model, circuit), extra in zip(nets, completions):
        groups: dict = {}
        for interp in iter_interpretations(model, circuit):
            key = tuple(sorted(interp.tables().items()))
            groups[key] = groups.get(key, 0) + 1
        d = dont_cares(model, circuit)
        assert [n for _, n in d.per_reading] == list(groups.values())
        assert extra == d.completions == sum(groups.values()) - len(groups)
    assert any(completions)
