"""Faithfulness criteria: every score against a brute-force loop (one `model.run` per case)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import torch

from mi_ident.circuits import Circuit, iter_circuits
from mi_ident.errors import InputTypeError, MIIdentError, ParameterError
from mi_ident.faithfulness import (
    circuit_scores,
    counterfactual_faithfulness,
    interventional_faithfulness,
    noisy_faithfulness,
    noisy_inputs,
    observational_faithfulness,
    ordered_pairs,
    out_of_range_faithfulness,
    out_of_range_inputs,
)
from mi_ident.interventions import Ablation, Patch
from mi_ident.model import MLP
from mi_ident.weights import load_weights

CORNERS = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]


def masks(circuit):
    if circuit is None:
        return {}
    return {"node_masks": [list(m) for m in circuit.node_masks], "edge_masks": list(circuit.edge_masks)}


def run1(model, x, circuit=None, **kw) -> list[torch.Tensor]:
    """One input, one forward pass."""
    with torch.no_grad():
        return model.run(torch.as_tensor(np.asarray([x], dtype=np.float32)), **masks(circuit), **kw)


def out1(model, x, circuit=None, **kw) -> float:
    return float(run1(model, x, circuit, **kw)[-1].reshape(-1)[0])


def patch1(model, values: dict) -> Patch:
    """A patch for one input: ``{(layer, i): value}``."""
    m, v = {}, {}
    for (layer, i), value in values.items():
        m.setdefault(layer, torch.zeros(1, model.widths[layer], dtype=torch.bool))[0, i] = True
        v.setdefault(layer, torch.zeros(1, model.widths[layer]))[0, i] = value
    return Patch(m, v)


def numpy_circuit_out(model, circuit, x) -> float:
    """The paper's masked forward written out neuron by neuron (independent of MLP.run)."""
    h = np.asarray(x, dtype=np.float64)
    for i, (W, b) in enumerate(model.numpy_weights()):
        z = np.array([b[j] + sum(W[j, k] * h[k] * circuit.edge_masks[i][j][k] * circuit.node_masks[i][k]
                                 for k in range(len(h))) for j in range(W.shape[0])])
        h = np.where(z > 0, z, model.negative_slope * z)
    return float(h[0])


