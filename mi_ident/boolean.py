"""Boolean tasks: named 2-input gates and arbitrary truth tables.

A :class:`Task` is a truth table with names. Rows are the input assignments in
binary counting order, the first input being the most significant bit, so for
two inputs ``A, B`` the rows are ``00, 01, 10, 11``.

Example
-------
>>> xor = make_task("XOR")
>>> xor.table[:, 0].tolist()
[0, 1, 1, 0]
>>> make_task(["AND", "OR"]).n_outputs
2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import InputTypeError, ParameterError
from .gates import GATES, MAX_INPUTS, ONE_INPUT_NAMES, TWO_INPUT_NAMES, gate_name, input_rows

# The gate vocabulary lives in .gates; it is re-exported here, where users have always found it.
__all__ = ["Task", "make_task", "GATES", "TWO_INPUT_NAMES", "ONE_INPUT_NAMES", "MAX_INPUTS", "gate_name",
           "input_rows"]
def _default_input_names(n: int) -> tuple[str, ...]:
    if n <= 26:
        return tuple(chr(ord("A") + i) for i in range(n))
    return tuple(f"x{i}" for i in range(n))


@dataclass(frozen=True, eq=False)
class Task:
    """A Boolean task: a truth table with named inputs and outputs.

    ``table`` has one row per input assignment (binary counting order) and one
    column per output. Build one with :func:`make_task`, :meth:`from_gate`,
    :meth:`from_gates` or :meth:`from_table`.
    """

    name: str
    table: np.ndarray
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]

    def __post_init__(self) -> None:
        table = np.asarray(self.table)
        if table.ndim != 2 or len(self.output_names) != table.shape[1]:
            raise ParameterError("table must be 2-D with one column per output name")
        if table.shape[0] != 2 ** len(self.input_names):
            raise ParameterError(
                f"{len(self.input_names)} inputs need {2 ** len(self.input_names)} rows; "
                f"got {table.shape[0]}"
            )
        table = table.astype(np.int64)
        table.setflags(write=False)
        object.__setattr__(self, "table", table)

    # construction ---------------------------------------------------------------------------
    @classmethod
    def from_gate(cls, name: str) -> "Task":
        """One of the named gates in :data:`GATES` (case-insensitive)."""
        key = str(name).strip().upper()
        if key not in GATES:
            raise ParameterError(
                f"unknown gate {name!r}; choose one of {', '.join(GATES)}, "
                f"or pass a truth table such as [0, 1, 1, 0]"
            )
        return cls(key, np.array(GATES[key])[:, None], ("A", "B"), (key,))

    @classmethod
    def from_gates(cls, names: Iterable[str]) -> "Task":
        """Several named gates over the same two inputs, trained as one multi-output task."""
        names = list(names)
        if not names:
            raise ParameterError(f"give at least one gate name from {', '.join(GATES)}")
        tasks = [cls.from_gate(n) for n in names]
        outputs = tuple(t.name for t in tasks)
        if len(set(outputs)) != len(outputs):
            raise ParameterError(f"each gate may appear once in a multi-output task; got {outputs}")
        table = np.concatenate([t.table for t in tasks], axis=1)
        return cls("+".join(outputs), table, ("A", "B"), outputs)

    @classmethod
    def from_table(
        cls,
        table: Sequence[int] | Sequence[Sequence[int]] | np.ndarray,
        name: str | None = None,
        input_names: Sequence[str] | None = None,
        output_names: Sequence[str] | None = None,
    ) -> "Task":
        """A task from a truth table: a flat list (one output) or rows x outputs.

        The number of rows must be a power of two, ``2**n_inputs``, listed in binary
        counting order. Values must be 0 or 1 (``True``/``False`` are accepted).
        """
        try:
            arr = np.asarray(table)
        except ValueError:
            raise ParameterError("a truth table must be rectangular: every row needs the same length") from None
        if arr.dtype == object:
            raise ParameterError("a truth table must be rectangular: every row needs the same length")
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2 or arr.size == 0:
            raise ParameterError(
                f"a truth table is a list of 0/1 outputs (or rows x outputs); got shape {arr.shape}"
            )
        n_rows = arr.shape[0]
        n_inputs = n_rows.bit_length() - 1
        if n_rows < 2 or 2**n_inputs != n_rows:
            raise ParameterError(
                f"a truth table over n inputs has 2**n rows (2, 4, 8, ...); got {n_rows}. "
                f"For two inputs list the outputs on 00, 01, 10, 11"
            )
        if n_inputs > MAX_INPUTS:
            raise ParameterError(f"at most {MAX_INPUTS} inputs are supported; got {n_inputs}")
        if arr.dtype == bool:
            arr = arr.astype(np.int64)
        if not np.issubdtype(arr.dtype, np.number) or not np.isin(arr, (0, 1)).all():
            bad = sorted({str(v) for v in arr.ravel().tolist() if v not in (0, 1)})
            raise ParameterError(f"a truth table holds only 0 and 1; found {', '.join(bad)}")
        arr = arr.astype(np.int64)
        input_names = tuple(input_names) if input_names else _default_input_names(n_inputs)
        if len(input_names) != n_inputs:
            raise ParameterError(f"{n_inputs} inputs need {n_inputs} input names; got {input_names}")
        if output_names is None:
            output_names = tuple(
                gate_name(arr[:, j]) if n_inputs <= 2 else f"y{j}" for j in range(arr.shape[1])
            )
        output_names = tuple(output_names)
        if len(output_names) != arr.shape[1]:
            raise ParameterError(f"{arr.shape[1]} outputs need {arr.shape[1]} output names; got {output_names}")
        return cls(name or "+".join(output_names), arr, input_names, output_names)

    @classmethod
    def from_samples(cls, X, y) -> "Task | None":
        """The truth table that labelled samples follow, or ``None`` when they do not fix one.

        Inputs are rounded to bits; every row of the table must occur, always with the same
        0/1 label.

        >>> Task.from_samples([[0, 0], [0, 1], [1, 0], [1, 1], [1, 1]], [0, 1, 1, 0, 0]).name
        'XOR'
        """
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if y.ndim == 1:
            y = y[:, None]
        if X.ndim != 2 or y.ndim != 2 or len(X) != len(y) or not 1 <= X.shape[1] <= MAX_INPUTS:
            return None
        rows = input_rows(X.shape[1])
        idx = (np.rint(X).astype(np.int64) * (1 << np.arange(X.shape[1] - 1, -1, -1))).sum(axis=1)
        table = np.zeros((len(rows), y.shape[1]), dtype=np.int64)
        for r in range(len(rows)):
            labels = np.unique(np.rint(y[idx == r]), axis=0)
            if len(labels) != 1 or not np.isin(labels, (0, 1)).all():
                return None
            table[r] = labels[0]
        return cls.from_table(table)

    # views ----------------------------------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        return len(self.input_names)

    @property
    def n_outputs(self) -> int:
        return len(self.output_names)

    @property
    def inputs(self) -> np.ndarray:
        """Input assignments, one row per truth-table row."""
        return input_rows(self.n_inputs)

    def __call__(self, *bits: int) -> tuple[int, ...]:
        """Outputs for one assignment: ``make_task("XOR")(1, 0) == (1,)``."""
        if len(bits) != self.n_inputs or any(b not in (0, 1) for b in bits):
            raise ParameterError(f"{self.name} takes {self.n_inputs} bits (0 or 1); got {bits}")
        row = int("".join(str(int(b)) for b in bits), 2)
        return tuple(int(v) for v in self.table[row])

    def to_frame(self) -> pd.DataFrame:
        """The truth table as a DataFrame, inputs then outputs."""
        cols = {n: self.inputs[:, i] for i, n in enumerate(self.input_names)}
        cols.update({n: self.table[:, j] for j, n in enumerate(self.output_names)})
        return pd.DataFrame(cols)

    def __str__(self) -> str:
        return f"{self.name}\n{self.to_frame().to_string(index=False)}"

    def __repr__(self) -> str:
        return f"Task({self.name!r}, inputs={self.n_inputs}, outputs={self.n_outputs})"

    def _repr_html_(self) -> str:
        return f"<b>{self.name}</b>" + self.to_frame().to_html(index=False)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Task)
            and self.input_names == other.input_names
            and self.output_names == other.output_names
            and np.array_equal(self.table, other.table)
        )

    def __hash__(self) -> int:
        return hash((self.input_names, self.output_names, self.table.tobytes()))


def make_task(spec: "str | Sequence[str] | Sequence[int] | np.ndarray | Task") -> Task:
    """A task from a gate name, a list of gate names, or a truth table.

    >>> make_task("nand").name
    'NAND'
    >>> make_task([0, 0, 0, 1]).name
    'AND'
    >>> make_task("0110").name     # a truth table written as bits
    'XOR'
    """
    if isinstance(spec, Task):
        return spec
    if isinstance(spec, str):
        bits = spec.replace(",", "").replace(" ", "")
        if bits and set(bits) <= {"0", "1"}:
            return Task.from_table([int(b) for b in bits])
        names = [s for s in spec.replace(",", "+").split("+") if s.strip()]
        if not names:
            raise ParameterError(
                f"give at least one gate name such as 'XOR' (or a truth table such as '0110'); got {spec!r}"
            )
        return Task.from_gate(names[0]) if len(names) == 1 else Task.from_gates(names)
    try:
        seq = list(spec) if not isinstance(spec, np.ndarray) else spec
    except TypeError:
        raise InputTypeError(
            f"a task is a gate name such as 'XOR', a list of gate names, a truth table such as "
            f"[0, 1, 1, 0] or a Task; got {type(spec).__name__}"
        ) from None
    if len(seq) and all(isinstance(s, str) for s in seq):
        return Task.from_gates(seq)
    return Task.from_table(seq)
