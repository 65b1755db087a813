"""Circuits (sub-networks) of an MLP: enumeration, counting and the census of valid ones.

A circuit keeps a subset of the hidden neurons (inputs and outputs are always kept)
and, in every ``Linear`` layer, a subset of the edges between kept neurons such that
every kept neuron has an incoming edge (except inputs) and an outgoing edge (except
outputs). So both inputs are always used, and every kept neuron lies on a path.

Enumeration order is the one of the paper's original code: hidden node masks
``product`` over layers (first hidden layer slowest; inside a layer the masks count
``0 .. 2**w - 1`` in binary, node 0 the most significant bit), and for each node mask
the edge masks ``product`` over layers (layer 0 slowest), each layer's active block
counted in binary, row-major, first entry most significant, invalid blocks skipped.

``mode="exact"`` enumerates every node mask. ``mode="paper"`` reproduces the
original's candidate list: it drops the node mask with every hidden neuron active and
skips node masks whose fraction of inactive hidden neurons is ``<= min_sparsity``
(0 for width <= 3, 0.2 for width 4, 0.3 for width > 4).

:func:`census` counts the valid circuits without one forward pass per circuit (2-3-3-1 in
~10 ms, 2-4-4-1 exact in ~0.3 s, the 7.27e9 candidates of 2-5-5-1 in well under a minute);
:func:`estimate_valid_circuits` samples candidates uniformly for wider nets.

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
import random
import statistics
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator, Literal, Sequence

import numpy as np

from .errors import InputTypeError, ParameterError
from ._validation import as_model as as_mlp
from .model import single_thread

if TYPE_CHECKING:  # the heavy imports stay inside the functions that need them
    import pandas as pd
    import torch

    from .model import MLP

Mode = Literal["exact", "paper"]
MODES = ("exact", "paper")
Precision = Literal["float32", "float64"]


@dataclass(frozen=True, eq=False)
class Circuit:
    """A sub-network: a node mask per layer (input and output included) and an edge mask per
    ``Linear`` layer (out x in, 0/1), in the layout of the reference JSON files.

    Example
    -------
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 0], [1]],
    ...                        "edge_masks": [[[1, 1], [0, 0]], [[1, 0]]]})
    >>> c.widths
    [2, 2, 1]
    """

    node_masks: tuple[tuple[int, ...], ...]
    edge_masks: tuple[np.ndarray, ...]

    @classmethod
    def from_dict(cls, d: dict) -> "Circuit":
        nodes = tuple(tuple(int(v) for v in m) for m in d["node_masks"])
        edges = tuple(np.asarray(e, dtype=np.uint8) for e in d["edge_masks"])
        return cls(nodes, edges)

    def to_dict(self) -> dict:
        return {
            "node_masks": [list(m) for m in self.node_masks],
            "edge_masks": [e.tolist() for e in self.edge_masks],
        }

    @property
    def widths(self) -> list[int]:
        return [len(m) for m in self.node_masks]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Circuit)
            and self.node_masks == other.node_masks
            and all(np.array_equal(a, b) for a, b in zip(self.edge_masks, other.edge_masks))
        )

    def __hash__(self) -> int:
        return hash((self.node_masks, tuple(e.tobytes() for e in self.edge_masks)))


# ================================================================================================
# Counting and enumeration
# ================================================================================================


def _check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    try:
        ws = tuple(int(w) for w in widths)
    except (TypeError, ValueError):
        raise ParameterError(f"widths must be a list of layer sizes such as [2, 3, 3, 1]; got {widths!r}") from None
    if len(ws) < 2 or any(w < 1 for w in ws):
        raise ParameterError(
            f"widths must list at least the input and output sizes, each >= 1, e.g. [2, 3, 3, 1]; got {list(ws)}"
        )
    return ws


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ParameterError(f"mode must be 'exact' (every node mask) or 'paper' (the original code's list); got {mode!r}")
    return mode


def min_sparsity(widths: Sequence[int]) -> float:
    """The original's sparsity floor for paper mode: 0 for width <= 3, 0.2 for 4, 0.3 above.

    The width is the widest hidden layer. A node mask is skipped when its fraction of
    inactive hidden neurons is ``<= min_sparsity`` (computed as a float, as the original does).

    >>> min_sparsity([2, 4, 4, 1]), min_sparsity([2, 5, 5, 1])
    (0.2, 0.3)
    """
    hidden = _check_widths(widths)[1:-1]
    width = max(hidden, default=0)
    return 0.3 if width > 4 else 0.2 if width > 3 else 0.0


@lru_cache(maxsize=None)
def _covers(q: int, c: int, b: int) -> int:
    """Number of ``q``-tuples of nonzero ``b``-bit rows whose union contains ``c`` given columns."""
    return sum((-1) ** k * math.comb(c, k) * ((1 << (b - k)) - 1) ** q for k in range(c + 1))


def _n_blocks(n_out: int, n_in: int) -> int:
    """Number of ``n_out x n_in`` 0/1 matrices with no zero row and no zero column."""
    return _covers(n_out, n_in, n_in)


def _combo_skipped(n_active: Sequence[int], hidden: Sequence[int], floor: float) -> bool:
    """Paper mode: is this node mask (given by its active counts per hidden layer) skipped?"""
    total = sum(hidden)
    if tuple(n_active) == tuple(hidden):
        return True  # the original drops the last node-mask combination: every node active
    return (total - sum(n_active)) / total <= floor


def count_candidates(widths: Sequence[int], mode: Mode = "exact") -> int:
    """Number of candidate circuits of an MLP with these layer sizes (closed form).

    Sums, over the number of active neurons per hidden layer, the number of node masks
    (binomials) times the number of valid edge blocks per layer (inclusion-exclusion).

    >>> count_candidates([2, 2, 2, 1]), count_candidates([2, 2, 2, 1], mode="paper")
    (69, 20)
    >>> count_candidates([2, 5, 5, 1])
    7271931361
    """
    ws = _check_widths(widths)
    mode = _check_mode(mode)
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


def _iter_blocks(n_out: int, n_in: int) -> Iterator[tuple[int, ...]]:
    """Valid edge blocks as row codes (first input most significant), in the original order."""
    full = (1 << n_in) - 1

    def rows(prefix: tuple[int, ...], union: int) -> Iterator[tuple[int, ...]]:
        left = n_out - len(prefix)
        if left == 0:
            if union == full:
                yield prefix
            return
        for code in range(1, full + 1):
            if _covers(left - 1, bin(full & ~(union | code)).count("1"), n_in):
                yield from rows(prefix + (code,), union | code)

    return rows((), 0)


def _unrank_block(n_out: int, n_in: int, k: int) -> tuple[int, ...]:
    """The ``k``-th valid edge block (row codes) in the original order."""
    full, union, codes = (1 << n_in) - 1, 0, []
    for i in range(n_out):
        for code in range(1, full + 1):
            n = _covers(n_out - i - 1, bin(full & ~(union | code)).count("1"), n_in)
            if k < n:
                codes.append(code)
                union |= code
                break
            k -= n
    return tuple(codes)


def _block_array(n_out: int, n_in: int) -> np.ndarray:
    """All valid edge blocks as an array ``(n_blocks, n_out)`` of row codes, in order."""
    K = (1 << n_in) - 1
    codes = _digits(np.arange(K**n_out, dtype=np.int64), K, n_out) + 1
    union = np.bitwise_or.reduce(codes, axis=1) if n_out else np.zeros(1, np.int64)
    return codes[union == (1 << n_in) - 1]


def _digits(idx: np.ndarray, base: int, n: int) -> np.ndarray:
    """Mixed-radix digits of ``idx`` (most significant first), shape ``(len(idx), n)``."""
    powers = base ** np.arange(n - 1, -1, -1, dtype=np.int64)
    return (idx[:, None] // powers[None, :]) % base


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
    return Circuit(tuple(nodes), tuple(edges))


def iter_circuits(widths: Sequence[int], mode: Mode = "exact") -> Iterator[Circuit]:
    """Every candidate circuit, lazily, in the original code's order.

    ``mode="paper"`` gives exactly the list the original evaluates (so positions match
    the reference ``valid_circuit_indices``); ``"exact"`` adds the node masks it skips.

    >>> sum(1 for _ in iter_circuits([2, 3, 3, 1], mode="paper"))
    3000
    """
    ws = _check_widths(widths)
    mode = _check_mode(mode)
    for combo in _iter_combos(ws, mode):
        sizes = combo.sizes
        layers = [(o, i) for i, o in zip(sizes[:-1], sizes[1:])]

        def walk(i: int, chosen: tuple) -> Iterator[Circuit]:
            if i == len(layers):
                yield _circuit(ws, combo.active, chosen)
                return
            for block in _iter_blocks(*layers[i]):
                yield from walk(i + 1, chosen + (block,))

        yield from walk(0, ())


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


def circuit_at(widths: Sequence[int], index: int, mode: Mode = "exact") -> Circuit:
    """The candidate at position ``index`` of :func:`iter_circuits` (without enumerating).

    >>> circuit_at([2, 3, 3, 1], 1940, mode="paper").node_masks
    ((1, 1), (1, 1, 1), (1, 0, 1), (1,))
    """
    return _Space(_check_widths(widths), _check_mode(mode)).circuit_at(int(index))


# ================================================================================================
# Forward pass of one circuit (the reference semantics)
# ================================================================================================


def check_circuit(model: "MLP", circuit: Circuit) -> None:
    """Raise a clear error unless ``circuit`` is a :class:`Circuit` shaped like ``model``."""
    if not isinstance(circuit, Circuit):
        raise InputTypeError(
            f"circuit must be a mi_ident.circuits.Circuit (e.g. Circuit.from_dict(...)); "
            f"got {type(circuit).__name__}"
        )
    if list(circuit.widths) != list(model.widths):
        raise ParameterError(
            f"the circuit has layer widths {circuit.widths} but the model has {model.widths}: "
            f"take circuits from a census of this model"
        )
    for i, edges in enumerate(circuit.edge_masks):
        expected = (model.widths[i + 1], model.widths[i])
        if np.shape(edges) != expected:
            raise ParameterError(f"edge mask {i} has shape {np.shape(edges)}; layer {i} needs out x in = {expected}")


def circuit_forward(model: "MLP", circuit: Circuit, X) -> list["torch.Tensor"]:
    """Activations of every layer of ``circuit`` (float32, as the original code computes them).

    At layer ``i`` the layer input is multiplied by ``node_masks[i]`` and the weights by
    ``edge_masks[i]``; biases are never masked and the output node mask is not applied.
    Returned hidden activations are the masked values passed on (inactive neurons read 0).

    >>> from mi_ident.model import MLP
    >>> acts = circuit_forward(MLP([2, 2, 1], seed=0), next(iter_circuits([2, 2, 1])), [[0, 1]])
    >>> [tuple(a.shape) for a in acts]
    [(1, 2), (1, 2), (1, 1)]
    """
    import torch
    from torch.nn import functional as F

    model = as_mlp(model)
    check_circuit(model, circuit)
    x = torch.as_tensor(np.asarray(X, dtype=np.float32))
    if x.ndim != 2 or x.shape[1] != model.widths[0]:
        raise ParameterError(f"X must have shape (n, {model.widths[0]}); got {tuple(x.shape)}")
    with torch.no_grad(), single_thread():
        h = x * torch.tensor(circuit.node_masks[0], dtype=torch.float32)
        acts = [h]
        for i, layer in enumerate(model.layers):
            if i > 0:
                h = h * torch.tensor(circuit.node_masks[i], dtype=torch.float32)
                acts[-1] = h
            w = layer.weight * torch.as_tensor(circuit.edge_masks[i], dtype=torch.float32)
            h = model.activate(i, F.linear(h, w, layer.bias))
            acts.append(h)
    return acts


# ================================================================================================
# Census: count (and keep) the circuits whose accuracy exceeds the threshold
# ================================================================================================

_U = 2.0**-24  # unit roundoff of float32
_DIRECT_MAX = 4096  # edge patterns of the factorised layer evaluated by plain broadcasting
_INNER_MAX = 1024  # inner half of the meet-in-the-middle split (bits per bitmask row)
_CHUNK = 1 << 14  # rows per vectorised block: memory stays constant
_MAX_PATTERNS = 4096
#: Seconds per candidate measured on the 2-core development machine, for 4 distinct input rows:
#: factorised single-output path (2-5-5-1: 21-34 s for 7.27e9), generic path (multi-output nets),
#: plus a fixed cost per node mask.
_RATE_FAST = 3e-9
_RATE_GENERIC = 1e-6
_RATE_COMBO = 2e-3
#: Above this many estimated seconds a census needs ``allow_large=True``: 2-4-4-1 (~0.5 s) runs
#: freely, 2-5-5-1 in exact mode (~24 s estimated) needs the flag, paper mode (~2 s) does not.
MAX_ESTIMATED_SECONDS = 10.0


@dataclass(frozen=True, eq=False)
class CensusResult:
    """Counts of a census and a compact table of the valid circuits kept (in enumeration order).

    ``index`` is each kept circuit's position among the candidates (``iter_circuits`` order),
    ``node_bits`` / ``edge_bits`` pack the masks into 64-bit words (bit ``i`` = hidden node
    ``i``, layer 1 first / edge ``i`` of the row-major edge masks, layer 0 first),
    ``sparsity`` is the fraction of inactive hidden nodes, ``accuracy`` the circuit's accuracy.
    """

    widths: tuple[int, ...]
    mode: str
    threshold: float
    n_candidates: int
    n_evaluated: int
    n_valid: int
    index: np.ndarray
    node_bits: np.ndarray
    edge_bits: np.ndarray
    sparsity: np.ndarray
    accuracy: np.ndarray

    @property
    def n_kept(self) -> int:
        return len(self.index)

    @property
    def truncated(self) -> bool:
        """True when ``max_keep`` left some valid circuits out of the table."""
        return self.n_kept < self.n_valid

    @property
    def valid_circuit_indices(self) -> list[int]:
        return [int(i) for i in self.index]

    def circuits(self) -> list[Circuit]:
        """The kept valid circuits as :class:`Circuit` objects, in enumeration order."""
        nodes = _unpack(self.node_bits, sum(self.widths[1:-1]))
        edges = _unpack(self.edge_bits, _n_edges(self.widths))
        out = []
        for nb, eb in zip(nodes, edges):
            node_masks, pos = [tuple([1] * self.widths[0])], 0
            for w in self.widths[1:-1]:
                node_masks.append(tuple(int(v) for v in nb[pos : pos + w]))
                pos += w
            node_masks.append(tuple([1] * self.widths[-1]))
            edge_masks, pos = [], 0
            for i, o in zip(self.widths[:-1], self.widths[1:]):
                edge_masks.append(eb[pos : pos + o * i].reshape(o, i).astype(np.uint8))
                pos += o * i
            out.append(Circuit(tuple(node_masks), tuple(edge_masks)))
        return out

    def to_frame(self) -> "pd.DataFrame":
        """One row per kept valid circuit: index, packed masks (Python ints), sizes, sparsity, accuracy."""
        import pandas as pd

        def as_int(words: np.ndarray) -> int:
            return sum(int(w) << (64 * k) for k, w in enumerate(words))

        return pd.DataFrame(
            {
                "index": self.index.astype(np.int64),
                "nodes": [as_int(w) for w in self.node_bits],
                "edges": [as_int(w) for w in self.edge_bits],
                "n_nodes": np.bitwise_count(self.node_bits).sum(axis=1).astype(np.int64),
                "n_edges": np.bitwise_count(self.edge_bits).sum(axis=1).astype(np.int64),
                "sparsity": self.sparsity,
                "accuracy": self.accuracy,
            }
        )

    def __repr__(self) -> str:
        kept = f", kept={self.n_kept}" if self.truncated else ""
        return (
            f"CensusResult(widths={list(self.widths)}, mode={self.mode!r}, threshold={self.threshold}, "
            f"n_candidates={self.n_candidates}, n_valid={self.n_valid}{kept})"
        )


def _n_edges(ws: Sequence[int]) -> int:
    return sum(i * o for i, o in zip(ws[:-1], ws[1:]))


def _pack(bits: np.ndarray, nbits: int | None = None) -> np.ndarray:
    """Pack a boolean array along its last axis into little-endian uint64 words."""
    bits = np.asarray(bits, dtype=bool)
    nbits = bits.shape[-1] if nbits is None else nbits
    words = max(1, -(-nbits // 64))
    pad = words * 64 - bits.shape[-1]
    if pad:
        bits = np.concatenate([bits, np.zeros(bits.shape[:-1] + (pad,), dtype=bool)], axis=-1)
    packed = np.packbits(bits, axis=-1, bitorder="little")
    return np.ascontiguousarray(packed).view("<u8").astype(np.uint64)


def _unpack(words: np.ndarray, nbits: int) -> np.ndarray:
    w = np.ascontiguousarray(words.astype("<u8"))
    return np.unpackbits(w.view(np.uint8), axis=-1, bitorder="little")[..., :nbits].astype(bool)


# ---- data --------------------------------------------------------------------------------------


@dataclass
class _Data:
    """Evaluation data reduced to distinct input rows, with the acceptance rule as integers."""

    X: np.ndarray  # (N, n_in) float32, as given
    y: np.ndarray  # (N, n_out) float32
    rows: np.ndarray  # (R, n_in) float64, distinct input rows
    targets: list[list[tuple[np.ndarray, int]]]  # per row: (target vector, count)
    min_correct: int  # a circuit is valid iff #correct samples >= min_correct


def _prepare_data(model: "MLP", data, threshold: float) -> _Data:
    import torch

    from .boolean import Task, make_task
    from .data import Dataset
    from .weights import WeightsFile

    if data is None:
        if isinstance(model, WeightsFile) and {"X_eval", "y_eval"} <= set(model.data):
            data = (model.data["X_eval"], model.data["y_eval"])
        else:
            raise ParameterError(
                "give the evaluation data: (X, y), a Dataset, or a gate name / Task "
                "(or a WeightsFile that stores X_eval and y_eval)"
            )
    net = as_mlp(model)
    if isinstance(data, (str, Task)) or (
        isinstance(data, (list, tuple)) and len(data) and all(isinstance(s, str) for s in data)
    ):
        task = make_task(data)
        X, y = task.inputs, task.table
    elif isinstance(data, Dataset):
        X, y = data.X, data.y
    elif isinstance(data, (tuple, list)) and len(data) == 2:
        X, y = data
    else:
        raise ParameterError(
            f"data must be (X, y), a mi_ident Dataset, or a gate name / Task; got {type(data).__name__}"
        )
    X = (X.detach().cpu().numpy() if isinstance(X, torch.Tensor) else np.asarray(X)).astype(np.float32)
    y = (y.detach().cpu().numpy() if isinstance(y, torch.Tensor) else np.asarray(y)).astype(np.float32)
    n_in, n_out = net.widths[0], net.widths[-1]
    if y.ndim == 1:
        y = y[:, None]
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ParameterError(f"X must have shape (n_samples, {n_in}) for this {net.widths} network; got {X.shape}")
    if y.ndim != 2 or y.shape[1] != n_out:
        raise ParameterError(
            f"y must have shape (n_samples, {n_out}) for this {net.widths} network (one column per output); "
            f"got {y.shape}: does the task match the network?"
        )
    if len(X) != len(y) or len(X) == 0:
        raise ParameterError(f"X and y need the same, nonzero number of samples; got {len(X)} and {len(y)}")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ParameterError("X and y must be finite (no NaN or infinity)")
    N = len(X)
    c = max(0, int(threshold * N) - 2)
    while c <= N and not c / N > threshold:  # the original's rule: correct / N > threshold, in floats
        c += 1
    rows, inverse = np.unique(X, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    targets = []
    for r in range(len(rows)):
        ys, counts = np.unique(y[inverse == r], axis=0, return_counts=True)
        targets.append([(t.astype(np.float64), int(k)) for t, k in zip(ys, counts)])
    return _Data(X, y, rows.astype(np.float64), targets, c)


def _check_precision(precision: str | None, mode: str) -> str:
    if precision is None:
        return "float32" if mode == "paper" else "float64"
    if precision not in ("float32", "float64"):
        raise ParameterError(
            f"precision must be 'float32' (verdicts of the original float32 forward pass) or 'float64'; "
            f"got {precision!r}"
        )
    return precision


def _check_threshold(threshold: float) -> float:
    try:
        t = float(threshold)
    except (TypeError, ValueError):
        raise ParameterError(f"accuracy_threshold must be a number in (0, 1]; got {threshold!r}") from None
    if not 0.0 < t <= 1.0:
        raise ParameterError(
            f"accuracy_threshold must be in (0, 1] (a circuit is valid iff accuracy > threshold); got {threshold}"
        )
    return t


# ---- float64 evaluation with a certified float32 error bound -------------------------------------


class _Net:
    """The model's weights in float64 plus per-row bounds on the float32 rounding error.

    With ``precision="float64"`` the bound is only a cushion for float64 summation order,
    and the verdict of reference is the float64 forward pass instead of torch's float32 one.
    """

    def __init__(self, model: "MLP", rows: np.ndarray, precision: str = "float32") -> None:
        self.model = model
        self.weights = [(W.astype(np.float64), b.astype(np.float64)) for W, b in model.numpy_weights()]
        self.slope = float(np.float32(model.negative_slope))  # torch applies the slope in float32
        self.leaky_out = model.output_activation == "leaky_relu"
        self.u = _U if precision == "float32" else 0.0
        self.z_bound, self.z_err = self._bounds(rows)

    def _bounds(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """|z| and float32 error bounds of the output pre-activation, per row and output, valid
        for every circuit (masks only remove terms) and any summation order (gamma_n bound)."""
        c, u = max(1.0, abs(self.slope)), self.u
        M, D = np.abs(rows), np.zeros_like(rows)
        for i, (W, b) in enumerate(self.weights):
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

    def forward(self, rows, node_masks, edge_masks, n_layers: int | None = None) -> np.ndarray:
        """Batched masked forward: masks ``(C or 1, n_i)`` / ``(C or 1, out, in)`` -> ``(C, R, width)``."""
        L = len(self.weights) if n_layers is None else n_layers
        h = rows[None]
        for i in range(L):
            W, b = self.weights[i]
            h = h * node_masks[i][:, None, :]
            h = self.act(h @ (W[None] * edge_masks[i]).transpose(0, 2, 1) + b, i == len(self.weights) - 1)
        return h


def _judge_outputs(net: _Net, data: _Data, a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For outputs ``a`` (C, R, n_out): correct-sample counts, which are too close to a rounding
    boundary to call, and which of those could still be valid (the others are surely not)."""
    c = max(1.0, abs(net.slope)) if net.leaky_out else 1.0
    err = c * net.z_err + (2 * net.u * c * (net.z_bound + net.z_err) if net.leaky_out else 0.0)
    border = (np.abs(a - (np.floor(a) + 0.5)) <= err[None]).any(axis=2)  # (C, R)
    pred = np.round(a)  # half to even, like torch.round
    per_row = np.zeros(border.shape, dtype=np.int64)
    for r, tlist in enumerate(data.targets):
        for t, k in tlist:
            per_row[:, r] += k * (pred[:, r, :] == t[None, :]).all(axis=1)
    best = np.array([max(k for _, k in tlist) for tlist in data.targets])
    upper = np.where(border, best[None], per_row).sum(axis=1)
    any_border = border.any(axis=1)
    return per_row.sum(axis=1), any_border, any_border & (upper >= data.min_correct)


