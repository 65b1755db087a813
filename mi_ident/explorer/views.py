"""The explorer's views 2-4: interpretations of a circuit, aligned algorithms, mappings.

* :func:`interpretation_view`: every interpretation of a circuit is counted
  (:func:`mi_ident.interpretations.count_interpretations`), next to its distinct
  input-level readings (:func:`~mi_ident.interpretations.count_assignments`: one truth
  table per neuron, gate completions on unseen parent patterns not counted again);
  a few distinct readings are kept for drawing.
* :func:`algorithm_view`: the candidate formulas aligned with the network
  (:func:`mi_ident.alignment.what_then_where`, corrected mode), grouped into classes
  of formulas whose aligned nodes compute the same truth tables up to negation (a
  simple version of "the same algorithm"; the same intermediate variables, however
  the formula is written). ``criterion="joint"`` keeps only the mappings that also pass
  joint interventions (:func:`mi_ident.alignment.mapping_iia` with ``joint=True``).
* :class:`MappingView`: the minimal aligned mappings of one chosen formula.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import Circuit
>>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
...                        "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
>>> v = interpretation_view(MLP([2, 2, 1], seed=0), c)
>>> v.n_readings <= v.n_interpretations and len(v.gallery) <= v.n_readings
True
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

from ..boolean import gate_name
from ..circuits import Circuit
from ..model import MLP

__all__ = ["InterpretationView", "AlgorithmClass", "AlgorithmView", "MappingView",
           "interpretation_view", "algorithm_view", "mapping_view", "formula_candidates", "joint_pass",
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
    gallery: tuple  # Interpretation objects with pairwise different neuron truth tables

    def rungs(self) -> list[tuple]:
        return [("interpretations (threshold x gate completion)", self.n_interpretations, "paper"),
                ("distinct input-level readings", self.n_readings, "artefact-free")]


def interpretation_view(model: MLP, circuit: Circuit, n_gallery: int = 6) -> InterpretationView:
    """Count and sample the interpretations of ``circuit`` (corrected mode, every Boolean row)."""
    from ..interpretations import count_assignments, count_interpretations, iter_interpretations

    n = count_interpretations(model, circuit)
    n_readings = count_assignments(model, circuit)
    seen, gallery = set(), []
    for interp in itertools.islice(iter_interpretations(model, circuit), _SCAN):
        key = tuple(sorted(interp.tables().items()))
        if key not in seen:
            seen.add(key)
            gallery.append(interp)
            if len(gallery) == n_gallery:
                break
    return InterpretationView(circuit, int(n), int(n_readings), tuple(gallery))


@dataclass(frozen=True)
class AlgorithmClass:
    """Aligned formulas whose aligned nodes compute the same tables up to negation."""

    label: str
    formulas: tuple  # Formula objects
    n_mappings: int


@dataclass(frozen=True)
class AlgorithmView:
    """Aligned formulas of one output, their classes and their mappings under a criterion."""

    output: int
    depth: int
    criterion: str
    n_candidates: int
    alignments: tuple  # Alignment objects with at least one mapping under the criterion
    classes: tuple[AlgorithmClass, ...]

    @property
    def n_formulas(self) -> int:
        return len(self.alignments)

    @property
    def n_mappings(self) -> int:
        return sum(len(a.mappings) for a in self.alignments)

    def rungs(self) -> list[tuple]:
        return [("aligned formulas", self.n_formulas, "paper"),
                ("classes (same node tables up to NOT)", len(self.classes), "artefact-free")]


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


def _class_key(formula) -> tuple:
    tables = set()
    for node in formula.aligned_nodes:
        t = tuple(int(v) for v in formula.values[node.id])
        tables.add(min(t, tuple(1 - v for v in t)))  # a table and its negation: one variable
    return tuple(sorted(tables))


def _class_label(key: tuple) -> str:
    if not key:
        return "no intermediate variable"
    names = []
    for t in key:
        a, b = gate_name(t), gate_name(tuple(1 - v for v in t))
        names.append(f"{a}/{b}")
    return ", ".join(names)


def algorithm_view(model: MLP, table_column, depth: int = 3, criterion: str = "single",
                   output: int = 0, candidates: str = "corrected") -> AlgorithmView:
    """Align every candidate formula of ``table_column`` with ``model`` and group the aligned ones.

    ``candidates="paper"`` aligns only the paper's shorter candidate list (fast; used per
    checkpoint); the search itself is always the corrected one.
    """
    wtw = _aligned(model, tuple(int(v) for v in table_column), depth, output, candidates)
    alignments = []
    for a in wtw.aligned:
        if criterion == "joint":
            a = _joint(model, a, output)
        if a.mappings:
            alignments.append(a)
    groups: dict[tuple, list] = {}
    for a in alignments:
        groups.setdefault(_class_key(a.formula), []).append(a)
    classes = tuple(
        AlgorithmClass(_class_label(k), tuple(a.formula for a in v), sum(len(a.mappings) for a in v))
        for k, v in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    return AlgorithmView(output, depth, criterion, wtw.n_candidate_formulas, tuple(alignments), classes)


_WTW_CACHE: dict = {}


def _model_key(model: MLP) -> bytes:
    return b"".join(W.tobytes() + b.tobytes() for W, b in model.numpy_weights())


def _aligned(model: MLP, column: tuple[int, ...], depth: int, output: int, candidates: str):
    """:func:`what_then_where` over the cached candidates, cached per network (seconds each)."""
    from ..alignment import what_then_where

    key = (_model_key(model), column, depth, output, candidates)
    if key not in _WTW_CACHE:
        if len(_WTW_CACHE) > 64:
            _WTW_CACHE.clear()
        formulas = formula_candidates(column, depth, candidates)
        _WTW_CACHE[key] = what_then_where(model, list(column), formulas=formulas, output=output)
    return _WTW_CACHE[key]


def joint_pass(model: MLP, mappings, output: int = 0) -> list[bool]:
    """Whether each mapping passes joint interchange interventions on every pair (IIA 1).

    Equals ``mapping_iia(model, m, joint=True) == 1`` (the tests check it), with every
    patched neuron set of every mapping run in one batched forward pass.
    """
    from ..alignment import interchange_pairs, patched_outputs

    if not mappings:
        return []
    n_inputs = mappings[0].formula.n_inputs
    pairs = interchange_pairs(n_inputs, "all")
    cases, sets = [], {}
    for m in mappings:
        groups = [g for r in range(1, len(m.assignment) + 1)
                  for g in itertools.combinations(range(len(m.assignment)), r)]
        for g in groups:
            s = frozenset().union(*(m.assignment[k][1] for k in g))
            sets.setdefault(s, len(sets))
            cases.append((m, g, sets[s]))
    low = (patched_outputs(model, list(sets), pairs)[..., output] > 0.5).numpy() if sets else None
    ok = {id(m): True for m in mappings}
    for m, g, k in cases:
        f = m.formula
        nodes = [m.assignment[j][0] for j in g]
        high = f.evaluate(f.inputs[pairs[:, 1]], {n: f.values[n][pairs[:, 0]] for n in nodes})[f.root.id]
        ok[id(m)] &= bool((low[k] == high.astype(bool)).all())
    return [ok[id(m)] for m in mappings]


def _joint(model: MLP, alignment, output: int):
    """The alignment keeping only the mappings that also pass joint interventions."""
    import dataclasses

    key = ("joint", _model_key(model), alignment.formula.paper, output)
    if key not in _WTW_CACHE:
        _WTW_CACHE[key] = joint_pass(model, alignment.mappings, output)
    flags = _WTW_CACHE[key]
    return dataclasses.replace(alignment, mappings=[m for m, f in zip(alignment.mappings, flags) if f])


def mapping_view(algorithms: AlgorithmView, index: int = 0) -> MappingView | None:
    """The mappings of the ``index``-th aligned formula (``None`` when nothing aligned)."""
    if not algorithms.alignments:
        return None
    a = algorithms.alignments[min(max(int(index), 0), len(algorithms.alignments) - 1)]
    return MappingView(a.formula, tuple(a.mappings))

