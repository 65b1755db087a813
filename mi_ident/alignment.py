"""What-then-where: align a candidate algorithm (a formula) with the neurons of a network.

A **mapping** sends every aligned node of a formula (see
:attr:`mi_ident.algorithms.Formula.aligned_nodes`) to a non-empty set of hidden
neurons, written ``(layer, index)`` with layer 1 the first hidden layer. It is
tested with **interchange interventions**: run the network on a *base* input while
the mapped neurons keep the post-activation values they had on a *source* input,
read the output bit (``output > 0.5``), and compare it with the formula's output on
the base input with the node forced to its value on the source. The interchange
intervention accuracy (IIA) of a node's neuron set is the fraction of (source,
base) pairs where the two agree; each node is tested alone, one intervention at a
time, as in the paper. A mapping's IIA is the smallest IIA of its nodes, and the
mapping is *aligned* when that is ``>= threshold`` (default 1.0: every pair).
We keep the **minimal** aligned mappings: those that contain no other aligned
mapping node by node.

Because nodes are tested alone, a mapping is minimal exactly when each node's
set is a minimal aligned set for that node and the sets are disjoint, so the
search only combines minimal per-node sets (the brute-force test checks this
against the paper's literal search).

Modes
-----
``mode="extended"`` is the default: as everywhere in mi-ident, the default corrects
what we judge to be quirks of the original code, and ``mode="paper"`` reproduces
that code exactly (its counts equal the reference JSON files).

``mode="paper"`` (the original code): a node's neurons lie in a single hidden layer,
the sets of different nodes are disjoint, and the pairs are the 6 pairs ``i < j``
of the 4 inputs listed by ``itertools.product`` over the Python set ``{'A', 'B'}``
(``pair_order="BA"``, the order behind the reference JSON files; ``"AB"`` is the
other order a different ``PYTHONHASHSEED`` gives).
``mode="extended"`` (default): sets may span layers, and every ordered pair is tested,
both directions and the self-pairs (``pair_order="all"``), so that a verdict never
depends on an ordering accident; a formula without aligned nodes must then at
least reproduce the network's output on every input; and the candidate formulas
are every working NOT placement of each tree (see
:func:`mi_ident.algorithms.candidate_formulas`), not only the first one found.

The low-level side does not depend on the formula: the output bit of every
candidate neuron set under every pair is computed once per network, in one batched
forward pass, and every formula's nodes are then matched against that table.

Example
-------
>>> from mi_ident.training import train_paper
>>> model = train_paper("XOR", [2, 3, 3, 1], seed_offset=3, progress=False).model  # reference seed_03
>>> paper = what_then_where(model, "XOR", depth=3, mode="paper")
>>> paper.n_candidate_formulas, paper.n_formulas, paper.total_mappings
(56, 10, 56)
>>> wtw = what_then_where(model, "XOR", depth=3)  # default: extended
>>> wtw.n_candidate_formulas, wtw.n_formulas, wtw.total_mappings
(4488, 2, 12)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Iterable, Literal, Mapping as MappingType, Sequence

import numpy as np
import pandas as pd
import torch
from tqdm.auto import tqdm

from .errors import InputTypeError, ParameterError
from .algorithms import MODES, Formula, Mode, Node, candidate_formulas, parse_formula
from .boolean import Task, input_rows, make_task
from .model import MLP

PairOrder = Literal["BA", "AB", "all"]
PAIR_ORDERS = ("BA", "AB", "all")
Neuron = tuple[int, int]
#: Extended mode tries every subset of the hidden neurons; beyond this many it is too many.
MAX_EXTENDED_NEURONS = 16


# -- pairs and neuron sets ----------------------------------------------------------------


def interchange_pairs(n_inputs: int = 2, pair_order: PairOrder = "BA") -> np.ndarray:
    """``(n_pairs, 2)`` row indices ``(source, base)`` into :func:`mi_ident.boolean.input_rows`.

    ``"AB"``/``"BA"``: the paper's pairs ``(samples[i], samples[j])`` for ``i < j``,
    the samples listed by ``itertools.product`` over the inputs in that order (``BA``
    = inputs reversed). ``"all"``: every ordered pair, self-pairs included.

    >>> interchange_pairs(2, "BA").tolist()    # 00->10, 00->01, 00->11, 10->01, 10->11, 01->11
    [[0, 2], [0, 1], [0, 3], [2, 1], [2, 3], [1, 3]]
    """
    if pair_order not in PAIR_ORDERS:
        raise ParameterError(f"pair_order must be one of {PAIR_ORDERS}; got {pair_order!r}")
    n_rows = 2 ** int(n_inputs)
    if pair_order == "all":
        return np.array([(s, b) for s in range(n_rows) for b in range(n_rows)], dtype=np.int64)
    samples = np.arange(n_rows)
    if pair_order == "BA":
        # product over reversed inputs: the k-th sample has its bits reversed.
        samples = np.array([int(format(k, f"0{n_inputs}b")[::-1], 2) for k in range(n_rows)])
    return np.array(
        [(samples[i], samples[j]) for i in range(n_rows) for j in range(i + 1, n_rows)], dtype=np.int64
    )


def _hidden_neurons(model: MLP) -> list[Neuron]:
    return [(layer, i) for layer in range(1, model.n_layers) for i in range(model.widths[layer])]


def candidate_neuron_sets(model: MLP, mode: Mode = "extended") -> list[frozenset[Neuron]]:
    """Every non-empty set of hidden neurons a node may map to.

    ``paper``: sets within one hidden layer; ``extended`` (default): any set, across
    layers too. Listed by layer, then by size, then in ``itertools.combinations`` order.

    >>> len(candidate_neuron_sets(MLP([2, 3, 3, 1], seed=0), mode="paper"))
    14
    >>> len(candidate_neuron_sets(MLP([2, 3, 3, 1], seed=0)))
    63
    """
    if mode not in MODES:
        raise ParameterError(f"mode must be one of {MODES}; got {mode!r}")
    if mode == "paper":
        out = []
        for layer in range(1, model.n_layers):
            neurons = [(layer, i) for i in range(model.widths[layer])]
            for size in range(1, len(neurons) + 1):
                out.extend(frozenset(c) for c in itertools.combinations(neurons, size))
        return out
    neurons = _hidden_neurons(model)
    if len(neurons) > MAX_EXTENDED_NEURONS:
        raise ParameterError(
            f"extended mode tries all 2**{len(neurons)} sets of hidden neurons; at most "
            f"{MAX_EXTENDED_NEURONS} hidden neurons are supported (use mode='paper')"
        )
    return [frozenset(c) for size in range(1, len(neurons) + 1) for c in itertools.combinations(neurons, size)]


def _check_neurons(model: MLP, neurons: Iterable[Neuron]) -> None:
    for layer, i in neurons:
        if not (1 <= layer < model.n_layers and 0 <= i < model.widths[layer]):
            hidden = ", ".join(f"layer {l}: 0..{model.widths[l] - 1}" for l in range(1, model.n_layers))
            raise ParameterError(
                f"neuron (layer {layer}, index {i}) does not exist; the hidden neurons are {hidden}"
            )


def _masks(model: MLP, sets: Sequence[frozenset[Neuron]]) -> list[torch.Tensor]:
    """One boolean ``(n_sets, width)`` mask per layer of activations (input and output never set)."""
    masks = [torch.zeros(len(sets), w, dtype=torch.bool) for w in model.widths]
    for k, s in enumerate(sets):
        for layer, i in s:
            masks[layer][k, i] = True
    return masks


def _check_model(model: MLP, n_inputs: int, output: int) -> None:
    if not isinstance(model, MLP):
        raise InputTypeError(f"expected an mi_ident.model.MLP; got {type(model).__name__}")
    if model.widths[0] != n_inputs:
        raise ParameterError(
            f"the formula has {n_inputs} inputs but the network has {model.widths[0]}: "
            f"align formulas over the network's inputs"
        )
    if not 0 <= int(output) < model.widths[-1]:
        raise ParameterError(f"output must be in 0..{model.widths[-1] - 1}; got {output}")


def patched_outputs(
    model: MLP, sets: Sequence[frozenset[Neuron]], pairs: np.ndarray, n_inputs: int | None = None
) -> torch.Tensor:
    """Network outputs under interchange interventions, ``(n_sets, n_pairs, n_outputs)``.

    For set ``k`` and pair ``p = (source, base)`` (row indices into ``input_rows``):
    the network runs on the base input while the neurons of ``sets[k]`` take their
    post-activation values on the source input. Sets may span layers: each neuron
    takes its value from the clean run on the source. All of it is one batched
    forward pass.
    """
    n_inputs = model.widths[0] if n_inputs is None else n_inputs
    _check_neurons(model, (n for s in sets for n in s))
    rows = torch.as_tensor(input_rows(n_inputs), dtype=torch.float32)
    pairs_t = torch.as_tensor(np.asarray(pairs, dtype=np.int64))
    masks = _masks(model, sets)
    with torch.no_grad():
        clean = model.activations(rows)
        h = rows[pairs_t[:, 1]].expand(len(sets), -1, -1)
        for i, layer in enumerate(model.layers):
            h = model.activate(i, layer(h))
            if masks[i + 1].any():
                h = torch.where(masks[i + 1][:, None, :], clean[i + 1][pairs_t[:, 0]][None], h)
    return h


def interchange_intervention(
    model: MLP, base: Sequence[int], source: Sequence[int], neurons: Iterable[Neuron]
) -> float:
    """The network's (first) output on ``base`` with ``neurons`` set to their values on ``source``.

    >>> model = MLP([2, 3, 3, 1], seed=0)
    >>> out = interchange_intervention(model, base=(0, 1), source=(1, 1), neurons=[(1, 0)])
    """
    n_inputs = model.widths[0]
    bits = [tuple(int(v) for v in x) for x in (source, base)]
    for x in bits:
        if len(x) != n_inputs or any(v not in (0, 1) for v in x):
            raise ParameterError(f"inputs are {n_inputs} bits (0 or 1); got {x}")
    src, bas = (int("".join(map(str, x)), 2) for x in bits)
    return float(patched_outputs(model, [frozenset(neurons)], np.array([[src, bas]]))[0, 0, 0])


# -- mappings -----------------------------------------------------------------------------


def format_neurons(neurons: Iterable[Neuron]) -> str:
    """``{L1.0, L2.2}``: layer ``L`` and index of each neuron.

    >>> format_neurons([(2, 2), (1, 0)])
    '{L1.0, L2.2}'
    """
    return "{" + ", ".join(f"L{layer}.{i}" for layer, i in sorted(neurons)) + "}"


@dataclass(frozen=True, eq=False)
class Mapping:
    """A map from a formula's aligned nodes (by id) to sets of hidden neurons.

    ``assignment`` holds ``(node_id, neurons)`` for every aligned node, by id.
    :meth:`as_dict` gives the reference JSON layout ``{"A+B 4": {"2": [1]}}``.

    Example
    -------
    >>> f = parse_formula("¬(A*B)*(A+B)")
    >>> m = Mapping.from_dict(f, {"A+B": [(2, 1)], "¬(A*B)": {1: [1]}})
    >>> m.as_dict()
    {'A+B 4': {'2': [1]}, '¬(A*B) 7': {'1': [1]}}
    """

    formula: Formula
    assignment: tuple[tuple[int, frozenset[Neuron]], ...]

    @classmethod
    def from_dict(cls, formula: Formula | str, d: MappingType) -> "Mapping":
        """Build from ``{node: neurons}``; a node is an id, a label (``"A+B 4"``) or a string
        form (``"A+B"``, ``"A∨B"``), neurons a list of ``(layer, index)`` or ``{layer: [index]}``."""
        formula = parse_formula(formula)
        aligned = formula.aligned_nodes
        out: dict[int, frozenset[Neuron]] = {}
        for key, neurons in d.items():
            node = _find_node(formula, key)
            if isinstance(neurons, MappingType):
                pairs = [(int(layer), int(i)) for layer, idx in neurons.items() for i in idx]
            else:
                pairs = [(int(layer), int(i)) for layer, i in neurons]
            if not pairs:
                raise ParameterError(f"node {node.label!r} needs at least one neuron")
            out[node.id] = frozenset(pairs)
        missing = [n.label for n in aligned if n.id not in out]
        if missing:
            raise ParameterError(f"a mapping assigns every aligned node; missing {missing}")
        return cls(formula, tuple(sorted(out.items())))

    def __getitem__(self, node_id: int) -> frozenset[Neuron]:
        return dict(self.assignment)[node_id]

    @property
    def neurons(self) -> frozenset[Neuron]:
        return frozenset().union(*(s for _, s in self.assignment))

    def __le__(self, other: "Mapping") -> bool:
        """Node by node ⊆."""
        theirs = dict(other.assignment)
        return all(s <= theirs.get(n, frozenset()) for n, s in self.assignment)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and self.formula == other.formula and self.assignment == other.assignment

    def __hash__(self) -> int:
        return hash((self.formula, self.assignment))

    def as_dict(self) -> dict[str, dict[str, list[int]]]:
        out = {}
        for node_id, neurons in self.assignment:
            by_layer: dict[str, list[int]] = {}
            for layer, i in sorted(neurons):
                by_layer.setdefault(str(layer), []).append(i)
            out[self.formula.node(node_id).label] = by_layer
        return out

    def __str__(self) -> str:
        if not self.assignment:
            return "{} (no intermediate node)"
        return "; ".join(f"{self.formula.node(n)} → {format_neurons(s)}" for n, s in self.assignment)

    def __repr__(self) -> str:
        return f"Mapping({self.formula.paper!r}, {self.as_dict()})"


def _find_node(formula: Formula, key: object) -> Node:
    aligned = formula.aligned_nodes
    if isinstance(key, (int, np.integer)):
        matches = [n for n in aligned if n.id == int(key)]
    else:
        key = str(key).strip()
        matches = [n for n in aligned if key in (n.label, n.paper, str(n))]
    if len(matches) != 1:
        names = ", ".join(repr(n.label) for n in aligned)
        what = "matches several nodes" if matches else "is not an aligned node"
        raise ParameterError(f"{key!r} {what} of {formula.paper!r}; its aligned nodes are {names}")
    return matches[0]


# -- high-level side ----------------------------------------------------------------------


def _high_level_bits(formula: Formula, pairs: np.ndarray) -> np.ndarray:
    """``(n_aligned, n_pairs)``: the formula's output on each base with one node set from the source."""
    forced = formula.aligned_forced_outputs()  # (n_aligned, 2, n_rows)
    ids = [n.id for n in formula.aligned_nodes]
    source_values = formula.values[ids][:, pairs[:, 0]]  # (n_aligned, n_pairs)
    k = np.arange(len(ids))[:, None]
    return forced[k, source_values, pairs[None, :, 1]].astype(bool)