def _reference_correct(net: _Net, circuit: Circuit, data: _Data) -> int:
    """The verdict of reference: torch's float32 forward of the circuit on every sample (as the
    original code), or with ``precision="float64"`` the float64 forward on the distinct rows."""
    if net.u == 0.0:
        nodes = [np.array([m], dtype=np.float64) for m in circuit.node_masks]
        edges = [np.array([e], dtype=np.float64) for e in circuit.edge_masks]
        pred = np.round(net.forward(data.rows, nodes, edges)[0])
        return sum(k for r, tlist in enumerate(data.targets) for t, k in tlist if (pred[r] == t).all())
    import torch

    out = circuit_forward(net.model, circuit, data.X)[-1]
    return int((torch.round(out) == torch.from_numpy(data.y)).all(dim=1).sum())


# ---- z-space classes for the single-output fast path ---------------------------------------------


@dataclass
class _Classes:
    """Per row, the output pre-activation intervals that round to each target, with margins."""

    lo: np.ndarray  # (R, T)  NaN where a row has fewer targets / an unreachable target
    hi: np.ndarray
    elo: np.ndarray
    ehi: np.ndarray
    counts: np.ndarray  # (R, T) int
    patterns: list[tuple[tuple[int, ...], int]]  # (class per row, -1 = wrong; correct count)


