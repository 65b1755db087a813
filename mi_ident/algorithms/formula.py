"""A formula: a tree of :class:`FormulaNode` with ids, values on every input and interventions.

Ids follow the paper's code: the AND/OR/variable nodes are numbered in pre-order
(skipping NOTs), then the NOT nodes after them, again in pre-order. So
``¬(A*B)*(A+B)`` has ``*`` = 0, ``A*B`` = 1, ``A+B`` = 4 and ``¬(A*B)`` = 7.

Example
-------
>>> from mi_ident.algorithms import parse_formula
>>> f = parse_formula("~(A & B) & (A | B)")
>>> str(f), f.paper, f.truth_table.tolist()
('¬(A∧B)∧(A∨B)', '¬(A*B)*(A+B)', [0, 1, 1, 0])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
import pandas as pd

from ..boolean import input_rows
from ..errors import ParameterError

__all__ = ["FormulaNode", "Formula"]

#: Operators and their symbols in the readable and in the paper's spelling.
_SYMBOLS = {"AND": ("∧", "*"), "OR": ("∨", "+"), "NOT": ("¬", "¬")}


@dataclass(frozen=True, eq=False)
class FormulaNode:
    """One node of a formula: a variable leaf, or ``AND``/``OR`` (two children) or ``NOT`` (one).

    ``label`` is the paper's node name, ``"<paper string> <id>"``, e.g. ``"A+B 4"``.
    """

    id: int
    op: str
    children: tuple["FormulaNode", ...] = ()
    var: str | None = None

    @property
    def is_leaf(self) -> bool:
        return self.op == "VAR"

    def _str(self, paper: bool) -> str:
        if self.is_leaf:
            return str(self.var)
        symbol = _SYMBOLS[self.op][1 if paper else 0]
        if self.op == "NOT":
            return symbol + self.children[0]._str(paper)
        left, right = (c._str(paper) for c in self.children)
        return f"({left}{symbol}{right})"

    def _top_str(self, paper: bool) -> str:
        # The paper's __str__ drops the outer parentheses of a binary root.
        s = self._str(paper)
        return s[1:-1] if s.startswith("(") else s

    @property
    def paper(self) -> str:
        return self._top_str(paper=True)

    @property
    def label(self) -> str:
        return f"{self.paper} {self.id}"

    def __str__(self) -> str:
        return self._top_str(paper=False)

    def __repr__(self) -> str:
        return f"FormulaNode({self.label!r})"

    def preorder(self) -> Iterator["FormulaNode"]:
        yield self
        for child in self.children:
            yield from child.preorder()

    @property
    def depth(self) -> int:
        """AND/OR depth: a variable is 0, NOTs add nothing."""
        if self.is_leaf:
            return 0
        inner = max(c.depth for c in self.children)
        return inner if self.op == "NOT" else inner + 1


def _evaluate(node: FormulaNode, columns: dict[str, np.ndarray], overrides: dict[int, np.ndarray], out: np.ndarray) -> np.ndarray:
    if node.id in overrides:
        val = overrides[node.id]
        for child in node.children:  # children still get their (unused) values
            _evaluate(child, columns, overrides, out)
    elif node.is_leaf:
        val = columns[node.var]
    else:
        vals = [_evaluate(c, columns, overrides, out) for c in node.children]
        if node.op == "NOT":
            val = 1 - vals[0]
        elif node.op == "AND":
            val = vals[0] & vals[1]
        else:
            val = vals[0] | vals[1]
    out[node.id] = val
    return out[node.id]


class Formula:
    """A Boolean formula over named inputs: a tree of :class:`FormulaNode` with ids.

    Build one with :func:`parse_formula` or get the candidates for a task from
    :func:`candidate_formulas`.

    Attributes
    ----------
    root: the root node.
    variables: the input names, in input order (``("A", "B")``).
    nodes: every node, indexed by id.
    values: ``(n_nodes, 2**n_inputs)`` array, the value of node ``id`` on every input
        assignment (rows of :func:`mi_ident.boolean.input_rows`).

    Example
    -------
    >>> from mi_ident.algorithms import parse_formula
    >>> f = parse_formula("¬(A*B)*(A+B)")
    >>> f.values[f.node(4).id].tolist()   # A+B on 00, 01, 10, 11
    [0, 1, 1, 1]
    """

    def __init__(self, root: FormulaNode, variables: Sequence[str]):
        self.root = root
        self.variables = tuple(variables)
        nodes = sorted(root.preorder(), key=lambda n: n.id)
        if [n.id for n in nodes] != list(range(len(nodes))):
            raise ParameterError("node ids must be 0 .. n_nodes-1, each once")
        unknown = sorted({n.var for n in nodes if n.is_leaf} - set(self.variables))
        if unknown:
            raise ParameterError(
                f"formula {root.paper!r} uses {', '.join(unknown)} but the inputs are "
                f"{', '.join(self.variables)}: a formula may only use the task's inputs"
            )
        self.nodes: tuple[FormulaNode, ...] = tuple(nodes)
        self.values = self.evaluate()
        self.values.setflags(write=False)

    # -- strings --------------------------------------------------------------------------
    @property
    def paper(self) -> str:
        """The paper's spelling, e.g. ``¬(A*B)*(A+B)``."""
        return self.root.paper

    def __str__(self) -> str:
        return str(self.root)

    def __repr__(self) -> str:
        return f"Formula({self.paper!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formula) and (self.paper, self.variables) == (other.paper, other.variables)

    def __hash__(self) -> int:
        return hash((self.paper, self.variables))

    # -- structure ------------------------------------------------------------------------
    def node(self, node_id: int) -> FormulaNode:
        if not 0 <= int(node_id) < len(self.nodes):
            raise ParameterError(f"{self.paper!r} has nodes 0..{len(self.nodes) - 1}; got {node_id}")
        return self.nodes[int(node_id)]

    @property
    def depth(self) -> int:
        return self.root.depth

    @property
    def n_inputs(self) -> int:
        return len(self.variables)

    @property
    def aligned_nodes(self) -> tuple[FormulaNode, ...]:
        """The intermediate nodes an alignment maps to neurons, by id.

        As in the paper: every non-leaf node except the root, and except the operand
        of a NOT (the NOT node stands for it). ``¬A`` is therefore aligned.
        """
        negated = {n.children[0].id for n in self.nodes if n.op == "NOT"}
        return tuple(
            n for n in self.nodes if not n.is_leaf and n.id != self.root.id and n.id not in negated
        )

    # -- values ---------------------------------------------------------------------------
    @property
    def inputs(self) -> np.ndarray:
        return input_rows(self.n_inputs)

    @property
    def truth_table(self) -> np.ndarray:
        """The formula's output on every input assignment."""
        return self.values[self.root.id]

    def evaluate(self, inputs: np.ndarray | None = None, overrides: dict[int, object] | None = None) -> np.ndarray:
        """Values of every node, ``(n_nodes, n_rows)``, optionally with nodes forced.

        ``overrides`` maps a node id to a value (0/1, or one per row) that replaces the
        node's computed value: an intervention on the high-level model.

        >>> from mi_ident.algorithms import parse_formula
        >>> f = parse_formula("¬(A*B)*(A+B)")
        >>> f.evaluate(overrides={4: 1})[f.root.id].tolist()   # force A+B to 1
        [1, 1, 1, 0]
        """
        rows = self.inputs if inputs is None else np.asarray(inputs).astype(np.int64)
        if rows.ndim != 2 or rows.shape[1] != self.n_inputs:
            raise ParameterError(f"inputs must be rows x {self.n_inputs} (one column per {self.variables}); got {rows.shape}")
        columns = {v: rows[:, i] for i, v in enumerate(self.variables)}
        forced = {}
        for node_id, value in (overrides or {}).items():
            self.node(node_id)
            forced[int(node_id)] = np.broadcast_to(np.asarray(value, dtype=np.int64), (len(rows),))
        out = np.zeros((len(self.nodes), len(rows)), dtype=np.int64)
        _evaluate(self.root, columns, forced, out)
        return out

    def forced_outputs(self, node_id: int) -> np.ndarray:
        """``(2, n_rows)``: the output on every input with ``node_id`` forced to 0, then to 1."""
        return np.stack([self.evaluate(overrides={node_id: v})[self.root.id] for v in (0, 1)])

    def aligned_forced_outputs(self) -> np.ndarray:
        """``(n_aligned, 2, n_rows)``: :meth:`forced_outputs` for every aligned node, in one pass."""
        aligned = {n.id: k for k, n in enumerate(self.aligned_nodes)}
        rows = self.inputs
        shape = (2 * len(aligned), len(rows))
        columns = {v: np.broadcast_to(rows[:, i], shape) for i, v in enumerate(self.variables)}

        def value(node: FormulaNode) -> np.ndarray:
            if node.is_leaf:
                val = columns[node.var]
            elif node.op == "NOT":
                val = 1 - value(node.children[0])
            elif node.op == "AND":
                val = value(node.children[0]) & value(node.children[1])
            else:
                val = value(node.children[0]) | value(node.children[1])
            if node.id in aligned:  # variant 2k forces this node to 0, variant 2k+1 to 1
                k = aligned[node.id]
                val = val.copy()
                val[2 * k], val[2 * k + 1] = 0, 1
            return val

        return value(self.root).reshape(len(aligned), 2, len(rows))

    def value_frame(self) -> pd.DataFrame:
        """Inputs, every aligned node and the output on every assignment, as a table."""
        cols = {v: self.inputs[:, i] for i, v in enumerate(self.variables)}
        for n in self.aligned_nodes:
            cols[str(n)] = self.values[n.id]
        cols[f"output {self}"] = self.truth_table
        return pd.DataFrame(cols)
