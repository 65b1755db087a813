"""The explorer's settings: one frozen value holding everything a student can change.

A :class:`Settings` is checked once, when built, so every later step can trust it.
Truth tables have 2 or 3 inputs and 1 to 3 outputs; named presets cover the paper's
gates and a few 3-input and multi-output tasks.

Example
-------
>>> s = Settings.from_preset("XOR", width=3)
>>> s.table, s.widths
(((0,), (1,), (1,), (0,)), (2, 3, 3, 1))
>>> s.flip(0, 0).table[0]
(1,)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_fraction, check_int, check_number, check_seed
from ..boolean import GATES, Task
from ..errors import ParameterError
from ..vocabulary import ABLATIONS, CRITERIA

__all__ = ["Settings", "PRESETS", "MAX_WIDTH", "MAX_DEPTH", "MAX_SEEDS"]

#: Widest hidden layer the explorer offers (the census limits what is tractable below it).
MAX_WIDTH = 6
MAX_DEPTH = 3
MAX_SEEDS = 8


def _gate(name: str) -> tuple[tuple[int, ...], ...]:
    return tuple((v,) for v in GATES[name])


def _rows3(fn) -> tuple[tuple[int, ...], ...]:
    return tuple((int(fn(a, b, c)),) for a in (0, 1) for b in (0, 1) for c in (0, 1))


#: Named truth tables: rows in binary counting order, one column per output.
PRESETS: dict[str, tuple[tuple[int, ...], ...]] = {
    **{name: _gate(name) for name in GATES},
    "XOR+AND (half adder)": tuple((a ^ b, a & b) for a in (0, 1) for b in (0, 1)),
    "AND+OR": tuple((a & b, a | b) for a in (0, 1) for b in (0, 1)),
    "MAJ3 (majority)": _rows3(lambda a, b, c: a + b + c >= 2),
    "XOR3 (parity)": _rows3(lambda a, b, c: a ^ b ^ c),
    "AND3": _rows3(lambda a, b, c: a & b & c),
}


@dataclass(frozen=True)
class Settings:
    """Everything the explorer computes from: task, network, training, criteria.

    Parameters
    ----------
    table: truth table, rows (binary counting order, first input most significant) x outputs.
    width, depth: hidden layer width and number of hidden layers.
    seed, n_seeds: seeds ``seed .. seed + n_seeds - 1`` are trained at once; the views show
        ``seed``'s network, the summary every seed's counts.
    noise_std: Gaussian noise on the training inputs (validation stays clean).
    loss_target, lr: the training recipe's stopping loss and learning rate.
    ablation: what removed edges carry when a circuit is evaluated (``zero`` = the paper).
    min_margin: a circuit's output must clear 0.5 by at least this much on every row.
    criterion: ``single`` (the paper: one node intervened on at a time) or ``joint``
        (every subset of nodes at once) for alignments.
    output: which output the algorithms are aligned with.
    formula_depth: depth of the candidate formulas.
    checkpoint_every: epochs between recorded checkpoints.
    """

    table: tuple[tuple[int, ...], ...] = PRESETS["XOR"]
    width: int = 3
    depth: int = 2
    seed: int = 0
    n_seeds: int = 1
    noise_std: float = 0.0
    loss_target: float = 0.01
    lr: float = 1e-3
    ablation: str = "zero"
    min_margin: float = 0.0
    criterion: str = "single"
    output: int = 0
    formula_depth: int = 3
    checkpoint_every: int = 2

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "table", _check_table(self.table))
        put(self, "width", check_int("width", self.width, minimum=1, maximum=MAX_WIDTH))
        put(self, "depth", check_int("depth", self.depth, minimum=1, maximum=MAX_DEPTH))
        put(self, "seed", check_seed(self.seed))
        put(self, "n_seeds", check_int("n_seeds", self.n_seeds, minimum=1, maximum=MAX_SEEDS))
        noise = check_number("noise_std", self.noise_std)
        if noise < 0:
            raise ParameterError(f"noise_std must be a number >= 0 (0: clean inputs); got {self.noise_std!r}")
        put(self, "noise_std", noise)
        put(self, "loss_target", check_fraction("loss_target", self.loss_target, low_open=True))
        put(self, "lr", check_fraction("lr", self.lr, low_open=True))
        put(self, "ablation", check_choice("ablation", self.ablation, ABLATIONS))
        put(self, "min_margin", check_fraction("min_margin", self.min_margin, high=0.5, high_open=True))
        put(self, "criterion", check_choice("criterion", self.criterion, CRITERIA))
        n_out = len(self.table[0])
        put(self, "output", check_int("output", self.output, minimum=0, maximum=n_out - 1))
        put(self, "formula_depth", check_int("formula_depth", self.formula_depth, minimum=1, maximum=3))
        put(self, "checkpoint_every", check_int("checkpoint_every", self.checkpoint_every, minimum=1))

    @classmethod
    def from_preset(cls, name: str, **changes) -> "Settings":
        """Settings for a named truth table (a key of :data:`PRESETS`), other fields by keyword."""
        check_choice("preset", name, tuple(PRESETS))
        return cls(table=PRESETS[name], **changes)

    @property
    def n_inputs(self) -> int:
        return len(self.table).bit_length() - 1

    @property
    def n_outputs(self) -> int:
        return len(self.table[0])

    @property
    def widths(self) -> tuple[int, ...]:
        return (self.n_inputs, *([self.width] * self.depth), self.n_outputs)

    @property
    def seeds(self) -> tuple[int, ...]:
        return tuple(range(self.seed, self.seed + self.n_seeds))

    @property
    def task(self) -> Task:
        return Task.from_table(np.array(self.table, dtype=np.int64))

    @property
    def preset(self) -> str | None:
        """The preset's name when the table is one, else ``None``."""
        return next((name for name, t in PRESETS.items() if t == self.table), None)

    def replace(self, **changes) -> "Settings":
        """A copy with some fields changed (checked again)."""
        return dataclasses.replace(self, **changes)

    def flip(self, row: int, column: int) -> "Settings":
        """The same settings with one truth-table cell flipped (0 <-> 1)."""
        row = check_int("row", row, minimum=0, maximum=len(self.table) - 1)
        column = check_int("column", column, minimum=0, maximum=self.n_outputs - 1)
        table = [list(r) for r in self.table]
        table[row][column] = 1 - table[row][column]
        return self.replace(table=tuple(tuple(r) for r in table))

    def resize(self, n_inputs: int | None = None, n_outputs: int | None = None) -> "Settings":
        """The same settings with a table of another shape. A new input is ignored by the table
        (``f(a, b, c) = f(b, c)``), a removed one is fixed to 0; a new output is the negation of the
        first, removed outputs are dropped from the right.

        >>> s = Settings.from_preset("XOR").resize(n_inputs=3, n_outputs=2)
        >>> s.table[:4], s.resize(n_inputs=2, n_outputs=1) == Settings.from_preset("XOR")
        (((0, 1), (1, 0), (1, 0), (0, 1)), True)
        """
        n_in = check_int("n_inputs", self.n_inputs if n_inputs is None else n_inputs, minimum=2, maximum=3)
        n_out = check_int("n_outputs", self.n_outputs if n_outputs is None else n_outputs, minimum=1, maximum=3)
        rows = [list(self.table[r % len(self.table)]) for r in range(2**n_in)]  # leading input ignored
        rows = [row[:n_out] + [1 - row[0]] * (n_out - len(row)) for row in rows]
        return self.replace(table=tuple(tuple(r) for r in rows), output=min(self.output, n_out - 1))

    def training_key(self) -> tuple:
        """The fields that decide the trained networks (the cache key of training)."""
        return (self.table, self.widths, self.seeds, self.noise_std, self.loss_target, self.lr,
                self.checkpoint_every)

    def constant_outputs(self) -> list[int]:
        """Outputs whose column is constant: nothing to learn, no circuit to find."""
        cols = np.array(self.table).T
        return [j for j, col in enumerate(cols) if col.min() == col.max()]


def _check_table(table) -> tuple[tuple[int, ...], ...]:
    """Rows x outputs of 0/1, 4 or 8 rows, 1 to 3 outputs (a flat list is one output)."""
    try:
        arr = np.asarray(table)
    except (ValueError, TypeError):
        arr = np.zeros(0)
    if arr.dtype == object or arr.size == 0:
        raise ParameterError("table must be a truth table: rows x outputs of 0/1, e.g. [[0], [1], [1], [0]]")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] not in (4, 8) or not 1 <= arr.shape[1] <= 3:
        raise ParameterError(
            f"table must have 4 rows (2 inputs) or 8 rows (3 inputs) and 1 to 3 output columns; "
            f"got shape {arr.shape}"
        )
    if not np.isin(arr, (0, 1)).all():
        raise ParameterError("table must hold only 0 and 1")
    return tuple(tuple(int(v) for v in row) for row in arr)