# -- alignment of one formula -------------------------------------------------------------


@dataclass
class Alignment:
    """The result of aligning one formula with one network.

    ``node_iia[node_id]`` holds the IIA of every candidate set (``sets``) for that
    node; ``aligned_sets[node_id]`` the sets with IIA ≥ threshold; ``mappings`` the
    minimal aligned mappings.
    """

    formula: Formula
    sets: list[frozenset[Neuron]]
    node_iia: dict[int, np.ndarray]
    aligned_sets: dict[int, list[frozenset[Neuron]]]
    mappings: list[Mapping]
    threshold: float

    @property
    def n_mappings(self) -> int:
        return len(self.mappings)

    def frame(self) -> pd.DataFrame:
        """One row per minimal mapping, one column per aligned node (its neurons)."""
        rows = []
        for m in self.mappings:
            rows.append({str(self.formula.node(n)): format_neurons(s) for n, s in m.assignment})
        return pd.DataFrame(rows)

    def iia_frame(self) -> pd.DataFrame:
        """IIA of every candidate neuron set (rows) for every aligned node (columns)."""
        return pd.DataFrame(
            {str(self.formula.node(n)): iia for n, iia in self.node_iia.items()},
            index=pd.Index([format_neurons(s) for s in self.sets], name="neurons"),
        )


