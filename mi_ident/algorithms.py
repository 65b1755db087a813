"""Candidate algorithms: Boolean formulas built from AND/OR trees with NOTs.

A :class:`Formula` is a small tree over named inputs. Every node has an integer id,
a readable string form and a value on every input assignment, so that a formula
can play the role of a high-level causal model in an alignment (see
:mod:`mi_ident.alignment`).

Ids follow the paper's code: the AND/OR/variable nodes are numbered in pre-order
(skipping NOTs), then the NOT nodes are numbered after them, again in pre-order.
So ``¬(A*B)*(A+B)`` has ``*`` = 0, ``A*B`` = 1, ``A+B`` = 4 and ``¬(A*B)`` = 7.

Two string forms:

* ``str(f)``: readable, ``¬(A∧B)∧(A∨B)``;
* ``f.paper``: the paper's own spelling with ``*``, ``+``, ``¬`` and its exact
  parenthesisation, ``¬(A*B)*(A+B)``; results are keyed by this form.

Modes
-----
:func:`candidate_formulas` defaults to ``mode="extended"``: as everywhere in
mi-ident, the default corrects what we judge to be quirks of the original code, and
``mode="paper"`` reproduces that code exactly. The original keeps, per AND/OR tree,
only the first NOT placement that computes the gate, so which algorithms are
candidates depends on an enumeration order; extended mode keeps every working
placement (up to the order of AND/OR operands): 4,488 formulas for XOR at depth 3
where the paper has 56.

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
>>> len(candidate_formulas("XOR", depth=3))   # the default, extended mode
4488
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Literal, Sequence

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .errors import FormulaSyntaxError, InputTypeError, ParameterError
from .boolean import Task, input_rows, make_task

Mode = Literal["paper", "extended"]
MODES = ("paper", "extended")

#: Operators and their symbols in the readable and in the paper's spelling.
_SYMBOLS = {"AND": ("∧", "*"), "OR": ("∨", "+"), "NOT": ("¬", "¬")}
#: Every spelling the parser accepts.
_AND_TOKENS = "*∧&·"
_OR_TOKENS = "+∨|"
_NOT_TOKENS = "¬~!"
#: Trees with more nodes would make the 2**nodes NOT placements too many to try.
_MAX_BASE_NODES = 20


@dataclass(frozen=True, eq=False)
class Node:
    """One node of a formula: a variable leaf, or ``AND``/``OR`` (two children) or ``NOT`` (one).

    ``label`` is the paper's node name, ``"<paper string> <id>"``, e.g. ``"A+B 4"``.
    """

    id: int
    op: str
    children: tuple["Node", ...] = ()
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
        return f"Node({self.label!r})"

    def preorder(self) -> Iterator["Node"]:
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


def _evaluate(node: Node, columns: dict[str, np.ndarray], overrides: dict[int, np.ndarray], out: np.ndarray) -> np.ndarray:
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
    """A Boolean formula over named inputs: a tree of :class:`Node` with ids.

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
    >>> f = parse_formula("¬(A*B)*(A+B)")
    >>> f.values[f.node(4).id].tolist()   # A+B on 00, 01, 10, 11
    [0, 1, 1, 1]
    """

    def __init__(self, root: Node, variables: Sequence[str]):
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
        self.nodes: tuple[Node, ...] = tuple(nodes)
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
    def node(self, node_id: int) -> Node:
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
    def aligned_nodes(self) -> tuple[Node, ...]:
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

        def value(node: Node) -> np.ndarray:
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


# -- parsing ------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<sym>\S))")


def _syntax_error(text: str, pos: int, message: str) -> FormulaSyntaxError:
    return FormulaSyntaxError(f"{message} at position {pos}:\n  {text}\n  {' ' * pos}^")


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:  # only trailing whitespace is left
            break
        start = m.start("name") if m.group("name") else m.start("sym")
        if m.group("name"):
            tokens.append(("VAR", m.group("name"), start))
        else:
            s = m.group("sym")
            kind = (
                "AND" if s in _AND_TOKENS else "OR" if s in _OR_TOKENS else "NOT" if s in _NOT_TOKENS
                else "(" if s == "(" else ")" if s == ")" else None
            )
            if kind is None:
                raise _syntax_error(
                    text, start,
                    f"unexpected character {s!r}; use letters for inputs, * ∧ & for AND, + ∨ | for OR, "
                    f"¬ ~ ! for NOT and parentheses",
                )
            tokens.append((kind, s, start))
        pos = m.end()
    tokens.append(("END", "", len(text)))
    return tokens


@dataclass
class _Raw:
    """A parsed tree before ids are given."""

    op: str
    children: tuple["_Raw", ...] = ()
    var: str | None = None
    pos: int = 0


class _Parser:
    # expr := term (OR term)* ; term := factor (AND factor)* ; factor := NOT factor | ( expr ) | VAR
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> _Raw:
        if self.peek()[0] == "END":
            raise _syntax_error(self.text, 0, "empty formula")
        tree = self.expr()
        kind, s, pos = self.peek()
        if kind != "END":
            raise _syntax_error(self.text, pos, f"unexpected {s!r} (missing operator or unbalanced ')')")
        return tree

    def expr(self) -> _Raw:
        left = self.term()
        while self.peek()[0] == "OR":
            pos = self.take()[2]
            left = _Raw("OR", (left, self.term()), pos=pos)
        return left

    def term(self) -> _Raw:
        left = self.factor()
        while self.peek()[0] == "AND":
            pos = self.take()[2]
            left = _Raw("AND", (left, self.factor()), pos=pos)
        return left

    def factor(self) -> _Raw:
        kind, s, pos = self.take()
        if kind == "NOT":
            return _Raw("NOT", (self.factor(),), pos=pos)
        if kind == "VAR":
            return _Raw("VAR", var=s, pos=pos)
        if kind == "(":
            inner = self.expr()
            k2, s2, p2 = self.take()
            if k2 != ")":
                raise _syntax_error(self.text, p2, f"expected ')' to close the '(' at position {pos}")
            return inner
        what = "end of formula" if kind == "END" else repr(s)
        raise _syntax_error(self.text, pos, f"expected an input name, '(' or a NOT, found {what}")


def _assign_ids(raw: _Raw) -> Node:
    # The paper numbers AND/OR/variable nodes in pre-order, then its NOT nodes.
    order = []

    def walk(r: _Raw) -> None:
        order.append(r)
        for c in r.children:
            walk(c)

    walk(raw)
    base = [r for r in order if r.op != "NOT"]
    ids = {id(r): i for i, r in enumerate(base)}
    ids.update({id(r): len(base) + i for i, r in enumerate(r for r in order if r.op == "NOT")})

    def build(r: _Raw) -> Node:
        return Node(ids[id(r)], r.op, tuple(build(c) for c in r.children), r.var)

    return build(raw)


def _default_variables(names: set[str]) -> tuple[str, ...]:
    if names and all(len(n) == 1 and "A" <= n <= "Z" for n in names):
        return tuple(chr(c) for c in range(ord("A"), max(ord(n) for n in names) + 1))
    return tuple(sorted(names))


def parse_formula(text: str | Formula, variables: Sequence[str] | None = None) -> Formula:
    """Parse a formula written with ``*``/``∧``/``&`` (AND), ``+``/``∨``/``|`` (OR), ``¬``/``~``/``!`` (NOT).

    NOT binds tightest, then AND, then OR; chains group to the left. ``variables``
    are the input names in order; by default single capital letters ``A, B, ...``
    up to the last one used (``"A*C"`` is then a formula over A, B, C).
    A malformed string raises :class:`FormulaSyntaxError` showing the position.

    >>> parse_formula("A+B*~A").paper
    'A+(B*¬A)'
    >>> parse_formula("A*(B")
    Traceback (most recent call last):
    ...
    mi_ident.algorithms.FormulaSyntaxError: expected ')' to close the '(' at position 2 at position 4:
      A*(B
          ^
    """
    if isinstance(text, Formula):
        if variables is not None and tuple(variables) != text.variables:
            return Formula(text.root, variables)
        return text
    if not isinstance(text, str):
        raise InputTypeError(f"a formula is a string such as '¬(A*B)*(A+B)'; got {type(text).__name__}")
    raw = _Parser(text).parse()
    leaves = []

    def collect(r: _Raw) -> None:
        if r.op == "VAR":
            leaves.append(r)
        for c in r.children:
            collect(c)

    collect(raw)
    if variables is None:
        variables = _default_variables({r.var for r in leaves})
    variables = tuple(variables)
    for r in leaves:
        if r.var not in variables:
            raise _syntax_error(
                text, r.pos,
                f"unknown input {r.var!r}: this formula's inputs are {', '.join(variables)} "
                f"({len(variables)} inputs)",
            )
    return Formula(_assign_ids(raw), variables)


# -- enumeration --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Base:
    """An AND/OR tree without NOTs, as the paper's generator builds it."""

    op: str
    children: tuple["_Base", ...] = ()
    var: str | None = None

    def _str(self) -> str:
        if self.op == "VAR":
            return str(self.var)
        sym = "*" if self.op == "AND" else "+"
        return f"({self.children[0]._str()}{sym}{self.children[1]._str()})"

    def __str__(self) -> str:
        s = self._str()
        return s[1:-1] if s.startswith("(") else s

    def preorder(self) -> Iterator["_Base"]:
        yield self
        for c in self.children:
            yield from c.preorder()


def _base_formulas(depth: int, variables: tuple[str, ...]) -> list[_Base]:
    """The paper's AND/OR trees of exactly ``depth``: left child of depth d-1, right of any
    smaller depth, left string < right string; AND before OR."""
    by_depth: list[list[_Base]] = [[_Base("VAR", var=v) for v in variables]]
    for d in range(1, depth + 1):
        level = []
        for f1 in by_depth[d - 1]:
            for d2 in range(d):
                for f2 in by_depth[d2]:
                    if str(f1) < str(f2):
                        level.append(_Base("AND", (f1, f2)))
                        level.append(_Base("OR", (f1, f2)))
        by_depth.append(level)
    return by_depth[depth]


def _negation_masks_computing(base: _Base, columns: dict[str, np.ndarray], target: np.ndarray) -> np.ndarray:
    """Every NOT placement (bit i set: wrap pre-order node i in a NOT) that makes ``base``
    compute ``target``; all ``2**n_nodes`` placements are evaluated at once."""
    k = sum(1 for _ in base.preorder())
    if k > _MAX_BASE_NODES:
        raise ParameterError(f"a tree of {k} nodes has too many NOT placements; use a smaller depth")
    masks = np.arange(2**k, dtype=np.int64)
    # Subtrees are shared between trees, so nodes are numbered by visiting order, not identity.
    counter = iter(range(k))

    def value(n: _Base) -> np.ndarray:
        i = next(counter)
        if n.op == "VAR":
            v = np.broadcast_to(columns[n.var], (2**k, len(target)))
        else:
            a = value(n.children[0])
            b = value(n.children[1])
            v = (a & b) if n.op == "AND" else (a | b)
        return v ^ ((masks >> i) & 1)[:, None]

    ok = (value(base) == target[None, :]).all(axis=1)
    return masks[ok]


def _negate(base: _Base, mask: int) -> _Raw:
    counter = iter(range(10**9))

    def build(n: _Base) -> _Raw:
        i = next(counter)
        raw = _Raw(n.op, tuple(build(c) for c in n.children), n.var)
        return _Raw("NOT", (raw,)) if (mask >> i) & 1 else raw

    return build(base)


def _powerset_key(mask: int) -> tuple[int, tuple[int, ...]]:
    # The paper tries NOT placements by size, then in itertools.combinations order of the ids.
    ids = tuple(i for i in range(mask.bit_length()) if (mask >> i) & 1)
    return (len(ids), ids)


def _canonical(raw: _Raw) -> str:
    """A key equal for trees that differ only in the order of AND/OR operands."""
    if raw.op == "VAR":
        return str(raw.var)
    if raw.op == "NOT":
        return "¬" + _canonical(raw.children[0])
    a, b = sorted(_canonical(c) for c in raw.children)
    return f"({a}{'*' if raw.op == 'AND' else '+'}{b})"


def _single_output(target: Task | str | Sequence | np.ndarray) -> Task:
    task = make_task(target)
    if task.n_outputs != 1:
        raise ParameterError(
            f"candidate formulas compute one output; {task.name} has {task.n_outputs}: pick one gate"
        )
    return task


def candidate_formulas(
    target: Task | str | Sequence | np.ndarray = "XOR",
    depth: int = 3,
    mode: Mode = "extended",
    progress: bool = False,
) -> list[Formula]:
    """Every formula of AND/OR depth ≤ ``depth`` with NOTs that computes ``target``.

    The AND/OR trees are the paper's: the variables, then for each depth d a tree
    ``f1 op f2`` with ``f1`` of depth d-1, ``f2`` of smaller depth and
    ``str(f1) < str(f2)`` (so operands are never swapped copies). NOTs may wrap any
    node, the root and the leaves included.

    ``mode="extended"`` (default): keep *every* working placement, then drop trees
    equal up to the order of AND/OR operands: 4,488 formulas for XOR, 12,922 for AND
    and OR at depth 3.
    ``mode="paper"``: per AND/OR tree keep only the *first* NOT placement that works
    (by number of NOTs, then by node ids), as the original code does: 56 formulas for
    XOR, 86 for AND and OR at depth 3.

    >>> [f.paper for f in candidate_formulas("AND", depth=1, mode="paper")]
    ['A*B', '¬(¬A+¬B)']
    >>> len(candidate_formulas("XOR", depth=2, mode="paper")), len(candidate_formulas("XOR", depth=2))
    (2, 8)
    """
    if mode not in MODES:
        raise ParameterError(f"mode must be one of {MODES}; got {mode!r}")
    if int(depth) < 0:
        raise ParameterError(f"depth must be >= 0; got {depth}")
    task = _single_output(target)
    variables = task.input_names
    rows = task.inputs
    columns = {v: rows[:, i] for i, v in enumerate(variables)}
    target_table = task.table[:, 0]
    bases = [b for d in range(int(depth) + 1) for b in _base_formulas(d, variables)]
    seen_bases: set[str] = set()
    seen_trees: set[str] = set()
    out: list[Formula] = []
    for base in tqdm(bases, desc=f"formulas for {task.name}", disable=not progress):
        key = str(base)
        if key in seen_bases:
            continue
        masks = _negation_masks_computing(base, columns, target_table)
        if len(masks) == 0:
            continue
        seen_bases.add(key)
        if mode == "paper":
            chosen = [min((int(m) for m in masks), key=_powerset_key)]
        else:
            chosen = sorted((int(m) for m in masks), key=_powerset_key)
        for mask in chosen:
            raw = _negate(base, mask)
            canon = _canonical(raw)
            if mode == "extended" and canon in seen_trees:
                continue
            seen_trees.add(canon)
            out.append(Formula(_assign_ids(raw), variables))
    return out

