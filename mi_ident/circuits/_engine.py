"""The census engine: block loops over node masks and edge patterns, never one forward pass
per candidate.

Generic path (any architecture): one batched float64 forward per block of candidates.
Fast path (single output): the output is a sum of one term per neuron of the last hidden
layer, so those terms are precomputed for each parent subset and combined by broadcasting
(small layers) or by the meet-in-the-middle bitmask count of :mod:`._bitmask` (large ones).
Ablation values only add, per unit, a constant to each child's per-subset pre-activation and
to the output's bias, so both paths serve every ablation.

Example
-------
>>> _Tuning().direct_max, _Tuning(direct_max=0, inner_max=8, chunk=5).chunk
(4096, 5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ._fast import _fast
from ._packing import _circuit_bits, _n_edges, _n_words, _pack
from ._verdict import _judge_outputs, _Net, _reference_correct
from ._zspace import _Classes
from ._blocks import _block_array
from .space import _Combo, _Space

__all__: list[str] = []  # private: see census()


@dataclass(frozen=True)
class _Tuning:
    """Block sizes: edge patterns of the factorised layer evaluated by plain broadcasting
    (above: meet in the middle), inner half of that split (bits per bitmask row), rows per
    vectorised block (memory stays constant). Tests pass tiny ones to exercise every path."""

    direct_max: int = 4096
    inner_max: int = 1024
    chunk: int = 1 << 14


class _Recorder:
    """Accumulates counts and the (capped) table of kept valid circuits, in enumeration order."""

    def __init__(self, ws: tuple[int, ...], max_keep: int | None) -> None:
        self.ws, self.max_keep = ws, max_keep
        self.n_valid = self.n_evaluated = self.n_neuron_sets = 0
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.pending: list[tuple[np.ndarray, ...]] = []
        self.kept = 0

    @property
    def room(self) -> int:
        return (1 << 62) if self.max_keep is None else self.max_keep - self.kept

    def add(self, index, node_bits, edge_bits, correct) -> None:
        """Buffer records of the current block (any order); :meth:`flush` files them in order."""
        self.pending.append(tuple(np.asarray(a) for a in (index, node_bits, edge_bits, correct)))

    def flush(self) -> None:
        if not self.pending:
            return
        cols = [np.concatenate([p[k] for p in self.pending]) for k in range(4)]
        self.pending = []
        order = np.argsort(cols[0], kind="stable")[: max(self.room, 0)]
        if len(order):
            self.parts.append(tuple(c[order] for c in cols))
            self.kept += len(order)

    def table(self) -> tuple[np.ndarray, ...]:
        if not self.parts:
            return (np.zeros(0, np.int64), np.zeros((0, _n_words(sum(self.ws[1:-1]))), np.uint64),
                    np.zeros((0, _n_words(_n_edges(self.ws))), np.uint64), np.zeros(0, np.int64))
        return tuple(np.concatenate([p[k] for p in self.parts]) for k in range(4))


class _Engine:
    def __init__(self, net: _Net, ws: tuple[int, ...], mode: str, rec: _Recorder, bar, tuning: _Tuning) -> None:
        self.net, self.ws, self.mode, self.rec, self.bar, self.tuning = net, ws, mode, rec, bar, tuning
        self.space: _Space | None = None  # built on the first borderline candidate
        self.n_edges = _n_edges(ws)
        self.edge_offsets = np.cumsum([0] + [i * o for i, o in zip(ws[:-1], ws[1:])])

    def run(self, combos: Sequence[_Combo], cl: _Classes | None) -> None:
        """Every candidate of every node mask, in order; counts node masks with a valid circuit."""
        base = 0
        for combo in combos:
            before = self.rec.n_valid
            if cl is None:
                self._generic(combo, base)
            else:
                _fast(self, combo, base, cl)
            self.rec.n_neuron_sets += self.rec.n_valid > before
            base += combo.count

    # -- shared helpers --
    def add_rechecked(self, indices: Sequence[int]) -> None:
        """Exact verdicts for candidates too close to a boundary to call with the error bound."""
        if self.space is None:
            self.space = _Space(self.ws, self.mode)
        good, correct = [], []
        for idx in indices:
            k = _reference_correct(self.net, self.space.circuit_at(int(idx)))
            if k >= self.net.data.min_correct:
                good.append(int(idx))
                correct.append(k)
        self.rec.n_valid += len(good)
        if good and self.rec.room > 0:
            nb, eb = _circuit_bits(self.ws, [self.space.circuit_at(i) for i in good])
            self.rec.add(np.array(good, np.int64), nb, eb, np.array(correct, np.int64))

    def node_masks(self, combo: _Combo) -> list[np.ndarray]:
        out = []
        for w, a in zip(self.ws, combo.active):
            m = np.zeros((1, w))
            m[0, list(a)] = 1
            out.append(m)
        return out

    def node_words(self, combo: _Combo) -> np.ndarray:
        bits = np.concatenate([m[0] for m in self.node_masks(combo)[1:-1]]) if len(self.ws) > 2 else np.zeros(0)
        return _pack(bits[None] > 0, len(bits))[0]

    def layer_masks(self, combo: _Combo, i: int, codes: np.ndarray) -> np.ndarray:
        """Full edge masks ``(n, out, in)`` of Linear layer ``i`` from row codes ``(n, n_out_active)``."""
        ins, outs = combo.active[i], combo.active[i + 1]
        m = np.zeros((len(codes), self.ws[i + 1], self.ws[i]), dtype=np.float64)
        shifts = np.arange(len(ins) - 1, -1, -1)
        for r, o in enumerate(outs):
            m[:, o, list(ins)] = (codes[:, r : r + 1] >> shifts) & 1
        return m

    def layer_words(self, i: int, masks: np.ndarray) -> np.ndarray:
        bits = np.zeros((len(masks), self.n_edges), dtype=bool)
        bits[:, self.edge_offsets[i] : self.edge_offsets[i + 1]] = masks.reshape(len(masks), -1) > 0
        return _pack(bits, self.n_edges)

    def prefix(self, combo: _Combo, n_layers: int):
        """Edge masks, edge words and radices of every pattern of the first ``n_layers`` layers."""
        sizes = combo.sizes
        blocks = [_block_array(o, i) for i, o in zip(sizes[:n_layers], sizes[1 : n_layers + 1])]
        masks = [self.layer_masks(combo, i, b) for i, b in enumerate(blocks)]
        return masks, [self.layer_words(i, m) for i, m in enumerate(masks)], [len(b) for b in blocks]

    # -- generic path: any architecture, one batched float64 forward per block of candidates --
    def _generic(self, combo: _Combo, base: int) -> None:
        masks, words, radices = self.prefix(combo, len(self.ws) - 1)
        nodes, nw = self.node_masks(combo), self.node_words(combo)
        step = max(1, self.tuning.chunk // len(self.net.units))
        for start in range(0, combo.count, step):
            idx = np.arange(start, min(combo.count, start + step), dtype=np.int64)
            digits = np.stack(np.unravel_index(idx, radices), axis=1)
            correct, border, maybe = _judge_outputs(self.net, self.net.forward(
                nodes, [m[digits[:, i]] for i, m in enumerate(masks)]))
            ok = (correct >= self.net.data.min_correct) & ~border
            self.rec.n_valid += int(ok.sum())
            self.rec.n_evaluated += len(idx)
            if ok.any() and self.rec.room > 0:
                sel = np.flatnonzero(ok)
                eb = np.bitwise_or.reduce(np.stack([w[digits[sel, i]] for i, w in enumerate(words)]), axis=0)
                self.rec.add(base + idx[sel], np.repeat(nw[None], len(sel), 0), eb, correct[sel])
            if maybe.any():
                self.add_rechecked((base + idx[maybe]).tolist())
            self.rec.flush()
            self.bar.update(len(idx))
