"""Tests for mi_ident.model: the MLP, its activations and the .npz weights format."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
import torch
from torch import nn

from mi_ident.errors import WeightsFileError
from mi_ident.model import MLP
from mi_ident.weights import DATA_KEYS, load_weights, save_weights

from conftest import load_reference

REFERENCE_NAMES = [f"seed_{k:02d}" for k in range(5)] + [f"XOR_h2_seed_{k:02d}" for k in range(5)] + ["AND_h3_seed_00"]


def numpy_forward(weights, x, slope=0.01, last_identity=False):
    """Independent forward pass: every layer's post-activation values."""
    acts = [np.asarray(x, dtype=np.float64)]
    for i, (W, b) in enumerate(weights):
        z = acts[-1] @ W.T.astype(np.float64) + b
        if not (last_identity and i == len(weights) - 1):
            z = np.where(z > 0, z, slope * z)
        acts.append(z)
    return acts


def test_seeded_init_equals_pytorch_default_and_leaves_global_rng_alone():
    state = torch.get_rng_state()
    model = MLP([2, 3, 3, 1], seed=5)
    assert torch.equal(state, torch.get_rng_state())
    torch.manual_seed(5)
    plain = [nn.Linear(2, 3), nn.Linear(3, 3), nn.Linear(3, 1)]
    for layer, ref in zip(model.layers, plain):
        assert torch.equal(layer.weight, ref.weight) and torch.equal(layer.bias, ref.bias)
    assert not torch.equal(MLP([2, 3, 3, 1], seed=6).layers[0].weight, model.layers[0].weight)


@pytest.mark.parametrize("output_activation", ["leaky_relu", "identity"])
def test_forward_and_activations_match_numpy(output_activation):
    model = MLP([2, 4, 3, 2], negative_slope=0.1, output_activation=output_activation, seed=0)
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [-2.0, 3.0]])
    expected = numpy_forward(model.numpy_weights(), x.numpy(), 0.1, output_activation == "identity")
    acts = model.activations(x)
    assert [tuple(a.shape) for a in acts] == [(5, 2), (5, 4), (5, 3), (5, 2)]
    for a, e in zip(acts, expected):
        np.testing.assert_allclose(a.detach().numpy(), e, rtol=1e-5, atol=1e-6)
    assert torch.equal(acts[-1], model(x))
    assert model.n_layers == 3 and model.widths == [2, 4, 3, 2]


def test_output_leaky_relu_lets_negative_outputs_through_scaled():
    W = [(np.zeros((1, 2), np.float32), np.array([-1.0], np.float32))]
    leaky = MLP.from_weights(W)
    ident = MLP.from_weights(W, output_activation="identity")
    x = torch.zeros(1, 2)
    assert leaky(x).item() == pytest.approx(-0.01) and ident(x).item() == pytest.approx(-1.0)


def test_predict_rounds_half_to_even():
    model = MLP.from_weights([(np.zeros((2, 2), np.float32), np.array([0.5, 1.5], np.float32))])
    assert model.predict(np.zeros((3, 2))).tolist() == [[0, 2]] * 3
    assert model.predict(np.zeros((3, 2))).dtype == np.int64


@pytest.mark.parametrize("widths", [[2], [], [2, 0, 1], [2, -3, 1]])
def test_bad_widths(widths):
    with pytest.raises(ValueError, match="widths|at least one neuron"):
        MLP(widths)


def test_bad_output_activation():
    with pytest.raises(ValueError, match="output_activation"):
        MLP([2, 1], output_activation="sigmoid")


def test_save_load_round_trip(tmp_path):
    model = MLP([2, 5, 1], negative_slope=0.2, seed=3)
    X = np.random.default_rng(0).random((7, 2)).astype(np.float32)
    y = np.ones((7, 1), np.float32)
    path = save_weights(model, tmp_path / "sub" / "m.npz", X_eval=X, y_eval=y)
    assert path.exists() and not list(path.parent.glob("*.tmp"))
    loaded = load_weights(path)
    assert loaded.path == path and loaded.model.widths == [2, 5, 1]
    assert loaded.model.negative_slope == pytest.approx(0.2)
    for (W, b), (W2, b2) in zip(model.numpy_weights(), loaded.model.numpy_weights()):
        assert np.array_equal(W, W2) and np.array_equal(b, b2)
    assert set(loaded.data) == {"X_eval", "y_eval"} and np.array_equal(loaded.data["X_eval"], X)
    x = torch.from_numpy(X)
    assert torch.equal(model(x), loaded.model(x))
    assert load_weights(path, output_activation="identity").model.output_activation == "identity"


