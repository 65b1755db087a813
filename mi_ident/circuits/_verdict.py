"""Verdicts in float64 with certified float32 error bounds, on the evaluation *units*.

A unit is a distinct input row (zero and mean ablation) or a pair (row, source) for
resample ablation; units are ordered source-major (``u = g * R + r``) and each source
``g`` is a group whose correct samples are counted separately: a circuit is valid iff
every group has at least ``min_correct`` correct samples (one group without resampling).

A sample is correct iff its rounded output equals its target and, when ``min_margin`` is
given, its output lies more than ``min_margin`` from every rounding boundary ``k + 0.5``.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits._data import _prepare_data
>>> data = _prepare_data(None, "XOR", 0.99, n_in=2, n_out=1)
>>> net = _Net(MLP([2, 2, 1], seed=0), data, "float64")
>>> net.forward([np.ones((1, 2)), np.ones((1, 2)), np.ones((1, 1))],
...             [np.ones((1, 2, 2)), np.ones((1, 1, 2))]).shape
(1, 4, 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from ._data import _Data

if TYPE_CHECKING:
    from ..model import MLP
    from .circuit import Circuit

__all__: list[str] = []  # private helpers of the census

_U = 2.0**-24  # unit roundoff of float32


class _Net:
    """The model's weights in float64, the evaluation units, their ablation values, and per-unit
    bounds on the float32 rounding error.

    With ``precision="float64"`` the bound is only a cushion for float64 summation order, the
    verdict of reference is the float64 forward pass, and the LeakyReLU slope is the stored
    Python float (not rounded to float32, as torch's float32 forward rounds it).
    ``values[i]`` (``(U or 1, width_i)`` or ``None``) is what edges outside the circuit carry
    into ``Linear`` layer ``i``; ``n_groups`` is the number of sources (1 without resampling).
    """

    def __init__(self, model: "MLP", data: _Data, precision: str, values: Sequence | None = None,
                 n_groups: int = 1, min_margin: float | None = None) -> None:
        self.model, self.data = model, data
        self.weights = [(W.astype(np.float64), b.astype(np.float64)) for W, b in model.numpy_weights()]
        # torch applies the slope in float32; the float64 verdicts use the slope as stored
        self.slope = float(np.float32(model.negative_slope)) if precision == "float32" else float(model.negative_slope)
        self.leaky_out = model.output_activation == "leaky_relu"
        self.u = _U if precision == "float32" else 0.0
        self.values = list(values) if values is not None else [None] * len(self.weights)
        self.G, self.R = n_groups, len(data.rows)
        self.units = np.tile(data.rows, (n_groups, 1))
        self.margin = min_margin
        self.z_bound, self.z_err = self._bounds()

    def _bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """|z| and float32 error bounds of the output pre-activation, per unit and output, valid
        for every circuit (masks only remove terms) and any summation order (gamma_n bound).
        Ablation values are bounded by the largest activation over every unit."""
        c, u = max(1.0, abs(self.slope)), self.u
        M, D = np.abs(self.units), np.zeros_like(self.units)
        for i, (W, b) in enumerate(self.weights):
            if self.values[i] is not None:
                M = np.maximum(M, np.abs(self.values[i]).max(axis=0, keepdims=True))
            n = W.shape[1] + 1
            g = n * u / (1 - n * u)
            aW, ab = np.abs(W), np.abs(b)
            Mz = M @ aW.T + ab
            Dz = D @ aW.T + g * ((M + D) @ aW.T + ab)
            if i == len(self.weights) - 1:
                return Mz, 2 * Dz + 1e-12 * (1 + Mz)
            M = c * Mz
            D = c * Dz + u * (M + c * Dz)
        raise AssertionError("unreachable")

    def act(self, z: np.ndarray, last: bool) -> np.ndarray:
        if last and not self.leaky_out:
            return z
        return np.where(z >= 0, z, z * self.slope)

    def forward(self, node_masks, edge_masks, n_layers: int | None = None) -> np.ndarray:
        """Batched masked forward on the units: masks ``(C or 1, n_i)`` / ``(C or 1, out, in)``
        -> ``(C, U, width)``; removed edges carry the ablation values."""
        L = len(self.weights) if n_layers is None else n_layers
        h = self.units[None]
        for i in range(L):
            W, b = self.weights[i]
            node = np.asarray(node_masks[i], np.float64)[:, None, :]
            edge = np.asarray(edge_masks[i], np.float64)
            z = (h * node) @ (W[None] * edge).transpose(0, 2, 1) + b
            if self.values[i] is not None:
                z = z + self.values[i][None] @ (W[None] * (1 - edge * node)).transpose(0, 2, 1)
            h = self.act(z, i == len(self.weights) - 1)
        return h

    def group_min(self, per_unit: np.ndarray) -> np.ndarray:
        """Correct samples per group ``(..., U) -> (..., G)``, then the worst group."""
        return per_unit.reshape(per_unit.shape[:-1] + (self.G, self.R)).sum(axis=-1).min(axis=-1)

    def unit_targets(self) -> list[list[tuple[np.ndarray, int]]]:
        return self.data.targets * self.G


def _distance(a: np.ndarray) -> np.ndarray:
    """Distance of each output to the nearest rounding boundary ``k + 0.5``."""
    return np.abs(a - (np.floor(a) + 0.5))


def _correct(net: _Net, a: np.ndarray) -> np.ndarray:
    """Correct samples per unit ``(C, U)`` for outputs ``a`` ``(C, U, n_out)`` (no error bounds)."""
    pred = np.round(a)  # half to even, like torch.round
    good = np.ones(pred.shape, dtype=bool) if net.margin is None else _distance(a) > net.margin
    per_unit = np.zeros(a.shape[:2], dtype=np.int64)
    for u, tlist in enumerate(net.unit_targets()):
        for t, k in tlist:
            per_unit[:, u] += k * ((pred[:, u, :] == t[None, :]) & good[:, u, :]).all(axis=1)
    return per_unit


def _judge_outputs(net: _Net, a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For outputs ``a`` (C, U, n_out): correct samples of the worst group, which circuits are
    too close to a boundary to call, and which of those could still be valid."""
    c = max(1.0, abs(net.slope)) if net.leaky_out else 1.0
    err = c * net.z_err + (2 * net.u * c * (net.z_bound + net.z_err) if net.leaky_out else 0.0)
    d = _distance(a)
    border = (np.abs(d - (net.margin or 0.0)) <= err[None]).any(axis=2)  # (C, U)
    per_unit = _correct(net, a)
    best = np.array([max(k for _, k in tlist) for tlist in net.unit_targets()])
    upper = net.group_min(np.where(border, best[None], per_unit))
    any_border = border.any(axis=1)
    return net.group_min(per_unit), any_border, any_border & (upper >= net.data.min_correct)


def _reference_correct(net: _Net, circuit: "Circuit") -> int:
    """The verdict of reference (correct samples of the worst group): torch's float32 forward of
    the circuit on every sample (as the original code), or the float64 forward on the units."""
    if net.u == 0.0:
        nodes = [np.array([m], dtype=np.float64) for m in circuit.node_masks]
        edges = [np.array([e], dtype=np.float64) for e in circuit.edge_masks]
        return int(net.group_min(_correct(net, net.forward(nodes, edges)))[0])
    from .circuit import circuit_forward

    out = circuit_forward(net.model, circuit, net.data.X)[-1].numpy().astype(np.float64)
    good = np.round(out) == net.data.y
    if net.margin is not None:
        good &= _distance(out) > net.margin
    return int(good.all(axis=1).sum())
