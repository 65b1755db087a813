"""Align formulas with a network: :func:`align` (one formula), :func:`what_then_where` (every
candidate), :func:`mapping_iia` and :func:`joint_iia` (one mapping).

Example
-------
>>> from mi_ident.model import MLP
>>> model = MLP([2, 3, 3, 1], seed=0)
>>> a = align(model, "¬(A*B)*(A+B)")          # corrected mode, joint criterion
>>> a.criterion, len(a.sets)
('joint', 63)
>>> align(model, "¬(A*B)*(A+B)", mode="paper").criterion
'single'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from .._validation import as_model, check_choice, check_fraction, check_int, check_mode
from ..algorithms import Formula, candidate_formulas, parse_formula
from ..boolean import Task, make_task
from ..errors import ParameterError
from ..model import MLP
from ..vocabulary import CRITERIA, IIA_TOLERANCE, PAPER, output_bit
from .interventions import PAIR_ORDERS, check_neurons, interchange_pairs, patched_outputs
from .joint import PatternTable, check_joint_size, joint_scores, joint_search
from .mapping import NeuronMapping
from .results import Alignment, WhatThenWhere
from .single import LowLevel, aligned_sets, clean_bits, disjoint_combinations, minimal_sets, node_iia

__all__ = ["align", "what_then_where", "mapping_iia", "joint_iia"]


@dataclass
class _Settings:
    mode: str
    criterion: str
    pair_order: str
    threshold: float
    output: int


def _settings(model: MLP, mode, criterion, pair_order, threshold, output) -> _Settings:
    mode = check_mode(mode)
    default = "single" if mode == PAPER else "joint"
    criterion = default if criterion is None else check_choice("criterion", criterion, CRITERIA)
    threshold = check_fraction("threshold", threshold)
    if criterion == "joint":
        if pair_order not in (None, "all"):
            raise ParameterError("the joint criterion intervenes with every source on every base; "
                                 f"pass pair_order=None or 'all' (got {pair_order!r}), or criterion='single'")
        order = "all"
    else:
        order = (("BA" if mode == PAPER else "all") if pair_order is None
                 else check_choice("pair_order", pair_order, PAIR_ORDERS))
    n_out = model.widths[-1]
    if output is None:
        if n_out != 1:
            raise ParameterError(f"this network has {n_out} outputs; pass output=0..{n_out - 1} to say "
                                 f"which one to align")
        output = 0
    output = check_int("output", output, minimum=0, maximum=n_out - 1)
    return _Settings(mode, criterion, order, threshold, output)


def _check_inputs(model: MLP, n_inputs: int) -> None:
    if model.widths[0] != n_inputs:
        raise ParameterError(f"the formula has {n_inputs} inputs but the network has {model.widths[0]}: "
                             f"align formulas over the network's inputs")


@dataclass
class _Context:
    """The formula-independent half, built once per network."""

    low: LowLevel
    table: PatternTable | None

    @classmethod
    def build(cls, model: MLP, s: _Settings) -> "_Context":
        low = LowLevel.build(model, s.mode, s.pair_order, s.output)
        return cls(low, PatternTable.build(model, s.output) if s.criterion == "joint" else None)


def _single_pass(formula: Formula, ctx: _Context, s: _Settings) -> tuple[np.ndarray, list]:
    """Single-node IIA and per-node aligned sets; under the joint criterion, refuses a formula
    with too many candidate mappings (a cheap count, before any search)."""
    iia = node_iia(formula, ctx.low)
    per_node = aligned_sets(iia, ctx.low.sets, s.threshold)
    if s.criterion == "joint" and per_node and all(per_node):
        check_joint_size(formula, [ctx.table.bitmasks(c) for c in per_node])
    return iia, per_node


def _align_one(formula: Formula, ctx: _Context, s: _Settings, first=None) -> Alignment:
    low = ctx.low
    iia, per_node = first if first is not None else _single_pass(formula, ctx, s)
    ids = [n.id for n in formula.aligned_nodes]
    if not ids and s.mode != PAPER:  # nothing to intervene on: at least behave as the formula
        behaves = float(np.mean(low.clean_bits == formula.truth_table.astype(bool)))
        combos = [()] if behaves >= s.threshold - IIA_TOLERANCE else []
    elif s.criterion == "joint" and ids:
        combos = joint_search(formula, ctx.table, per_node, s.threshold) if all(per_node) else []
    else:
        combos = disjoint_combinations([minimal_sets(p) for p in per_node])
    mappings = [NeuronMapping(formula, tuple(zip(ids, c))) for c in combos]
    return Alignment(formula, low.sets, dict(zip(ids, iia)), dict(zip(ids, per_node)), mappings,
                     s.threshold, s.criterion, s.output)


def align(model, formula: Formula | str, mode: str = "corrected", criterion: str | None = None,
          pair_order: str | None = None, threshold: float = 1.0, output: int | None = None) -> Alignment:
    """Every minimal aligned mapping of one formula onto ``model``'s hidden neurons.

    ``model`` is an MLP, a loaded weights file or its path. ``mode="corrected"``
    (default; ``"extended"`` is accepted) lets sets span layers; ``mode="paper"`` is the
    original code's search. ``criterion`` is ``"joint"`` (default in corrected mode:
    every subset of nodes intervened at once, each with its own source, see
    :mod:`mi_ident.alignment.joint`) or ``"single"`` (default in paper mode: one node
    at a time). ``pair_order`` (single criterion only) defaults to ``"BA"`` in paper mode
    and ``"all"`` otherwise. ``output`` says which output neuron is aligned; required
    for a network with several outputs.

    >>> model = MLP([2, 3, 3, 1], seed=0)
    >>> all(len(m.assignment) == 2 for m in align(model, "¬(A*B)*(A+B)").mappings)
    True
    """
    model = as_model(model)
    s = _settings(model, mode, criterion, pair_order, threshold, output)
    formula = parse_formula(formula)
    _check_inputs(model, formula.n_inputs)
    return _align_one(formula, _Context.build(model, s), s)


def _target_task(target, output: int, n_outputs: int) -> Task:
    task = make_task(target)
    if task.n_outputs == 1:
        return task
    if task.n_outputs != n_outputs:
        raise ParameterError(f"{task.name} has {task.n_outputs} outputs but the network has {n_outputs}")
    column = task.table[:, output]
    return Task(task.output_names[output], column[:, None], task.input_names, (task.output_names[output],))


def what_then_where(model, target: Task | str | Sequence | np.ndarray = "XOR", depth: int = 3,
                    mode: str = "corrected", criterion: str | None = None, pair_order: str | None = None,
                    threshold: float = 1.0, formulas: Sequence[Formula | str] | None = None,
                    output: int | None = None, progress: bool = False) -> WhatThenWhere:
    """Align every candidate formula for ``target`` (or the given ``formulas``) with ``model``.

    Parameters as in :func:`align`; ``target`` is the gate (for a multi-output task, the
    column ``output`` is used). With ``mode="paper"`` on the reference models this
    reproduces the original code's ``formulas``, ``mappings_per_formula`` and
    ``total_mappings`` (``pair_order="BA"``; ``"AB"`` reproduces the ``*_wtw_AB.json``
    files). The default aligns the 4,488 corrected candidates for XOR under the joint
    criterion.

    >>> model = MLP([2, 3, 3, 1], seed=0)
    >>> what_then_where(model, "XOR", mode="paper").n_candidate_formulas
    56
    """
    from tqdm.auto import tqdm

    model = as_model(model)
    s = _settings(model, mode, criterion, pair_order, threshold, output)
    ctx = _Context.build(model, s)  # first: it refuses a network too large before any other work
    task = None
    if formulas is None:
        task = _target_task(target, s.output, model.widths[-1])
        formula_list = candidate_formulas(task, depth=depth, mode=s.mode)
        n_inputs = task.n_inputs
    else:
        formula_list = [parse_formula(f) for f in formulas]
        n_inputs = formula_list[0].n_inputs if formula_list else model.widths[0]
    bad = [f.paper for f in formula_list if f.n_inputs != n_inputs]
    if bad:
        raise ParameterError(f"formulas must share their inputs; {bad[0]!r} has a different number")
    _check_inputs(model, n_inputs)
    first = [_single_pass(f, ctx, s) for f in formula_list]  # every size check before the searches
    alignments = [_align_one(f, ctx, s, one)
                  for f, one in tqdm(list(zip(formula_list, first)), desc="what-then-where", disable=not progress)]
    return WhatThenWhere(alignments, s.mode, s.pair_order, s.threshold, s.criterion,
                         depth=depth if formulas is None else None,
                         task_name=task.name if task is not None else None, output=s.output)


def _mapping_setup(model, mapping: NeuronMapping, output) -> tuple[MLP, int]:
    model = as_model(model)
    if not isinstance(mapping, NeuronMapping):
        raise ParameterError(f"mapping must be a NeuronMapping; got {type(mapping).__name__}")
    s = _settings(model, "corrected", "single", "all", 1.0, output)
    _check_inputs(model, mapping.formula.n_inputs)
    check_neurons(model, mapping.neurons)
    return model, s.output


def joint_iia(model, mapping: NeuronMapping, output: int | None = None) -> float:
    """Joint IIA of one mapping: the smallest, over non-empty node subsets, of the fraction of that
    subset's interventions (each node its own source, every base) that agree. 1.0 = aligned under
    the joint criterion. A mapping without nodes scores the agreement of network and formula.

    >>> m = NeuronMapping.from_dict("¬(A*B)*(A+B)", {"A+B": [(1, 0)], "¬(A*B)": [(1, 1)]})
    >>> 0.0 <= joint_iia(MLP([2, 3, 3, 1], seed=0), m) <= 1.0
    True
    """
    model, output = _mapping_setup(model, mapping, output)
    if not mapping.assignment:
        return float(np.mean(clean_bits(model, output) == mapping.formula.truth_table.astype(bool)))
    table = PatternTable.build(model, output)
    weights = table.weights([s for _, s in mapping.assignment])[None, :]
    return float(joint_scores(table, weights, mapping.formula)[0])


def mapping_iia(model, mapping: NeuronMapping, pair_order: str = "all", joint: bool = False,
                output: int | None = None) -> float:
    """IIA of one mapping with interventions from one source at a time.

    ``joint=False`` intervenes on one node at a time (the paper's test) and returns the
    smallest, over the nodes, fraction of pairs that agree. ``joint=True`` patches every
    non-empty *subset* of the nodes from the *same* source (the union of their neurons)
    and returns the fraction of (subset, pair) cases that agree. The joint criterion of
    :func:`align` (each node its own source) is :func:`joint_iia`.
    """
    model, output = _mapping_setup(model, mapping, output)
    formula = mapping.formula
    pairs = interchange_pairs(formula.n_inputs, check_choice("pair_order", pair_order, PAIR_ORDERS))
    if not mapping.assignment:
        return float(np.mean(clean_bits(model, output) == formula.truth_table.astype(bool)))
    nodes = [n for n, _ in mapping.assignment]
    k = len(nodes)
    groups = ([[j for j in range(k) if g >> j & 1] for g in range(1, 2**k)] if joint
              else [[j] for j in range(k)])
    sets = [frozenset().union(*(mapping.assignment[j][1] for j in g)) for g in groups]
    low = output_bit(patched_outputs(model, sets, pairs)[..., output]).numpy()
    bases = formula.inputs[pairs[:, 1]]
    high = np.stack([
        formula.evaluate(bases, {nodes[j]: formula.values[nodes[j]][pairs[:, 0]] for j in g})[formula.root.id]
        for g in groups
    ]).astype(bool)
    agree = (low == high).mean(axis=1)
    return float(agree.mean() if joint else agree.min())