def _classes(net: _Net, data: _Data) -> _Classes | None:
    """Intervals in z for round(act(z)) == t, or None when the fast path does not apply."""
    s = net.slope
    if net.leaky_out and s < 0:
        return None
    R, T = len(data.targets), max(len(t) for t in data.targets)
    lo, hi, elo, ehi = (np.full((R, T), np.nan) for _ in range(4))
    counts = np.zeros((R, T), dtype=np.int64)

    def pre(v: float) -> float:  # preimage of an output value under the monotone activation
        if v >= 0 or not net.leaky_out:
            return v
        return v / s if s > 0 else -np.inf

    for r, tlist in enumerate(data.targets):
        e = float(net.z_err[r, 0])
        for j, (t, k) in enumerate(tlist):
            counts[r, j] = k
            t = float(t[0])
            if t != round(t):
                continue  # round() never gives a non-integer target
            a_lo, a_hi = t - 0.5, t + 0.5
            if net.leaky_out and s == 0 and a_hi <= 0:
                continue
            zl, zh = pre(a_lo), pre(a_hi)
            lo[r, j], hi[r, j] = zl, zh
            # torch rounds s*z in float32: widen negative boundaries by that relative error
            elo[r, j] = e + (2 * net.u * abs(zl) if np.isfinite(zl) and zl < 0 else 0.0)
            ehi[r, j] = e + (2 * net.u * abs(zh) if zh < 0 else 0.0)
            if zh - zl <= 4 * max(elo[r, j], ehi[r, j]):
                return None
    choices = [range(-1, len(t)) for t in data.targets]
    n_patterns = math.prod(len(c) for c in choices)
    if n_patterns > 16 * _MAX_PATTERNS:
        return None
    patterns = []
    for p in itertools.product(*choices):
        k = sum(int(counts[r, j]) for r, j in enumerate(p) if j >= 0)
        if k >= data.min_correct:
            patterns.append((p, k))
    if len(patterns) > _MAX_PATTERNS:
        return None
    return _Classes(lo, hi, elo, ehi, counts, patterns)


