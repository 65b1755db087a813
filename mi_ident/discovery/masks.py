"""Learned masks: a continuous relaxation of edge masks, trained with a sparsity penalty.

Every edge gets a logit ``θ_e``; its mask is ``sigmoid(θ_e)``. Training minimises

    mean over task inputs of (circuit output - full output)²  +  penalty · mean_e sigmoid(θ_e)

with Adam (edge pruning / continuous sparsification in the style of Bhaskar et al., 2024,
and Savarese et al., 2020, without their hard-concrete noise: the data are four rows).
Then edges with ``sigmoid(θ_e) > 0.5`` are kept and neurons left off every path dropped.
The logits start at ``init + N(0, noise²)`` drawn from ``seed``, so different seeds start
from different points and may end in different circuits.

Example
-------
>>> from mi_ident.model import MLP
>>> c = learned_masks(MLP([2, 3, 3, 1], seed=0), "XOR", penalty=0.1, steps=50, seed=0)
>>> c.widths
[2, 3, 3, 1]
"""

from __future__ import annotations

import numpy as np
import torch

from .._validation import check_int, check_number, check_seed
from ..circuits import Circuit
from ..errors import ParameterError
from ..model import single_thread
from ._common import circuit_from_edges, task_data

__all__ = ["learned_masks", "learned_masks_many", "train_mask_logits"]


def train_mask_logits(model, task="XOR", penalty: float = 0.05, seeds=(0,), steps: int = 200,
                      lr: float = 0.1, init: float = 3.0, noise: float = 1.0) -> list[list[np.ndarray]]:
    """The trained logits ``θ`` (``out x in`` per layer) of each seed; see the module docstring.

    All seeds train at once, as a batch of circuits in one forward pass per step: their
    losses are summed, and as Adam updates each logit from its own gradient only, every
    seed trains exactly as it would alone. ``penalty`` may also be a sequence, one value per
    seed (so several penalties train in the same batch).
    """
    seeds = list(seeds)
    penalties = [check_number("penalty", p) for p in (penalty if np.ndim(penalty) else [penalty] * len(seeds))]
    if len(penalties) != len(seeds):
        raise ParameterError(f"give one penalty, or one per seed ({len(seeds)}); got {len(penalties)}")
    steps = check_int("steps", steps, minimum=1, maximum=100_000)
    lr, init, noise = check_number("lr", lr), check_number("init", init), check_number("noise", noise)
    seeds = [check_seed(s) for s in seeds]
    penalty_t = torch.tensor(penalties, dtype=torch.float32)
    data = task_data(model, task)
    ws = data.model.widths
    shapes = list(zip(ws[1:], ws[:-1]))
    starts = []
    for s in seeds:  # each seed its own generator: a run does not depend on the other seeds
        gen = torch.Generator().manual_seed(s)
        starts.append([init + noise * torch.randn(o, i, generator=gen) for o, i in shapes])
    logits = [torch.stack([st[j] for st in starts]).requires_grad_() for j in range(len(shapes))]
    opt = torch.optim.Adam(logits, lr=lr)
    n_edges = sum(o * i for o, i in shapes)
    X = data.X.expand(len(seeds), -1, -1)
    with single_thread():
        for _ in range(steps):
            masks = [torch.sigmoid(t) for t in logits]
            out = data.model.run(X, edge_masks=masks)[-1]
            faithful = ((out - data.full) ** 2).mean(dim=(1, 2))
            sparsity = sum(m.sum(dim=(1, 2)) for m in masks) / n_edges
            loss = (faithful + penalty_t * sparsity).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return [[t[k].detach().numpy().astype(np.float64) for t in logits] for k in range(len(seeds))]


def learned_masks(model, task="XOR", penalty: float = 0.05, seed: int = 0, steps: int = 200,
                  lr: float = 0.1, init: float = 3.0, noise: float = 1.0) -> Circuit:
    """The circuit of the edges whose trained mask ``sigmoid(θ)`` is above 0.5.

    ``penalty`` trades faithfulness for sparsity (larger, sparser); ``seed`` draws the
    initial logits; ``steps`` and ``lr`` are Adam's. :func:`learned_masks_many` runs many
    seeds at once.
    """
    return learned_masks_many(model, task, penalty, [seed], steps, lr, init, noise)[0]


def learned_masks_many(model, task="XOR", penalty: float = 0.05, seeds=(0, 1, 2), steps: int = 200,
                       lr: float = 0.1, init: float = 3.0, noise: float = 1.0) -> list[Circuit]:
    """:func:`learned_masks` for every seed, trained together (one batched forward pass per step)."""
    logits = train_mask_logits(model, task, penalty, seeds, steps, lr, init, noise)
    return [circuit_from_edges([(t > 0).astype(np.uint8) for t in run]) for run in logits]
