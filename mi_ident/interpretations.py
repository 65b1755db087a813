"""Interpretations of a circuit: read each neuron as a logic gate of its parents.

A neuron's activations over the task inputs become a truth table once a threshold
is chosen between two consecutive distinct values (``value > threshold`` is 1).
An *interpretation* of a circuit picks one truth table per neuron such that every
neuron is a consistent Boolean function (its *local gate*) of its parents' bits:
two input rows on which the parents agree must give the neuron the same bit. The
local gate is fixed on the parent patterns that occur and free ("don't care") on
the others, so every completion of the unobserved patterns is a separate gate.

Counting never materialises interpretations: given its parents' tables, each
neuron's number of choices is a product factor, so a dynamic program over layers
(state = the truth tables of one layer) sums the products. Listing is lazy
(:func:`iter_interpretations` is a generator).

Two modes
---------
``mode="paper"`` reproduces the original code's ``Circuit.ground`` exactly (its
counts equal the reference ``groundings_per_valid_circuit``), quirks included:

* inputs are truncated to integers and each distinct input row keeps the
  activation of its *last* occurrence in ``X``; thresholds are float32 midpoints;
* output activations are rounded to integers first, then every threshold between
  distinct rounded values is a candidate;
* first-layer neurons are named by their global two-input table, with no
  consistency check, whatever input edges are active;
* completions whose name is XOR or XNOR are dropped, which only bites for
  exactly two parents; three or more parents are all named ``"3INPUTS"``;
* a neuron that is constant on ``X`` is silently left out, also as a parent.

``mode="exact"`` (the default) fixes what we judge to be quirks:

* every layer is treated alike: a first-layer neuron is a gate of the inputs it
  is actually wired to, checked for consistency like any other neuron (the
  input bits are the inputs thresholded at 0.5);
* the output neuron's table is fixed by the network's own read-out
  (``output > 0.5``, i.e. rounding), not chosen among thresholds, so for a valid
  circuit it equals the target;
* no XOR/XNOR filter: XOR is a gate like any other;
* gates of three or more parents are named by their full table (``f3[...]``),
  so a labeling (the gate of every neuron) identifies the interpretation;
* activations are taken on the clean Boolean rows present in ``X`` (all rows
  when ``X`` is None), so noise in ``X`` does not create spurious values.

Constant hidden neurons carry no bit in either mode (no threshold splits them)
and are left out, acting as a bias.

Three numbers per circuit
-------------------------
* :func:`count_interpretations` — threshold choice and gate completion per neuron
  (the paper's "groundings").
* :func:`count_assignments` — consistent threshold choices only (truth tables
  per neuron, ignoring don't-cares).
* :func:`count_labelings` — distinct dictionaries neuron -> gate name. In exact
  mode this equals :func:`count_interpretations` (the local gates determine every
  neuron's table layer by layer, and names are faithful); in paper mode it is
  smaller because ``"3INPUTS"`` lumps different gates together.

Example
-------
>>> import torch
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import Circuit
>>> model = MLP([2, 2, 1], seed=0)
>>> full = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
...                           "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
>>> n = count_interpretations(model, full)
>>> n == sum(1 for _ in iter_interpretations(model, full))
True
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Sequence

import numpy as np
import torch

from .errors import ParameterError
from .boolean import gate_name
from .circuits import Circuit, check_circuit, circuit_forward
from ._validation import as_model as as_mlp
from .model import MLP

Mode = Literal["exact", "paper"]
MODES = ("exact", "paper")
Node = tuple[int, int]

#: The generic name the original code gives to every gate of three or more parents.
PAPER_MANY_INPUTS = "3INPUTS"


# ---------------------------------------------------------------------------------------------
# results
@dataclass(frozen=True)
class NeuronGate:
    """One neuron's reading in an interpretation.

    ``table`` holds the neuron's bits on the interpretation's input rows;
    ``local_table`` its gate over the parents' bits (parent patterns in binary
    counting order, first parent most significant); ``name`` the gate's name.
    """

    table: tuple[int, ...]
    threshold: float
    parents: tuple[Node, ...]
    local_table: tuple[int, ...]
    name: str


@dataclass(frozen=True)
class Interpretation(Mapping):
    """A logic gate for every interpreted neuron: a mapping ``(layer, neuron) -> NeuronGate``.

    ``rows`` are the Boolean input rows the truth tables are over.

    >>> from mi_ident.model import MLP
    >>> from mi_ident.circuits import Circuit
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
    ...                        "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
    >>> interp = next(iter_interpretations(MLP([2, 2, 1], seed=0), c))
    >>> sorted(interp) == [(1, 0), (1, 1), (2, 0)] and interp[(2, 0)].name == interp.labels()[(2, 0)]
    True
    """

    rows: tuple[tuple[int, ...], ...]
    gates: dict[Node, NeuronGate]

    def __getitem__(self, node: Node) -> NeuronGate:
        return self.gates[node]

    def __iter__(self) -> Iterator[Node]:
        return iter(self.gates)

    def __len__(self) -> int:
        return len(self.gates)

    def __hash__(self) -> int:
        return hash((self.rows, tuple(self.gates.items())))

    def labels(self) -> dict[Node, str]:
        """Gate name of every neuron, e.g. ``{(1, 0): 'OR', (2, 0): 'AND'}``."""
        return {node: g.name for node, g in self.gates.items()}

    def tables(self) -> dict[Node, tuple[int, ...]]:
        """Truth table of every neuron over :attr:`rows`."""
        return {node: g.table for node, g in self.gates.items()}

    def paper_labels(self) -> dict[str, str]:
        """Labels keyed as in the reference JSON: ``{"(1,0)": "B", ...}``."""
        return {f"({layer},{idx})": name for (layer, idx), name in self.labels().items()}


# ---------------------------------------------------------------------------------------------
# validation and activations
def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ParameterError(f"mode must be one of {MODES}; got {mode!r}")
    return mode


def _check_X(model: MLP, X) -> np.ndarray:
    n_in = model.widths[0]
    if X is None:
        return ((np.arange(2**n_in)[:, None] >> np.arange(n_in - 1, -1, -1)) & 1).astype(np.float32)
    arr = X.detach().cpu().numpy() if isinstance(X, torch.Tensor) else np.asarray(X)
    if arr.ndim != 2 or arr.shape[1] != n_in or len(arr) == 0:
        raise ParameterError(
            f"X must be a non-empty 2-D array with one column per network input ({n_in}); "
            f"got shape {arr.shape}"
        )
    if not np.issubdtype(arr.dtype, np.number) or not np.all(np.isfinite(arr)):
        raise ParameterError("X must hold finite numbers (the Boolean inputs, e.g. 0.0 and 1.0)")
    return arr.astype(np.float32)


def _masked_activations(model: MLP, circuits: Sequence[Circuit], X: np.ndarray) -> list[np.ndarray]:
    """Post-activation values ``[C, n, width]`` per layer (input first) of every circuit.

    The masked forward of :func:`~mi_ident.circuits.circuit_forward`, step for step:
    the same torch operations on the same tensors, so every value is bit-identical
    to it (thresholds and ties depend on the last float32 bit, so a reordered or
    batched matmul could change tables). Circuits from a census share mask
    prefixes, so each prefix's layers are computed once and reused.
    """
    from torch.nn import functional as F

    from .model import single_thread

    x = torch.as_tensor(np.asarray(X, dtype=np.float32))
    n_layers = len(model.widths)
    masks: dict[tuple, torch.Tensor] = {}  # shared by equal masks: building tensors dominates

    def node_mask(m) -> torch.Tensor:
        key = tuple(m)
        if key not in masks:
            masks[key] = torch.tensor(key, dtype=torch.float32)
        return masks[key]

    def weights(i: int, edges: np.ndarray) -> torch.Tensor:
        key = (i, edges.tobytes())
        if key not in masks:
            masks[key] = model.layers[i].weight * torch.as_tensor(edges, dtype=torch.float32)
        return masks[key]

    layers = list(model.layers)
    # prefix key -> (activations passed on so far as arrays, pre-mask output of the last layer)
    memo: dict[tuple, tuple[tuple[np.ndarray, ...], torch.Tensor]] = {}
    out: list[list[np.ndarray]] = [[] for _ in range(n_layers)]
    with torch.no_grad(), single_thread():
        for circuit in circuits:
            key: tuple = ()
            acts: tuple[np.ndarray, ...] = ()
            h = x
            for i, layer in enumerate(layers):
                key += (circuit.node_masks[i], circuit.edge_masks[i].tobytes())
                if key not in memo:
                    masked = h * node_mask(circuit.node_masks[i])
                    z = F.linear(masked, weights(i, circuit.edge_masks[i]), layer.bias)
                    memo[key] = (acts + (masked.numpy(),), model.activate(i, z))
                acts, h = memo[key]
            for layer, a in enumerate(acts + (h.numpy(),)):  # the output node mask is not applied
                out[layer].append(a)
    return [np.stack(a) for a in out]


# ---------------------------------------------------------------------------------------------
# the per-circuit problem: candidate tables and parents of every interpreted neuron
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
    return int(sum(1 << r for r in np.flatnonzero(mask)))


def _thresholds(values: np.ndarray, paper: bool) -> list[tuple[float, int]]:
    """Candidate (threshold, table) pairs, thresholds ascending, between consecutive distinct values."""
    distinct = np.unique(values)
    out = []
    for lo, hi in zip(distinct[:-1], distinct[1:]):
        if paper:
            # float32 midpoint, compared as the original does (value > midpoint)
            sep = (hi + lo) / values.dtype.type(2)
            table = values > sep
        else:
            sep = (float(hi) + float(lo)) / 2
            table = values >= hi
        out.append((float(sep), _bits(table)))
    return out


def _candidates(v: np.ndarray, kind: str, paper: bool) -> tuple[tuple[float, int], ...]:
    """Candidate (threshold, table) pairs of a neuron with values ``v`` on the rows."""
    if kind == "input":
        return ((0.5, _bits(v >= 0.5)),)
    if kind == "output":
        return ((0.5, _bits(v > 0.5)),)  # the network's own read-out
    return tuple(_thresholds(v, paper))


def _rows_and_values(acts: list[np.ndarray], X: np.ndarray, mode: str):
    """Distinct Boolean rows (counting order) and, per layer, activations ``[C, m, width]`` on them."""
    if mode == "paper":
        ints = X.astype(np.int64)  # truncation, as the original's astype(int)
    else:
        ints = (X >= 0.5).astype(np.int64)
    rows, inverse = np.unique(ints, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    # last occurrence of each distinct row wins, as in the original's dict(zip(inputs, values))
    last = np.zeros(len(rows), dtype=np.int64)
    last[inverse] = np.arange(len(X))
    return [tuple(map(int, r)) for r in rows], [a[:, last, :] for a in acts], rows


def _problems(model: MLP, circuits: Sequence[Circuit], X, mode: str) -> list[_Problem]:
    _check_mode(mode)
    model = as_mlp(model)
    for c in circuits:
        check_circuit(model, c)
    X = _check_X(model, X)
    paper = mode == "paper"
    if paper:
        acts = _masked_activations(model, circuits, X)
        acts[-1] = np.round(acts[-1])  # the original rounds output activations first
        rows, values, row_arr = _rows_and_values(acts, X, mode)
        if len(rows) != 2 ** model.widths[0]:
            raise ParameterError(
                f"paper mode names first-layer neurons by their full input truth table, so X must "
                f"contain every one of the {2 ** model.widths[0]} input rows; it has {len(rows)}"
            )
    else:
        rows, _, row_arr = _rows_and_values([X[None]], X, mode)
        clean = row_arr.astype(np.float32)
        values = _masked_activations(model, circuits, clean)
    n_layers = len(model.widths)
    problems = []
    seen: dict[tuple[str, bytes], tuple[tuple[float, int], ...]] = {}
    for ci, circuit in enumerate(circuits):
        neurons: list[_Neuron] = []
        index: dict[Node, int] = {}
        layers: list[tuple[int, ...]] = []
        for layer in range(n_layers):
            here = []
            for j, active in enumerate(circuit.node_masks[layer]):
                if not active:
                    continue
                if layer == 0 and paper:
                    continue
                kind = "input" if layer == 0 else "output" if layer == n_layers - 1 and not paper else "hidden"
                # candidates depend only on the neuron's values: circuits repeat them a lot
                key = (kind, values[layer][ci, :, j].tobytes())
                if key not in seen:
                    seen[key] = _candidates(values[layer][ci, :, j], kind, paper)
                cands = seen[key]
                if not cands:
                    continue  # constant on the rows: no bit, left out (also as a parent)
                edges = circuit.edge_masks[layer - 1] if layer else None
                parents = tuple(
                    index[(layer - 1, p)]
                    for p in range(model.widths[layer - 1] if layer else 0)
                    if edges[j, p] and (layer - 1, p) in index
                )
                # inputs are given, and the original never checks the first layer
                checked = layer > 0 and not (paper and layer == 1)
                index[(layer, j)] = len(neurons)
                here.append(len(neurons))
                neurons.append(_Neuron((layer, j), cands, parents if checked else (), checked))
            if layer > 0 or not paper:
                layers.append(tuple(here))
        problems.append(_Problem(mode, tuple(rows), tuple(neurons), tuple(layers)))
    return problems


# ---------------------------------------------------------------------------------------------
# local gates
@lru_cache(maxsize=1 << 16)
def _local(table: int, parent_tables: tuple[int, ...], n_rows: int):
    """Observed local table of a neuron over its parents, or None if inconsistent.

    Returns ``(observed, missing)``: ``observed`` maps parent pattern (as an index
    in binary counting order) to the neuron's bit; ``missing`` lists the
    unobserved patterns in counting order.
    """
    k = len(parent_tables)
    observed: dict[int, int] = {}
    for r in range(n_rows):
        pattern = 0
        for t in parent_tables:
            pattern = (pattern << 1) | ((t >> r) & 1)
        bit = (table >> r) & 1
        if observed.setdefault(pattern, bit) != bit:
            return None
    missing = tuple(p for p in range(2**k) if p not in observed)
    return observed, missing


def _completions(observed: dict[int, int], missing: tuple[int, ...], k: int) -> Iterator[tuple[int, ...]]:
    """Every completion of the observed local table, in the original's order."""
    for bits in itertools.product((0, 1), repeat=len(missing)):
        full = dict(observed)
        full.update(zip(missing, bits))
        yield tuple(full[p] for p in range(2**k))


