"""The candidate algorithms of a gate: AND/OR trees with NOTs that compute it.

As everywhere in mi-ident, ``mode="corrected"`` (the default) fixes what we judge to
be a quirk of the original code and ``mode="paper"`` reproduces that code exactly. The
original keeps, per AND/OR tree, only the first NOT placement that computes the gate,
so which algorithms are candidates depends on an enumeration order; the corrected
mode keeps every working placement (up to the order of AND/OR operands).

Example
-------
>>> len(candidate_formulas("XOR", depth=3, mode="paper")), len(candidate_formulas("XOR", depth=3))
(56, 4488)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
from tqdm.auto import tqdm

from .._validation import check_int, check_mode, check_size
from ..boolean import Task, make_task
from ..errors import ParameterError, TooLargeError
from ..vocabulary import CORRECTED, PAPER
from .formula import Formula
from .parsing import _assign_ids, _Raw

__all__ = ["candidate_formulas"]

#: NOT placements tried in all (2**n_nodes per AND/OR tree); depth 3 needs 1,048,580 for two inputs.
_MAX_PLACEMENTS = 2**22
#: AND/OR trees built at one depth.
_MAX_TREES = 10**6
_DEPTH_ADVICE = "depth <= 3 is tractable (a depth-4 tree has up to 31 nodes, 2**31 NOT placements)"


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


def _n_nodes(base: _Base) -> int:
    return 1 + sum(_n_nodes(c) for c in base.children)


def _base_levels(depth: int, variables: tuple[str, ...]) -> list[list[_Base]]:
    """The paper's AND/OR trees by exact depth: left child of depth d-1, right of any
    smaller depth, left string < right string; AND before OR.

    Refuses, before building a level, a level whose pairs alone are too many, and stops
    as soon as the NOT placements to try (``2**n_nodes`` per tree) pass the limit.
    """
    by_depth: list[list[_Base]] = [[_Base("VAR", var=v) for v in variables]]
    placements = 2 * len(variables)
    for d in range(1, depth + 1):
        pairs = len(by_depth[d - 1]) * sum(len(level) for level in by_depth)
        check_size(f"AND/OR trees of depth {d} (pairs of subtrees to try)", 2 * pairs, _MAX_TREES,
                   _DEPTH_ADVICE)
        level = []
        for f1 in by_depth[d - 1]:
            for d2 in range(d):
                for f2 in by_depth[d2]:
                    if str(f1) < str(f2):
                        level.append(_Base("AND", (f1, f2)))
                        level.append(_Base("OR", (f1, f2)))
                        placements += 2 * 2 ** _n_nodes(level[-1])
                        if placements > _MAX_PLACEMENTS:
                            raise TooLargeError(
                                f"formulas of depth <= {depth} need at least {placements:,} NOT placements "
                                f"to try, which exceeds the limit of {_MAX_PLACEMENTS:,}; {_DEPTH_ADVICE}")
        by_depth.append(level)
    return by_depth


def _negation_masks_computing(base: _Base, columns: dict[str, np.ndarray], target: np.ndarray) -> np.ndarray:
    """Every NOT placement (bit i set: wrap pre-order node i in a NOT) that makes ``base``
    compute ``target``; all ``2**n_nodes`` placements are evaluated at once."""
    k = _n_nodes(base)
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
    mode: str = CORRECTED,
    progress: bool = False,
) -> list[Formula]:
    """Every formula of AND/OR depth ≤ ``depth`` with NOTs that computes ``target``.

    The AND/OR trees are the paper's: the variables, then for each depth d a tree
    ``f1 op f2`` with ``f1`` of depth d-1, ``f2`` of smaller depth and
    ``str(f1) < str(f2)`` (so operands are never swapped copies). NOTs may wrap any
    node, the root and the leaves included.

    ``mode="corrected"`` (default; ``"extended"`` is accepted): keep *every* working
    placement, then drop trees equal up to the order of AND/OR operands: 4,488 formulas
    for XOR, 12,922 for AND and OR at depth 3.
    ``mode="paper"``: per AND/OR tree keep only the *first* NOT placement that works
    (by number of NOTs, then by node ids), as the original code does: 56 formulas for
    XOR, 86 for AND and OR at depth 3.

    Depth 3 is the largest tractable depth: a depth-4 tree has up to 31 nodes, so up to
    ``2**31`` NOT placements; a larger depth raises :class:`~mi_ident.errors.TooLargeError`
    at once.

    >>> [f.paper for f in candidate_formulas("AND", depth=1, mode="paper")]
    ['A*B', '¬(¬A+¬B)']
    >>> len(candidate_formulas("XOR", depth=2, mode="paper")), len(candidate_formulas("XOR", depth=2))
    (2, 8)
    """
    mode = check_mode(mode)
    depth = check_int("depth", depth, minimum=0)
    task = _single_output(target)
    variables = task.input_names
    rows = task.inputs
    columns = {v: rows[:, i] for i, v in enumerate(variables)}
    target_table = task.table[:, 0]
    bases = [b for level in _base_levels(depth, variables) for b in level]
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
        if mode == PAPER:
            chosen = [min((int(m) for m in masks), key=_powerset_key)]
        else:
            chosen = sorted((int(m) for m in masks), key=_powerset_key)
        for mask in chosen:
            raw = _negate(base, mask)
            canon = _canonical(raw)
            if mode == CORRECTED and canon in seen_trees:
                continue
            seen_trees.add(canon)
            out.append(Formula(_assign_ids(raw), variables))
    return out
