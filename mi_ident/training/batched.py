"""Training many seeds as one batched network (:func:`train_many`)."""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import numpy as np
import torch
from torch.optim.adamw import adamw as adamw_step
from tqdm.auto import tqdm

from ..errors import ParameterError
from ..boolean import Task
from ..data import Dataset, PaperData
from ..model import MLP, single_thread

from .recipe import Weights, Recipe, TrainResult, _check_dataset, _check_seed, _recipe, _resolve_data, _StoppingRule
from .single import _result

__all__ = ['train_many']

# -- many seeds at once --------------------------------------------------------------------------
def _unflatten(flat: torch.Tensor, shapes: list[tuple[int, ...]]) -> list[torch.Tensor]:
    """Views of each stacked parameter (seeds x shape) in the flat seeds x all-parameters tensor."""
    views, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        views.append(flat[:, start : start + size].view(len(flat), *shape))
        start += size
    return views


def _batched_forward(params: list[torch.Tensor], x: torch.Tensor, negative_slope: float,
                     output_activation: str, dropout: float = 0.0,
                     generator: torch.Generator | None = None) -> torch.Tensor:
    """Forward pass of a stack of networks: ``x`` is seeds x batch x inputs (dropout on hidden layers)."""
    n_layers = len(params) // 2
    for i in range(n_layers):
        W, b = params[2 * i], params[2 * i + 1]
        x = torch.baddbmm(b.unsqueeze(1), x, W.transpose(1, 2))
        if i < n_layers - 1 or output_activation == "leaky_relu":
            x = torch.nn.functional.leaky_relu(x, negative_slope)
        if dropout and i < n_layers - 1:
            x = x * (torch.rand(x.shape, generator=generator) >= dropout) / (1 - dropout)
    return x


