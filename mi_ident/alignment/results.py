"""Results of an alignment: one formula (:class:`Alignment`) or every candidate (:class:`WhatThenWhere`).

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.alignment import what_then_where
>>> wtw = what_then_where(MLP([2, 2, 2, 1], seed=0), "XOR", mode="paper")
>>> sorted(wtw.to_dict())[:4]
['criterion', 'depth', 'formula_classes', 'formulas']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..algorithms import Formula, parse_formula
from ..vocabulary import Neuron
from .classes import FormulaClass, group_classes, mapping_key
from .mapping import NeuronMapping, format_neurons

__all__ = ["Alignment", "WhatThenWhere"]


@dataclass
class Alignment:
    """The result of aligning one formula with one network.

    ``node_iia[node_id]`` holds the single-node IIA of every candidate set (``sets``)
    for that node; ``aligned_sets[node_id]`` the sets that reach the threshold alone;
    ``mappings`` the minimal aligned mappings under ``criterion``.
    """

    formula: Formula
    sets: list[frozenset[Neuron]]
    node_iia: dict[int, np.ndarray]
    aligned_sets: dict[int, list[frozenset[Neuron]]]
    mappings: list[NeuronMapping]
    threshold: float
    criterion: str = "single"
    output: int = 0

    @property
    def n_mappings(self) -> int:
        return len(self.mappings)

    @property
    def n_mapping_classes(self) -> int:
        """Minimal mappings up to NOT-duality (see :mod:`mi_ident.alignment.classes`)."""
        return len({mapping_key(m) for m in self.mappings})

    def frame(self) -> pd.DataFrame:
        """One row per minimal mapping, one column per aligned node (its neurons)."""
        return pd.DataFrame([{str(self.formula.node(n)): format_neurons(s) for n, s in m.assignment}
                             for m in self.mappings])

    def iia_frame(self) -> pd.DataFrame:
        """Single-node IIA of every candidate neuron set (rows) for every aligned node (columns)."""
        return pd.DataFrame(
            {str(self.formula.node(n)): iia for n, iia in self.node_iia.items()},
            index=pd.Index([format_neurons(s) for s in self.sets], name="neurons"),
        )


@dataclass
class WhatThenWhere:
    """Alignments of every candidate formula with one network.

    ``formulas`` lists (paper strings) the formulas with at least one minimal aligned
    mapping, in candidate order; ``mappings_per_formula`` maps each to its number of
    minimal mappings, as in the reference JSON files. ``formula_classes`` groups the
    aligned formulas by the tables of their aligned nodes up to NOT, and
    ``n_mapping_classes`` counts the minimal mappings up to NOT-duality.
    """

    alignments: list[Alignment]
    mode: str
    pair_order: str
    threshold: float
    criterion: str = "single"
    depth: int | None = None
    task_name: str | None = None
    output: int = 0
    _by_paper: dict[str, Alignment] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_paper = {a.formula.paper: a for a in self.alignments}

    def __getitem__(self, formula: Formula | str) -> Alignment:
        key = formula.paper if isinstance(formula, Formula) else parse_formula(formula).paper
        if key not in self._by_paper:
            raise KeyError(f"{key!r} is not among the {len(self.alignments)} candidate formulas")
        return self._by_paper[key]

    @property
    def n_candidate_formulas(self) -> int:
        return len(self.alignments)

    @property
    def aligned(self) -> list[Alignment]:
        return [a for a in self.alignments if a.mappings]

    @property
    def formulas(self) -> list[str]:
        return [a.formula.paper for a in self.aligned]

    @property
    def n_formulas(self) -> int:
        return len(self.aligned)

    @property
    def mappings_per_formula(self) -> dict[str, int]:
        return {a.formula.paper: a.n_mappings for a in self.aligned}

    @property
    def total_mappings(self) -> int:
        return sum(a.n_mappings for a in self.alignments)

    @property
    def mapping_details(self) -> dict[str, list[dict]]:
        return {a.formula.paper: [m.as_dict() for m in a.mappings] for a in self.aligned}

    @property
    def formula_classes(self) -> list[FormulaClass]:
        """Aligned formulas grouped by their aligned nodes' tables up to NOT."""
        return group_classes(self.alignments)

    @property
    def n_formula_classes(self) -> int:
        return len(self.formula_classes)

    @property
    def n_mapping_classes(self) -> int:
        """Distinct minimal mappings up to NOT-duality, over every aligned formula."""
        return len({mapping_key(m) for a in self.aligned for m in a.mappings})

    def to_dict(self) -> dict:
        """JSON-ready summary with the reference files' field names, the classes and every parameter."""
        return {
            "task": self.task_name,
            "mode": self.mode,
            "criterion": self.criterion,
            "pair_order": self.pair_order,
            "threshold": self.threshold,
            "depth": self.depth,
            "output": self.output,
            "n_candidate_formulas": self.n_candidate_formulas,
            "formulas": self.formulas,
            "n_formulas": self.n_formulas,
            "mappings_per_formula": self.mappings_per_formula,
            "total_mappings": self.total_mappings,
            "n_formula_classes": self.n_formula_classes,
            "n_mapping_classes": self.n_mapping_classes,
            "formula_classes": [c.to_dict() for c in self.formula_classes],
            "mapping_details": self.mapping_details,
        }

    def frame(self) -> pd.DataFrame:
        """One row per candidate formula: readable form, aligned nodes, minimal mappings."""
        return pd.DataFrame(
            {
                "formula": [str(a.formula) for a in self.alignments],
                "paper": [a.formula.paper for a in self.alignments],
                "aligned_nodes": [len(a.formula.aligned_nodes) for a in self.alignments],
                "mappings": [a.n_mappings for a in self.alignments],
            }
        )
