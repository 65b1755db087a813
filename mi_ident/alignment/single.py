"""The single criterion (the paper's): each aligned node is intervened on alone.

The IIA of a node's neuron set is the fraction of (source, base) pairs on which the
network's output bit equals the formula's output with that one node set to its value
on the source. Because nodes are tested alone, a mapping is minimal exactly when each
node's set is a minimal aligned set for that node and the sets are disjoint, so the
search only combines minimal per-node sets (the tests check this against the paper's
literal search).

The low-level half does not depend on the formula: the output bit of every candidate
set under every pair is computed once per network (:class:`LowLevel`), in one batched
forward pass, and every formula is then matched against that table.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.algorithms import parse_formula
>>> low = LowLevel.build(MLP([2, 3, 3, 1], seed=0), "corrected", "all", output=0)
>>> low.bits.shape      # 63 neuron sets x 16 ordered pairs
(63, 16)
>>> iia = node_iia(parse_formula("¬(A*B)*(A+B)"), low)
>>> iia.shape            # 2 aligned nodes x 63 sets
(2, 63)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..algorithms import Formula
from ..boolean import input_rows
from ..model import MLP
from ..vocabulary import IIA_TOLERANCE, Neuron, output_bit
from .interventions import candidate_neuron_sets, interchange_pairs, patched_outputs

__all__ = ["LowLevel", "high_level_bits", "node_iia", "minimal_sets", "disjoint_combinations", "clean_bits"]


def clean_bits(model: MLP, output: int) -> np.ndarray:
    """The network's own output bit on every input row."""
    with torch.no_grad():
        out = model.run(input_rows(model.widths[0]))[-1][:, output]
    return output_bit(out).numpy()


@dataclass
class LowLevel:
    """Output bits of every candidate neuron set under every (source, base) pair."""

    sets: list[frozenset[Neuron]]
    pairs: np.ndarray
    bits: np.ndarray  # (n_sets, n_pairs) bool
    clean_bits: np.ndarray  # (n_rows,) bool: the network's own output bit per input

    @classmethod
    def build(cls, model: MLP, mode: str, pair_order: str, output: int) -> "LowLevel":
        sets = candidate_neuron_sets(model, mode)
        pairs = interchange_pairs(model.widths[0], pair_order)
        bits = output_bit(patched_outputs(model, sets, pairs)[..., output]).numpy()
        return cls(sets, pairs, bits, clean_bits(model, output))


def high_level_bits(formula: Formula, pairs: np.ndarray) -> np.ndarray:
    """``(n_aligned, n_pairs)``: the formula's output on each base with one node set from the source."""
    forced = formula.aligned_forced_outputs()  # (n_aligned, 2, n_rows)
    ids = [n.id for n in formula.aligned_nodes]
    source_values = formula.values[ids][:, pairs[:, 0]]  # (n_aligned, n_pairs)
    k = np.arange(len(ids))[:, None]
    return forced[k, source_values, pairs[None, :, 1]].astype(bool)


def node_iia(formula: Formula, low: LowLevel) -> np.ndarray:
    """``(n_aligned, n_sets)``: IIA of every candidate set for every aligned node."""
    hl = high_level_bits(formula, low.pairs).astype(np.int64)
    lo = low.bits.astype(np.int64)
    agree = hl @ lo.T + (1 - hl) @ (1 - lo).T
    return agree / hl.shape[1]


def minimal_sets(sets: list[frozenset[Neuron]]) -> list[frozenset[Neuron]]:
    """The sets that contain no other set of the list, smallest first."""
    out = [s for s in sets if not any(t < s for t in sets)]
    return sorted(out, key=lambda s: (len(s), sorted(s)))


def disjoint_combinations(per_node: list[list[frozenset[Neuron]]]) -> list[tuple[frozenset[Neuron], ...]]:
    """Every choice of one set per node with no neuron used twice."""
    out: list[tuple[frozenset[Neuron], ...]] = []

    def rec(k: int, used: frozenset, chosen: tuple) -> None:
        if k == len(per_node):
            out.append(chosen)
            return
        for s in per_node[k]:
            if not (s & used):
                rec(k + 1, used | s, chosen + (s,))

    rec(0, frozenset(), ())
    return out


def aligned_sets(iia: np.ndarray, sets: list[frozenset[Neuron]], threshold: float) -> list[list[frozenset[Neuron]]]:
    """Per aligned node, the candidate sets whose IIA reaches ``threshold``."""
    return [[sets[j] for j in np.flatnonzero(row >= threshold - IIA_TOLERANCE)] for row in iia]