def test_save_rejects_unknown_data_keys(tmp_path):
    with pytest.raises(ValueError, match="unknown data keys"):
        save_weights(MLP([2, 1], seed=0), tmp_path / "m.npz", X_test=np.zeros((1, 2)))
    assert "X_train" in DATA_KEYS


def _write(path, **arrays):
    np.savez(path, **arrays)
    return path


def test_load_missing_file(tmp_path):
    with pytest.raises(WeightsFileError, match="no weights file"):
        load_weights(tmp_path / "nope.npz")


def test_load_corrupt_npz(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not a zip archive at all")
    with pytest.raises(WeightsFileError, match="not a readable .npz"):
        load_weights(garbage)
    # a real zip whose member is not an array
    broken = tmp_path / "broken.npz"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("W0.npy", b"not an npy header")
        zf.writestr("b0.npy", b"not an npy header either")
    with pytest.raises(WeightsFileError, match="not a readable .npz"):
        load_weights(broken)
    # pickled object arrays are refused, never unpickled
    pickled = _write(tmp_path / "pickled.npz", W0=np.array([{"a": 1}], dtype=object), b0=np.zeros(1))
    with pytest.raises(WeightsFileError, match="not a readable .npz"):
        load_weights(pickled)


@pytest.mark.parametrize(
    "arrays, match",
    [
        ({"weights": np.zeros((3, 2))}, "lacks the arrays"),
        ({"W0": np.zeros((3, 2))}, "lacks the arrays"),
        ({"W0": np.zeros((3, 2)), "b0": np.zeros(3), "W1": np.zeros((1, 3))}, "lacks the arrays"),
        ({"W0": np.zeros(3), "b0": np.zeros(3)}, "2-D"),
        ({"W0": np.zeros((3, 2)), "b0": np.zeros(3), "W1": np.zeros((1, 4)), "b1": np.zeros(1)}, "out x in"),
        ({"W0": np.zeros((3, 2)), "b0": np.zeros(2)}, "b0 must have shape"),
        ({"W0": np.full((3, 2), np.nan), "b0": np.zeros(3)}, "NaN"),
        ({"W0": np.zeros((3, 2)), "b0": np.zeros(3), "X_eval": np.zeros((4, 5))}, "columns"),
        ({"W0": np.zeros((3, 2)), "b0": np.zeros(3), "X_eval": np.zeros((4, 2)), "y_eval": np.zeros((5, 3))},
         "different lengths"),
    ],
)
def test_load_rejects_wrong_keys_and_shapes(tmp_path, arrays, match):
    path = _write(tmp_path / "bad.npz", **arrays)
    with pytest.raises(WeightsFileError, match=match):
        load_weights(path)


def test_from_weights_rejects_empty():
    with pytest.raises(WeightsFileError, match="no layers"):
        MLP.from_weights([])


@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_reference_models_load_and_score_as_recorded(reference_dir, name):
    ref = load_reference(reference_dir, name)
    wf = load_weights(reference_dir / f"{name}_weights.npz")
    assert wf.model.widths == ref["arch"] and wf.model.negative_slope == pytest.approx(0.01)
    assert set(DATA_KEYS) <= set(wf.data)
    # accuracy with our forward pass equals the original's recorded validation accuracy
    out = wf.model(torch.from_numpy(wf.data["X_eval"])).detach()
    acc = torch.round(out).eq(torch.from_numpy(wf.data["y_eval"])).all(dim=1).float().mean().item()
    assert acc == pytest.approx(ref["val_accuracy"])
    # and matches an independent numpy forward pass
    expected = numpy_forward(wf.model.numpy_weights(), wf.data["X_eval"])[-1]
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
