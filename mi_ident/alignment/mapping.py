"""A mapping: each aligned node of a formula sent to a set of hidden neurons.

Example
-------
>>> m = NeuronMapping.from_dict("¬(A*B)*(A+B)", {"A+B": [(2, 1)], "¬(A*B)": [(1, 1)]})
>>> str(m)
'A∨B → {L2.1}; ¬(A∧B) → {L1.1}'
"""

from __future__ import annotations

from collections import abc
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from ..algorithms import Formula, FormulaNode, parse_formula
from ..errors import ParameterError
from ..vocabulary import Neuron

__all__ = ["NeuronMapping", "Mapping", "format_neurons", "find_node"]


def format_neurons(neurons: Iterable[Neuron]) -> str:
    """``{L1.0, L2.2}``: layer ``L`` and index of each neuron.

    >>> format_neurons([(2, 2), (1, 0)])
    '{L1.0, L2.2}'
    """
    return "{" + ", ".join(str(Neuron(*n)) for n in sorted(neurons)) + "}"


@dataclass(frozen=True, eq=False)
class NeuronMapping:
    """A map from a formula's aligned nodes (by id) to sets of hidden neurons.

    ``assignment`` holds ``(node_id, neurons)`` for every aligned node, by id.
    :meth:`as_dict` gives the reference JSON layout ``{"A+B 4": {"2": [1]}}``.

    Example
    -------
    >>> f = parse_formula("¬(A*B)*(A+B)")
    >>> m = NeuronMapping.from_dict(f, {"A+B": [(2, 1)], "¬(A*B)": {1: [1]}})
    >>> m.as_dict()
    {'A+B 4': {'2': [1]}, '¬(A*B) 7': {'1': [1]}}
    """

    formula: Formula
    assignment: tuple[tuple[int, frozenset[Neuron]], ...]

    @classmethod
    def from_dict(cls, formula: Formula | str, d: abc.Mapping) -> "NeuronMapping":
        """Build from ``{node: neurons}``; a node is an id, a label (``"A+B 4"``) or a string
        form (``"A+B"``, ``"A∨B"``), neurons a list of ``(layer, index)`` or ``{layer: [index]}``."""
        formula = parse_formula(formula)
        aligned = formula.aligned_nodes
        out: dict[int, frozenset[Neuron]] = {}
        for key, neurons in d.items():
            node = find_node(formula, key)
            if isinstance(neurons, abc.Mapping):
                pairs = [Neuron(int(layer), int(i)) for layer, idx in neurons.items() for i in idx]
            else:
                pairs = [Neuron(int(layer), int(i)) for layer, i in neurons]
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

    def __le__(self, other: "NeuronMapping") -> bool:
        """Node by node ⊆."""
        theirs = dict(other.assignment)
        return all(s <= theirs.get(n, frozenset()) for n, s in self.assignment)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NeuronMapping) and self.formula == other.formula and self.assignment == other.assignment

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
        return f"NeuronMapping({self.formula.paper!r}, {self.as_dict()})"


def find_node(formula: Formula, key: object) -> FormulaNode:
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


#: Older name, still imported by :mod:`mi_ident.faithfulness`.
Mapping = NeuronMapping
