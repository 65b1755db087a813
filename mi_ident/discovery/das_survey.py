"""How many subspaces align one formula, and what neuron-set search misses.

:func:`das_runs` runs :func:`~mi_ident.discovery.das` over hidden layers and seeds (the
initial rotation) and, for each layer, asks the neuron-set search of
:func:`mi_ident.alignment.align` (every ordered pair, the same test as DAS) whether some
mapping with all its neurons in that layer aligns the formula. Aligned DAS results are
grouped by their subspaces (:func:`distinct_subspaces`): two results are the same
alignment when every node's projector agrees to ``tol``.

Example
-------
>>> from mi_ident.model import MLP
>>> runs = das_runs(MLP([2, 3, 3, 1], seed=0), "¬(A*B)*(A+B)", layers=[1], seeds=[0], steps=10)
>>> list(runs.columns)
['layer', 'seed', 'iia', 'aligned', 'neuron_sets', 'subspace', 'neuron_search']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import as_model, check_number
from ..algorithms import parse_formula
from ..alignment import align, format_neurons
from .das import DASResult, das

__all__ = ["das_runs", "das_summary", "distinct_subspaces", "neuron_search_aligns"]


def distinct_subspaces(results: list[DASResult], tol: float = 0.05) -> list[int]:
    """A group label per result: results whose projectors all agree within ``tol`` share one."""
    tol = check_number("tol", tol)
    reps: list[list[np.ndarray]] = []
    labels = []
    for r in results:
        P = r.projectors()
        for k, rep in enumerate(reps):
            if all(np.abs(a - b).max() <= tol for a, b in zip(P, rep)):
                labels.append(k)
                break
        else:
            labels.append(len(reps))
            reps.append(P)
    return labels


def neuron_search_aligns(model, formula, layer: int) -> bool:
    """Does some neuron-set mapping inside hidden ``layer`` align ``formula`` (every node IIA 1)?"""
    result = align(as_model(model), parse_formula(formula), mode="extended")
    return any(all(l == layer for l, _ in m.neurons) for m in result.mappings)


def das_runs(model, formula, layers=None, seeds=(0, 1, 2, 3, 4), dims: int = 1, tol: float = 0.05,
             **das_options) -> pd.DataFrame:
    """One row per (layer, seed): DAS' IIA (min over nodes), whether it aligns, the neuron sets
    its subspaces equal (if axis-aligned), its subspace group among the aligned runs of that
    layer (-1 if not aligned), and whether neuron-set search aligns the formula in that layer."""
    model, formula = as_model(model), parse_formula(formula)
    layers = list(range(1, model.n_layers)) if layers is None else list(layers)
    full = align(model, formula, mode="extended")
    rows = []
    for layer in layers:
        results = [das(model, formula, layer=layer, dims=dims, seed=s, **das_options) for s in seeds]
        aligned = [r for r in results if r.aligned]
        groups = iter(distinct_subspaces(aligned, tol))
        by_neurons = any(all(l == layer for l, _ in m.neurons) for m in full.mappings)
        for s, r in zip(seeds, results):
            sets = r.neuron_sets(tol)
            rows.append({"layer": layer, "seed": int(s), "iia": min(r.iia, default=1.0), "aligned": r.aligned,
                         "neuron_sets": "; ".join(format_neurons(x) for x in sets) if sets else "",
                         "subspace": next(groups) if r.aligned else -1, "neuron_search": by_neurons})
    return pd.DataFrame(rows, columns=["layer", "seed", "iia", "aligned", "neuron_sets", "subspace",
                                       "neuron_search"])


def das_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per layer of :func:`das_runs`: ``seeds``, ``aligned`` runs, ``subspaces`` (distinct ones among
    the aligned), ``on_neurons`` (aligned runs that landed on neuron sets), ``neuron_search`` and
    ``das_only`` (DAS aligns the formula in this layer, neuron-set search does not)."""
    rows = []
    for layer, g in runs.groupby("layer"):
        aligned = g[g.aligned]
        rows.append({"layer": int(layer), "seeds": len(g), "aligned": len(aligned),
                     "subspaces": int(aligned.subspace.nunique()), "on_neurons": int((aligned.neuron_sets != "").sum()),
                     "neuron_search": bool(g.neuron_search.iat[0]),
                     "das_only": bool(len(aligned) and not g.neuron_search.iat[0])})
    return pd.DataFrame(rows, columns=["layer", "seeds", "aligned", "subspaces", "on_neurons", "neuron_search",
                                       "das_only"])
