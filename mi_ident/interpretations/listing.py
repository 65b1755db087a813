"""Listing interpretations lazily, and the distinct gate labelings.

Neurons are chosen in layer then index order, the first neuron varying slowest; for each
neuron thresholds ascend, then completions of unobserved parent patterns follow
``itertools.product`` order: the original code's order, so paper mode lists the same
interpretations first.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Sequence

from ..boolean import gate_name
from .counting import _count
from .gates import _completions, _filtered, _gate_name, _local
from .problem import Node, _Problem, _problems

__all__ = ["NeuronGate", "Interpretation", "iter_interpretations", "candidate_tables", "count_labelings"]


@dataclass(frozen=True)
class NeuronGate:
    """One neuron's reading in an interpretation.

    ``table`` holds the neuron's bits on the interpretation's input rows; ``local_table``
    its gate over the parents' bits (parent patterns in binary counting order, first
    parent most significant); ``name`` the gate's name in the original code's vocabulary
    (``A``/``B`` there mean the first/second *parent*: draw with
    :func:`~mi_ident.interpretations.local_gate_label` instead).
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


def iter_interpretations(model, circuit, X=None, mode: str = "corrected", min_gap: float = 0.0
                         ) -> Iterator[Interpretation]:
    """Every interpretation of ``circuit``, lazily, in the original code's order.

    Take a few with ``itertools.islice``. Interpretations that differ only in don't-care
    completions share every truth table: :func:`~mi_ident.interpretations.iter_readings`
    lists each reading once.

    >>> # first = next(iter_interpretations(model, circuit, X_ground, mode="paper"))
    >>> # first.paper_labels() -> {"(1,0)": "B", "(1,1)": "A_NIMPLY_B", ...}
    """
    problem = _problems(model, [circuit], X, mode, min_gap)[0]
    neurons = problem.neurons
    choice = [0] * len(neurons)
    picked: list = [None] * len(neurons)

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


def candidate_tables(model, circuit, X=None, mode: str = "corrected", min_gap: float = 0.0
                     ) -> dict[Node, list[tuple[float, tuple[int, ...]]]]:
    """Candidate ``(threshold, truth table)`` pairs of every interpreted neuron.

    Tables are over the distinct Boolean input rows of ``X`` in binary counting order;
    neurons left out (constant, or inputs in paper mode) do not appear.
    """
    problem = _problems(model, [circuit], X, mode, min_gap)[0]
    return {
        n.node: [(t, tuple((table >> r) & 1 for r in range(problem.n_rows))) for t, table in n.candidates]
        for n in problem.neurons
        if n.node[0] > 0
    }


def count_labelings(model, circuit, X=None, mode: str = "corrected", min_gap: float = 0.0) -> int:
    """Number of distinct labelings ``{neuron: gate name}`` of ``circuit``.

    In corrected mode this equals :func:`count_interpretations`: with faithful names the
    local gates fix every neuron's table layer by layer. In paper mode many
    interpretations share a labeling (every 3+-parent gate is ``"3INPUTS"``), so the
    distinct labelings are collected from each consistent table choice.
    """
    problem = _problems(model, [circuit], X, mode, min_gap)[0]
    if problem.mode != "paper":
        return _count(problem)
    seen: set[tuple[str, ...]] = set()
    for choice in _table_choices(problem):
        options = [sorted({g.name for g in _gates(problem, i, choice)}) for i in range(len(problem.neurons))]
        seen.update(itertools.product(*options))
    return len(seen)
