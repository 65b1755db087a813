"""The candidate space: counting, lazy enumeration in the original order, and indexing.

A circuit keeps a subset of the hidden neurons (inputs and outputs are always kept)
and, in every ``Linear`` layer, a subset of the edges between kept neurons such that
every kept neuron has an incoming edge (except inputs) and an outgoing edge (except
outputs). So both inputs are always used, and every kept neuron lies on a path.

Enumeration order is the one of the paper's original code: hidden node masks
``product`` over layers (first hidden layer slowest; inside a layer the masks count
``0 .. 2**w - 1`` in binary, node 0 the most significant bit), and for each node mask
the edge masks ``product`` over layers (layer 0 slowest), each layer's active block
counted in binary, row-major, first entry most significant, invalid blocks skipped.

``mode="corrected"`` (alias ``"exact"``) enumerates every node mask. ``mode="paper"``
reproduces the original's candidate list: it drops the node mask with every hidden neuron
active and skips node masks whose fraction of inactive hidden neurons is ``<= min_sparsity``
(0 for width <= 3, 0.2 for width 4, 0.3 for width > 4).

Example
-------
>>> count_candidates([2, 3, 3, 1]), count_candidates([2, 3, 3, 1], mode="paper")
(9625, 3000)
>>> next(iter_circuits([2, 2, 2, 1])).node_masks
((1, 1), (0, 1), (0, 1), (1,))
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from .._validation import check_int, check_mode, check_widths
from ..errors import TooLargeError
from ._blocks import _iter_blocks, _n_blocks, _unrank_block
from .circuit import Circuit

__all__ = ["min_sparsity", "count_candidates", "iter_circuits", "circuit_at"]

#: Largest number of hidden node masks (2**hidden neurons) listed before any work: 2-10-10-1.
MAX_NODE_MASKS = 1 << 20


def _widths(widths) -> tuple[int, ...]:
    """Checked widths, refusing before any work a space too large to count or list."""
    ws = check_widths(widths)
    hidden = ws[1:-1]
    if sum(hidden) > MAX_NODE_MASKS.bit_length() - 1:
        raise TooLargeError(
            f"a {list(ws)} network has 2**{sum(hidden)} hidden node masks, more than the limit of "
            f"2**{MAX_NODE_MASKS.bit_length() - 1}: circuits can be counted and sampled up to about 2-10-10-1"
        )
    return ws


def min_sparsity(widths: Sequence[int]) -> float:
    """The original's sparsity floor for paper mode: 0 for width <= 3, 0.2 for 4, 0.3 above.

    The width is the widest hidden layer. A node mask is skipped when its fraction of
    inactive hidden neurons is ``<= min_sparsity`` (computed as a float, as the original does).

    >>> min_sparsity([2, 4, 4, 1]), min_sparsity([2, 5, 5, 1])
    (0.2, 0.3)
    """
    width = max(check_widths(widths)[1:-1], default=0)
    return 0.3 if width > 4 else 0.2 if width > 3 else 0.0


def _combo_skipped(n_active: Sequence[int], hidden: Sequence[int], floor: float) -> bool:
    """Paper mode: is this node mask (given by its active counts per hidden layer) skipped?"""
    total = sum(hidden)
    if tuple(n_active) == tuple(hidden):
        return True  # the original drops the last node-mask combination: every node active
    return (total - sum(n_active)) / total <= floor


def count_candidates(widths: Sequence[int], mode: str = "corrected") -> int:
    """Number of candidate circuits of an MLP with these layer sizes (closed form).

    Sums, over the number of active neurons per hidden layer, the number of node masks
    (binomials) times the number of valid edge blocks per layer (inclusion-exclusion).

    >>> count_candidates([2, 2, 2, 1]), count_candidates([2, 2, 2, 1], mode="paper")
    (69, 20)
    >>> count_candidates([2, 5, 5, 1])
    7271931361
    """
    ws, mode = _widths(widths), check_mode(mode)
    hidden, floor = ws[1:-1], min_sparsity(ws)
    total = 0
    for n_active in itertools.product(*(range(1, w + 1) for w in hidden)):
        if mode == "paper" and _combo_skipped(n_active, hidden, floor):
            continue
        sizes = (ws[0], *n_active, ws[-1])
        term = math.prod(math.comb(w, n) for w, n in zip(hidden, n_active))
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            term *= _n_blocks(n_out, n_in)
        total += term
    return total


def _active(code: int, width: int) -> tuple[int, ...]:
    """Indices of the active nodes of a layer mask counted in binary (node 0 most significant)."""
    return tuple(j for j in range(width) if (code >> (width - 1 - j)) & 1)


@dataclass(frozen=True)
class _Combo:
    """One hidden node mask: active node indices per layer (input and output included)."""

    active: tuple[tuple[int, ...], ...]
    count: int  # candidates (edge patterns) under this node mask

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.active)


def _iter_combos(ws: tuple[int, ...], mode: str) -> Iterator[_Combo]:
    """Node masks in the original order, with their number of candidates (zero ones skipped)."""
    hidden, floor = ws[1:-1], min_sparsity(ws)
    for codes in itertools.product(*(range(1 << w) for w in hidden)):
        active = tuple(_active(c, w) for c, w in zip(codes, hidden))
        n_active = tuple(len(a) for a in active)
        if mode == "paper" and _combo_skipped(n_active, hidden, floor):
            continue
        sizes = (ws[0], *n_active, ws[-1])
        count = math.prod(_n_blocks(o, i) for i, o in zip(sizes[:-1], sizes[1:]))
        if count:
            yield _Combo((tuple(range(ws[0])), *active, tuple(range(ws[-1]))), count)


def _circuit(ws: Sequence[int], active: Sequence[Sequence[int]], blocks: Sequence[Sequence[int]]) -> Circuit:
    """Build a Circuit from active nodes per layer and row codes per Linear layer."""
    nodes = []
    for w, a in zip(ws, active):
        m = [0] * w
        for j in a:
            m[j] = 1
        nodes.append(tuple(m))
    edges = []
    for i, codes in enumerate(blocks):
        e = np.zeros((ws[i + 1], ws[i]), dtype=np.uint8)
        ins, outs = active[i], active[i + 1]
        for o, code in zip(outs, codes):
            for jj, j in enumerate(ins):
                e[o, j] = (code >> (len(ins) - 1 - jj)) & 1
        edges.append(e)
    return Circuit._trusted(tuple(nodes), tuple(edges))


def iter_circuits(widths: Sequence[int], mode: str = "corrected") -> Iterator[Circuit]:
    """Every candidate circuit, lazily, in the original code's order.

    ``mode="paper"`` gives exactly the list the original evaluates (so positions match
    the reference ``valid_circuit_indices``); ``"corrected"`` adds the node masks it skips.

    >>> sum(1 for _ in iter_circuits([2, 3, 3, 1], mode="paper"))
    3000
    """
    ws, mode = _widths(widths), check_mode(mode)
    return _iter_space(ws, mode)


def _iter_space(ws: tuple[int, ...], mode: str) -> Iterator[Circuit]:
    for combo in _iter_combos(ws, mode):
        sizes = combo.sizes
        yield from _walk(ws, combo.active, [(o, i) for i, o in zip(sizes[:-1], sizes[1:])], ())


def _walk(ws, active, layers, chosen: tuple) -> Iterator[Circuit]:
    """Edge blocks layer by layer, lazily: width 5 has millions of blocks per layer."""
    if len(chosen) == len(layers):
        yield _circuit(ws, active, chosen)
        return
    for block in _iter_blocks(*layers[len(chosen)]):
        yield from _walk(ws, active, layers, chosen + (block,))


class _Space:
    """The candidate list of one architecture and mode, indexable (a bijection 0..n-1 <-> circuits)."""

    def __init__(self, ws: tuple[int, ...], mode: str) -> None:
        self.widths, self.mode = ws, mode
        self.combos = list(_iter_combos(ws, mode))
        self.offsets = [0]
        for c in self.combos:
            self.offsets.append(self.offsets[-1] + c.count)
        self.total = self.offsets[-1]

    def circuit_at(self, index: int) -> Circuit:
        if not 0 <= index < self.total:
            raise IndexError(f"circuit index {index} out of range: there are {self.total} candidates")
        ci = bisect.bisect_right(self.offsets, index) - 1
        combo, k = self.combos[ci], index - self.offsets[ci]
        sizes = combo.sizes
        layer_counts = [_n_blocks(o, i) for i, o in zip(sizes[:-1], sizes[1:])]
        digits = []
        for n in reversed(layer_counts):
            k, d = divmod(k, n)
            digits.append(d)
        digits.reverse()
        blocks = [_unrank_block(o, i, d) for (i, o), d in zip(zip(sizes[:-1], sizes[1:]), digits)]
        return _circuit(self.widths, combo.active, blocks)


def circuit_at(widths: Sequence[int], index: int, mode: str = "corrected") -> Circuit:
    """The candidate at position ``index`` of :func:`iter_circuits` (without enumerating).

    >>> circuit_at([2, 3, 3, 1], 1940, mode="paper").node_masks
    ((1, 1), (1, 1, 1), (1, 0, 1), (1,))
    """
    return _Space(_widths(widths), check_mode(mode)).circuit_at(check_int("index", index))
