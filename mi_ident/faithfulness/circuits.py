"""Faithfulness of circuits (sub-networks) to their network, through :meth:`MLP.run`.

A circuit runs as the paper's masked forward (zero ablation: an edge outside the circuit,
or leaving an inactive neuron, carries nothing; biases are kept), unless an
:class:`~mi_ident.interventions.Ablation` says what removed edges carry instead.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import iter_circuits
>>> model = MLP([2, 2, 1], seed=0)
>>> circuit = next(iter_circuits([2, 2, 1]))
>>> 0.0 <= circuit_on_inputs(model, circuit, [[0.5, 0.5], [2.0, -1.0]]) <= 1.0
True
"""

from __future__ import annotations

import numpy as np
import torch

from ..interventions import Ablation
from ..model import MLP, single_thread
from ._common import Score, active_hidden, bits, circuit_masks, corners, ordered_pairs, set_patch

__all__ = ["circuit_on_inputs", "circuit_interventional", "circuit_counterfactual"]


def circuit_on_inputs(model: MLP, circuit, X) -> Score:
    """Fraction of the rows of ``X`` on which circuit and network give the same output bit.

    ``mean_abs_diff`` holds the mean absolute difference of their raw outputs. ``X`` is
    assumed checked (finite, ``(n, n_inputs)``).
    """
    x = torch.as_tensor(np.asarray(X, dtype=np.float32))
    with torch.no_grad(), single_thread():
        ours = model.run(x, **circuit_masks(circuit))[-1]
        theirs = model.run(x)[-1]
    agree = bits(ours) == bits(theirs)
    return Score(agree.mean(), len(x), note=f"circuit vs network on {len(x)} inputs",
                 mean_abs_diff=float((ours - theirs).abs().mean()))


def circuit_interventional(model: MLP, circuit, ablation: str, self_pairs: bool) -> Score:
    """Removed edges carry the mean activation over the clean inputs (one case per input), the
    activation on a source input (one case per ordered pair), or zero."""
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
    with torch.no_grad(), single_thread():
        ours = bits(model.run(x, ablation=ablate, **circuit_masks(circuit))[-1])
        theirs = bits(model.run(x)[-1])
    return Score(np.mean(ours == theirs), len(x), note=note)


def circuit_counterfactual(model: MLP, circuit, self_pairs: bool, unit: str) -> Score:
    """Interchange the circuit's active hidden neurons from a source onto a base input.

    For every ordered pair ``(source, base)`` (self-pairs only when asked) and every
    intervened set (``unit="circuit"``: all active hidden neurons at once; ``"neuron"``:
    each one alone), run the base input with the set holding its source values, once in
    the circuit (its own values on the source) and once in the full network (the network's
    values on the source), and compare the two output bits. A circuit without hidden
    neurons has nothing to intervene on: it scores its agreement on the clean inputs.
    """
    rows = corners(model.widths[0])
    neurons = active_hidden(model, circuit)
    if not neurons:
        score = circuit_on_inputs(model, circuit, rows)
        return Score(score, score.n_cases, note="no hidden neuron: agreement on the clean inputs")
    sets = [neurons] if unit == "circuit" else [[n] for n in neurons]
    pairs = ordered_pairs(model.widths[0], self_pairs)
    masks = circuit_masks(circuit)
    with torch.no_grad(), single_thread():
        in_circuit = model.run(rows[pairs[:, 0]], **masks)
        in_model = model.run(rows[pairs[:, 0]])
        x = rows[pairs[:, 1]]
        ours = bits(model.run(x, patch=set_patch(model, sets, in_circuit), **masks)[-1])
        theirs = bits(model.run(x, patch=set_patch(model, sets, in_model))[-1])
    what = "all active hidden neurons at once" if unit == "circuit" else f"each of {len(neurons)} active neurons"
    note = f"interchange of {what} over {len(pairs)} ordered pairs" + (", self-pairs included" if self_pairs else "")
    return Score(np.mean(ours == theirs), ours.size, note=note)