def _bitmask(s: frozenset[Neuron], index: dict[Neuron, int]) -> int:
    return sum(1 << index[n] for n in s)


def _minimal(sets: list[frozenset[Neuron]]) -> list[frozenset[Neuron]]:
    return [s for s in sets if not any(t < s for t in sets)]


def _disjoint_combinations(per_node: list[list[frozenset[Neuron]]]) -> list[tuple[frozenset[Neuron], ...]]:
    out: list[tuple[frozenset[Neuron], ...]] = []

    def rec(k: int, used: frozenset[Neuron], chosen: tuple) -> None:
        if k == len(per_node):
            out.append(chosen)
            return
        for s in per_node[k]:
            if not (s & used):
                rec(k + 1, used | s, chosen + (s,))

    rec(0, frozenset(), ())
    return out


def _resolve(mode: Mode, pair_order: PairOrder | None, threshold: float) -> PairOrder:
    if mode not in MODES:
        raise ParameterError(f"mode must be one of {MODES}; got {mode!r}")
    if not 0.0 <= float(threshold) <= 1.0:
        raise ParameterError(f"threshold is an accuracy between 0 and 1; got {threshold}")
    order = pair_order if pair_order is not None else ("BA" if mode == "paper" else "all")
    if order not in PAIR_ORDERS:
        raise ParameterError(f"pair_order must be one of {PAIR_ORDERS}; got {order!r}")
    return order