def _judge_z(cl: _Classes, z: np.ndarray, min_correct: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Like :func:`_judge_outputs`, for output pre-activations ``z`` (..., R) of one output."""
    zz = z[..., None]
    with np.errstate(invalid="ignore"):
        inside = (zz > cl.lo + cl.elo) & (zz < cl.hi - cl.ehi)
        border = ((np.abs(zz - cl.lo) <= cl.elo) | (np.abs(zz - cl.hi) <= cl.ehi)).any(axis=-1)
    per_row = (inside * cl.counts).sum(axis=-1)
    upper = np.where(border, cl.counts.max(axis=1), per_row).sum(axis=-1)
    any_border = border.any(axis=-1)
    return per_row.sum(axis=-1), any_border, any_border & (upper >= min_correct)


# ---- the census engine ---------------------------------------------------------------------------


class _Recorder:
    """Accumulates counts and the (capped) table of kept valid circuits."""

    def __init__(self, ws: tuple[int, ...], max_keep: int | None) -> None:
        self.ws, self.max_keep = ws, max_keep
        self.n_valid = self.n_evaluated = 0
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.pending: list[tuple[np.ndarray, ...]] = []
        self.kept = 0

    @property
    def room(self) -> int:
        return (1 << 62) if self.max_keep is None else self.max_keep - self.kept

    def add(self, index, node_bits, edge_bits, sparsity, accuracy) -> None:
        """Buffer records of the current block (any order); :meth:`flush` files them in order."""
        self.pending.append(tuple(np.asarray(a) for a in (index, node_bits, edge_bits, sparsity, accuracy)))

    def flush(self) -> None:
        if not self.pending:
            return
        cols = [np.concatenate([p[k] for p in self.pending]) for k in range(5)]
        self.pending = []
        order = np.argsort(cols[0], kind="stable")[: max(self.room, 0)]
        if len(order):
            self.parts.append(tuple(c[order] for c in cols))
            self.kept += len(order)

    def table(self) -> tuple[np.ndarray, ...]:
        nw = max(1, -(-sum(self.ws[1:-1]) // 64)), max(1, -(-_n_edges(self.ws) // 64))
        if not self.parts:
            return (np.zeros(0, np.int64), np.zeros((0, nw[0]), np.uint64), np.zeros((0, nw[1]), np.uint64),
                    np.zeros(0), np.zeros(0))
        return tuple(np.concatenate([p[k] for p in self.parts]) for k in range(5))


class _Engine:
    def __init__(self, net: _Net, data: _Data, ws: tuple[int, ...], mode: str, rec: _Recorder, bar) -> None:
        self.model, self.data, self.ws, self.mode, self.rec, self.bar = net.model, data, ws, mode, rec, bar
        self.net = net
        self.N = len(data.X)
        self.space: _Space | None = None  # built on the first borderline candidate
        self.n_edges = _n_edges(ws)
        self.edge_offsets = np.cumsum([0] + [i * o for i, o in zip(ws[:-1], ws[1:])])

    # -- shared helpers --
    def recheck(self, indices: Sequence[int]) -> tuple[list[int], list[float]]:
        """Exact torch verdicts for candidates too close to a rounding boundary to call in float64."""
        if self.space is None:
            self.space = _Space(self.ws, self.mode)
        good, acc = [], []
        for idx in indices:
            k = _reference_correct(self.net, self.space.circuit_at(int(idx)), self.data)
            if k >= self.data.min_correct:
                good.append(int(idx))
                acc.append(k / self.N)
        return good, acc

    def add_rechecked(self, indices: Sequence[int]) -> None:
        good, acc = self.recheck(indices)
        self.rec.n_valid += len(good)
        if good and self.rec.room > 0:
            circuits = [self.space.circuit_at(i) for i in good]
            nb = _pack(np.array([np.concatenate([np.array(m, bool) for m in c.node_masks[1:-1]]) for c in circuits]),
                       sum(self.ws[1:-1]))
            eb = _pack(np.array([np.concatenate([e.ravel().astype(bool) for e in c.edge_masks]) for c in circuits]),
                       self.n_edges)
            sp = np.array([1 - sum(map(sum, c.node_masks[1:-1])) / max(1, sum(self.ws[1:-1])) for c in circuits])
            self.rec.add(np.array(good, np.int64), nb, eb, sp, np.array(acc))

    def node_words(self, combo: _Combo) -> np.ndarray:
        bits = np.zeros(sum(self.ws[1:-1]), dtype=bool)
        pos = 0
        for w, a in zip(self.ws[1:-1], combo.active[1:-1]):
            bits[[pos + j for j in a]] = True
            pos += w
        return _pack(bits[None], len(bits))[0]

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

    # -- generic path: any architecture, one batched float64 forward per block of candidates --
    def run_generic(self, combos: Sequence[_Combo], base: int) -> None:
        rows = self.data.rows
        for combo in combos:
            sizes = combo.sizes
            node_masks = []
            for w, a in zip(self.ws, combo.active):
                m = np.zeros((1, w))
                m[0, list(a)] = 1
                node_masks.append(m)
            blocks = [_block_array(o, i) for i, o in zip(sizes[:-1], sizes[1:])]
            masks = [self.layer_masks(combo, i, b) for i, b in enumerate(blocks)]
            words = [self.layer_words(i, m) for i, m in enumerate(masks)]
            radices = [len(b) for b in blocks]
            nw = self.node_words(combo)
            sparsity = 1 - sum(sizes[1:-1]) / max(1, sum(self.ws[1:-1]))
            step = max(1, _CHUNK // max(1, len(rows)))
            for start in range(0, combo.count, step):
                idx = np.arange(start, min(combo.count, start + step), dtype=np.int64)
                digits = np.stack(np.unravel_index(idx, radices), axis=1) if radices else idx[:, None]
                edges = [m[digits[:, i]] for i, m in enumerate(masks)]
                a = self.net.forward(rows, node_masks, edges)
                correct, border, maybe = _judge_outputs(self.net, self.data, a)
                ok = (correct >= self.data.min_correct) & ~border
                self.rec.n_valid += int(ok.sum())
                self.rec.n_evaluated += len(idx)
                if ok.any() and self.rec.room > 0:
                    sel = np.flatnonzero(ok)
                    eb = np.bitwise_or.reduce(np.stack([words[i][digits[sel, i]] for i in range(len(words))]), axis=0)
                    self.rec.add(base + idx[sel], np.repeat(nw[None], len(sel), 0), eb,
                                 np.full(len(sel), sparsity), correct[sel] / self.N)
                if maybe.any():
                    self.add_rechecked((base + idx[maybe]).tolist())
                self.rec.flush()
                self.bar.update(len(idx))
            base += combo.count

    # -- fast path: single output, the last hidden layer factorised --
    def run_fast(self, combos: Sequence[_Combo], base: int, cl: _Classes) -> None:
        rows, L = self.data.rows, len(self.ws) - 2
        W_last, b_last = self.net.weights[L - 1]
        w_out, b_out = self.net.weights[L][0][0], float(self.net.weights[L][1][0])
        for combo in combos:
            sizes = combo.sizes
            prev, last = combo.active[L - 1], combo.active[L]
            m, n = len(prev), len(last)
            K = (1 << m) - 1
            n_last = _n_blocks(n, m)
            # prefix: every edge pattern of Linear layers 0 .. L-2, in order
            pre_blocks = [_block_array(o, i) for i, o in zip(sizes[: L - 1], sizes[1:L])]
            pre_masks = [self.layer_masks(combo, i, b) for i, b in enumerate(pre_blocks)]
            pre_words = [self.layer_words(i, mk) for i, mk in enumerate(pre_masks)]
            radices = [len(b) for b in pre_blocks]
            n_pre = math.prod(radices)
            node_masks = []
            for w, a in zip(self.ws, combo.active):
                mk = np.zeros((1, w))
                mk[0, list(a)] = 1
                node_masks.append(mk)
            # per child and parent subset: its edge bits, and the weights it sees
            codes = np.arange(1, K + 1)
            sub = ((codes[:, None] >> np.arange(m - 1, -1, -1)) & 1).astype(np.float64)  # (K, m)
            Wsub = W_last[np.ix_(last, prev)]  # (n, m)
            child_words = []
            for k, o in enumerate(last):
                cm = np.zeros((K, self.ws[L], self.ws[L - 1]))
                cm[:, o, list(prev)] = sub
                child_words.append(self.layer_words(L - 1, cm))
            out_mask = np.zeros((1, 1, self.ws[L]))
            out_mask[0, 0, list(last)] = 1
            const_words = self.node_words(combo), self.layer_words(L, out_mask)[0]
            sparsity = 1 - sum(sizes[1:-1]) / max(1, sum(self.ws[1:-1]))
            direct = n_last <= _DIRECT_MAX
            last_codes = _block_array(n, m) if direct else None
            step = max(1, _CHUNK // max(1, n_last * len(rows))) if direct else 256
            for p0 in range(0, n_pre, step):
                pidx = np.arange(p0, min(n_pre, p0 + step), dtype=np.int64)
                digits = np.stack(np.unravel_index(pidx, radices), axis=1) if radices else np.zeros((len(pidx), 0), np.int64)
                edges = [mk[digits[:, i]] for i, mk in enumerate(pre_masks)]
                H = self.net.forward(rows, node_masks, edges, n_layers=L - 1) if L > 1 else rows[None]
                H = H[:, :, list(prev)] * node_masks[L - 1][0, list(prev)]  # (P, R, m)
                # contribution of child k with parent subset c to the output pre-activation
                zc = np.einsum("cj,kj,prj->pkcr", sub, Wsub, H) + b_last[list(last)][None, :, None, None]
                contrib = w_out[list(last)][None, :, None, None] * self.net.act(zc, False)  # (P, n, K, R)
                pre_bits = np.zeros((len(pidx), len(const_words[1])), np.uint64)
                for i, wd in enumerate(pre_words):
                    pre_bits |= wd[digits[:, i]]
                pre_bits |= const_words[1]
                block_base = base + pidx * n_last
                if direct:
                    self._direct(cl, contrib, b_out, last_codes, block_base, pre_bits, child_words,
                                 const_words[0], sparsity)
                else:
                    for j in range(len(pidx)):
                        self._bitmask(cl, contrib[j], b_out, m, int(block_base[j]), pre_bits[j], child_words,
                                      const_words[0], sparsity)
                self.rec.flush()
                self.rec.n_evaluated += len(pidx) * n_last
                self.bar.update(len(pidx) * n_last)
            base += combo.count

    def _direct(self, cl, contrib, b_out, last_codes, block_base, pre_bits, child_words, node_w, sparsity):
        P, n = contrib.shape[:2]
        z = np.full((P, len(last_codes), contrib.shape[-1]), b_out)
        for k in range(n):
            z += contrib[:, k, last_codes[:, k] - 1, :]
        correct, border, maybe = _judge_z(cl, z, self.data.min_correct)
        ok = (correct >= self.data.min_correct) & ~border
        self.rec.n_valid += int(ok.sum())
        if ok.any() and self.rec.room > 0:
            pi, ti = np.nonzero(ok)
            eb = pre_bits[pi].copy()
            for k in range(n):
                eb |= child_words[k][last_codes[ti, k] - 1]
            self.rec.add(block_base[pi] + ti, np.repeat(node_w[None], len(pi), 0), eb,
                         np.full(len(pi), sparsity), correct[pi, ti] / self.N)
        if maybe.any():
            pi, ti = np.nonzero(maybe)
            self.add_rechecked((block_base[pi] + ti).tolist())

    def _bitmask(self, cl, contrib, b_out, m, block_base, pre_bits, child_words, node_w, sparsity):
        """Meet in the middle: the output pre-activation is a sum over children, so split them in
        an outer and an inner group; for each outer choice, the inner choices that make every row
        land in the right interval are a bitmask looked up by the rank of the outer partial sum."""
        n, K, R = contrib.shape
        full = K
        g_in = max(1, n // 2)
        while g_in > 1 and K**g_in > _INNER_MAX:
            g_in -= 1
        g_out = n - g_in
        M = K**g_in
        dig_in = _digits(np.arange(M, dtype=np.int64), K, g_in)
        s_in = np.zeros((M, R))
        u_in = np.zeros(M, np.int64)
        for j in range(g_in):
            s_in += contrib[g_out + j, dig_in[:, j]]
            u_in |= dig_in[:, j] + 1
        Wd = -(-M // 64)
        Q = np.arange(full + 1)
        cover = _pack((u_in[None, :] & Q[:, None]) == Q[:, None], M)  # (2^m, Wd)
        tables = [self._row_tables(cl, r, s_in[:, r], Wd) for r in range(R)]
        in_bits_words = np.zeros((M, len(pre_bits)), np.uint64)
        for j in range(g_in):
            in_bits_words |= child_words[g_out + j][dig_in[:, j]]
        O = K**g_out
        done = 0  # cover-satisfying tuples before the current outer chunk
        for o0 in range(0, O, _CHUNK):
            o = np.arange(o0, min(O, o0 + _CHUNK), dtype=np.int64)
            dig = _digits(o, K, g_out)
            s_out = np.full((len(o), R), b_out)
            u_out = np.zeros(len(o), np.int64)
            for j in range(g_out):
                s_out += contrib[j, dig[:, j]]
                u_out |= dig[:, j] + 1
            cov = cover[full & ~u_out]
            borders, ins = [], []
            for r, (vals, btabs, itabs) in enumerate(tables):
                rank = np.searchsorted(vals, s_out[:, r], side="right")
                b = np.zeros_like(cov)
                for btab in btabs:
                    b |= btab[rank]
                borders.append(b)
                ins.append([t[rank] for t in itabs])
            border = np.bitwise_or.reduce(borders) if borders else np.zeros_like(cov)
            ok = cov & ~border
            some = np.flatnonzero((cov & border).any(axis=1))  # outer rows with borderline choices
            bc = np.zeros_like(cov)
            hits = []
            for pattern, k in cl.patterns:
                v = ok.copy()
                maybe = cov[some] & border[some]
                for r, j in enumerate(pattern):
                    if j >= 0:
                        cls = ins[r][j]
                    else:
                        cls = ~np.bitwise_or.reduce(ins[r]) if ins[r] else ~np.zeros_like(cov)
                    v &= cls
                    maybe &= cls[some] | borders[r][some]
                bc[some] |= maybe
                cnt = int(np.bitwise_count(v).sum())
                if cnt:
                    self.rec.n_valid += cnt
                    hits.append((v, k))
            if (hits and self.rec.room > 0) or bc.any():
                row_cover = np.bitwise_count(cov).sum(axis=1).astype(np.int64)
                before = done + np.cumsum(row_cover) - row_cover

                def positions(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
                    oi, mi = np.nonzero(_unpack(mask, M))
                    wi, bi = mi >> 6, (mi & 63).astype(np.uint64)
                    pc = np.bitwise_count(cov[oi]).astype(np.int64)
                    full_words = np.cumsum(pc, axis=1) - pc
                    low = cov[oi, wi] & ((np.uint64(1) << bi) - np.uint64(1))
                    rank = full_words[np.arange(len(oi)), wi] + np.bitwise_count(low).astype(np.int64)
                    return oi, mi, block_base + before[oi] + rank

                if hits and self.rec.room > 0:
                    for v, k in hits:
                        oi, mi, idx = positions(v)
                        eb = in_bits_words[mi] | pre_bits
                        for j in range(g_out):
                            eb |= child_words[j][dig[oi, j]]
                        self.rec.add(idx, np.repeat(node_w[None], len(idx), 0), eb,
                                     np.full(len(idx), sparsity), np.full(len(idx), k / self.N))
                if bc.any():
                    self.add_rechecked(positions(bc)[2].tolist())
                self.rec.flush()
            done += int(np.bitwise_count(cov).sum())

    def _row_tables(self, cl: _Classes, r: int, s_in: np.ndarray, Wd: int):
        """Sorted thresholds on the outer partial sum, and for each rank the inner choices that are
        borderline / inside each target's interval (cumulative XOR of one-bit toggles)."""
        M = len(s_in)
        vals, ms, kinds, owner = [], [], [], []  # kind j >= 0: toggles class j's "inside" state
        for j in range(cl.lo.shape[1]):
            lo, hi = cl.lo[r, j], cl.hi[r, j]
            if np.isnan(lo):
                continue
            lo, hi = max(lo, -1e300), min(hi, 1e300)
            for bound, e, inner in ((lo, cl.elo[r, j], +1), (hi, cl.ehi[r, j], -1)):
                vals += [bound - e - s_in, bound + e - s_in]
                ms += [np.arange(M), np.arange(M)]
                kinds += [np.full(M, j if inner < 0 else -1), np.full(M, j if inner > 0 else -1)]
                owner += [np.full(M, j), np.full(M, j)]
        if not vals:
            return np.zeros(0), [], [np.zeros((1, Wd), np.uint64)] * cl.lo.shape[1]
        v, mm, kk, cls = (np.concatenate(a) for a in (vals, ms, kinds, owner))
        order = np.argsort(v, kind="stable")
        v, mm, kk, cls = v[order], mm[order], kk[order], cls[order]
        one = np.uint64(1) << (mm & 63).astype(np.uint64)
        e_idx = np.arange(len(v)) + 1

        def table(sel: np.ndarray) -> np.ndarray:
            tog = np.zeros((len(v) + 1, Wd), np.uint64)
            tog[e_idx[sel], mm[sel] >> 6] = one[sel]
            return np.bitwise_xor.accumulate(tog, axis=0)

        # one border table per class: adjacent classes share a boundary, and XOR would cancel them
        itabs, btabs = [], []
        for j in range(cl.lo.shape[1]):
            if np.isnan(cl.lo[r, j]):
                itabs.append(np.zeros((len(v) + 1, Wd), np.uint64))
            else:
                itabs.append(table(kk == j))
                btabs.append(table(cls == j))
        return v, btabs, itabs


def _estimated_seconds(ws: tuple[int, ...], n_candidates: int, n_rows: int, fast: bool) -> float:
    n_combos = math.prod(1 << w for w in ws[1:-1])
    rate = _RATE_FAST * max(1, n_rows) / 4 if fast else _RATE_GENERIC * max(1, n_rows) / 4
    return n_candidates * rate + n_combos * _RATE_COMBO


def census(
    model: "MLP",
    data=None,
    accuracy_threshold: float = 0.99,
    mode: Mode = "exact",
    max_keep: int | None = None,
    progress: bool = True,
    allow_large: bool = False,
    precision: Precision | None = None,
) -> CensusResult:
    """Count every candidate circuit whose accuracy on ``data`` is ``> accuracy_threshold``.

    Parameters
    ----------
    model:
        An :class:`~mi_ident.model.MLP` (or a ``WeightsFile``; then ``data`` defaults to
        its ``X_eval, y_eval``).
    data:
        ``(X, y)`` arrays or tensors, a :class:`~mi_ident.data.Dataset`, or a gate name /
        :class:`~mi_ident.boolean.Task` (its truth-table rows, once each).
    accuracy_threshold:
        In ``(0, 1]``. Accuracy is the fraction of samples whose rounded output equals the
        target (every output, for multi-output nets); valid iff accuracy > threshold.
    mode:
        ``"exact"`` (every node mask) or ``"paper"`` (the original code's candidate list).
    max_keep:
        Keep at most this many valid circuits (the first ones in order); ``None`` keeps all
        (about 40 bytes each). Counts are always complete.
    allow_large:
        Run even when the estimated time exceeds :data:`MAX_ESTIMATED_SECONDS`.
    precision:
        ``"float32"``: every verdict equals the original code's float32 torch forward pass.
        ``"float64"``: verdicts of the network computed in float64 (closer to real numbers); the
        two differ only for the few circuits whose output lies within float32 rounding error of
        a rounding boundary (e.g. 14 of 7.27e9 candidates for the reference 2-5-5-1 net).
        ``None`` (default): ``"float32"`` in paper mode, to reproduce the original code, and
        ``"float64"`` in exact mode, whose verdicts should not hinge on float32 rounding noise
        (its reference counts were computed that way).

    The census never runs one forward pass per circuit: with a single output, the output is a
    sum of one term per neuron of the last hidden layer, so those terms are precomputed for each
    parent subset and combined by broadcasting (small layers) or by a meet-in-the-middle bitmask
    count (large ones). Distinct input rows are evaluated once. Values are computed in float64
    with a certified float32 error bound; the rare candidates within that bound of a rounding
    boundary are re-evaluated by :func:`circuit_forward`, so every verdict equals the plain
    float32 torch forward of the original code.

    Example
    -------
    >>> from mi_ident.model import MLP
    >>> result = census(MLP([2, 2, 2, 1], seed=0), "XOR", progress=False)
    >>> result.n_candidates
    69
    """
    from tqdm.auto import tqdm

    net = as_mlp(model)
    threshold = _check_threshold(accuracy_threshold)
    mode = _check_mode(mode)
    precision = _check_precision(precision, mode)
    if max_keep is not None and (int(max_keep) != max_keep or max_keep < 0):
        raise ParameterError(f"max_keep must be None or a non-negative integer; got {max_keep!r}")
    ws = tuple(net.widths)
    prepared = _prepare_data(model, data, threshold)
    n_candidates = count_candidates(ws, mode)
    rec = _Recorder(ws, None if max_keep is None else int(max_keep))
    fnet = _Net(net, prepared.rows, precision)
    cl = _classes(fnet, prepared) if ws[-1] == 1 and len(ws) >= 3 else None
    seconds = _estimated_seconds(ws, n_candidates, len(prepared.rows), cl is not None)
    if seconds > MAX_ESTIMATED_SECONDS and not allow_large:
        raise ParameterError(
            f"a {mode}-mode census of a {list(ws)} network has {n_candidates:,} candidate circuits, "
            f"estimated {seconds:,.0f} s here (limit {MAX_ESTIMATED_SECONDS:.0f} s); pass allow_large=True "
            f"(mi-ident census --allow-large) to run it anyway, or use estimate_valid_circuits() for a "
            f"Monte-Carlo estimate"
        )
    with tqdm(total=n_candidates, disable=not progress, unit="circuit", unit_scale=True,
              desc=f"census {mode}") as bar:
        engine = _Engine(fnet, prepared, ws, mode, rec, bar)
        combos = _iter_combos(ws, mode)
        if cl is not None:
            engine.run_fast(list(combos), 0, cl)
        else:
            engine.run_generic(list(combos), 0)
    if rec.n_evaluated != n_candidates:
        raise AssertionError(f"evaluated {rec.n_evaluated} of {n_candidates} candidates")
    index, nb, eb, sp, acc = rec.table()
    return CensusResult(ws, mode, threshold, n_candidates, rec.n_evaluated, rec.n_valid,
                        index.astype(np.int64), nb, eb, sp.astype(np.float64), acc.astype(np.float64))


# ================================================================================================
# Monte-Carlo estimate
# ================================================================================================


@dataclass(frozen=True)
class Estimate:
    """A Monte-Carlo estimate of the number of valid circuits, with a confidence interval."""

    estimate: float
    low: float
    high: float
    n_samples: int
    n_candidates: int
    n_hits: int = 0
    confidence: float = 0.95

    def __repr__(self) -> str:
        return (
            f"Estimate({self.estimate:,.0f} valid of {self.n_candidates:,}; "
            f"{self.confidence:.0%} CI [{self.low:,.0f}, {self.high:,.0f}], n_samples={self.n_samples})"
        )


def estimate_valid_circuits(
    model: "MLP",
    data=None,
    n_samples: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
    mode: Mode = "exact",
    accuracy_threshold: float = 0.99,
    precision: Precision | None = None,
) -> Estimate:
    """Estimate the number of valid circuits by sampling candidates uniformly (with replacement).

    Each sample is a uniform integer in ``[0, n_candidates)`` mapped to its circuit by the
    enumeration bijection (:func:`circuit_at`), so the fraction of valid samples times
    ``n_candidates`` is unbiased; the interval is Wilson's score interval on that fraction.
    Works for any width (e.g. 2-6-6-1, far beyond an exhaustive census).

    >>> from mi_ident.model import MLP
    >>> est = estimate_valid_circuits(MLP([2, 3, 3, 1], seed=0), "XOR", n_samples=200)
    >>> est.low <= est.estimate <= est.high
    True
    """
    net = as_mlp(model)
    threshold = _check_threshold(accuracy_threshold)
    mode = _check_mode(mode)
    if int(n_samples) != n_samples or n_samples < 1:
        raise ParameterError(f"n_samples must be a positive integer; got {n_samples!r}")
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must be in (0, 1); got {confidence}")
    precision = _check_precision(precision, mode)
    ws = tuple(net.widths)
    prepared = _prepare_data(model, data, threshold)
    space = _Space(ws, mode)
    rng = random.Random(seed)
    samples = [rng.randrange(space.total) for _ in range(int(n_samples))] if space.total else []
    fnet = _Net(net, prepared.rows, precision)
    hits = 0
    for start in range(0, len(samples), 2048):
        circuits = [space.circuit_at(i) for i in samples[start : start + 2048]]
        nodes = [np.array([c.node_masks[i] for c in circuits], dtype=np.float64) for i in range(len(ws))]
        edges = [np.array([c.edge_masks[i] for c in circuits], dtype=np.float64) for i in range(len(ws) - 1)]
        correct, border, maybe = _judge_outputs(fnet, prepared, fnet.forward(prepared.rows, nodes, edges))
        hits += int(((correct >= prepared.min_correct) & ~border).sum())
        for c in np.flatnonzero(maybe):
            hits += _reference_correct(fnet, circuits[c], prepared) >= prepared.min_correct
    n = len(samples)
    if n == 0:
        return Estimate(0.0, 0.0, 0.0, int(n_samples), 0, 0, confidence)
    z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    total = space.total
    return Estimate(p * total, max(0.0, centre - half) * total, min(1.0, centre + half) * total,
                    n, total, hits, confidence)
