"""Classes of aligned formulas and mappings: what is left once syntax and NOT are ignored.

Two aligned formulas are the same *algorithm* when their aligned nodes compute the
same truth tables, each taken up to NOT (a node computing ``t`` and one computing
``¬t`` carry the same information; a downstream NOT undoes the difference), constant
nodes left out (they carry no information about the input). So padding such as
``(A∧B)∧B`` next to ``A∧B``, a constant-false node, or a formula and its De Morgan
dual on the same intermediate values fall into one class. Likewise two minimal
mappings are the same *mapping class* when they send the same node tables (up to NOT)
to the same neuron sets.

Example
-------
>>> from mi_ident.algorithms import parse_formula
>>> f, g = parse_formula("¬(A*B)*(A+B)"), parse_formula("¬((A*B)+¬(A+B))")
>>> formula_key(f) == formula_key(g)   # same intermediate values, up to NOT
True
>>> [table_label(t) for t in sorted(formula_key(f))]
['AND|NAND', 'OR|NOR']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..algorithms import Formula
from ..boolean import gate_name
from .mapping import NeuronMapping

__all__ = ["canonical_table", "formula_key", "mapping_key", "table_label", "FormulaClass", "group_classes"]

Table = tuple[int, ...]


def canonical_table(table) -> Table:
    """A truth table up to NOT: the one of ``t`` and ``¬t`` whose first entry is 0."""
    t = tuple(int(v) for v in np.asarray(table))
    return tuple(1 - v for v in t) if t and t[0] == 1 else t


def _is_constant(t: Table) -> bool:
    return len(set(t)) <= 1


def formula_key(formula: Formula) -> frozenset[Table]:
    """The tables (up to NOT) its non-constant aligned nodes compute."""
    tables = (canonical_table(formula.values[n.id]) for n in formula.aligned_nodes)
    return frozenset(t for t in tables if not _is_constant(t))


def mapping_key(mapping: NeuronMapping) -> frozenset:
    """``{(table up to NOT, neurons)}`` over the mapping's non-constant nodes."""
    out = set()
    for node_id, neurons in mapping.assignment:
        t = canonical_table(mapping.formula.values[node_id])
        if not _is_constant(t):
            out.add((t, frozenset(neurons)))
    return frozenset(out)


def table_label(table: Table) -> str:
    """``"AND|NAND"``: the gate names of a 2-input table and its negation, else its bits."""
    if len(table) == 4:
        return f"{gate_name(table)}|{gate_name([1 - v for v in table])}"
    return "".join(map(str, table))


@dataclass
class FormulaClass:
    """Aligned formulas with the same node tables up to NOT, and their mappings' classes."""

    tables: frozenset[Table]
    formulas: list[str]  # paper strings
    mapping_keys: set

    @property
    def label(self) -> str:
        names = sorted(table_label(t) for t in self.tables)
        return "{" + ", ".join(names) + "}" if names else "{} (no informative node)"

    @property
    def n_formulas(self) -> int:
        return len(self.formulas)

    @property
    def n_mapping_classes(self) -> int:
        return len(self.mapping_keys)

    def to_dict(self) -> dict:
        return {"tables": sorted("".join(map(str, t)) for t in self.tables), "label": self.label,
                "formulas": self.formulas, "n_mapping_classes": self.n_mapping_classes}


def group_classes(alignments) -> list[FormulaClass]:
    """Group the aligned formulas of ``alignments`` (objects with ``formula`` and ``mappings``),
    in order of first appearance."""
    classes: dict[frozenset, FormulaClass] = {}
    for a in alignments:
        if not a.mappings:
            continue
        key = formula_key(a.formula)
        cls = classes.setdefault(key, FormulaClass(key, [], set()))
        cls.formulas.append(a.formula.paper)
        cls.mapping_keys.update(mapping_key(m) for m in a.mappings)
    return list(classes.values())