@dataclass
class _LowLevel:
    """The formula-independent half: output bits of every candidate set under every pair."""

    sets: list[frozenset[Neuron]]
    pairs: np.ndarray
    bits: np.ndarray  # (n_sets, n_pairs) bool
    clean_bits: np.ndarray  # (n_rows,) bool: the network's own output bit per input

    @classmethod
    def build(cls, model: MLP, mode: Mode, pair_order: PairOrder, output: int) -> "_LowLevel":
        n_inputs = model.widths[0]
        sets = candidate_neuron_sets(model, mode)
        pairs = interchange_pairs(n_inputs, pair_order)
        bits = (patched_outputs(model, sets, pairs)[..., output] > 0.5).numpy()
        with torch.no_grad():
            clean = model(torch.as_tensor(input_rows(n_inputs), dtype=torch.float32))[:, output] > 0.5
        return cls(sets, pairs, bits, clean.numpy())


def _align_one(formula: Formula, low: _LowLevel, mode: Mode, threshold: float) -> Alignment:
    hl = _high_level_bits(formula, low.pairs)  # (n_nodes, n_pairs)
    n_pairs = hl.shape[1]
    agree = hl.astype(np.int64) @ low.bits.T.astype(np.int64) + (~hl).astype(np.int64) @ (~low.bits).T.astype(np.int64)
    iia = agree / n_pairs
    tol = 1e-9  # IIA is a ratio of small integers; compare without float noise
    node_iia, aligned, per_node = {}, {}, []
    for k, node in enumerate(formula.aligned_nodes):
        node_iia[node.id] = iia[k]
        ok = [low.sets[j] for j in np.flatnonzero(iia[k] >= threshold - tol)]
        aligned[node.id] = ok
        per_node.append(sorted(_minimal(ok), key=lambda s: (len(s), sorted(s))))
    if not formula.aligned_nodes and mode == "extended":
        behaves = float(np.mean(low.clean_bits == formula.truth_table.astype(bool)))
        combos = [()] if behaves >= threshold - tol else []
    else:
        combos = _disjoint_combinations(per_node)
    ids = [n.id for n in formula.aligned_nodes]
    mappings = [Mapping(formula, tuple(zip(ids, c))) for c in combos]
    return Alignment(formula, low.sets, node_iia, aligned, mappings, float(threshold))


