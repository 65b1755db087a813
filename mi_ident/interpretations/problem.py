"""The per-circuit problem: each interpreted neuron's candidate truth tables and its parents.

A neuron's values on the input rows become candidate truth tables, one per threshold
between two consecutive *levels* (``value >= level`` is 1). In corrected mode values
closer than ``min_gap`` are one level (:func:`levels`): LeakyReLU squeezes a neuron's
whole "off" side into ``negative_slope * pre-activation``, and float32 rounding leaves
values that differ in the last bits; neither is a difference a reader would call a bit.

Every circuit's activations come from :meth:`~mi_ident.model.MLP.step`, the package's
one forward pass, memoised on shared mask prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from .._validation import as_array, as_model, check_mode, check_number
from ..circuits import Circuit, check_circuit
from ..errors import ParameterError
from ..model import MLP, single_thread

__all__ = ["DEFAULT_MIN_GAP", "levels", "Node"]

Node = tuple[int, int]

#: Default minimum gap (activation units) between two values read as different levels.
#: On the reference nets (2-3-3-1 XOR seeds 0-4, AND, and the 2-4-4-1 XOR net) every gap
#: between two values on a neuron's LeakyReLU "off" side (both <= 0) is below 0.0165, and
#: gaps from float32 rounding are below 1e-6; "on" activations are of order 1. On seed 0
#: no gap lies between 0.009 and 0.065, so any min_gap in that range gives the same counts.
DEFAULT_MIN_GAP = 0.02


def levels(values, min_gap: float) -> list[tuple[float, float]]:
    """Levels ``(lowest, highest)`` of sorted distinct values: a gap below ``min_gap`` joins two.

    >>> levels([0.0, -0.004, 0.5, 0.51, 1.0], min_gap=0.02)
    [(-0.004, 0.0), (0.5, 0.51), (1.0, 1.0)]
    >>> len(levels([0.0, -0.004, 0.5], min_gap=0))
    3
    """
    distinct = np.unique(np.asarray(values))
    out: list[tuple[float, float]] = []
    for v in distinct.tolist():
        if out and v - out[-1][1] < min_gap:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _check_X(model: MLP, X) -> np.ndarray:
    n_in = model.widths[0]
    if X is None:
        return ((np.arange(2**n_in)[:, None] >> np.arange(n_in - 1, -1, -1)) & 1).astype(np.float32)
    arr = as_array("X", X, ndim=2)
    if arr.shape[1] != n_in or len(arr) == 0:
        raise ParameterError(
            f"X must be a non-empty 2-D array with one column per network input ({n_in}); got shape {arr.shape}"
        )
    return arr


def _masked_activations(model: MLP, circuits: Sequence[Circuit], X: np.ndarray) -> list[np.ndarray]:
    """Post-activation values ``[C, n, width]`` per layer (input first) of every circuit.

    Each layer is one :meth:`MLP.step` with the circuit's node and edge masks (bit-identical
    to :func:`~mi_ident.circuits.circuit_forward`: thresholds and ties depend on the last
    float32 bit). Circuits from a census share mask prefixes, so each prefix is computed once.
    """
    x = torch.as_tensor(np.asarray(X, dtype=np.float32))
    n_layers = len(model.widths)
    n_linear = n_layers - 1
    # prefix key -> (activations passed on so far as arrays, output of the prefix's last layer)
    memo: dict[tuple, tuple[tuple[np.ndarray, ...], torch.Tensor]] = {}
    out: list[list[np.ndarray]] = [[] for _ in range(n_layers)]
    with torch.no_grad(), single_thread():
        for circuit in circuits:
            key: tuple = ()
            acts: tuple[np.ndarray, ...] = ()
            h = x
            for i in range(n_linear):
                key += (circuit.node_masks[i], circuit.edge_masks[i].tobytes())
                if key not in memo:
                    masked, z = model.step(i, h, circuit.node_masks[i], circuit.edge_masks[i])
                    memo[key] = (acts + (masked.numpy(),), z)
                acts, h = memo[key]
            for layer, a in enumerate(acts + (h.numpy(),)):  # the output node mask is not applied
                out[layer].append(a)
    return [np.stack(a) for a in out]


@dataclass(frozen=True)
class _Neuron:
    node: Node
    candidates: tuple[tuple[float, int], ...]  # (threshold, table as a bitmask over rows)
    parents: tuple[int, ...]  # indices into _Problem.neurons
    checked: bool  # False: an input, or a paper-mode first-layer neuron (named by its global table)


@dataclass(frozen=True)
class _Problem:
    mode: str
    rows: tuple[tuple[int, ...], ...]
    neurons: tuple[_Neuron, ...]
    layers: tuple[tuple[int, ...], ...]  # neuron indices per layer, in order

    @property
    def n_rows(self) -> int:
        return len(self.rows)


def _bits(mask: np.ndarray) -> int:
    return sum(1 << r for r, b in enumerate(mask.tolist()) if b)


def _candidates(v: np.ndarray, kind: str, paper: bool, min_gap: float) -> tuple[tuple[float, int], ...]:
    """Candidate (threshold, table) pairs of a neuron with values ``v``, thresholds ascending."""
    if kind == "input":
        return ((0.5, _bits(v >= 0.5)),)
    if kind == "output":
        return ((0.5, _bits(v > 0.5)),)  # the network's own read-out
    if paper:
        distinct = np.unique(v)
        # float32 midpoints, compared as the original does (value > midpoint)
        seps = [(hi + lo) / v.dtype.type(2) for lo, hi in zip(distinct[:-1], distinct[1:])]
        return tuple((float(s), _bits(v > s)) for s in seps)
    lv = levels(v, min_gap)
    return tuple(((a[1] + b[0]) / 2, _bits(v >= b[0])) for a, b in zip(lv[:-1], lv[1:]))


def _rows_and_values(acts: list[np.ndarray], X: np.ndarray, paper: bool):
    """Distinct Boolean rows (counting order) and, per layer, activations ``[C, m, width]`` on them."""
    ints = X.astype(np.int64) if paper else (X >= 0.5).astype(np.int64)  # paper: truncation, as astype(int)
    rows, inverse = np.unique(ints, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    # last occurrence of each distinct row wins, as in the original's dict(zip(inputs, values))
    last = np.zeros(len(rows), dtype=np.int64)
    last[inverse] = np.arange(len(X))
    return [tuple(map(int, r)) for r in rows], [a[:, last, :] for a in acts], rows


def _values(model: MLP, circuits: Sequence[Circuit], X: np.ndarray, paper: bool):
    if paper:
        acts = _masked_activations(model, circuits, X)
        acts[-1] = np.round(acts[-1])  # the original rounds output activations first
        rows, values, _ = _rows_and_values(acts, X, paper)
        if len(rows) != 2 ** model.widths[0]:
            raise ParameterError(
                f"paper mode names first-layer neurons by their full input truth table, so X must "
                f"contain every one of the {2 ** model.widths[0]} input rows; it has {len(rows)}"
            )
        return rows, values
    rows, _, row_arr = _rows_and_values([X[None]], X, paper)
    return rows, _masked_activations(model, circuits, row_arr.astype(np.float32))


def _problems(model, circuits: Sequence[Circuit], X, mode: str, min_gap: float = 0.0) -> list[_Problem]:
    """Validate everything, run the forward passes, and build one :class:`_Problem` per circuit."""
    mode = check_mode(mode)
    min_gap = check_number("min_gap", min_gap)
    if min_gap < 0:
        raise ParameterError(f"min_gap must be a number >= 0 (0: every distinct value is a level); got {min_gap}")
    model = as_model(model)
    for c in circuits:
        check_circuit(model, c)
    X = _check_X(model, X)
    paper = mode == "paper"
    rows, values = _values(model, circuits, X, paper)
    n_layers = len(model.widths)
    seen: dict[tuple[str, bytes], tuple[tuple[float, int], ...]] = {}  # circuits repeat values a lot
    problems = []
    for ci, circuit in enumerate(circuits):
        neurons: list[_Neuron] = []
        index: dict[Node, int] = {}
        layers: list[tuple[int, ...]] = []
        for layer in range(1 if paper else 0, n_layers):
            here = []
            edges = circuit.edge_masks[layer - 1].tolist() if layer else None
            for j, active in enumerate(circuit.node_masks[layer]):
                if not active:
                    continue
                kind = "input" if layer == 0 else "output" if layer == n_layers - 1 and not paper else "hidden"
                key = (kind, values[layer][ci, :, j].tobytes())
                if key not in seen:
                    seen[key] = _candidates(values[layer][ci, :, j], kind, paper, min_gap)
                if not seen[key]:
                    continue  # constant on the rows: no bit, left out (also as a parent)
                # inputs are given, and the original never checks the first layer
                checked = layer > 0 and not (paper and layer == 1)
                parents = tuple(
                    index[(layer - 1, p)] for p, on in enumerate(edges[j]) if on and (layer - 1, p) in index
                ) if checked else ()
                index[(layer, j)] = len(neurons)
                here.append(len(neurons))
                neurons.append(_Neuron((layer, j), seen[key], parents, checked))
            layers.append(tuple(here))
        problems.append(_Problem(mode, tuple(rows), tuple(neurons), tuple(layers)))
    return problems
