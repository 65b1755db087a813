"""The joint criterion: every subset of a formula's aligned nodes is intervened on at once.

For a mapping of ``m`` aligned nodes, each node is either left alone or given its own
source input (one of ``R = 2**n_inputs``), on every base input: ``R·((R+1)**m − 1)``
interventions (``4·(5**m − 1)`` for two inputs). The neurons of an intervened node
take their values in the unpatched run on that node's source, and the network's
output bit must equal the formula's output with each intervened node set to its
value on its own source. A mapping's joint IIA is the smallest, over the non-empty
node subsets, of the fraction of that subset's interventions that agree (with
threshold 1, simply: all of them agree).

What the patched network computes depends only on which source each hidden neuron
takes (none, or one of ``R``) and on the base, so the whole low-level side is one
table of ``(R+1)**N`` patterns × ``R`` bases for ``N`` hidden neurons, computed in a
few batched forward passes. A mapping's interventions are then look-ups: the pattern
of an intervention is ``Σ_k code_k · weight(S_k)`` with ``weight(S) = Σ_{n∈S} (R+1)**n``.

Minimal mappings do not decompose node by node under this criterion (a mapping that
fails jointly can make a larger one minimal), so they are searched as wholes: every
disjoint choice of one set per node among the sets that pass alone (a necessary
condition: single-node interventions are among the joint ones), tested in batches.

Example
-------
>>> from mi_ident.model import MLP
>>> table = PatternTable.build(MLP([2, 2, 2, 1], seed=0), output=0)
>>> table.bits.shape      # 5**4 patterns x 4 bases
(625, 4)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_size
from ..algorithms import Formula
from ..boolean import input_rows
from ..interventions import Patch
from ..model import MLP
from ..vocabulary import IIA_TOLERANCE, Neuron, output_bit
from .interventions import hidden_neurons

__all__ = ["PatternTable", "MAX_PATTERN_RUNS", "MAX_JOINT_CANDIDATES", "joint_codes", "joint_high_level",
           "joint_scores", "joint_search", "count_disjoint", "check_joint_size"]

#: Forward passes of the pattern table, at most: 4·5**9 (nine hidden neurons, two inputs).
MAX_PATTERN_RUNS = 4 * 5**9
#: Candidate mappings (disjoint choices of per-node sets) tested for one formula, at most.
MAX_JOINT_CANDIDATES = 2 * 10**6
_CHUNK = 2**22  # look-ups per batch


@dataclass
class PatternTable:
    """Output bit for every per-neuron source pattern (rows) and base input (columns)."""

    neurons: list[Neuron]
    radix: int  # R + 1: a neuron is unpatched (0) or takes source r (r + 1)
    bits: np.ndarray  # ((R+1)**N, R) bool

    @classmethod
    def build(cls, model: MLP, output: int) -> "PatternTable":
        neurons = hidden_neurons(model)
        rows = torch.as_tensor(input_rows(model.widths[0]), dtype=torch.float32)
        radix = len(rows) + 1
        check_size(f"forward passes for the joint criterion on {len(neurons)} hidden neurons "
                   f"({len(rows)}·{radix}**{len(neurons)})", len(rows) * radix ** len(neurons),
                   MAX_PATTERN_RUNS, "the joint criterion is tractable up to 9 hidden neurons with two "
                   "inputs; use criterion='single' for larger networks")
        n_patterns = radix ** len(neurons)
        bits = np.empty((n_patterns, len(rows)), dtype=bool)
        with torch.no_grad():
            clean = model.run(rows)
            step = max(1, 2**18 // len(rows))
            for start in range(0, n_patterns, step):
                p = np.arange(start, min(start + step, n_patterns))
                codes = (p[:, None] // radix ** np.arange(len(neurons))) % radix  # (c, N)
                masks, values = {}, {}
                for layer in range(1, model.n_layers):
                    cols = [j for j, n in enumerate(neurons) if n.layer == layer]
                    c = codes[:, cols]
                    masks[layer] = torch.from_numpy(c > 0)[:, None, :]
                    values[layer] = clean[layer][np.maximum(c - 1, 0), np.arange(len(cols))][:, None, :]
                out = model.run(rows, patch=Patch(masks, values))[-1][..., output]
                bits[p] = output_bit(out).numpy()
        return cls(neurons, radix, bits)

    def weights(self, sets: list[frozenset[Neuron]]) -> np.ndarray:
        """``weight(S) = Σ_{n∈S} radix**position(n)`` of every set."""
        pos = {n: j for j, n in enumerate(self.neurons)}
        return np.array([sum(self.radix ** pos[n] for n in s) for s in sets], dtype=np.int64)

    def bitmasks(self, sets: list[frozenset[Neuron]]) -> np.ndarray:
        pos = {n: j for j, n in enumerate(self.neurons)}
        return np.array([sum(1 << pos[n] for n in s) for s in sets], dtype=np.int64)

    def single_bits(self, sets: list[frozenset[Neuron]]) -> np.ndarray:
        """``(n_sets, R, R)``: output bit with set ``j`` patched from source ``s`` on base ``b``."""
        w = self.weights(sets)
        sources = np.arange(1, self.radix)
        return self.bits[w[:, None] * sources[None, :]]


def joint_codes(m: int, radix: int) -> tuple[np.ndarray, np.ndarray]:
    """``(codes (I, m), subset (I,))``: every intervention on ``m`` nodes but the empty one; code 0
    leaves a node alone, ``r + 1`` gives it source ``r``; ``subset`` is the bitmask of intervened nodes."""
    codes = np.array(list(itertools.product(range(radix), repeat=m)), dtype=np.int64)[1:].reshape(-1, m)
    subset = ((codes > 0) * (1 << np.arange(m))).sum(axis=1)
    return codes, subset


def joint_high_level(formula: Formula, codes: np.ndarray) -> np.ndarray:
    """``(I, R)``: the formula's output on every base with each intervened node set to its value
    on its own source."""
    ids = [n.id for n in formula.aligned_nodes]
    rows = formula.inputs
    R = len(rows)
    out = np.empty((len(codes), R), dtype=bool)
    on = codes > 0
    for pattern in np.unique(on, axis=0):
        which = np.flatnonzero((on == pattern).all(axis=1))
        overrides = {ids[k]: np.repeat(formula.values[ids[k]][codes[which, k] - 1], R)
                     for k in np.flatnonzero(pattern)}
        bases = np.tile(rows, (len(which), 1))
        out[which] = formula.evaluate(bases, overrides)[formula.root.id].reshape(len(which), R).astype(bool)
    return out


def joint_scores(table: PatternTable, weights: np.ndarray, formula: Formula,
                 threshold: float | None = None) -> np.ndarray:
    """Joint IIA of each candidate mapping, ``weights`` ``(n, m)`` (one set weight per node).

    With a ``threshold``, node subsets are tested by size (pairs first) and a mapping is
    dropped as soon as one subset falls below it: its score is then that subset's (an upper
    bound of its joint IIA, below the threshold), which is all a search needs.
    """
    m = weights.shape[1]
    codes, subset = joint_codes(m, table.radix)
    high = joint_high_level(formula, codes)  # (I, R)
    sizes = np.array([bin(k).count("1") for k in range(2**m)])
    out = np.full(len(weights), np.inf)
    alive = np.arange(len(weights))
    stages = [range(1, m + 1)] if threshold is None else [[r] for r in range(1, m + 1)]
    for stage in stages:
        pick = np.flatnonzero(np.isin(sizes[subset], list(stage)))
        scores = _subset_scores(table, weights[alive], codes[pick], subset[pick], high[pick])
        out[alive] = np.minimum(out[alive], scores)
        if threshold is not None:
            alive = alive[out[alive] >= threshold - IIA_TOLERANCE]
    return out


def _subset_scores(table: PatternTable, weights: np.ndarray, codes: np.ndarray, subset: np.ndarray,
                   high: np.ndarray) -> np.ndarray:
    """Smallest, over the subsets present in ``subset``, fraction of agreeing interventions."""
    labels, group_of = np.unique(subset, return_inverse=True)
    group = np.zeros((len(codes), len(labels)))
    group[np.arange(len(codes)), group_of] = 1.0
    group /= group.sum(axis=0) * high.shape[1]
    out = np.empty(len(weights))
    step = max(1, _CHUNK // (len(codes) * high.shape[1]))
    for start in range(0, len(weights), step):
        idx = weights[start:start + step] @ codes.T  # (c, I) pattern of each intervention
        agree = (table.bits[idx] == high[None]).sum(axis=2)  # (c, I)
        out[start:start + step] = (agree @ group).min(axis=1)
    return out


def count_disjoint(per_node_masks: list[np.ndarray]) -> int:
    """How many choices of one candidate per node are pairwise disjoint (a count over the
    used-neuron bitmask, no listing)."""
    counts = {0: 1}
    for masks in per_node_masks:
        nxt: dict[int, int] = {}
        for used, c in counts.items():
            for mask in masks[(masks & used) == 0].tolist():
                nxt[used | mask] = nxt.get(used | mask, 0) + c
        counts = nxt
    return sum(counts.values())


def _disjoint(per_node_masks: list[np.ndarray]) -> np.ndarray:
    """``(n, m)`` indices: every choice of one candidate per node whose bitmasks are disjoint."""
    choice = np.zeros((1, 0), dtype=np.int64)
    used = np.zeros(1, dtype=np.int64)
    for masks in per_node_masks:
        ok = (used[:, None] & masks[None, :]) == 0
        i, j = np.nonzero(ok)
        choice = np.concatenate([choice[i], j[:, None]], axis=1)
        used = used[i] | masks[j]
    return choice


def _minimal(masks: np.ndarray) -> np.ndarray:
    """Rows (mappings as per-node bitmasks) that contain no other row node by node."""
    keep = np.ones(len(masks), dtype=bool)
    step = max(1, 2**22 // max(1, len(masks) * max(1, masks.shape[1])))
    for start in range(0, len(masks), step):
        mine = masks[start:start + step]
        sub = ((masks[None, :, :] & ~mine[:, None, :]) == 0).all(axis=2)  # other ⊆ mine
        equal = (masks[None, :, :] == mine[:, None, :]).all(axis=2)
        keep[start:start + step] = ~(sub & ~equal).any(axis=1)
    return keep


def check_joint_size(formula: Formula, masks: list[np.ndarray]) -> None:
    """Refuse a formula whose disjoint candidate mappings are too many to test."""
    check_size(f"candidate mappings of {formula.paper!r} under the joint criterion",
               count_disjoint(masks), MAX_JOINT_CANDIDATES,
               "criterion='single' is tractable here (it combines minimal per-node sets only)")


def joint_search(formula: Formula, table: PatternTable, per_node: list[list[frozenset[Neuron]]],
                 threshold: float) -> list[tuple[frozenset[Neuron], ...]]:
    """Every minimal mapping aligned under the joint criterion, from per-node candidate sets."""
    masks = [table.bitmasks(c) for c in per_node]
    check_joint_size(formula, masks)
    choice = _disjoint(masks)
    if len(choice) == 0:
        return []
    weights = np.stack([table.weights(c)[choice[:, k]] for k, c in enumerate(per_node)], axis=1)
    scores = joint_scores(table, weights, formula, threshold)
    ok = np.flatnonzero(scores >= threshold - IIA_TOLERANCE)
    chosen = np.stack([masks[k][choice[ok, k]] for k in range(len(per_node))], axis=1)
    ok = ok[_minimal(chosen)]
    return [tuple(per_node[k][choice[i, k]] for k in range(len(per_node))) for i in ok]