def _gate_name(local_table: tuple[int, ...], n_parents: int, mode: str) -> str:
    if mode == "paper" and n_parents >= 3:
        return PAPER_MANY_INPUTS
    return gate_name(local_table)


def _filtered(name: str, mode: str) -> bool:
    return mode == "paper" and name in ("XOR", "XNOR")


@lru_cache(maxsize=1 << 16)
def _n_gates(table: int, parent_tables: tuple[int, ...], n_rows: int, mode: str) -> int:
    """Number of allowed local gates of a neuron with this table given its parents' tables."""
    local = _local(table, parent_tables, n_rows)
    if local is None:
        return 0
    observed, missing = local
    k = len(parent_tables)
    if mode == "paper" and k == 2:
        return sum(
            not _filtered(_gate_name(t, k, mode), mode) for t in _completions(observed, missing, k)
        )
    return 2 ** len(missing)


# ---------------------------------------------------------------------------------------------
# counting: dynamic programming over layers
@lru_cache(maxsize=1 << 14)
def _factor(
    tables: tuple[int, ...], parent_tables: tuple[tuple[int, ...], ...], n_rows: int, mode: str,
    indicator: bool,
) -> np.ndarray:
    """Gate counts of one neuron, an array ``[parent 1 choice, ..., parent k choice, own choice]``."""
    shape = [len(t) for t in parent_tables] + [len(tables)]
    out = np.zeros(shape, dtype=object)
    for combo in itertools.product(*(range(n) for n in shape[:-1])):
        parents = tuple(t[c] for t, c in zip(parent_tables, combo))
        for c, table in enumerate(tables):
            n = _n_gates(table, parents, n_rows, mode)
            out[combo + (c,)] = min(n, 1) if indicator else n
    out.setflags(write=False)
    return out


