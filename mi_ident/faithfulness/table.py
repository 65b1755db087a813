"""Score many explanations of one network at once, and count those that pass.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.alignment import align
>>> model = MLP([2, 3, 3, 1], seed=0)
>>> table = faithfulness_table(model, mappings=align(model, "¬(A*B)*(A+B)").mappings)
>>> list(table.columns)
['kind', 'name', 'n_neurons', 'observational', 'interventional', 'counterfactual']
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from .._validation import check_choice, check_fraction
from ..errors import InputTypeError, ParameterError
from ..vocabulary import ABLATIONS
from ._common import check_item, check_model
from .criteria import (circuit_scores, counterfactual_faithfulness, interventional_faithfulness,
                       observational_faithfulness)

__all__ = ["CRITERIA", "BEYOND_CORNERS", "faithfulness_table", "count_faithful"]

#: The three criteria of every table, weakest first.
CRITERIA = ("observational", "interventional", "counterfactual")
#: Extra columns with ``beyond_corners=True`` (circuits only; ``NaN`` for mappings).
BEYOND_CORNERS = ("noisy", "out_of_range")


def _name(kind: str, item, k: int) -> str:
    if kind == "mapping":
        return f"{item.formula} | {item}"
    active = sum(sum(m) for m in item.node_masks[1:-1])
    edges = int(sum(np.sum(e) for e in item.edge_masks))
    return f"circuit {k} ({active} hidden neurons, {edges} edges)"


def faithfulness_table(model, circuits: Iterable = (), mappings: Iterable = (), ablation: str = "mean",
                       beyond_corners: bool = False, noise_std: float = 0.1, input_range=(-1.0, 2.0),
                       seed: int = 0) -> pd.DataFrame:
    """Score every circuit and mapping of one network by each criterion.

    One row per explanation (``kind`` ``"circuit"`` or ``"mapping"``, ``name``, ``n_neurons``
    = hidden neurons used), one column per criterion in :data:`CRITERIA` (defaults of each
    criterion: no self-pairs, the circuit counterfactual patches the whole circuit). With
    ``beyond_corners=True``, also :data:`BEYOND_CORNERS`: :func:`noisy_faithfulness` (100
    copies of each clean input, ``noise_std``) and :func:`out_of_range_faithfulness` (1000
    inputs in ``input_range``), both with ``seed``; mappings get ``NaN`` there (a formula is
    defined on clean inputs only). Circuits are scored together (:func:`circuit_scores`), one
    batched forward pass per criterion.
    """
    model = check_model(model)
    ablation = check_choice("ablation", ablation, ABLATIONS)
    if not isinstance(beyond_corners, bool):
        raise ParameterError(f"beyond_corners must be True or False; got {beyond_corners!r}")
    circuits, mappings = list(circuits), list(mappings)
    for m in mappings:
        if check_item(model, m) != "mapping":
            raise InputTypeError(f"mappings must hold only mappings; got a {type(m).__name__}")
    scores = circuit_scores(model, circuits, ablation, beyond_corners, noise_std, input_range, seed)
    rows = [{"kind": "circuit", "name": _name("circuit", c, k), "n_neurons": int(sum(sum(m) for m in c.node_masks[1:-1])),
             **{name: float(values[k]) for name, values in scores.items()}} for k, c in enumerate(circuits)]
    for k, m in enumerate(mappings, start=len(circuits)):
        rows.append({"kind": "mapping", "name": _name("mapping", m, k), "n_neurons": len(m.neurons),
                     "observational": float(observational_faithfulness(model, m)),
                     "interventional": float(interventional_faithfulness(model, m, ablation)),
                     "counterfactual": float(counterfactual_faithfulness(model, m)),
                     **({c: np.nan for c in BEYOND_CORNERS} if beyond_corners else {})})
    columns = ["kind", "name", "n_neurons", *CRITERIA, *(BEYOND_CORNERS if beyond_corners else ())]
    return pd.DataFrame(rows, columns=columns)


def count_faithful(table: pd.DataFrame, threshold: float = 1.0) -> pd.DataFrame:
    """How many explanations of each kind pass each criterion and every one to its left.

    Rows: kinds; columns: ``all`` (how many were scored), then one per criterion column of
    the table, cumulative from left to right, so the numbers can only shrink along a row. A
    criterion that does not apply to a kind (``NaN``, e.g. noisy inputs for mappings) is
    shown as ``<NA>`` and does not filter.
    """
    if not isinstance(table, pd.DataFrame):
        raise InputTypeError(f"table must be a DataFrame from faithfulness_table; got {type(table).__name__}")
    missing = [c for c in ("kind", *CRITERIA) if c not in table.columns]
    if missing:
        raise ParameterError(f"expected a faithfulness_table; missing columns {missing}")
    threshold = check_fraction("threshold", threshold)
    criteria = [*CRITERIA, *(c for c in BEYOND_CORNERS if c in table.columns)]
    out = {}
    for kind, group in table.groupby("kind", sort=False):
        passing = np.ones(len(group), dtype=bool)
        counts: dict = {"all": len(group)}
        for c in criteria:
            scores = group[c].to_numpy(dtype=float)
            if np.isnan(scores).all():
                counts[c] = pd.NA
                continue
            passing &= scores >= threshold - 1e-9
            counts[c] = int(passing.sum())
        out[kind] = counts
    return pd.DataFrame.from_dict(out, orient="index").astype("Int64")
