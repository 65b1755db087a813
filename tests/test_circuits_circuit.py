"""The Circuit value (validation, sizes, dict round trip) and circuit_forward, tied to the
census's float64 verdicts."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mi_ident.circuits import Circuit, check_circuit, circuit_at, circuit_forward, iter_circuits
from mi_ident.circuits._data import _prepare_data
from mi_ident.circuits._verdict import _Net
from mi_ident.errors import InputTypeError, ParameterError
from mi_ident.model import MLP


def test_circuit_sizes_and_round_trip():
    c = circuit_at([2, 3, 3, 1], 5000)
    assert c.n_neurons == sum(map(sum, c.node_masks[1:-1]))
    assert c.n_edges == sum(int(e.sum()) for e in c.edge_masks)
    assert c.sparsity == pytest.approx(1 - c.n_neurons / 6)
    assert Circuit.from_dict(c.to_dict()) == c and hash(Circuit.from_dict(c.to_dict())) == hash(c)


@pytest.mark.parametrize("bad", [7, 255, -1, 0.5])
def test_masks_other_than_0_1_are_refused(bad):
    d = circuit_at([2, 2, 1], 0).to_dict()
    d["edge_masks"][0][0][0] = bad
    with pytest.raises(ParameterError, match="edge mask 0 must be"):
        Circuit.from_dict(d)
    d = circuit_at([2, 2, 1], 0).to_dict()
    d["node_masks"][1][0] = bad
    with pytest.raises(ParameterError, match="node mask 1 must hold only 0 and 1"):
        Circuit.from_dict(d)
    with pytest.raises(ParameterError, match="keys"):
        Circuit.from_dict({"node_masks": []})


def test_check_circuit():
    model = MLP([2, 2, 2, 1], seed=0)
    with pytest.raises(InputTypeError, match="Circuit"):
        check_circuit(model, {"node_masks": []})
    with pytest.raises(ParameterError, match="layer widths"):
        check_circuit(model, circuit_at([2, 3, 3, 1], 0))


def test_circuit_forward_of_the_full_circuit_is_the_model():
    model = MLP([2, 3, 3, 1], seed=4)
    full = Circuit(((1, 1), (1, 1, 1), (1, 1, 1), (1,)),
                   tuple(np.ones((o, i), np.uint8) for i, o in [(2, 3), (3, 3), (3, 1)]))
    X = torch.rand(10, 2)
    acts = circuit_forward(model, full, X)
    for a, b in zip(acts, model.activations(X)):
        assert torch.equal(a, b)


def test_circuit_forward_zeroes_inactive_nodes():
    c = circuit_at([2, 3, 3, 1], 100)
    acts = circuit_forward(MLP([2, 3, 3, 1], seed=0), c, torch.rand(5, 2))
    for layer in (1, 2):
        off = np.array(c.node_masks[layer]) == 0
        assert (acts[layer][:, off] == 0).all()
    with pytest.raises(ValueError, match="layer widths"):
        circuit_forward(MLP([2, 2, 2, 1], seed=0), c, torch.rand(5, 2))


def test_circuit_forward_is_the_original_masked_forward_bit_for_bit():
    # the original code: multiply the layer input by the node mask and the weights by the edge mask
    model = MLP([2, 3, 3, 1], seed=2)
    X = torch.rand(7, 2)
    for c in [circuit_at([2, 3, 3, 1], i) for i in (0, 777, 5000, 9624)]:
        h = X * torch.tensor(c.node_masks[0], dtype=torch.float32)
        for i, layer in enumerate(model.layers):
            h = h * torch.tensor(c.node_masks[i], dtype=torch.float32)
            w = layer.weight * torch.as_tensor(c.edge_masks[i], dtype=torch.float32)
            h = torch.nn.functional.leaky_relu(torch.nn.functional.linear(h, w, layer.bias), model.negative_slope)
        assert torch.equal(circuit_forward(model, c, X)[-1], h)


def test_circuit_forward_agrees_with_the_float64_verdict_forward():
    # the census's float64 forward (_Net.forward) and circuit_forward compute the same network
    model = MLP([2, 3, 3, 1], seed=1)
    data = _prepare_data(None, "XOR", 0.99, 2, 1)
    net = _Net(model, data, "float64")
    circuits = list(iter_circuits([2, 3, 3, 1]))[::7]
    nodes = [np.array([c.node_masks[i] for c in circuits], np.float64) for i in range(4)]
    edges = [np.array([c.edge_masks[i] for c in circuits], np.float64) for i in range(3)]
    ours = net.forward(nodes, edges)[:, :, 0]
    theirs = np.stack([circuit_forward(model, c, data.rows)[-1][:, 0].numpy() for c in circuits])
    assert np.allclose(ours, theirs, atol=1e-6, rtol=1e-6)
    clear = np.abs(ours - (np.floor(ours) + 0.5)) > 1e-5  # away from a rounding boundary: same verdict
    assert clear.mean() > 0.99 and np.array_equal(np.round(ours)[clear], np.round(theirs)[clear])