def _count(problem: _Problem, indicator: bool = False) -> int:
    """Sum over all consistent table choices of the product of per-neuron gate counts.

    ``f`` holds one axis per neuron of the previous layer: the number of (partial)
    interpretations of the layers so far for each joint choice of that layer's
    tables. A layer's neurons only depend on the previous layer, so each step
    multiplies ``f`` by one factor per neuron and sums out the previous layer.
    """
    neurons = problem.neurons
    prev: tuple[int, ...] = ()
    f = np.ones((), dtype=object)
    for layer in problem.layers:
        k = len(prev)
        total = f.reshape(f.shape + (1,) * len(layer))
        for pos, i in enumerate(layer):
            neuron = neurons[i]
            tables = tuple(t for _, t in neuron.candidates)
            if not neuron.checked:
                factor = np.ones(len(tables), dtype=object)
                axes: list[int] = []
            else:
                factor = _factor(
                    tables,
                    tuple(tuple(t for _, t in neurons[p].candidates) for p in neuron.parents),
                    problem.n_rows,
                    problem.mode,
                    indicator,
                )
                axes = [prev.index(p) for p in neuron.parents]
            shape = [1] * (k + len(layer))
            for a, n in zip(axes, factor.shape[:-1]):
                shape[a] = n
            shape[k + pos] = factor.shape[-1]
            # parents appear in index order, as the axes of f do, so a reshape places them
            total = total * factor.reshape(shape)
        f = np.asarray(total.sum(axis=tuple(range(k))) if k else total, dtype=object)
        prev = layer
    return int(f.sum())