def small_nets():
    """Untrained 2-3-3-1 and 2-2-2-1 nets and a spread of their candidate circuits."""
    for widths, seed in (([2, 3, 3, 1], 1), ([2, 2, 2, 1], 4)):
        model = MLP(widths, seed=seed)
        circuits = list(iter_circuits(widths))
        yield model, circuits[:: max(1, len(circuits) // 12)]


@pytest.fixture(scope="module")
def seed03(reference_dir):
    model = load_weights(reference_dir / "seed_03_weights.npz").model
    ref = json.loads((reference_dir / "seed_03.json").read_text())
    return model, [Circuit.from_dict(d) for d in ref["valid_circuits"]]


# -- inputs and pairs -----------------------------------------------------------------------


def test_pairs_are_ordered_without_self_pairs_by_default():
    pairs = {tuple(p) for p in ordered_pairs(2)}
    assert pairs == {(s, b) for s in range(4) for b in range(4) if s != b}
    assert {tuple(p) for p in ordered_pairs(2, self_pairs=True)} == set(itertools.product(range(4), repeat=2))


def test_noisy_and_out_of_range_inputs():
    X = noisy_inputs(2, noise_std=0.2, n_samples=500, seed=1)
    deviation = X - np.repeat(np.array(CORNERS), 500, axis=0)
    assert abs(deviation.std() - 0.2) < 0.02 and abs(deviation.mean()) < 0.02
    assert np.array_equal(X, noisy_inputs(2, noise_std=0.2, n_samples=500, seed=1))
    assert not np.array_equal(X, noisy_inputs(2, noise_std=0.2, n_samples=500, seed=2))
    Y = out_of_range_inputs(2, (-1, 2), n_samples=4000, seed=0)
    assert Y.min() >= -1 and Y.max() <= 2 and Y.min() < -0.9 and Y.max() > 1.9
    assert ((Y < 0) | (Y > 1)).any(axis=1).mean() > 0.5  # most points lie outside the unit square


# -- circuits: observational on any inputs --------------------------------------------------


def test_observational_on_inputs_equals_plain_loops():
    for model, circuits in small_nets():
        X = np.vstack([noisy_inputs(2, 0.3, 5, seed=0), out_of_range_inputs(2, (-1, 2), 20, seed=0)])
        for c in circuits:
            ours = [out1(model, x, c) for x in X]
            theirs = [out1(model, x) for x in X]
            assert ours == pytest.approx([numpy_circuit_out(model, c, x) for x in X], abs=1e-5)
            expected = np.mean([(a > 0.5) == (b > 0.5) for a, b in zip(ours, theirs)])
            score = observational_faithfulness(model, c, inputs=X)
            assert score == pytest.approx(expected) and score.n_cases == len(X)
            assert score.mean_abs_diff == pytest.approx(np.mean(np.abs(np.subtract(ours, theirs))), abs=1e-6)
            assert noisy_faithfulness(model, c, 0.3, n_samples=5, seed=0) == pytest.approx(
                observational_faithfulness(model, c, inputs=X[:20]))
            assert out_of_range_faithfulness(model, c, (-1, 2), n_samples=20, seed=0) == pytest.approx(
                observational_faithfulness(model, c, inputs=X[20:]))


def test_noise_and_range_separate_circuits_the_corners_do_not(seed03):
    model, circuits = seed03
    corners = {float(observational_faithfulness(model, c)) for c in circuits}
    assert corners == {1.0}  # validity: every circuit agrees with the network on the 4 corners
    noisy = np.array([noisy_faithfulness(model, c, noise_std=0.1, n_samples=100, seed=0) for c in circuits])
    wide = np.array([out_of_range_faithfulness(model, c, (-1, 2), n_samples=1000, seed=0) for c in circuits])
    assert len(np.unique(noisy)) > 5 and noisy.min() < 0.9
    assert len(np.unique(wide)) > 10 and wide.max() < 1.0  # no circuit matches the net everywhere
    # zero noise gives back the corners: the separation comes from the noise, not the code path
    assert {float(noisy_faithfulness(model, c, noise_std=0.0, n_samples=3)) for c in circuits} == {1.0}


# -- circuits: interventional and counterfactual --------------------------------------------


def test_circuit_interventional_equals_plain_loops():
    for model, circuits in small_nets():
        clean = [run1(model, x) for x in CORNERS]
        mean = Ablation("mean", tuple(torch.stack([a[k] for a in clean]).mean(dim=0) for k in range(model.n_layers)))
        bit = [a[-1].item() > 0.5 for a in clean]
        for c in circuits:
            zero = np.mean([(out1(model, x, c) > 0.5) == bit[b] for b, x in enumerate(CORNERS)])
            assert interventional_faithfulness(model, c, "zero") == pytest.approx(zero)
            by_mean = np.mean([(out1(model, x, c, ablation=mean) > 0.5) == bit[b] for b, x in enumerate(CORNERS)])
            assert interventional_faithfulness(model, c, "mean") == pytest.approx(by_mean)
            for self_pairs in (False, True):
                cases = [(out1(model, CORNERS[b], c, ablation=Ablation("resample", tuple(clean[s][:-1]))) > 0.5)
                         == bit[b] for s in range(4) for b in range(4) if self_pairs or s != b]
                score = interventional_faithfulness(model, c, "resample", self_pairs=self_pairs)
                assert score == pytest.approx(np.mean(cases)) and score.n_cases == len(cases)


@pytest.mark.parametrize("unit", ["circuit", "neuron"])
def test_circuit_counterfactual_equals_plain_loops(unit):
    for model, circuits in small_nets():
        for c in circuits:
            active = [(l, i) for l in range(1, model.n_layers) for i in range(model.widths[l]) if c.node_masks[l][i]]
            sets = [active] if unit == "circuit" else [[n] for n in active]
            for self_pairs in (False, True):
                cases = []
                for neurons, s, b in itertools.product(sets, range(4), range(4)):
                    if s == b and not self_pairs:
                        continue
                    src_c, src_m = run1(model, CORNERS[s], c), run1(model, CORNERS[s])
                    ours = out1(model, CORNERS[b], c, patch=patch1(model, {n: src_c[n[0]][0, n[1]] for n in neurons}))
                    theirs = out1(model, CORNERS[b], patch=patch1(model, {n: src_m[n[0]][0, n[1]] for n in neurons}))
                    cases.append((ours > 0.5) == (theirs > 0.5))
                score = counterfactual_faithfulness(model, c, self_pairs=self_pairs, unit=unit)
                assert score == pytest.approx(np.mean(cases)) and score.n_cases == len(cases)


def test_full_network_is_faithful_by_every_criterion():
    model = MLP([2, 3, 3, 1], seed=0)
    full = Circuit.from_dict({"node_masks": [[1] * w for w in model.widths],
                              "edge_masks": [np.ones((o, i), int).tolist() for i, o in zip([2, 3, 3], [3, 3, 1])]})
    for ablation in ("zero", "mean", "resample"):
        assert interventional_faithfulness(model, full, ablation) == 1.0
    assert counterfactual_faithfulness(model, full) == 1.0
    assert counterfactual_faithfulness(model, full, unit="neuron") == 1.0
    assert noisy_faithfulness(model, full, noise_std=0.5) == 1.0
    assert out_of_range_faithfulness(model, full, (-5, 5)) == 1.0


# -- bad input -------------------------------------------------------------------------------


def test_bad_inputs_get_one_package_error():
    model = MLP([2, 3, 3, 1], seed=0)
    c = next(iter_circuits([2, 3, 3, 1]))
    with pytest.raises(ParameterError, match="widths"):
        observational_faithfulness(model, next(iter_circuits([2, 2, 1])))
    with pytest.raises(ParameterError, match="ablation"):
        interventional_faithfulness(model, c, "zero-ish")
    with pytest.raises(InputTypeError, match="Circuit or a NeuronMapping"):
        counterfactual_faithfulness(model, "A*B")
    with pytest.raises(InputTypeError, match="model"):
        observational_faithfulness(42, c)
    with pytest.raises(MIIdentError, match="no weights file"):
        observational_faithfulness("no/such/weights.npz", c)
    with pytest.raises(ParameterError, match="noise_std"):
        noisy_faithfulness(model, c, noise_std=-1)
    with pytest.raises(ParameterError, match="input_range"):
        out_of_range_faithfulness(model, c, input_range=(2, -1))
    with pytest.raises(ParameterError, match="n_samples"):
        out_of_range_faithfulness(model, c, n_samples=0)
    with pytest.raises(ParameterError, match="self_pairs"):
        counterfactual_faithfulness(model, c, self_pairs="yes")
    with pytest.raises(ParameterError, match="unit"):
        counterfactual_faithfulness(model, c, unit="layer")
    with pytest.raises(ParameterError, match="inputs"):
        observational_faithfulness(model, c, inputs=np.zeros((4, 3)))
    with pytest.raises(ParameterError, match="one output"):
        observational_faithfulness(MLP([2, 2, 2]), next(iter_circuits([2, 2, 2])))


def test_batched_scores_equal_one_circuit_at_a_time(seed03):
    model, circuits = seed03
    batched = circuit_scores(model, circuits, ablation="resample", beyond_corners=True, noise_std=0.2, seed=3)
    assert set(batched) == {"observational", "interventional", "counterfactual", "noisy", "out_of_range"}
    one = {
        "observational": [observational_faithfulness(model, c) for c in circuits],
        "interventional": [interventional_faithfulness(model, c, "resample") for c in circuits],
        "counterfactual": [counterfactual_faithfulness(model, c) for c in circuits],
        "noisy": [noisy_faithfulness(model, c, noise_std=0.2, n_samples=100, seed=3) for c in circuits],
        "out_of_range": [out_of_range_faithfulness(model, c, n_samples=1000, seed=3) for c in circuits],
    }
    for name, values in one.items():
        assert batched[name] == pytest.approx(values), name
    assert len(set(batched["interventional"])) > 1  # the comparison is not between constants


def test_batched_scores_take_the_counterfactual_unit():
    from mi_ident.faithfulness import circuit_scores, counterfactual_faithfulness

    model = MLP([2, 3, 3, 1], seed=0)
    circuits = [c for _, c in zip(range(40), iter_circuits([2, 3, 3, 1]))]
    batched = circuit_scores(model, circuits, unit="neuron")["counterfactual"]
    one_by_one = [counterfactual_faithfulness(model, c, unit="neuron") for c in circuits]
    assert np.allclose(batched, one_by_one)
    with pytest.raises(ParameterError, match="unit"):
        circuit_scores(model, circuits, unit="layer")
