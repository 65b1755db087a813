"""Artefact-free views of a set of valid circuits: silent neurons and their classes,
edge-minimal circuits, neuron sets, and margins.

* A hidden neuron is **silent** when its post-activation value in the full network is
  ``<= silent_tol`` on every distinct evaluation input. With the default ``silent_tol = 0``
  that means its pre-activation is never positive on the task: LeakyReLU passes only its
  leak (``0.01 * z``, e.g. -0.01 .. -0.002 for L2.1 of the reference seed_00), so it carries
  no signal that a positive reading threshold could use. (A positive tolerance would depend on
  the scale of the weights that read the neuron, so none is the default.)
* Two valid circuits are in the same **silent class** when they differ only in the wiring of
  silent neurons: the class key is the circuit's masks with every silent neuron, its in-edges
  and its out-edges cleared. The key is defined on the masks only; it need not be a valid
  candidate itself (removing a silent neuron still moves the output by its small leak times
  its weights), and the class's members are exactly the valid circuits that map to it.
* A valid circuit is **edge-minimal** when no other valid circuit's edge set is a proper subset
  of its edge set (removing any set of edges, and the neurons left without edges, never gives
  another valid candidate). Sub-circuits have fewer edges, so circuits are processed by edge
  count and compared only with the minimal ones found so far (a circuit above any valid one is
  above a minimal one), with the subset test ``a & ~b == 0`` on packed words.
* The **margin** of a circuit is the largest ``m`` for which it stays valid when a sample counts
  as correct only if its output is more than ``m`` from every rounding boundary ``k + 0.5``. When
  every sample must be right (the reference models), that is ``min |output - 0.5|`` over the
  evaluation inputs (and over sources, when resampling).

Example
-------
>>> words = np.array([[0b011], [0b001], [0b110], [0b010]], dtype=np.uint64)
>>> edge_minimal_mask(words).tolist()
[False, True, False, True]
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from ..vocabulary import Neuron
from ._packing import _bits_masks, _n_edges, _pack
from ._verdict import _distance, _Net
from .circuit import Circuit

__all__ = ["CircuitClass", "silent_neurons", "silent_class_ids", "edge_minimal_mask", "margins"]

_BLOCK = 1 << 22  # words compared per vectorised step of the minimality test


class CircuitClass(NamedTuple):
    """A silent class: its key (masks without silent neurons), its first member in enumeration
    order, and how many valid circuits it stands for."""

    canonical: Circuit
    representative: Circuit
    size: int


def silent_neurons(activations: Sequence[np.ndarray], silent_tol: float) -> tuple[Neuron, ...]:
    """Hidden neurons whose value is ``<= silent_tol`` on every row, from the full network's
    activations per layer (input first, output last), each ``(R, width)``.

    >>> silent_neurons([np.zeros((2, 2)), np.array([[1.0, -0.01], [2.0, -0.002]]), np.ones((2, 1))], 0.0)
    (Neuron(layer=1, index=1),)
    """
    return tuple(Neuron(layer, int(j)) for layer, a in enumerate(activations[1:-1], start=1)
                 for j in np.flatnonzero((a <= silent_tol).all(axis=0)))


def _keep_words(ws: Sequence[int], silent: Sequence[Neuron]) -> tuple[np.ndarray, np.ndarray]:
    """Word masks that clear the node bits and every edge bit of the silent neurons."""
    nodes = np.ones(sum(ws[1:-1]), dtype=bool)
    edges = np.ones(_n_edges(ws), dtype=bool)
    offsets = np.cumsum([0] + [i * o for i, o in zip(ws[:-1], ws[1:])])
    for layer, j in silent:
        nodes[sum(ws[1:layer]) + j] = False
        into = offsets[layer - 1] + j * ws[layer - 1]
        edges[into : into + ws[layer - 1]] = False  # row j of Linear layer - 1
        edges[offsets[layer] + j : offsets[layer + 1] : ws[layer]] = False  # column j of Linear layer
    return _pack(nodes[None])[0], _pack(edges[None])[0]


def silent_class_ids(ws, silent, node_bits: np.ndarray, edge_bits: np.ndarray):
    """``(class id per circuit, keys)``: classes numbered by their first member, keys the
    projected ``(node words, edge words)`` of each class."""
    keep_n, keep_e = _keep_words(ws, silent)
    pn, pe = node_bits & keep_n, edge_bits & keep_e
    if len(pn) == 0:
        return np.zeros(0, np.int64), (pn, pe)
    keys = np.concatenate([pn, pe], axis=1)
    order = np.lexsort(keys.T[::-1])  # sort the keys (np.unique(axis=0) is ~10x slower)
    ordered = keys[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    starts, group = np.flatnonzero(new), np.cumsum(new) - 1
    first = np.minimum.reduceat(order, starts)  # first member of each group
    rank = np.empty(len(first), np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    ids = np.empty(len(keys), np.int64)
    ids[order] = rank[group]
    by_rank = np.sort(first)
    return ids, (pn[by_rank], pe[by_rank])


def edge_minimal_mask(edge_bits: np.ndarray) -> np.ndarray:
    """Which circuits have no other circuit of the set with a proper subset of their edges."""
    counts = np.bitwise_count(edge_bits).sum(axis=1)
    minimal = np.zeros(len(edge_bits), dtype=bool)
    found = np.zeros((0, edge_bits.shape[1]), np.uint64)
    for level in np.unique(counts):
        sel = np.flatnonzero(counts == level)
        covered = np.zeros(len(sel), dtype=bool)
        step = max(1, _BLOCK // max(1, len(found) * edge_bits.shape[1]))
        for s in range(0, len(sel) if len(found) else 0, step):
            cand = ~edge_bits[sel[s : s + step]]
            covered[s : s + step] = ((found[None] & cand[:, None]) == 0).all(axis=2).any(axis=1)
        minimal[sel[~covered]] = True
        found = np.concatenate([found, edge_bits[sel[~covered]]])
    return minimal


def margins(net: _Net, ws, node_bits: np.ndarray, edge_bits: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Margin of each circuit (float64 forward on the evaluation units, as the census judges)."""
    out = np.zeros(len(node_bits))
    targets = net.unit_targets()
    for s in range(0, len(node_bits), chunk):
        nodes, edges = _bits_masks(ws, node_bits[s : s + chunk], edge_bits[s : s + chunk])
        a = net.forward(nodes, edges)  # (C, U, n_out)
        pred, d = np.round(a), _distance(a).min(axis=2)
        k = np.zeros(d.shape, np.int64)
        for u, tlist in enumerate(targets):
            for t, n in tlist:
                k[:, u] += n * (pred[:, u, :] == t[None]).all(axis=1)
        out[s : s + chunk] = _sup_margin(d, k, net.G, net.data.min_correct)
    return out


def _sup_margin(d: np.ndarray, k: np.ndarray, G: int, min_correct: int) -> np.ndarray:
    """Largest distance ``m`` such that the samples correct with distance ``>= m`` still reach
    ``min_correct`` in every group (NaN where even ``m = 0`` does not)."""
    C, U = d.shape
    d, k = d.reshape(C, G, U // G), k.reshape(C, G, U // G)
    order = np.argsort(-np.where(k > 0, d, -np.inf), axis=2, kind="stable")
    ds, ks = np.take_along_axis(d, order, 2), np.take_along_axis(k, order, 2)
    reached = np.cumsum(ks, axis=2) >= min_correct
    at = np.argmax(reached, axis=2)
    m = np.where(reached.any(axis=2), np.take_along_axis(ds, at[..., None], 2)[..., 0], np.nan)
    return m.min(axis=1)
