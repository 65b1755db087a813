"""Faithfulness of mappings (a formula's aligned nodes placed on hidden neurons).

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.alignment import NeuronMapping
>>> model = MLP([2, 3, 3, 1], seed=0)
>>> m = NeuronMapping.from_dict("¬(A*B)*(A+B)", {"A+B": [(1, 0)], "¬(A*B)": [(1, 1)]})
>>> mapping_interventional(model, m, "mean", False).note
'ablated: L1.2; left live: the mapped L1.0, L1.1 and every neuron after layer 1 (L2.0, L2.1, L2.2)'
"""

from __future__ import annotations

import itertools

import numpy as np
import torch

from ..interventions import Patch
from ..model import MLP, single_thread
from ._common import Score, bits, corners, ordered_pairs, set_patch

__all__ = ["mapping_observational", "mapping_interventional", "mapping_counterfactual"]


def _names(neurons) -> str:
    return ", ".join(f"L{layer}.{i}" for layer, i in sorted(neurons)) or "none"


def mapping_observational(model: MLP, mapping) -> Score:
    """Fraction of clean inputs where the network's bit equals the formula's output (the same
    for every mapping of one formula)."""
    with torch.no_grad(), single_thread():
        theirs = bits(model.run(corners(model.widths[0]))[-1])
    agree = theirs == mapping.formula.truth_table.astype(bool)
    return Score(agree.mean(), len(agree), note="network vs formula on the clean inputs")


def mapping_interventional(model: MLP, mapping, ablation: str, self_pairs: bool) -> Score:
    """Ablate the hidden neurons *outside* the mapping up to its deepest layer; the bit must stay.

    Left live: the mapped neurons and every neuron after the deepest mapped layer (those
    compute the formula's root, which a mapping places on the output, not on hidden
    neurons). ``Score.note`` lists both. Zero ablation sets outside neurons to 0, mean
    ablation to their mean over the clean inputs (one case per input), resample ablation to
    their value on a source input (one case per ordered pair).
    """
    rows = corners(model.widths[0])
    used = set(mapping.neurons)
    last = max((layer for layer, _ in used), default=0)
    outside = [(l, i) for l in range(1, last + 1) for i in range(model.widths[l]) if (l, i) not in used]
    later = [(l, i) for l in range(last + 1, model.n_layers) for i in range(model.widths[l])]
    note = (f"ablated: {_names(outside)}; left live: the mapped {_names(used)} and every neuron "
            f"after layer {last} ({_names(later)})")
    with torch.no_grad(), single_thread():
        clean = model.run(rows)
        if ablation == "resample":
            pairs = ordered_pairs(model.widths[0], self_pairs)
            x, source = rows[pairs[:, 1]], [a[pairs[:, 0]] for a in clean]
        else:
            x = rows
            source = [a.mean(dim=0, keepdim=True) if ablation == "mean" else torch.zeros_like(a[:1]) for a in clean]
        patch = set_patch(model, [outside], source) if outside else Patch()
        ours = bits(model.run(x, patch=patch)[-1]).reshape(-1)
        theirs = bits(model.run(x)[-1])
    return Score(np.mean(ours == theirs), len(x), note=note)


def mapping_counterfactual(model: MLP, mapping, self_pairs: bool) -> Score:
    """Joint interchange interventions: every non-empty subset of the aligned nodes at once.

    For each subset and each ordered pair ``(source, base)`` (self-pairs only when asked),
    the union of the subset's neurons holds its values on the source in the network run on
    the base; the formula is evaluated on the base with those nodes forced to their values
    on the source; the two bits must agree. The score is the fraction of (subset, pair)
    cases that agree (with self-pairs it equals
    ``mapping_iia(model, mapping, pair_order="all", joint=True)``). A mapping without nodes
    scores its observational agreement.
    """
    if not mapping.assignment:
        return mapping_observational(model, mapping)
    formula = mapping.formula
    rows = corners(model.widths[0])
    pairs = ordered_pairs(model.widths[0], self_pairs)
    nodes = [n for n, _ in mapping.assignment]
    groups = [g for r in range(1, len(nodes) + 1) for g in itertools.combinations(range(len(nodes)), r)]
    sets = [sorted(set().union(*(mapping.assignment[k][1] for k in g))) for g in groups]
    with torch.no_grad(), single_thread():
        source = [a for a in model.run(rows[pairs[:, 0]])]
        low = bits(model.run(rows[pairs[:, 1]], patch=set_patch(model, sets, source))[-1])
    bases = formula.inputs[pairs[:, 1]]
    high = np.stack([
        formula.evaluate(bases, {nodes[k]: formula.values[nodes[k]][pairs[:, 0]] for k in g})[formula.root.id]
        for g in groups
    ]).astype(bool)
    note = f"joint interchange: {len(groups)} node subsets x {len(pairs)} ordered pairs" + (
        ", self-pairs included" if self_pairs else "")
    return Score(np.mean(low == high), low.size, note=note)
