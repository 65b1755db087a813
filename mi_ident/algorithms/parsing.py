"""Parsing formulas written with ``*``/``∧``/``&``, ``+``/``∨``/``|`` and ``¬``/``~``/``!``.

Example
-------
>>> parse_formula("A+B*~A").paper
'A+(B*¬A)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..errors import FormulaSyntaxError, InputTypeError
from .formula import Formula, FormulaNode

__all__ = ["parse_formula"]

#: Every spelling the parser accepts.
_AND_TOKENS = "*∧&·"
_OR_TOKENS = "+∨|"
_NOT_TOKENS = "¬~!"

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


def _assign_ids(raw: _Raw) -> FormulaNode:
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

    def build(r: _Raw) -> FormulaNode:
        return FormulaNode(ids[id(r)], r.op, tuple(build(c) for c in r.children), r.var)

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
    mi_ident.errors.FormulaSyntaxError: expected ')' to close the '(' at position 2 at position 4:
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
