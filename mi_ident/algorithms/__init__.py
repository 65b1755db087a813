"""Candidate algorithms: Boolean formulas built from AND/OR trees with NOTs.

A :class:`Formula` is a small tree of :class:`FormulaNode` over named inputs. Every
node has an integer id, a readable string form and a value on every input
assignment, so that a formula can play the role of a high-level causal model in an
alignment (see :mod:`mi_ident.alignment`).

Two string forms:

* ``str(f)``: readable, ``¬(A∧B)∧(A∨B)``;
* ``f.paper``: the paper's own spelling with ``*``, ``+``, ``¬`` and its exact
  parenthesisation, ``¬(A*B)*(A+B)``; results are keyed by this form.

Modules: :mod:`~.formula` (the tree and its values), :mod:`~.parsing`
(:func:`parse_formula`), :mod:`~.enumeration` (:func:`candidate_formulas`, paper and
corrected modes).

Example
-------
>>> f = parse_formula("~(A & B) & (A | B)")
>>> str(f), f.paper
('¬(A∧B)∧(A∨B)', '¬(A*B)*(A+B)')
>>> f.truth_table.tolist()
[0, 1, 1, 0]
>>> [n.label for n in f.aligned_nodes]
['A+B 4', '¬(A*B) 7']
>>> len(candidate_formulas("XOR", depth=3, mode="paper"))
56
>>> len(candidate_formulas("XOR", depth=3))   # the default, corrected mode
4488
"""

from ..errors import FormulaSyntaxError
from .enumeration import candidate_formulas
from .formula import Formula, FormulaNode
from .parsing import parse_formula

__all__ = ["Formula", "FormulaNode", "FormulaSyntaxError", "candidate_formulas",
           "parse_formula"]
