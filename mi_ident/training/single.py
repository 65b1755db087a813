"""Training one network: with our data and seed (:func:`train`), or replaying the paper's code exactly (:func:`train_paper`)."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset
from tqdm.auto import tqdm

from ..boolean import Task
from ..data import Dataset, PaperData, paper_datasets
from ..model import MLP, single_thread

from .recipe import Weights, Recipe, TrainResult, _check_dataset, _check_seed, _recipe, _resolve_data, _StoppingRule, accuracy

__all__ = ['train', 'train_paper']

# -- single network ------------------------------------------------------------------------------
def _training_loss(model: MLP, xb: torch.Tensor, yb: torch.Tensor, r: Recipe,
                   generator: torch.Generator | None) -> torch.Tensor:
    """MSE, plus the L1 penalty and with dropout on hidden activations when the recipe asks.

    With ``l1 == dropout == 0`` this is exactly the paper's ``mse_loss(model(xb), yb)``.
    Dropout masks come from ``generator`` (``None``: the global torch RNG, as ``train_paper``).
    """
    if r.dropout == 0:
        out = model(xb)
    else:
        h = xb
        for i, layer in enumerate(model.layers):
            h = model.activate(i, layer(h))
            if i < model.n_layers - 1:
                keep = torch.rand(h.shape, generator=generator) >= r.dropout
                h = h * keep / (1 - r.dropout)
        out = h
    loss = torch.nn.functional.mse_loss(out, yb)
    if r.l1 > 0:
        loss = loss + r.l1 * sum(layer.weight.abs().sum() for layer in model.layers)
    return loss


def _fit(
    model: MLP,
    epoch_batches: Callable[[], Iterable[tuple[torch.Tensor, torch.Tensor]]],
    val_data: Dataset,
    seed: int,
    r: Recipe,
    *,
    progress: bool,
    generator: torch.Generator | None = None,
) -> TrainResult:
    """The paper's training loop for one network; ``epoch_batches()`` yields one epoch's minibatches."""
    initial = model.numpy_weights()
    optimizer = torch.optim.AdamW(model.parameters(), lr=r.lr, weight_decay=r.weight_decay)
    losses: list[float] = []
    rule, reason = _StoppingRule(r.loss_target, r.patience), "max_epochs"
    bar = tqdm(range(r.max_epochs), desc=f"seed {seed}", disable=not progress, leave=False)
    for _ in bar:
        batch_losses = []
        for xb, yb in epoch_batches():
            optimizer.zero_grad()
            loss = _training_loss(model, xb, yb, r, generator)
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        epoch_loss = float(np.mean(batch_losses))
        losses.append(epoch_loss)
        bar.set_postfix(loss=f"{epoch_loss:.4f}", refresh=False)
        stop = rule.update(epoch_loss)
        if stop is not None:
            reason = stop
            break
    bar.close()
    return _result(model, losses, val_data, seed, reason, initial, r.loss_target, r.min_accuracy)


def _result(model: MLP, losses: list[float], val_data: Dataset, seed: int, reason: str,
            initial: Weights, loss_target: float, min_accuracy: float) -> TrainResult:
    val_acc = accuracy(model, val_data)
    return TrainResult(
        model=model,
        losses=losses,
        accepted=bool(val_acc >= min_accuracy and losses[-1] <= loss_target),
        epochs=len(losses),
        final_loss=losses[-1],
        val_accuracy=val_acc,
        seed=seed,
        stop_reason=reason,
        initial_weights=initial,
    )


def _shuffled_batches(data: Dataset, batch_size: int, generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    perm = torch.randperm(len(data), generator=generator)
    for start in range(0, len(data), batch_size):
        idx = perm[start : start + batch_size]
        yield data.X[idx], data.y[idx]


def train(
    task_or_data: "str | Task | Sequence | np.ndarray | Dataset | PaperData",
    widths: Sequence[int],
    seed: int = 0,
    recipe: "Recipe | None" = None,
    *,
    train_data: Dataset | None = None,
    val_data: Dataset | None = None,
    progress: bool = True,
    **overrides: Any,
) -> TrainResult:
    """Train one MLP with the paper's recipe.

    Parameters
    ----------
    task_or_data:
        A gate name (``"XOR"``), several (``"AND+OR"``), a truth table or
        :class:`~mi_ident.boolean.Task` — then the data are balanced draws from
        :func:`~mi_ident.data.make_dataset` (4000 training rows, 200 validation
        rows) — or a :class:`~mi_ident.data.Dataset` (validated on itself unless
        ``val_data`` is given) or :class:`~mi_ident.data.PaperData`.
    widths:
        Layer sizes from input to output, e.g. ``[2, 3, 3, 1]``.
    seed:
        Initialisation as ``MLP(widths, seed=seed)``; the minibatch order comes
        from a separate generator seeded with ``seed``. The global RNG is untouched.

    Example
    -------
    >>> r = train("AND", [2, 2, 1], seed=0, progress=False)
    >>> r.epochs == len(r.losses), r.final_loss == r.losses[-1]
    (True, True)
    """
    r = _recipe(recipe, overrides)
    seed = _check_seed(seed)
    train_data, val_data = _resolve_data(task_or_data, train_data, val_data)
    model = MLP(widths, negative_slope=r.negative_slope, output_activation=r.output_activation, seed=seed)
    _check_dataset(train_data, model.widths, "the training data")
    _check_dataset(val_data, model.widths, "the validation data")
    generator = torch.Generator().manual_seed(seed)
    with single_thread():
        return _fit(
            model, lambda: _shuffled_batches(train_data, r.batch_size, generator), val_data, seed, r,
            progress=progress, generator=torch.Generator().manual_seed(seed + 1) if r.dropout else None,
        )


def train_paper(
    task: "str | Task | Sequence | np.ndarray",
    widths: Sequence[int],
    seed_offset: int = 0,
    base_seed: int = 0,
    recipe: "Recipe | None" = None,
    *,
    progress: bool = True,
    **overrides: Any,
) -> TrainResult:
    """Train exactly as the paper's original code did for one seed offset.

    Data: :func:`~mi_ident.data.paper_datasets` (training 4000, evaluation 200).
    Then ``torch.manual_seed(base_seed + seed_offset)``, model construction with
    PyTorch's default initialisation, and ``DataLoader(shuffle=True)`` drawing
    from the global torch RNG — all inside :func:`torch.random.fork_rng`, so the
    caller's RNG state is left as it was. With the same torch build (2.13.0
    CPU) this reproduces the reference weights, final loss and acceptance exactly.
    The reference files were made with ``base_seed=0``; their JSON field
    ``seed`` is ``base_seed + seed_offset``.

    Example
    -------
    >>> r = train_paper("XOR", [2, 3, 3, 1], seed_offset=0, progress=False)
    >>> r.accepted, round(r.final_loss, 6)
    (True, 0.006359)
    """
    r = _recipe(recipe, overrides)
    seed_offset, base_seed = _check_seed(seed_offset), _check_seed(base_seed)
    # The original seeds numpy at the end of the previous offset's run, so the data for
    # offset k come from numpy seed base_seed + max(k - 1, 0); paper_datasets(offset=j)
    # draws from numpy seed max(j - 1, 0), hence the shift by one.
    data = paper_datasets(task, seed_offset=base_seed + max(seed_offset - 1, 0) + 1)
    with torch.random.fork_rng(), single_thread():
        torch.manual_seed(base_seed + seed_offset)
        model = MLP(widths, negative_slope=r.negative_slope, output_activation=r.output_activation)
        _check_dataset(data.train, model.widths, "the training data")
        loader = DataLoader(TensorDataset(data.train.X, data.train.y), batch_size=r.batch_size, shuffle=True)
        return _fit(model, lambda: loader, data.eval, base_seed + seed_offset, r, progress=progress)