# ---------------------------------------------------------------------------------------------
# public API
def count_interpretations(model: MLP, circuit: Circuit, X=None, mode: Mode = "exact") -> int:
    """Number of interpretations of ``circuit``: a table and a local gate for every neuron.

    ``X`` holds the input rows to read the neurons on (the paper's grounding set
    ``X_ground`` in paper mode; every Boolean row when None).

    >>> from mi_ident.model import MLP
    >>> from mi_ident.circuits import Circuit
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 0], [1]],
    ...                        "edge_masks": [[[1, 1], [0, 0]], [[1, 0]]]})
    >>> count_interpretations(MLP([2, 2, 1], seed=0), c) >= 0
    True
    """
    return _count(_problems(model, [circuit], X, mode)[0])


def interpretation_counts(
    model: MLP, circuits: Sequence[Circuit], X=None, mode: Mode = "exact", progress: bool = False
) -> np.ndarray:
    """:func:`count_interpretations` for many circuits (one batched forward pass), as an array.

    The array is int64, or of Python ints (dtype object) if a count does not fit.
    """
    return _counts(model, circuits, X, mode, progress, indicator=False)


def count_assignments(model: MLP, circuit: Circuit, X=None, mode: Mode = "exact") -> int:
    """Number of consistent table choices (one threshold per neuron), don't-cares ignored.

    Each one has at least one allowed gate labeling; :func:`count_interpretations`
    also counts the completions of unobserved parent patterns.
    """
    return _count(_problems(model, [circuit], X, mode)[0], indicator=True)


