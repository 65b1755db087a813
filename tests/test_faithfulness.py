"""Faithfulness criteria: plain-loop cross-checks on circuits and mappings."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from mi_ident.alignment import Mapping, what_then_where
from mi_ident.circuits import Circuit
from mi_ident.faithfulness import (
    CRITERIA,
    count_faithful,
    counterfactual_faithfulness,
    faithfulness_table,
    interventional_faithfulness,
    observational_faithfulness,
)
from mi_ident.model import MLP
from mi_ident.weights import load_weights

CORNERS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def full_circuit(widths) -> Circuit:
    return Circuit.from_dict({
        "node_masks": [[1] * w for w in widths],
        "edge_masks": [np.ones((o, i), dtype=int).tolist() for i, o in zip(widths[:-1], widths[1:])],
    })


def loop_forward(model: MLP, circuit: Circuit | None, x, ablated=None, patch=None) -> list[np.ndarray]:
    """One input, one neuron and one edge at a time: an edge outside the circuit (or from an
    inactive node) carries ``ablated[layer][k]`` (0 when None); ``patch`` sets post-activations."""
    acts = [np.asarray(x, dtype=np.float64)]
    for i, (W, b) in enumerate(model.numpy_weights()):
        h = []
        for j in range(W.shape[0]):
            z = float(b[j])
            for k in range(W.shape[1]):
                live = circuit is None or (circuit.edge_masks[i][j][k] and circuit.node_masks[i][k])
                value = acts[-1][k] if live else (0.0 if ablated is None else ablated[i][k])
                z += float(W[j, k]) * value
            z = z if z > 0 else model.negative_slope * z
            h.append((patch or {}).get((i + 1, j), z))
        acts.append(np.array(h))
    return acts


def bit(acts) -> bool:
    return acts[-1][0] > 0.5


@pytest.fixture(scope="module")
def seed03(reference_dir):
    model = load_weights(reference_dir / "seed_03_weights.npz").model
    ref = json.loads((reference_dir / "seed_03.json").read_text())
    circuits = [Circuit.from_dict(d) for d in ref["valid_circuits"]]
    # the paper's mappings and those of the default (extended) search, whose sets may span layers
    searches = [what_then_where(model, "XOR", mode=mode) for mode in ("paper", "extended")]
    mappings = [m for wtw in searches for a in wtw.aligned for m in a.mappings]
    return model, circuits, mappings


def test_valid_reference_circuits_are_observationally_faithful(seed03):
    # the original found them with accuracy 1.0 on every corner, as is the full network
    model, circuits, _ = seed03
    assert all(observational_faithfulness(model, c) == 1.0 for c in circuits)


def test_full_network_is_faithful_by_every_criterion():
    model = MLP([2, 3, 3, 1], seed=0)
    full = full_circuit(model.widths)
    for ablation in ("mean", "resample"):
        assert interventional_faithfulness(model, full, ablation) == 1.0
    assert observational_faithfulness(model, full) == 1.0
    assert counterfactual_faithfulness(model, full) == 1.0


def test_circuit_criteria_equal_plain_loops(seed03):
    model, circuits, _ = seed03
    clean = [loop_forward(model, None, x) for x in CORNERS]
    mean = [np.mean([a[layer] for a in clean], axis=0) for layer in range(len(model.widths))]
    for c in circuits[::6]:
        obs = np.mean([bit(loop_forward(model, c, x)) == bit(clean[i]) for i, x in enumerate(CORNERS)])
        assert observational_faithfulness(model, c) == pytest.approx(obs)
        mean_ablated = np.mean([bit(loop_forward(model, c, x, ablated=mean)) == bit(clean[i]) for i, x in enumerate(CORNERS)])
        assert interventional_faithfulness(model, c, "mean") == pytest.approx(mean_ablated)
        resampled = np.mean([
            bit(loop_forward(model, c, CORNERS[b], ablated=clean[s])) == bit(clean[b])
            for s, b in itertools.product(range(4), repeat=2)
        ])
        assert interventional_faithfulness(model, c, "resample") == pytest.approx(resampled)
        cases = []
        active = [(l, i) for l in range(1, model.n_layers) for i in range(model.widths[l]) if c.node_masks[l][i]]
        for (l, i), (s, b) in itertools.product(active, itertools.product(range(4), repeat=2)):
            in_circuit = loop_forward(model, c, CORNERS[b], patch={(l, i): loop_forward(model, c, CORNERS[s])[l][i]})
            in_model = loop_forward(model, None, CORNERS[b], patch={(l, i): clean[s][l][i]})
            cases.append(bit(in_circuit) == bit(in_model))
        assert counterfactual_faithfulness(model, c) == pytest.approx(np.mean(cases))


def test_mapping_criteria_equal_plain_loops(seed03):
    model, _, mappings = seed03
    clean = [loop_forward(model, None, x) for x in CORNERS]
    mean = [np.mean([a[layer] for a in clean], axis=0) for layer in range(len(model.widths))]
    for m in mappings[::5]:
        f = m.formula
        assert observational_faithfulness(model, m) == np.mean([bit(a) == t for a, t in zip(clean, f.truth_table)])
        last = max(l for l, _ in m.neurons)
        outside = [(l, i) for l in range(1, last + 1) for i in range(model.widths[l]) if (l, i) not in m.neurons]
        ablated = np.mean([
            bit(loop_forward(model, None, x, patch={n: mean[n[0]][n[1]] for n in outside})) == bit(clean[b])
            for b, x in enumerate(CORNERS)
        ])
        assert interventional_faithfulness(model, m, "mean") == pytest.approx(ablated)
        # counterfactual: every subset of nodes patched at once, every ordered pair
        nodes = list(m.assignment)
        cases = []
        for r in range(1, len(nodes) + 1):
            for group in itertools.combinations(nodes, r):
                for s, b in itertools.product(range(4), repeat=2):
                    neurons = set().union(*(set(n) for _, n in group))
                    low = bit(loop_forward(model, None, CORNERS[b], patch={n: clean[s][n[0]][n[1]] for n in neurons}))
                    high = f.evaluate(np.array([CORNERS[b]]), {nid: f.values[nid][s] for nid, _ in group})[f.root.id][0]
                    cases.append(low == bool(high))
        assert counterfactual_faithfulness(model, m) == pytest.approx(np.mean(cases))


def test_table_and_counts(seed03):
    model, circuits, mappings = seed03
    table = faithfulness_table(model, circuits, mappings)
    assert list(table.columns) == ["kind", "name", "n_neurons", *CRITERIA]
    assert len(table) == len(circuits) + len(mappings)
    assert table[list(CRITERIA)].apply(lambda c: c.between(0, 1)).all().all()
    counts = count_faithful(table)
    assert set(counts.index) == {"circuit", "mapping"}
    for _, row in counts.iterrows():
        values = [row["all"], *(row[c] for c in CRITERIA)]
        assert values == sorted(values, reverse=True)  # stricter criteria can only shrink
    assert counts.loc["circuit", "all"] == len(circuits)
    passing = (table[list(CRITERIA)] >= 1).all(axis=1)
    assert counts.loc["mapping", "counterfactual"] == int(passing[table.kind == "mapping"].sum())


def test_bad_inputs():
    model = MLP([2, 3, 3, 1], seed=0)
    with pytest.raises(ValueError, match="widths"):
        observational_faithfulness(model, full_circuit([2, 2, 1]))
    with pytest.raises(ValueError, match="ablation"):
        interventional_faithfulness(model, full_circuit(model.widths), "zero-ish")
    with pytest.raises(TypeError, match="Circuit or a Mapping"):
        counterfactual_faithfulness(model, "A*B")
    with pytest.raises(ValueError, match="3 inputs"):
        observational_faithfulness(model, Mapping.from_dict("(A*B)+C", {"A*B": [(1, 0)]}))
    with pytest.raises(ValueError, match="missing columns"):
        count_faithful(faithfulness_table(model).drop(columns=["counterfactual"]))