def align(
    model: MLP,
    formula: Formula | str,
    mode: Mode = "extended",
    pair_order: PairOrder | None = None,
    threshold: float = 1.0,
    output: int = 0,
) -> Alignment:
    """Every minimal aligned mapping of one formula onto ``model``'s hidden neurons.

    ``mode`` is ``"extended"`` by default (sets across layers, every ordered pair) and
    ``"paper"`` for the original code's search; ``pair_order`` defaults to ``"BA"`` in
    paper mode and ``"all"`` in extended mode; ``output`` picks the output neuron for a
    multi-output network.

    >>> model = MLP([2, 3, 3, 1], seed=0)
    >>> result = align(model, "¬(A*B)*(A+B)")
    >>> len(result.sets), len(align(model, "¬(A*B)*(A+B)", mode="paper").sets)   # neuron sets tried
    (63, 14)
    >>> all(len(m.assignment) == 2 for m in result.mappings)
    True
    """
    order = _resolve(mode, pair_order, threshold)
    formula = parse_formula(formula)
    _check_model(model, formula.n_inputs, output)
    return _align_one(formula, _LowLevel.build(model, mode, order, output), mode, threshold)


def mapping_iia(
    model: MLP,
    mapping: Mapping,
    pair_order: PairOrder = "all",
    joint: bool = False,
    output: int = 0,
) -> float:
    """IIA of one mapping: the smallest, over its nodes, of the fraction of pairs that agree.

    ``joint=False`` intervenes on one node at a time (the paper's test). ``joint=True``
    intervenes on every non-empty *subset* of the nodes at once (the union of their
    neurons patched from the source, those nodes forced in the formula) and returns
    the fraction of (subset, pair) cases that agree: a stricter, counterfactual test.
    A mapping without nodes scores the agreement of the network and the formula on
    the inputs.
    """
    formula = mapping.formula
    _check_model(model, formula.n_inputs, output)
    order = _resolve("extended", pair_order, 1.0)
    _check_neurons(model, mapping.neurons)
    pairs = interchange_pairs(formula.n_inputs, order)
    if not mapping.assignment:
        with torch.no_grad():
            out = model(torch.as_tensor(formula.inputs, dtype=torch.float32))[:, output] > 0.5
        return float(np.mean(out.numpy() == formula.truth_table.astype(bool)))
    nodes = [n for n, _ in mapping.assignment]
    if joint:
        groups = [c for r in range(1, len(nodes) + 1) for c in itertools.combinations(range(len(nodes)), r)]
    else:
        groups = [(k,) for k in range(len(nodes))]
    sets = [frozenset().union(*(mapping.assignment[k][1] for k in g)) for g in groups]
    low = (patched_outputs(model, sets, pairs)[..., output] > 0.5).numpy()
    bases = formula.inputs[pairs[:, 1]]
    high = np.stack([
        formula.evaluate(bases, {nodes[k]: formula.values[nodes[k]][pairs[:, 0]] for k in g})[formula.root.id]
        for g in groups
    ]).astype(bool)
    agree = (low == high).mean(axis=1)
    return float(agree.mean() if joint else agree.min())