def assignment_counts(
    model: MLP, circuits: Sequence[Circuit], X=None, mode: Mode = "exact", progress: bool = False
) -> np.ndarray:
    """:func:`count_assignments` for many circuits, as an array."""
    return _counts(model, circuits, X, mode, progress, indicator=True)


def _counts(model, circuits, X, mode, progress, indicator) -> np.ndarray:
    from tqdm.auto import tqdm

    circuits = list(circuits)
    problems = _problems(model, circuits, X, mode) if circuits else []
    counts = [_count(p, indicator) for p in tqdm(problems, disable=not progress, desc="interpretations")]
    if all(c < 2**63 for c in counts):
        return np.array(counts, dtype=np.int64)
    return np.array(counts, dtype=object)


def count_labelings(model: MLP, circuit: Circuit, X=None, mode: Mode = "exact") -> int:
    """Number of distinct labelings ``{neuron: gate name}`` of ``circuit``.

    In exact mode this equals :func:`count_interpretations`: with faithful names the
    local gates fix every neuron's table layer by layer. In paper mode many
    interpretations share a labeling (every 3+-parent gate is ``"3INPUTS"``), so
    the distinct labelings are collected from each consistent table choice.
    """
    problem = _problems(model, [circuit], X, mode)[0]
    if mode == "exact":
        return _count(problem)
    seen: set[tuple[str, ...]] = set()
    for choice in _table_choices(problem):
        options = []
        for i, neuron in enumerate(problem.neurons):
            options.append(sorted({g.name for g in _gates(problem, i, choice)}))
        seen.update(itertools.product(*options))
    return len(seen)


