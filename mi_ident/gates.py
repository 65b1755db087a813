"""Names of Boolean functions and the rows of a truth table: the vocabulary of gates.

Rows are the input assignments in binary counting order, the first input being the
most significant bit, so for two inputs ``A, B`` the rows are ``00, 01, 10, 11``.

Example
-------
>>> gate_name([0, 1, 1, 0]), input_rows(2).tolist()
('XOR', [[0, 0], [0, 1], [1, 0], [1, 1]])
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .errors import ParameterError

__all__ = ["GATES", "TWO_INPUT_NAMES", "ONE_INPUT_NAMES", "MAX_INPUTS", "gate_name", "input_rows"]

#: The seven gates of the paper, as outputs on inputs 00, 01, 10, 11.
GATES: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "XOR": (0, 1, 1, 0),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "IMP": (1, 1, 0, 1),  # A -> B
    "NIMP": (0, 0, 1, 0),  # A and not B
}

#: Names of all 16 two-input functions, indexed by the outputs on 00, 01, 10, 11
#: read as a binary number (output on 00 most significant), as the paper's code names them.
TWO_INPUT_NAMES: tuple[str, ...] = (
    "FALSE", "AND", "A_NIMPLY_B", "A", "B_NIMPLY_A", "B", "XOR", "OR",
    "NOR", "XNOR", "NOT_B", "B_IMPLY_A", "NOT_A", "A_IMPLY_B", "NAND", "TRUE",
)  # fmt: skip

#: Names of the four one-input functions, indexed by the outputs on 0, 1.
ONE_INPUT_NAMES: tuple[str, ...] = ("FALSE", "IDENTITY", "NOT", "TRUE")

MAX_INPUTS = 16


def gate_name(outputs: Sequence[int]) -> str:
    """Name of a Boolean function given by its outputs in binary counting order.

    One input: ``FALSE/IDENTITY/NOT/TRUE``; two inputs: the 16 names of
    :data:`TWO_INPUT_NAMES`; more inputs: the table itself, e.g. ``"f3[01101001]"``.

    >>> gate_name([0, 1, 1, 0])
    'XOR'
    >>> gate_name([1, 0])
    'NOT'
    """
    values = list(outputs)
    # check before converting: int() would silently truncate e.g. 0.5 to 0
    if any(v not in (0, 1) for v in values):
        raise ParameterError(f"a truth table holds only 0 and 1; got {values}")
    bits = [int(v) for v in values]
    index = int("".join(map(str, bits)), 2) if bits else 0
    if len(bits) == 2:
        return ONE_INPUT_NAMES[index]
    if len(bits) == 4:
        return TWO_INPUT_NAMES[index]
    n = len(bits).bit_length() - 1
    if len(bits) != 2**n:
        raise ParameterError(f"a truth table over n inputs has 2**n rows; got {len(bits)}")
    return f"f{n}[{''.join(map(str, bits))}]"


def input_rows(n_inputs: int) -> np.ndarray:
    """All ``2**n_inputs`` assignments in binary counting order (first input most significant).

    >>> input_rows(2).tolist()
    [[0, 0], [0, 1], [1, 0], [1, 1]]
    """
    idx = np.arange(2**n_inputs)
    shifts = np.arange(n_inputs - 1, -1, -1)
    return ((idx[:, None] >> shifts) & 1).astype(np.int64)
