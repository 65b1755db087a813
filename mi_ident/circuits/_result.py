"""The result of a census: counts and a compact table of the valid circuits kept.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import census
>>> r = census(MLP([2, 2, 2, 1], seed=0), "XOR", progress=False)
>>> r.n_kept == r.n_valid, r.truncated
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._packing import _bits_circuits
from .circuit import Circuit

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CensusResult"]


@dataclass(frozen=True, eq=False)
class CensusResult:
    """Counts of a census and a compact table of the valid circuits kept (in enumeration order).

    ``index`` is each kept circuit's position among the candidates (``iter_circuits`` order),
    ``node_bits`` / ``edge_bits`` pack the masks into 64-bit words (bit ``i`` = hidden node
    ``i``, layer 1 first / edge ``i`` of the row-major edge masks, layer 0 first),
    ``sparsity`` is the fraction of inactive hidden nodes, ``accuracy`` the circuit's accuracy.
    """

    widths: tuple[int, ...]
    mode: str
    threshold: float
    n_candidates: int
    n_evaluated: int
    n_valid: int
    index: np.ndarray
    node_bits: np.ndarray
    edge_bits: np.ndarray
    sparsity: np.ndarray
    accuracy: np.ndarray

    @property
    def n_kept(self) -> int:
        return len(self.index)

    @property
    def truncated(self) -> bool:
        """True when ``max_keep`` left some valid circuits out of the table."""
        return self.n_kept < self.n_valid

    @property
    def valid_circuit_indices(self) -> list[int]:
        return [int(i) for i in self.index]

    def circuits(self) -> list[Circuit]:
        """The kept valid circuits as :class:`Circuit` objects, in enumeration order."""
        return _bits_circuits(self.widths, self.node_bits, self.edge_bits)

    def to_frame(self) -> "pd.DataFrame":
        """One row per kept valid circuit: index, packed masks (Python ints), sizes, sparsity, accuracy."""
        import pandas as pd

        def as_int(words: np.ndarray) -> int:
            return sum(int(w) << (64 * k) for k, w in enumerate(words))

        return pd.DataFrame(
            {
                "index": self.index.astype(np.int64),
                "nodes": [as_int(w) for w in self.node_bits],
                "edges": [as_int(w) for w in self.edge_bits],
                "n_nodes": np.bitwise_count(self.node_bits).sum(axis=1).astype(np.int64),
                "n_edges": np.bitwise_count(self.edge_bits).sum(axis=1).astype(np.int64),
                "sparsity": self.sparsity,
                "accuracy": self.accuracy,
            }
        )

    def __repr__(self) -> str:
        kept = f", kept={self.n_kept}" if self.truncated else ""
        return (
            f"CensusResult(widths={list(self.widths)}, mode={self.mode!r}, threshold={self.threshold}, "
            f"n_candidates={self.n_candidates}, n_valid={self.n_valid}{kept})"
        )