# -- what-then-where over many formulas ---------------------------------------------------


@dataclass
class WhatThenWhere:
    """Alignments of every candidate formula with one network.

    ``formulas`` lists (paper strings) the formulas with at least one minimal aligned
    mapping, in candidate order; ``mappings_per_formula`` maps each to its number of
    minimal mappings, as in the reference JSON files.
    """

    alignments: list[Alignment]
    mode: Mode
    pair_order: PairOrder
    threshold: float
    depth: int | None = None
    task_name: str | None = None
    _by_paper: dict[str, Alignment] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_paper = {a.formula.paper: a for a in self.alignments}

    def __getitem__(self, formula: Formula | str) -> Alignment:
        key = formula.paper if isinstance(formula, Formula) else parse_formula(formula).paper
        if key not in self._by_paper:
            raise KeyError(f"{key!r} is not among the {len(self.alignments)} candidate formulas")
        return self._by_paper[key]

    @property
    def n_candidate_formulas(self) -> int:
        return len(self.alignments)

    @property
    def aligned(self) -> list[Alignment]:
        return [a for a in self.alignments if a.mappings]

    @property
    def formulas(self) -> list[str]:
        return [a.formula.paper for a in self.aligned]

    @property
    def n_formulas(self) -> int:
        return len(self.aligned)

    @property
    def mappings_per_formula(self) -> dict[str, int]:
        return {a.formula.paper: a.n_mappings for a in self.aligned}

    @property
    def total_mappings(self) -> int:
        return sum(a.n_mappings for a in self.alignments)

    @property
    def mapping_details(self) -> dict[str, list[dict]]:
        return {a.formula.paper: [m.as_dict() for m in a.mappings] for a in self.aligned}

    def to_dict(self) -> dict:
        """JSON-ready summary with the reference files' field names."""
        return {
            "task": self.task_name,
            "mode": self.mode,
            "pair_order": self.pair_order,
            "threshold": self.threshold,
            "depth": self.depth,
            "n_candidate_formulas": self.n_candidate_formulas,
            "formulas": self.formulas,
            "n_formulas": self.n_formulas,
            "mappings_per_formula": self.mappings_per_formula,
            "total_mappings": self.total_mappings,
            "mapping_details": self.mapping_details,
        }

    def frame(self) -> pd.DataFrame:
        """One row per candidate formula: readable form, aligned nodes, minimal mappings."""
        return pd.DataFrame(
            {
                "formula": [str(a.formula) for a in self.alignments],
                "paper": [a.formula.paper for a in self.alignments],
                "aligned_nodes": [len(a.formula.aligned_nodes) for a in self.alignments],
                "mappings": [a.n_mappings for a in self.alignments],
            }
        )