def _train_stack(
    models: list[MLP], train_data: Dataset, seeds: list[int], *, lr: float, batch_size: int,
    max_epochs: int, loss_target: float, patience: int, weight_decay: float,
    negative_slope: float, output_activation: str, progress: bool, l1: float = 0.0, dropout: float = 0.0,
) -> list[tuple[Weights, list[float], str]]:
    """Train the stacked networks; per network: final weights, epoch losses, stop reason.

    With dropout, the masks of the whole stack come from one generator seeded with the first
    seed, so they differ from those :func:`train` draws for each seed alone.
    """
    # All parameters of a network in one row of `flat` (W0, b0, W1, b1, ... flattened), so
    # that one AdamW update covers everything: fewer, larger operations per step.
    shapes = [tuple(p.shape) for p in models[0].parameters()]
    flat = torch.stack([torch.cat([p.detach().reshape(-1) for p in m.parameters()]) for m in models])
    flat.requires_grad_()
    exp_avg, exp_avg_sq = torch.zeros_like(flat), torch.zeros_like(flat)
    # Every active network has taken the same number of steps, so one counter serves the stack.
    step = torch.tensor(0.0)
    generators = [torch.Generator().manual_seed(s) for s in seeds]
    drop_gen = torch.Generator().manual_seed(seeds[0] + 1) if dropout else None
    rules = [_StoppingRule(loss_target, patience) for _ in seeds]
    losses: list[list[float]] = [[] for _ in seeds]
    final: dict[int, tuple[Weights, list[float], str]] = {}
    active = list(range(len(seeds)))  # positions in `seeds` of the networks still training
    n = len(train_data)
    n_batches = -(-n // batch_size)

    bar = tqdm(range(max_epochs), desc=f"{len(seeds)} seeds", disable=not progress, leave=False)
    for epoch in bar:
        perms = torch.stack([torch.randperm(n, generator=generators[k]) for k in active])
        X, y = train_data.X[perms], train_data.y[perms]
        batch_losses = torch.empty(len(active), n_batches)
        for j, start in enumerate(range(0, n, batch_size)):
            params = _unflatten(flat, shapes)
            out = _batched_forward(params, X[:, start : start + batch_size], negative_slope,
                                   output_activation, dropout, drop_gen)
            per_seed = ((out - y[:, start : start + batch_size]) ** 2).mean(dim=(1, 2))
            if l1:
                per_seed = per_seed + l1 * sum(W.abs().sum(dim=(1, 2)) for W in params[::2])
            # The sum's gradient with respect to one network's weights is that network's own gradient.
            (grad,) = torch.autograd.grad(per_seed.sum(), flat)
            with torch.no_grad():
                adamw_step(
                    [flat], [grad], [exp_avg], [exp_avg_sq], [], [step],
                    foreach=False, amsgrad=False, beta1=0.9, beta2=0.999, lr=lr,
                    weight_decay=weight_decay, eps=1e-8, maximize=False,
                )
            batch_losses[:, j] = per_seed.detach()
        epoch_losses = batch_losses.numpy().astype(np.float64).mean(axis=1)

        keep = []
        for row, k in enumerate(active):
            losses[k].append(float(epoch_losses[row]))
            reason = rules[k].update(losses[k][-1])
            if reason is None and epoch == max_epochs - 1:
                reason = "max_epochs"
            if reason is None:
                keep.append(row)
                continue
            params = [p[row].detach().numpy().copy() for p in _unflatten(flat, shapes)]
            weights = list(zip(params[::2], params[1::2]))
            final[k] = (weights, losses[k], reason)
        bar.set_postfix(training=len(keep), refresh=False)
        if not keep:
            break
        if len(keep) < len(active):
            # Drop finished networks from the stack: their weights stay frozen and
            # the remaining epochs cost only what the active networks need.
            idx = torch.tensor(keep)
            flat = flat.detach()[idx].requires_grad_()
            exp_avg, exp_avg_sq = exp_avg[idx], exp_avg_sq[idx]
            active = [active[row] for row in keep]
    bar.close()
    return [final[k] for k in range(len(seeds))]


def train_many(
    task_or_data: "str | Task | Sequence | np.ndarray | Dataset | PaperData",
    widths: Sequence[int],
    seeds: int | Iterable[int] = 10,
    recipe: "Recipe | None" = None,
    *,
    train_data: Dataset | None = None,
    val_data: Dataset | None = None,
    progress: bool = True,
    **overrides: Any,
) -> list[TrainResult]:
    """Train one network per seed, all at once, with the recipe of :func:`train`.

    ``seeds`` is a list of seeds or a count ``n`` (seeds ``0 .. n-1``). All
    networks share the data; each has the initialisation and minibatch order that
    :func:`train` gives its seed, and stops on its own (its weights are frozen
    from then on). Up to floating-point rounding of the batched matrix products,
    every result equals ``train(task_or_data, widths, seed=s, ...)``.

    Example
    -------
    >>> results = train_many("XOR", [2, 3, 3, 1], seeds=[0, 1], progress=False)
    >>> [r.seed for r in results]
    [0, 1]
    """
    r = _recipe(recipe, overrides)
    seeds = list(range(_check_seed(seeds))) if isinstance(seeds, (int, np.integer)) else [_check_seed(s) for s in seeds]
    if not seeds:
        raise ParameterError("give at least one seed, e.g. seeds=10 or seeds=[0, 1, 2]")
    train_data, val_data = _resolve_data(task_or_data, train_data, val_data)
    models = [MLP(widths, negative_slope=r.negative_slope, output_activation=r.output_activation, seed=s)
              for s in seeds]
    _check_dataset(train_data, models[0].widths, "the training data")
    _check_dataset(val_data, models[0].widths, "the validation data")
    initial = [m.numpy_weights() for m in models]
    with single_thread():
        trained = _train_stack(
            models, train_data, seeds, lr=r.lr, batch_size=r.batch_size, max_epochs=r.max_epochs,
            loss_target=r.loss_target, patience=r.patience, weight_decay=r.weight_decay,
            negative_slope=r.negative_slope, output_activation=r.output_activation, progress=progress,
            l1=r.l1, dropout=r.dropout,
        )

    results = []
    for k, seed in enumerate(seeds):
        weights, losses, reason = trained[k]
        model = MLP.from_weights(weights, negative_slope=r.negative_slope, output_activation=r.output_activation)
        results.append(_result(model, losses, val_data, seed, reason, initial[k], r.loss_target, r.min_accuracy))
    return results
