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

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ParameterError
from ..vocabulary import Neuron
from ._packing import _bits_circuits
from .circuit import Circuit
from .classes import CircuitClass, silent_class_ids

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CensusResult"]


@dataclass(frozen=True, eq=False)
class CensusResult:
    """Counts of a census and a compact table of the valid circuits kept (in enumeration order).

    ``index`` is each kept circuit's position among the candidates (``iter_circuits`` order),
    ``node_bits`` / ``edge_bits`` pack the masks into 64-bit words (bit ``i`` = hidden node
    ``i``, layer 1 first / edge ``i`` of the row-major edge masks, layer 0 first),
    ``sparsity`` is the fraction of inactive hidden nodes, ``accuracy`` the circuit's accuracy
    (its worst source's, when resampling), ``margin`` its margin (:mod:`.classes`),
    ``silent_class`` its silent class (numbered by first member).

    Counts next to the raw ``n_valid``: ``n_silent_classes`` (valid circuits up to the wiring of
    the ``silent`` neurons), ``n_edge_minimal`` (valid circuits with no valid proper
    sub-circuit) and ``n_neuron_sets`` (distinct neuron sets among valid circuits). The first
    two need every valid circuit: they are ``None`` when ``max_keep`` truncated the table.
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
    ablation: str = "zero"
    min_margin: float | None = None
    silent_tol: float = 0.0
    silent: tuple[Neuron, ...] = ()
    n_neuron_sets: int = 0
    margin: np.ndarray = field(default_factory=lambda: np.zeros(0))
    silent_class: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    edge_minimal: np.ndarray | None = None

    @property
    def n_silent_classes(self) -> int | None:
        """Number of silent classes among the valid circuits (``None`` when truncated)."""
        return None if self.truncated else len(np.unique(self.silent_class))

    @property
    def n_edge_minimal(self) -> int | None:
        """Number of edge-minimal valid circuits (``None`` when truncated)."""
        return None if self.edge_minimal is None else int(self.edge_minimal.sum())

    def counts(self) -> dict[str, int | None]:
        """The raw count next to the artefact-free ones, e.g. for a figure or a table.

        >>> from mi_ident.model import MLP
        >>> from mi_ident.circuits import census
        >>> sorted(census(MLP([2, 2, 2, 1], seed=0), "XOR", progress=False).counts())
        ['candidates', 'edge_minimal', 'neuron_sets', 'silent_classes', 'valid']
        """
        return {"candidates": self.n_candidates, "valid": self.n_valid, "silent_classes": self.n_silent_classes,
                "edge_minimal": self.n_edge_minimal, "neuron_sets": self.n_neuron_sets}

    def _need_all(self, what: str) -> None:
        if self.truncated:
            raise ParameterError(
                f"{what} need every valid circuit, but the census kept {self.n_kept:,} of {self.n_valid:,} "
                f"(max_keep): run it again with max_keep=None"
            )

    def silent_classes(self, limit: int | None = None) -> list[CircuitClass]:
        """One :class:`~mi_ident.circuits.classes.CircuitClass` per silent class, in order of
        first member: the projected masks, the first member, and the number of members (the
        first ``limit`` classes only, if given: building every Circuit of a large census is slow)."""
        self._need_all("silent classes")
        _, (pn, pe) = silent_class_ids(self.widths, self.silent, self.node_bits, self.edge_bits)
        sizes = np.bincount(self.silent_class, minlength=len(pn))
        first = np.unique(self.silent_class, return_index=True)[1]  # classes are numbered by first member
        n = len(pn) if limit is None else min(len(pn), max(0, int(limit)))
        keys = _bits_circuits(self.widths, pn[:n], pe[:n])
        reps = _bits_circuits(self.widths, self.node_bits[first[:n]], self.edge_bits[first[:n]])
        return [CircuitClass(k, r, int(m)) for k, r, m in zip(keys, reps, sizes[:n])]

    def edge_minimal_circuits(self, limit: int | None = None) -> list[Circuit]:
        """The edge-minimal valid circuits, in enumeration order (the first ``limit``, if given)."""
        self._need_all("edge-minimal circuits")
        sel = np.flatnonzero(self.edge_minimal)[:limit]
        return _bits_circuits(self.widths, self.node_bits[sel], self.edge_bits[sel])

    def subset(self, pick) -> "CensusResult":
        """The same counts with only the kept circuits ``pick`` (indices into the table): a
        sample for figures. Its ``n_silent_classes`` / ``n_edge_minimal`` are then ``None``."""
        pick = np.asarray(pick, dtype=np.int64)
        return replace(self, index=self.index[pick], node_bits=self.node_bits[pick],
                       edge_bits=self.edge_bits[pick], sparsity=self.sparsity[pick], accuracy=self.accuracy[pick],
                       margin=self.margin[pick], silent_class=self.silent_class[pick],
                       edge_minimal=None if len(pick) < self.n_valid or self.edge_minimal is None
                       else self.edge_minimal[pick])

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
                "margin": self.margin,
                "silent_class": self.silent_class,
            }
        )

    def __repr__(self) -> str:
        kept = f", kept={self.n_kept}" if self.truncated else ""
        return (
            f"CensusResult(widths={list(self.widths)}, mode={self.mode!r}, ablation={self.ablation!r}, "
            f"threshold={self.threshold}, n_candidates={self.n_candidates}, n_valid={self.n_valid}, "
            f"n_silent_classes={self.n_silent_classes}, n_edge_minimal={self.n_edge_minimal}, "
            f"n_neuron_sets={self.n_neuron_sets}{kept})"
        )