def what_then_where(
    model: MLP,
    target: Task | str | Sequence | np.ndarray = "XOR",
    depth: int = 3,
    mode: Mode = "extended",
    pair_order: PairOrder | None = None,
    threshold: float = 1.0,
    formulas: Sequence[Formula | str] | None = None,
    output: int = 0,
    progress: bool = False,
) -> WhatThenWhere:
    """Align every candidate formula for ``target`` (or the given ``formulas``) with ``model``.

    The default, ``mode="extended"``, aligns every extended candidate formula (4,488
    for XOR at depth 3) with sets across layers and every ordered pair. With
    ``mode="paper"`` on the reference models this reproduces the original code's
    ``formulas``, ``mappings_per_formula`` and ``total_mappings`` (``pair_order="BA"``;
    ``"AB"`` reproduces the ``*_wtw_AB.json`` files).

    >>> model = MLP([2, 3, 3, 1], seed=0)
    >>> what_then_where(model, "XOR", mode="paper").n_candidate_formulas
    56
    >>> what_then_where(model, "XOR").n_candidate_formulas
    4488
    """
    order = _resolve(mode, pair_order, threshold)
    task = make_task(target) if formulas is None else None
    if formulas is None:
        formula_list = candidate_formulas(task, depth=depth, mode=mode)
        n_inputs = task.n_inputs
    else:
        formula_list = [parse_formula(f) for f in formulas]
        n_inputs = formula_list[0].n_inputs if formula_list else model.widths[0]
    bad = [f.paper for f in formula_list if f.n_inputs != n_inputs]
    if bad:
        raise ParameterError(f"formulas must share their inputs; {bad[0]!r} has a different number")
    _check_model(model, n_inputs, output)
    low = _LowLevel.build(model, mode, order, output)
    alignments = [
        _align_one(f, low, mode, threshold)
        for f in tqdm(formula_list, desc="what-then-where", disable=not progress)
    ]
    return WhatThenWhere(
        alignments, mode, order, float(threshold),
        depth=depth if formulas is None else None,
        task_name=task.name if task is not None else None,
    )
