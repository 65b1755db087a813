"""Faithfulness of circuits (sub-networks) to their network, many circuits in one forward pass.

A circuit runs as the paper's masked forward (zero ablation: an edge outside the circuit,
or leaving an inactive neuron, carries nothing; biases are kept), unless an
:class:`~mi_ident.interventions.Ablation` says what removed edges carry instead. Every
function takes a list of circuits of one network and runs them as one batch (masks with a
leading circuit dimension in :meth:`MLP.run`); it returns one value per circuit.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import iter_circuits
>>> model = MLP([2, 2, 1], seed=0)
>>> agree, mad = circuits_on_inputs(model, list(iter_circuits([2, 2, 1]))[:3], [[0.5, 0.5], [2.0, -1.0]])
>>> agree.shape, mad.shape
((3,), (3,))
"""

from __future__ import annotations

import numpy as np
import torch

from .._validation import check_size
from ..interventions import Ablation, Patch
from ..model import MLP, single_thread
from ._common import MAX_CASES, active_hidden, bits, corners, ordered_pairs

__all__ = ["circuits_on_inputs", "circuits_interventional", "circuits_counterfactual"]


def _batch(circuits) -> dict:
    """Stacked ``node_masks`` ``(C, width)`` and ``edge_masks`` ``(C, out, in)`` for :meth:`MLP.run`."""
    n_layers = len(circuits[0].node_masks)
    nodes = [torch.tensor(np.array([c.node_masks[i] for c in circuits]), dtype=torch.float32) for i in range(n_layers)]
    edges = [torch.from_numpy(np.stack([c.edge_masks[i] for c in circuits]).astype(np.float32))
             for i in range(n_layers - 1)]
    return {"node_masks": nodes, "edge_masks": edges}


def _check_work(n_circuits: int, n_cases: int) -> None:
    check_size("circuits x cases", n_circuits * n_cases, MAX_CASES,
               "score fewer circuits at a time, or pass a smaller n_samples")


def circuits_on_inputs(model: MLP, circuits, X) -> tuple[np.ndarray, np.ndarray]:
    """Per circuit: the fraction of the rows of ``X`` on which circuit and network give the same
    output bit, and the mean absolute difference of their raw outputs. ``X`` is assumed checked."""
    x = torch.as_tensor(np.asarray(X, dtype=np.float32))
    _check_work(len(circuits), len(x))
    with torch.no_grad(), single_thread():
        ours = model.run(x, **_batch(circuits))[-1]  # (C, n, 1)
        theirs = model.run(x)[-1]                    # (n, 1)
    agree = (bits(ours) == bits(theirs)[None, :]).mean(axis=1)
    return agree, (ours - theirs).abs().mean(dim=(1, 2)).numpy()


def circuits_interventional(model: MLP, circuits, ablation: str, self_pairs: bool) -> tuple[np.ndarray, int, str]:
    """Per circuit, the fraction of cases where the ablated circuit keeps the network's bit.

    Removed edges carry the mean activation over the clean inputs (one case per input), the
    activation on a source input (one case per ordered pair ``(source, base)``), or zero.
    Returns ``(scores, n_cases, note)``.
    """
    rows = corners(model.widths[0])
    if ablation == "resample":
        pairs = ordered_pairs(model.widths[0], self_pairs)
        x, ablate = rows[pairs[:, 1]], Ablation.resample(model, rows[pairs[:, 0]])
        note = f"resample ablation over {len(pairs)} ordered (source, base) pairs" + (
            ", self-pairs included" if self_pairs else "")
    else:
        x = rows
        ablate = Ablation.mean(model, rows) if ablation == "mean" else Ablation.zero()
        note = f"{ablation} ablation on the {len(rows)} clean inputs"
    _check_work(len(circuits), len(x))
    with torch.no_grad(), single_thread():
        ours = bits(model.run(x, ablation=ablate, **_batch(circuits))[-1])
        theirs = bits(model.run(x)[-1])
    return (ours == theirs[None, :]).mean(axis=1), len(x), note


def circuits_counterfactual(model: MLP, circuits, self_pairs: bool, unit: str) -> tuple[np.ndarray, np.ndarray, str]:
    """Interchange the circuits' active hidden neurons from a source onto a base input.

    For every ordered pair ``(source, base)`` (self-pairs only when asked) and every
    intervened set (``unit="circuit"``: all active hidden neurons at once; ``"neuron"``:
    each one alone), run the base input with the set holding its source values, once in
    the circuit (its own values on the source) and once in the full network (the network's
    values on the source), and compare the two output bits. A circuit without hidden
    neurons has nothing to intervene on: it scores its agreement on the clean inputs.
    Returns ``(scores, n_cases, note)``, one score and case count per circuit.
    """
    rows = corners(model.widths[0])
    pairs = ordered_pairs(model.widths[0], self_pairs)
    # one batch item per (circuit, intervened set)
    owner, sets = [], []
    for k, c in enumerate(circuits):
        neurons = active_hidden(model, c)
        if not neurons:
            continue
        for s in [neurons] if unit == "circuit" else [[n] for n in neurons]:
            owner.append(k)
            sets.append(s)
    scores = np.zeros(len(circuits))
    n_cases = np.zeros(len(circuits), dtype=int)
    if sets:
        _check_work(len(sets), len(pairs))
        agree = _interchange_agreement(model, [circuits[k] for k in owner], sets, rows, pairs)  # (B, P)
        owner_arr = np.array(owner)
        for k in np.unique(owner_arr):
            scores[k] = agree[owner_arr == k].mean()
            n_cases[k] = agree[owner_arr == k].size
    empty = [k for k in range(len(circuits)) if n_cases[k] == 0]
    if empty:
        scores[empty], _ = circuits_on_inputs(model, [circuits[k] for k in empty], rows)
        n_cases[empty] = len(rows)
    what = "all active hidden neurons at once" if unit == "circuit" else "each active hidden neuron alone"
    note = f"interchange of {what} over {len(pairs)} ordered pairs" + (", self-pairs included" if self_pairs else "")
    return scores, n_cases, note


def _interchange_agreement(model: MLP, circuits, sets, rows, pairs) -> np.ndarray:
    """``(B, P)``: does batch item ``b`` (circuit ``b`` with set ``b`` patched) agree with the network
    on pair ``p``?"""
    masks = _batch(circuits)
    hot = {}
    for b, s in enumerate(sets):
        for layer, i in s:
            hot.setdefault(layer, torch.zeros(len(sets), 1, model.widths[layer], dtype=torch.bool))[b, 0, i] = True
    with torch.no_grad(), single_thread():
        in_circuit = model.run(rows[pairs[:, 0]], **masks)  # (B, P, w) per layer
        in_model = model.run(rows[pairs[:, 0]])              # (P, w) per layer
        x = rows[pairs[:, 1]]
        ours = bits(model.run(x, patch=Patch(hot, {l: in_circuit[l] for l in hot}), **masks)[-1])
        theirs = bits(model.run(x, patch=Patch(hot, {l: in_model[l] for l in hot}))[-1])
    return ours == theirs
