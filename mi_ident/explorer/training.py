"""Training for the explorer: many seeds at once, with weight snapshots every few epochs.

The package's trainers (:func:`mi_ident.training.train_many`) return only final weights,
and the explorer needs checkpoints to show when circuits and alignments appear during
training, so this module runs its own batched loop with the same recipe: seed ``s``
starts from ``MLP(widths, seed=s)``, shuffles with ``torch.Generator().manual_seed(s)``,
minimises the MSE with AdamW and stops on the paper's rule (loss below ``loss_target``,
or ``patience`` epochs without improvement). AdamW is elementwise, so one optimizer over
the stacked weights equals one per seed; the tests check that the last checkpoint matches
:func:`mi_ident.training.train`. Results are cached by the settings that decide them.

Example
-------
>>> from mi_ident.explorer.settings import Settings
>>> run = train_with_checkpoints(Settings.from_preset("AND", width=2), progress=False)
>>> run.seeds[0].accepted, run.seeds[0].checkpoints[0].epoch
(True, 0)
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from ..data import make_dataset
from ..model import MLP, single_thread
from ..training import Recipe
from .settings import Settings

__all__ = ["Checkpoint", "SeedRun", "TrainingRun", "train_with_checkpoints", "is_trained", "clear_cache"]

Weights = list[tuple[np.ndarray, np.ndarray]]
_CACHE: "OrderedDict[tuple, TrainingRun]" = OrderedDict()
_CACHE_SIZE = 24


@dataclass(frozen=True)
class Checkpoint:
    """The weights after ``epoch`` epochs (0: the initialisation) and that epoch's loss."""

    epoch: int
    weights: Weights
    loss: float

    def model(self) -> MLP:
        return MLP.from_weights(self.weights)


@dataclass(frozen=True)
class SeedRun:
    """One seed's training: its checkpoints (the last one is the final network), losses, verdict."""

    seed: int
    checkpoints: tuple[Checkpoint, ...]
    losses: tuple[float, ...]
    accepted: bool
    val_accuracy: float
    stop_reason: str

    @property
    def model(self) -> MLP:
        return self.checkpoints[-1].model()


@dataclass(frozen=True)
class TrainingRun:
    """Every seed of one setting, trained together."""

    settings_key: tuple
    seeds: tuple[SeedRun, ...]

    def run_for(self, seed: int) -> SeedRun:
        return next(r for r in self.seeds if r.seed == seed)


def clear_cache() -> None:
    """Forget every cached training run."""
    _CACHE.clear()


def is_trained(settings: Settings) -> bool:
    """Whether :func:`train_with_checkpoints` would answer ``settings`` from its cache (a
    background job checks this so as never to train: training sets torch's process-wide
    thread count, which would change under the feet of a notebook cell training meanwhile)."""
    return settings.training_key() in _CACHE


def train_with_checkpoints(settings: Settings, progress: bool = True,
                           on_epoch: Callable[[int, int], None] | None = None) -> TrainingRun:
    """Train every seed of ``settings`` at once; cached by :meth:`Settings.training_key`.

    ``on_epoch(epoch, max_epochs)`` is called after each epoch (the widget's progress bar).
    """
    key = settings.training_key()
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    recipe = Recipe(lr=settings.lr, loss_target=settings.loss_target)
    task = settings.task
    train_data = make_dataset(task, n_repeats=1000, noise_std=settings.noise_std, seed=0)
    val_data = make_dataset(task, n_repeats=50, seed=1)
    with single_thread():
        runs = _train_stack(settings, recipe, train_data, val_data, progress, on_epoch)
    result = TrainingRun(key, tuple(runs))
    _CACHE[key] = result
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _train_stack(settings: Settings, r: Recipe, train_data, val_data, progress: bool, on_epoch) -> list[SeedRun]:
    from tqdm.auto import tqdm

    seeds = list(settings.seeds)
    models = [MLP(settings.widths, seed=s) for s in seeds]
    # Stacked parameters, one leading row per seed: (S, out, in) weights and (S, out) biases.
    params = [torch.stack([getattr(m.layers[i], name).detach() for m in models]).requires_grad_()
              for i in range(len(models[0].layers)) for name in ("weight", "bias")]
    opt = torch.optim.AdamW(params, lr=r.lr, weight_decay=r.weight_decay)
    gens = [torch.Generator().manual_seed(s) for s in seeds]
    n, S = len(train_data), len(seeds)
    losses: list[list[float]] = [[] for _ in seeds]
    checkpoints = [[Checkpoint(0, _weights(params, k), float("nan"))] for k in range(S)]
    best, bad = [float("inf")] * S, [0] * S
    reasons: list[str | None] = [None] * S
    bar = tqdm(range(r.max_epochs), desc=f"training {S} seed(s)", disable=not progress, leave=False)
    for epoch in bar:
        perms = torch.stack([torch.randperm(n, generator=g) for g in gens])
        X, y = train_data.X[perms], train_data.y[perms]
        batch = torch.empty(S, -(-n // r.batch_size))
        for j, start in enumerate(range(0, n, r.batch_size)):
            out = _forward(params, X[:, start:start + r.batch_size], r.negative_slope)
            per_seed = ((out - y[:, start:start + r.batch_size]) ** 2).mean(dim=(1, 2))
            opt.zero_grad()
            per_seed.sum().backward()  # each seed's gradient is its own loss's gradient
            opt.step()
            batch[:, j] = per_seed.detach()
        epoch_losses = batch.numpy().astype(np.float64).mean(axis=1)
        for k in range(S):
            if reasons[k] is not None:
                continue  # stopped: its last checkpoint holds its final weights
            loss = float(epoch_losses[k])
            losses[k].append(loss)
            best[k], bad[k] = (loss, 0) if loss < best[k] else (best[k], bad[k] + 1)
            stop = ("loss_target" if loss < r.loss_target else "no_improvement" if bad[k] >= r.patience
                    else "max_epochs" if epoch == r.max_epochs - 1 else None)
            if stop is not None or (epoch + 1) % settings.checkpoint_every == 0:
                checkpoints[k].append(Checkpoint(epoch + 1, _weights(params, k), loss))
            reasons[k] = stop
        if on_epoch is not None:
            on_epoch(epoch + 1, r.max_epochs)
        if all(reason is not None for reason in reasons):
            break
    bar.close()
    runs = []
    for k, seed in enumerate(seeds):
        model = checkpoints[k][-1].model()
        acc = float((model.predict(val_data.X) == val_data.y.numpy().astype(np.int64)).all(axis=1).mean())
        accepted = acc >= r.min_accuracy and losses[k][-1] <= r.loss_target
        runs.append(SeedRun(seed, tuple(checkpoints[k]), tuple(losses[k]), bool(accepted), acc, reasons[k]))
    return runs


def _forward(params: list[torch.Tensor], x: torch.Tensor, slope: float) -> torch.Tensor:
    """The stacked networks on ``x`` (seeds x batch x inputs): Linear then LeakyReLU, every layer
    (the output too, as the paper's network and ``MLP``'s default)."""
    for W, b in zip(params[::2], params[1::2]):
        x = torch.nn.functional.leaky_relu(torch.baddbmm(b.unsqueeze(1), x, W.transpose(1, 2)), slope)
    return x


def _weights(params: list[torch.Tensor], k: int) -> Weights:
    arrays = [p[k].detach().numpy().copy() for p in params]
    return list(zip(arrays[::2], arrays[1::2]))
