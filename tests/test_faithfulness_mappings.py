"""Faithfulness of mappings and the table: brute-force loops, one `model.run` per case."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import torch

from mi_ident.alignment import NeuronMapping as Mapping
from mi_ident.alignment import mapping_iia, what_then_where
from mi_ident.circuits import Circuit
from mi_ident.errors import InputTypeError, ParameterError
from mi_ident.faithfulness import (
    BEYOND_CORNERS,
    CRITERIA,
    count_faithful,
    counterfactual_faithfulness,
    faithfulness_table,
    interventional_faithfulness,
    noisy_faithfulness,
    observational_faithfulness,
)
from mi_ident.model import MLP
from mi_ident.weights import load_weights
from test_faithfulness import CORNERS, out1, patch1, run1



def hand_mappings():
    """Mappings of XOR's formula ¬(A*B)*(A+B) on an untrained 2-3-3-1 net, spanning layers."""
    f = "¬(A*B)*(A+B)"
    return [
        Mapping.from_dict(f, {"A+B": [(1, 0)], "¬(A*B)": [(1, 1)]}),
        Mapping.from_dict(f, {"A+B": [(2, 0), (2, 2)], "¬(A*B)": [(1, 2)]}),
        Mapping.from_dict(f, {"A+B": [(1, 0), (1, 1)], "¬(A*B)": [(2, 1)]}),
    ]


@pytest.fixture(scope="module")
def seed03(reference_dir):
    model = load_weights(reference_dir / "seed_03_weights.npz").model
    ref = json.loads((reference_dir / "seed_03.json").read_text())
    circuits = [Circuit.from_dict(d) for d in ref["valid_circuits"]]
    wtw = what_then_where(model, "XOR", mode="paper")
    return model, circuits, [m for a in wtw.aligned for m in a.mappings]


def test_mapping_criteria_equal_plain_loops():
    for seed in (0, 2):
        model = MLP([2, 3, 3, 1], seed=seed)
        clean = [run1(model, x) for x in CORNERS]
        bit = [a[-1].item() > 0.5 for a in clean]
        mean = [torch.stack([a[layer][0] for a in clean]).mean(dim=0) for layer in range(4)]
        for m in hand_mappings():
            f = m.formula
            assert observational_faithfulness(model, m) == np.mean([b == t for b, t in zip(bit, f.truth_table)])
            last = max(l for l, _ in m.neurons)
            outside = [(l, i) for l in range(1, last + 1) for i in range(3) if (l, i) not in m.neurons]
            for ablation in ("zero", "mean"):
                value = {n: (0.0 if ablation == "zero" else mean[n[0]][n[1]]) for n in outside}
                expected = np.mean([(out1(model, x, patch=patch1(model, value)) > 0.5) == bit[b]
                                    for b, x in enumerate(CORNERS)])
                assert interventional_faithfulness(model, m, ablation) == pytest.approx(expected)
            resampled = [(out1(model, CORNERS[b], patch=patch1(model, {n: clean[s][n[0]][0, n[1]] for n in outside}))
                          > 0.5) == bit[b] for s in range(4) for b in range(4) if s != b]
            score = interventional_faithfulness(model, m, "resample")
            assert score == pytest.approx(np.mean(resampled)) and score.n_cases == 12
            for self_pairs in (False, True):
                nodes = list(m.assignment)
                cases = []
                for r in range(1, len(nodes) + 1):
                    for group in itertools.combinations(nodes, r):
                        for s, b in itertools.product(range(4), repeat=2):
                            if s == b and not self_pairs:
                                continue
                            neurons = set().union(*(n for _, n in group))
                            low = out1(model, CORNERS[b], patch=patch1(model, {n: clean[s][n[0]][0, n[1]] for n in neurons}))
                            forced = {nid: f.values[nid][s] for nid, _ in group}
                            high = f.evaluate(np.array([CORNERS[b]], dtype=int), forced)[f.root.id][0]
                            cases.append((low > 0.5) == bool(high))
                assert counterfactual_faithfulness(model, m, self_pairs=self_pairs) == pytest.approx(np.mean(cases))
            # with self-pairs the counterfactual score is the joint IIA of the alignment module
            assert counterfactual_faithfulness(model, m, self_pairs=True) == pytest.approx(
                mapping_iia(model, m, pair_order="all", joint=True))


def test_interventional_says_what_it_leaves_live():
    model = MLP([2, 3, 3, 1], seed=0)
    m = hand_mappings()[0]  # layer-1 neurons only: layer 2 is left live
    note = interventional_faithfulness(model, m, "mean").note
    assert "ablated: L1.2" in note and "L2.0, L2.1, L2.2" in note and "left live" in note


def test_mappings_refuse_inputs_beyond_the_corners():
    model = MLP([2, 3, 3, 1], seed=0)
    m = hand_mappings()[0]
    with pytest.raises(InputTypeError, match="clean inputs"):
        noisy_faithfulness(model, m)
    with pytest.raises(InputTypeError, match="clean inputs"):
        observational_faithfulness(model, m, inputs=np.zeros((2, 2)))
    with pytest.raises(ParameterError, match="3 inputs"):
        observational_faithfulness(model, Mapping.from_dict("(A*B)+C", {"A*B": [(1, 0)]}))
    with pytest.raises(ParameterError, match="not hidden neurons"):
        counterfactual_faithfulness(model, Mapping.from_dict("¬(A*B)*(A+B)", {"A+B": [(1, 7)], "¬(A*B)": [(1, 1)]}))


def test_table_and_counts(seed03):
    model, circuits, mappings = seed03
    table = faithfulness_table(model, circuits[:12], mappings[:12], beyond_corners=True)
    assert list(table.columns) == ["kind", "name", "n_neurons", *CRITERIA, *BEYOND_CORNERS]
    circuit_rows = table[table.kind == "circuit"]
    for row, c in zip(circuit_rows.itertuples(), circuits):
        assert row.noisy == pytest.approx(noisy_faithfulness(model, c))
        assert row.counterfactual == pytest.approx(counterfactual_faithfulness(model, c))
    assert table.loc[table.kind == "mapping", "noisy"].isna().all()
    counts = count_faithful(table, threshold=0.9)
    for kind, row in counts.iterrows():
        passing = np.ones((table.kind == kind).sum(), dtype=bool)
        for c in (*CRITERIA, *BEYOND_CORNERS):
            scores = table.loc[table.kind == kind, c].to_numpy(dtype=float)
            if np.isnan(scores).all():
                assert row[c] is pd_na()
                continue
            passing &= scores >= 0.9
            assert row[c] == passing.sum()
    with pytest.raises(ParameterError, match="missing columns"):
        count_faithful(table.drop(columns=["counterfactual"]))
    with pytest.raises(InputTypeError, match="circuits must hold only circuits"):
        faithfulness_table(model, circuits=mappings[:1])


def pd_na():
    import pandas as pd

    return pd.NA
