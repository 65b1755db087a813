"""The explorer's views 2-4: interpretations of a circuit, aligned algorithms, mappings.

* :func:`interpretation_view`: every interpretation of a circuit is counted
  (:func:`mi_ident.interpretations.count_interpretations`), next to its distinct
  input-level readings (:func:`~mi_ident.interpretations.count_assignments`: one truth
  table per neuron, gate completions on unseen parent patterns not counted again) and
  the readings that survive the gap rule (:func:`~mi_ident.interpretations.count_readings`);
  a few distinct readings are kept for drawing.
* :func:`algorithm_view`: the candidate formulas aligned with the network
  (:func:`mi_ident.alignment.what_then_where`, corrected search, ``criterion`` single or
  joint), with the alignment module's classes: formulas whose aligned nodes compute the
  same truth tables up to NOT are one algorithm, and mappings that send the same tables
  to the same neurons one mapping class.
* :class:`MappingView`: the minimal aligned mappings of one chosen formula.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import Circuit
>>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
...                        "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
>>> v = interpretation_view(MLP([2, 2, 1], seed=0), c)
>>> v.n_gap_readings <= v.n_readings <= v.n_interpretations and len(v.gallery) <= v.n_readings
True
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from ..circuits import Circuit
from ..model import MLP

__all__ = ["InterpretationView", "AlgorithmView", "MappingView",
           "interpretation_view", "algorithm_view", "mapping_view", "formula_candidates",
           "MAX_ALIGN_NEURONS"]

#: Alignment tries every set of hidden neurons: beyond this many it is intractable here.
MAX_ALIGN_NEURONS = 12
_SCAN = 4000  # interpretations scanned for distinct readings to draw


@dataclass(frozen=True)
class InterpretationView:
    """Interpretations of one circuit: the count, the distinct readings, a few drawn."""

    circuit: Circuit
    n_interpretations: int
    n_readings: int
    n_gap_readings: int  # readings whose thresholds all sit in gaps >= min_gap
    min_gap: float
    gallery: tuple  # Interpretation objects with pairwise different neuron truth tables

    def rungs(self) -> list[tuple]:
        return [("interpretations (threshold x gate completion)", self.n_interpretations, "paper"),
                ("distinct input-level readings", self.n_readings, "artefact-free"),
                (f"readings, thresholds in gaps >= {self.min_gap:g}", self.n_gap_readings, "strict")]


def interpretation_view(model: MLP, circuit: Circuit, n_gallery: int = 6) -> InterpretationView:
    """Count and sample the interpretations of ``circuit`` (corrected mode, every Boolean row).

    Counts: every interpretation, the distinct readings (one truth table per neuron; gate
    completions on parent patterns that never occur are not counted again), and the readings
    whose thresholds all lie in activation gaps of at least ``DEFAULT_MIN_GAP`` (strict).
    """
    from ..interpretations import (DEFAULT_MIN_GAP, count_assignments, count_interpretations, count_readings,
                                   iter_interpretations)

    n = count_interpretations(model, circuit)
    n_readings = count_assignments(model, circuit)
    n_gap = count_readings(model, circuit, min_gap=DEFAULT_MIN_GAP)
    seen, gallery = set(), []
    for interp in itertools.islice(iter_interpretations(model, circuit), _SCAN):
        key = tuple(sorted(interp.tables().items()))
        if key not in seen:
            seen.add(key)
            gallery.append(interp)
            if len(gallery) == n_gallery:
                break
    return InterpretationView(circuit, int(n), int(n_readings), int(n_gap), float(DEFAULT_MIN_GAP),
                              tuple(gallery))


@dataclass(frozen=True)
class AlgorithmView:
    """Aligned formulas of one output under a criterion, with their classes (up to NOT)."""

    output: int
    depth: int
    criterion: str
    n_candidates: int
    alignments: tuple  # Alignment objects with at least one minimal mapping
    classes: tuple  # mi_ident.alignment FormulaClass objects
    n_mapping_classes: int

    @property
    def n_formulas(self) -> int:
        return len(self.alignments)

    @property
    def n_mappings(self) -> int:
        return sum(len(a.mappings) for a in self.alignments)

    def rungs(self) -> list[tuple]:
        return [("aligned formulas", self.n_formulas, "paper"),
                ("formula classes (node tables up to NOT)", len(self.classes), "artefact-free"),
                ("minimal mappings", self.n_mappings, "paper"),
                ("mapping classes", self.n_mapping_classes, "artefact-free")]


@dataclass(frozen=True)
class MappingView:
    """The minimal aligned mappings of one formula onto the network."""

    formula: object
    mappings: tuple

    @property
    def n_mappings(self) -> int:
        return len(self.mappings)


@lru_cache(maxsize=32)
def formula_candidates(table_column: tuple[int, ...], depth: int, mode: str = "corrected") -> tuple:
    """Candidate formulas for one output column, cached: enumeration takes seconds.

    ``mode="paper"`` gives the paper's short list (56 for XOR at depth 3, against 4,488).
    """
    from ..algorithms import candidate_formulas

    if mode == "paper":
        return tuple(candidate_formulas(list(table_column), depth=depth, mode="paper"))
    return tuple(candidate_formulas(list(table_column), depth=depth))  # the corrected default


def algorithm_view(model: MLP, table_column, depth: int = 3, criterion: str = "single",
                   output: int = 0, candidates: str = "corrected") -> AlgorithmView:
    """Align every candidate formula of ``table_column`` with ``model`` (corrected search, the
    given criterion) and group the aligned ones into classes.

    ``candidates="paper"`` aligns only the paper's shorter candidate list (fast; used per
    checkpoint). Results are cached per network, since the 4,488 candidates of XOR take seconds.
    """
    wtw = _aligned(model, tuple(int(v) for v in table_column), depth, output, candidates, criterion)
    return AlgorithmView(output, depth, criterion, wtw.n_candidate_formulas, tuple(wtw.aligned),
                         tuple(wtw.formula_classes), wtw.n_mapping_classes)


_WTW_CACHE: "OrderedDict[tuple, object]" = OrderedDict()
#: The widget's prefetch keeps ~40 per network (both criteria, every checkpoint, both lists);
#: each holds tens of thousands of objects, which every full garbage collection walks.
_WTW_CACHE_SIZE = 48


def _model_key(model: MLP) -> bytes:
    return b"".join(W.tobytes() + b.tobytes() for W, b in model.numpy_weights())


def _aligned(model: MLP, column: tuple[int, ...], depth: int, output: int, candidates: str, criterion: str):
    """:func:`what_then_where` over the cached candidates, cached per network and criterion."""
    from ..alignment import what_then_where

    key = (_model_key(model), column, depth, output, candidates, criterion)
    result = _WTW_CACHE.get(key)  # a local: another thread may evict the key meanwhile
    if result is None:
        formulas = formula_candidates(column, depth, candidates)
        result = what_then_where(model, list(column), formulas=formulas, output=output, criterion=criterion)
        _WTW_CACHE[key] = result
        while len(_WTW_CACHE) > _WTW_CACHE_SIZE:
            _WTW_CACHE.popitem(last=False)  # first in, first out: the network on show stays
    return result


def mapping_view(algorithms: AlgorithmView, index: int = 0) -> MappingView | None:
    """The mappings of the ``index``-th aligned formula (``None`` when nothing aligned)."""
    if not algorithms.alignments:
        return None
    a = algorithms.alignments[min(max(int(index), 0), len(algorithms.alignments) - 1)]
    return MappingView(a.formula, tuple(a.mappings))

