"""Local gates: a neuron as a Boolean function of its parents' bits, and how to name it.

A neuron's *local gate* is fixed on the parent patterns that occur on the input rows
and free ("don't care") on the others; every completion of the free patterns is a gate.
Names come in two kinds, and drawings must say which one they show:

* :func:`local_gate_label` names a gate over its parents ``p1, p2, ...`` (parent index
  order), e.g. ``"p1∧¬p2"``: the original code's ``A``/``B`` mean "first/second parent",
  not the network inputs;
* :func:`input_gate_label` names what a neuron computes from the network *inputs*, from
  its truth table over the input rows, e.g. ``"XOR(A,B)"``.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Iterator, Sequence

from ..boolean import gate_name

__all__ = ["PAPER_MANY_INPUTS", "local_gate_label", "input_gate_label"]

#: The generic name the original code gives to every gate of three or more parents.
PAPER_MANY_INPUTS = "3INPUTS"

# two-variable functions by table index (outputs on 00, 01, 10, 11 read as binary); {0}, {1} the variables
_TWO = ("0", "{0}∧{1}", "{0}∧¬{1}", "{0}", "¬{0}∧{1}", "{1}", "{0}⊕{1}", "{0}∨{1}", "¬({0}∨{1})",
        "¬({0}⊕{1})", "¬{1}", "{0}∨¬{1}", "¬{0}", "¬{0}∨{1}", "¬({0}∧{1})", "1")
_ONE = ("0", "{0}", "¬{0}", "1")


def _formula(table: Sequence[int], names: Sequence[str]) -> str:
    """A short formula for a table over 1 or 2 variables, else the table itself."""
    bits = [int(b) for b in table]
    index = int("".join(map(str, bits)), 2) if bits else 0
    if len(bits) == 2 and len(names) == 1:
        return _ONE[index].format(*names)
    if len(bits) == 4 and len(names) == 2:
        return _TWO[index].format(*names)
    return "".join(map(str, bits))


def local_gate_label(local_table: Sequence[int]) -> str:
    """A local gate over its parents ``p1, p2, ...`` (first parent most significant).

    >>> local_gate_label((0, 0, 1, 0)), local_gate_label((1, 0)), local_gate_label((0, 1, 1, 0, 1, 0, 0, 1))
    ('p1∧¬p2', '¬p1', 'f(p1..p3)=01101001')
    """
    k = max(0, len(local_table).bit_length() - 1)
    if k <= 2:
        return _formula(local_table, [f"p{i + 1}" for i in range(k)])
    return f"f(p1..p{k})=" + "".join(str(int(b)) for b in local_table)


def input_gate_label(table: Sequence[int], rows: Sequence[Sequence[int]], input_names=("A", "B")) -> str:
    """What a neuron computes from the network inputs, given its bits on ``rows``.

    With every row of two inputs present (in counting order), the function's name with its
    arguments, e.g. ``"XOR(A,B)"``, ``"A∧¬B"``, ``"B"``; otherwise the table over the rows.

    >>> rows = [(0, 0), (0, 1), (1, 0), (1, 1)]
    >>> input_gate_label((0, 1, 1, 0), rows), input_gate_label((0, 0, 1, 0), rows), input_gate_label((0, 1, 0, 1), rows)
    ('XOR(A,B)', 'A∧¬B', 'B')
    """
    rows = [tuple(int(v) for v in r) for r in rows]
    n = len(rows[0]) if rows else 0
    full = [tuple((i >> (n - 1 - k)) & 1 for k in range(n)) for i in range(2**n)]
    names = [input_names[k] if k < len(input_names) else f"x{k + 1}" for k in range(n)]
    bits = tuple(int(b) for b in table)
    if rows != full or n > 2:
        return "".join(map(str, bits))
    name = gate_name(bits)
    if name in ("AND", "OR", "XOR", "XNOR", "NAND", "NOR"):
        return f"{name}({','.join(names)})"
    return _formula(bits, names)


@lru_cache(maxsize=1 << 16)
def _local(table: int, parent_tables: tuple[int, ...], n_rows: int):
    """Observed local table of a neuron over its parents, or None if inconsistent.

    Returns ``(observed, missing)``: ``observed`` maps parent pattern (an index in binary
    counting order) to the neuron's bit; ``missing`` lists the unobserved patterns in order.
    """
    k = len(parent_tables)
    observed: dict[int, int] = {}
    for r in range(n_rows):
        pattern = 0
        for t in parent_tables:
            pattern = (pattern << 1) | ((t >> r) & 1)
        bit = (table >> r) & 1
        if observed.setdefault(pattern, bit) != bit:
            return None
    missing = tuple(p for p in range(2**k) if p not in observed)
    return observed, missing


def _completions(observed: dict[int, int], missing: tuple[int, ...], k: int) -> Iterator[tuple[int, ...]]:
    """Every completion of the observed local table, in the original's order."""
    for bits in itertools.product((0, 1), repeat=len(missing)):
        full = dict(observed)
        full.update(zip(missing, bits))
        yield tuple(full[p] for p in range(2**k))


def _gate_name(local_table: tuple[int, ...], n_parents: int, mode: str) -> str:
    if mode == "paper" and n_parents >= 3:
        return PAPER_MANY_INPUTS
    return gate_name(local_table)


def _filtered(name: str, mode: str) -> bool:
    return mode == "paper" and name in ("XOR", "XNOR")


@lru_cache(maxsize=1 << 16)
def _n_gates(table: int, parent_tables: tuple[int, ...], n_rows: int, mode: str) -> int:
    """Number of allowed local gates of a neuron with this table given its parents' tables."""
    local = _local(table, parent_tables, n_rows)
    if local is None:
        return 0
    observed, missing = local
    k = len(parent_tables)
    if mode == "paper" and k == 2:
        return sum(not _filtered(_gate_name(t, k, mode), mode) for t in _completions(observed, missing, k))
    return 2 ** len(missing)