def _table_choices(problem: _Problem) -> Iterator[tuple[int, ...]]:
    """Every consistent choice of candidate index per neuron (with at least one allowed gate)."""
    neurons = problem.neurons
    choice = [0] * len(neurons)

    def rec(i: int) -> Iterator[tuple[int, ...]]:
        if i == len(neurons):
            yield tuple(choice)
            return
        for c in range(len(neurons[i].candidates)):
            choice[i] = c
            if next(_gates(problem, i, choice), None) is not None:
                yield from rec(i + 1)

    return rec(0)


def _gates(problem: _Problem, i: int, choice: Sequence[int]) -> Iterator[NeuronGate]:
    """Allowed gates of neuron ``i`` for its chosen table, given its parents' chosen tables."""
    neurons = problem.neurons
    neuron = neurons[i]
    threshold, table = neuron.candidates[choice[i]]
    bits = tuple((table >> r) & 1 for r in range(problem.n_rows))
    if not neuron.checked:
        yield NeuronGate(bits, threshold, (), bits, gate_name(bits))
        return
    parent_tables = tuple(neurons[p].candidates[choice[p]][1] for p in neuron.parents)
    local = _local(table, parent_tables, problem.n_rows)
    if local is None:
        return
    k = len(parent_tables)
    parents = tuple(neurons[p].node for p in neuron.parents)
    for full in _completions(*local, k):
        name = _gate_name(full, k, problem.mode)
        if not _filtered(name, problem.mode):
            yield NeuronGate(bits, threshold, parents, full, name)


def iter_interpretations(
    model: MLP, circuit: Circuit, X=None, mode: Mode = "exact"
) -> Iterator[Interpretation]:
    """Every interpretation of ``circuit``, lazily, in the original code's order.

    Neurons are chosen in layer then index order, the first neuron varying slowest;
    for each neuron thresholds ascend, then completions of unobserved parent
    patterns follow ``itertools.product`` order. Take a few with ``itertools.islice``.

    >>> # first = next(iter_interpretations(model, circuit, X_ground, mode="paper"))
    >>> # first.paper_labels() -> {"(1,0)": "B", "(1,1)": "A_NIMPLY_B", ...}
    """
    problem = _problems(model, [circuit], X, mode)[0]
    neurons = problem.neurons
    choice = [0] * len(neurons)
    picked: list[NeuronGate] = [None] * len(neurons)  # type: ignore[list-item]

    def rec(i: int) -> Iterator[Interpretation]:
        if i == len(neurons):
            gates = {n.node: g for n, g in zip(neurons, picked) if n.node[0] > 0}
            yield Interpretation(problem.rows, gates)
            return
        for c in range(len(neurons[i].candidates)):
            choice[i] = c
            for gate in _gates(problem, i, choice):
                picked[i] = gate
                yield from rec(i + 1)

    return rec(0)


def candidate_tables(
    model: MLP, circuit: Circuit, X=None, mode: Mode = "exact"
) -> dict[Node, list[tuple[float, tuple[int, ...]]]]:
    """Candidate ``(threshold, truth table)`` pairs of every interpreted neuron.

    Tables are over the distinct Boolean input rows of ``X`` in binary counting
    order; neurons left out (constant, or inputs in paper mode) do not appear.
    """
    problem = _problems(model, [circuit], X, mode)[0]
    return {
        n.node: [(t, tuple((table >> r) & 1 for r in range(problem.n_rows))) for t, table in n.candidates]
        for n in problem.neurons
        if n.node[0] > 0
    }
