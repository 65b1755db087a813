"""Edge blocks of one ``Linear`` layer between its active neurons: 0/1 matrices with no zero
row and no zero column, counted (inclusion-exclusion), listed and unranked in the original
code's order (row-major, each row a binary code with the first input most significant).

Example
-------
>>> _n_blocks(2, 2), list(_iter_blocks(2, 2))[:3]
(7, [(1, 2), (1, 3), (2, 1)])
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Iterator

import numpy as np

__all__: list[str] = []  # private helpers of the candidate space


@lru_cache(maxsize=None)
def _covers(q: int, c: int, b: int) -> int:
    """Number of ``q``-tuples of nonzero ``b``-bit rows whose union contains ``c`` given columns."""
    return sum((-1) ** k * math.comb(c, k) * ((1 << (b - k)) - 1) ** q for k in range(c + 1))


def _n_blocks(n_out: int, n_in: int) -> int:
    """Number of ``n_out x n_in`` 0/1 matrices with no zero row and no zero column."""
    return _covers(n_out, n_in, n_in)


def _iter_blocks(n_out: int, n_in: int) -> Iterator[tuple[int, ...]]:
    """Valid edge blocks as row codes (first input most significant), in the original order."""
    full = (1 << n_in) - 1

    def rows(prefix: tuple[int, ...], union: int) -> Iterator[tuple[int, ...]]:
        left = n_out - len(prefix)
        if left == 0:
            if union == full:
                yield prefix
            return
        for code in range(1, full + 1):
            if _covers(left - 1, bin(full & ~(union | code)).count("1"), n_in):
                yield from rows(prefix + (code,), union | code)

    return rows((), 0)


def _unrank_block(n_out: int, n_in: int, k: int) -> tuple[int, ...]:
    """The ``k``-th valid edge block (row codes) in the original order."""
    full, union, codes = (1 << n_in) - 1, 0, []
    for i in range(n_out):
        for code in range(1, full + 1):
            n = _covers(n_out - i - 1, bin(full & ~(union | code)).count("1"), n_in)
            if k < n:
                codes.append(code)
                union |= code
                break
            k -= n
    return tuple(codes)


def _block_array(n_out: int, n_in: int) -> np.ndarray:
    """All valid edge blocks as an array ``(n_blocks, n_out)`` of row codes, in order."""
    K = (1 << n_in) - 1
    codes = _digits(np.arange(K**n_out, dtype=np.int64), K, n_out) + 1
    union = np.bitwise_or.reduce(codes, axis=1) if n_out else np.zeros(1, np.int64)
    return codes[union == (1 << n_in) - 1]


def _digits(idx: np.ndarray, base: int, n: int) -> np.ndarray:
    """Mixed-radix digits of ``idx`` (most significant first), shape ``(len(idx), n)``."""
    powers = base ** np.arange(n - 1, -1, -1, dtype=np.int64)
    return (idx[:, None] // powers[None, :]) % base
