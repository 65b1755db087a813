"""Training tiny MLPs on Boolean tasks with the paper's recipe, one seed or many at once.

The recipe (every number is a parameter): MSE loss, AdamW (lr ``1e-3``, weight
decay ``0.01``), minibatches of 100, at most 1000 epochs. After each epoch the
*epoch loss* is the mean of that epoch's minibatch losses. Training stops when
the epoch loss drops below ``loss_target`` (0.01), or when it has failed to
improve on the best epoch loss for ``patience`` (3) consecutive epochs. A model
is *accepted* when its validation accuracy is at least ``min_accuracy`` (0.99)
and its final epoch loss is at most ``loss_target``.

Three entry points:

* :func:`train` — one network. Seed ``s`` initialises exactly like
  ``MLP(widths, seed=s)`` and shuffles the data with its own generator.
* :func:`train_many` — many seeds as one batched network: one forward pass over
  a stack of weights, one AdamW over the stacked parameters (AdamW is
  elementwise, so stacking changes nothing), each seed with its own
  initialisation, shuffling and stopping. Seed ``s`` gets the same
  initialisation and minibatch order as ``train(..., seed=s)``.
* :func:`train_paper` — the original code's exact procedure (global torch RNG,
  ``DataLoader(shuffle=True)``), which reproduces the reference models bit for bit.

Example
-------
>>> result = train("XOR", [2, 3, 3, 1], seed=3, progress=False)
>>> result.accepted, result.val_accuracy
(True, 1.0)
>>> [r.accepted for r in train_many("AND", [2, 3, 3, 1], seeds=3, progress=False)]
[True, True, True]
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
import torch
from torch.optim.adamw import adamw as adamw_step
from torch.utils.data import DataLoader, TensorDataset
from tqdm.auto import tqdm

from .errors import InputTypeError, ParameterError
from ._validation import check_choice, check_fraction, check_int, check_number, check_seed
from .boolean import Task, make_task
from .data import Dataset, PaperData, make_dataset, paper_datasets
from .model import DEFAULT_NEGATIVE_SLOPE, MLP, OutputActivation, single_thread
from .vocabulary import DEFAULT_ACCURACY

Weights = list[tuple[np.ndarray, np.ndarray]]
STOP_REASONS = ("loss_target", "no_improvement", "max_epochs")


@dataclass
class TrainResult:
    """What one training run produced.

    ``losses`` holds the epoch losses (mean minibatch MSE per epoch), so
    ``final_loss == losses[-1]`` and ``epochs == len(losses)``. ``stop_reason`` is
    ``"loss_target"``, ``"no_improvement"`` or ``"max_epochs"``.
    """

    model: MLP
    losses: list[float]
    accepted: bool
    epochs: int
    final_loss: float
    val_accuracy: float
    seed: int
    stop_reason: str
    initial_weights: Weights = field(repr=False, default_factory=list)

    def __repr__(self) -> str:
        return (
            f"TrainResult(seed={self.seed}, widths={self.model.widths}, accepted={self.accepted}, "
            f"epochs={self.epochs}, final_loss={self.final_loss:.4g}, "
            f"val_accuracy={self.val_accuracy:.3f}, stop_reason={self.stop_reason!r})"
        )


# -- validation ----------------------------------------------------------------------------------
def _resolve_data(
    task_or_data: "str | Task | Sequence | np.ndarray | Dataset | PaperData",
    train_data: Dataset | None,
    val_data: Dataset | None,
) -> tuple[Dataset, Dataset]:
    """Training and validation sets from a task (default data) or from datasets."""
    if isinstance(task_or_data, PaperData):
        default_train, default_val = task_or_data.train, task_or_data.eval
    elif isinstance(task_or_data, Dataset):
        default_train = task_or_data
        default_val = task_or_data if train_data is None else train_data
    else:
        task = make_task(task_or_data)
        # Balanced data: every row 1000 (train) or 50 (validation) times. Shuffling
        # is the only randomness, so the data need not depend on the seed.
        default_train = make_dataset(task, n_repeats=1000, seed=0) if train_data is None else None
        default_val = make_dataset(task, n_repeats=50, seed=1) if val_data is None else None
    return (default_train if train_data is None else train_data,
            default_val if val_data is None else val_data)


def _check_dataset(data: Dataset, widths: Sequence[int], what: str) -> None:
    if not isinstance(data, Dataset):
        raise InputTypeError(f"{what} must be a mi_ident.data.Dataset (see make_dataset); got {type(data).__name__}")
    if data.X.ndim != 2 or data.y.ndim != 2 or len(data.X) != len(data.y) or len(data.X) == 0:
        raise ParameterError(f"{what} needs X (n x inputs) and y (n x outputs) with the same n >= 1")
    if data.X.shape[1] != widths[0] or data.y.shape[1] != widths[-1]:
        raise ParameterError(
            f"widths {list(widths)} do not fit {what}: it has {data.X.shape[1]} inputs and "
            f"{data.y.shape[1]} outputs, so widths must start with {data.X.shape[1]} and end with "
            f"{data.y.shape[1]}, e.g. [{data.X.shape[1]}, 3, 3, {data.y.shape[1]}]"
        )


@dataclass(frozen=True)
class Recipe:
    """Every number of a training run, checked once (the paper's values by default).

    Pass one to :func:`train`, :func:`train_many` or :func:`train_paper`, or override fields
    by keyword (``train(..., lr=0.01)``). Sweeps record it field by field.

    >>> Recipe(lr=0.01).lr, Recipe().loss_target
    (0.01, 0.01)
    """

    lr: float = 1e-3
    batch_size: int = 100
    max_epochs: int = 1000
    loss_target: float = 0.01
    patience: int = 3
    weight_decay: float = 0.01
    min_accuracy: float = DEFAULT_ACCURACY
    negative_slope: float = DEFAULT_NEGATIVE_SLOPE
    output_activation: OutputActivation = "leaky_relu"
    #: L1 penalty ``l1 * sum |W|`` over the weight matrices (not the biases) added to the loss.
    l1: float = 0.0
    #: Probability of zeroing each hidden activation during training (inverted dropout).
    dropout: float = 0.0

    def __post_init__(self) -> None:
        check = object.__setattr__
        if check_number("lr", self.lr) <= 0:
            raise ParameterError(f"lr must be > 0; got {self.lr}")
        check(self, "batch_size", check_int("batch_size", self.batch_size, minimum=1, maximum=10**9))
        check(self, "max_epochs", check_int("max_epochs", self.max_epochs, minimum=1, maximum=10**7))
        check(self, "patience", check_int("patience", self.patience, minimum=1, maximum=10**7))
        check(self, "loss_target", check_fraction("loss_target", self.loss_target, high=float("inf")))
        check(self, "weight_decay", check_fraction("weight_decay", self.weight_decay, high=float("inf")))
        check(self, "min_accuracy", check_fraction("min_accuracy", self.min_accuracy))
        check(self, "negative_slope", check_number("negative_slope", self.negative_slope))
        check(self, "output_activation",
              check_choice("output_activation", self.output_activation, ("leaky_relu", "identity")))
        check(self, "l1", check_fraction("l1", self.l1, high=float("inf")))
        check(self, "dropout", check_fraction("dropout", self.dropout))
        if self.dropout >= 1:
            raise ParameterError(f"dropout must be in [0, 1): 1 would zero every hidden neuron; got {self.dropout}")


def _recipe(recipe: "Recipe | None", overrides: dict[str, Any]) -> Recipe:
    """``recipe`` (default: the paper's) with ``overrides`` applied; unknown keys are an error."""
    if recipe is not None and not isinstance(recipe, Recipe):
        raise InputTypeError(f"recipe must be a mi_ident.training.Recipe; got {type(recipe).__name__}")
    known = {f.name for f in dataclasses.fields(Recipe)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ParameterError(f"unknown training parameter {unknown[0]!r}; the recipe has {sorted(known)}")
    return dataclasses.replace(recipe or Recipe(), **overrides)


def _check_seed(seed: object) -> int:
    return check_seed(seed, "seed")


def accuracy(model: MLP, data: Dataset) -> float:
    """Fraction of samples whose rounded outputs all equal the targets (``torch.round``, half to even).

    >>> from mi_ident.data import make_dataset
    >>> 0.0 <= accuracy(MLP([2, 3, 1], seed=0), make_dataset("XOR", n_repeats=5)) <= 1.0
    True
    """
    with torch.no_grad():
        correct = torch.round(model(data.X)).eq(data.y).all(dim=1)
    return correct.sum().item() / len(data.y)


class _StoppingRule:
    """The paper's stopping rule, fed one epoch loss at a time."""

    def __init__(self, loss_target: float, patience: int) -> None:
        self.loss_target, self.patience = loss_target, patience
        self.best, self.bad_epochs = float("inf"), 0

    def update(self, epoch_loss: float) -> str | None:
        """The stop reason after this epoch, or ``None`` to go on."""
        if epoch_loss < self.best:
            self.best, self.bad_epochs = epoch_loss, 0
        else:
            self.bad_epochs += 1
        if epoch_loss < self.loss_target:
            return "loss_target"
        return "no_improvement" if self.bad_epochs >= self.patience else None


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


# -- the linear baseline -------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearFit:
    """The best single linear threshold unit for each output: output 1 iff ``x @ w + b > 0``.

    ``weights`` is outputs x inputs, ``bias`` and ``accuracy`` (fraction of
    truth-table rows it gets right) have one entry per output.
    """

    task: Task
    weights: np.ndarray
    bias: np.ndarray
    accuracy: np.ndarray

    @property
    def separable(self) -> bool:
        """Whether a linear threshold unit computes every output exactly."""
        return bool(np.all(self.accuracy == 1.0))

    def predict(self, x: np.ndarray | None = None) -> np.ndarray:
        """0/1 outputs on ``x`` (default: every truth-table row)."""
        x = self.task.inputs if x is None else np.asarray(x)
        return (x @ self.weights.T + self.bias > 0).astype(np.int64)


def fit_linear(task: "str | Task | Sequence | np.ndarray") -> LinearFit:
    """Search every linear threshold unit for the one that best fits each output of ``task``.

    A single neuron without hidden layer can only draw one straight line (a
    hyperplane) through input space. Threshold functions of at most 3 inputs
    need integer weights of size at most 2, so searching weights in -2..2 and
    every threshold between the attainable sums is exact: ``accuracy`` is the
    best any linear unit can do. XOR is the classic failure (best 3/4).

    >>> fit_linear("AND").separable
    True
    >>> fit_linear("XOR").accuracy.tolist()
    [0.75]
    """
    task = make_task(task)
    n = task.n_inputs
    if n > 3:
        raise ParameterError(f"fit_linear searches exhaustively and supports up to 3 inputs; got {n}")
    grid = np.array(np.meshgrid(*[np.arange(-2, 3)] * n, indexing="ij")).reshape(n, -1).T  # candidates x n
    biases = np.arange(-2 * n, 2 * n + 2) - 0.5
    # smallest weights and bias first, so that ties go to the simplest unit
    grid = grid[np.argsort(np.abs(grid).sum(axis=1), kind="stable")]
    biases = biases[np.argsort(np.abs(biases), kind="stable")]
    # predictions of every (weights, bias) pair on every row: candidates x biases x rows
    sums = grid @ task.inputs.T
    preds = (sums[:, None, :] + biases[None, :, None] > 0).astype(np.int64)
    weights, bias, acc = [], [], []
    for j in range(task.n_outputs):
        hits = (preds == task.table[:, j]).mean(axis=2)
        w_idx, b_idx = np.unravel_index(np.argmax(hits), hits.shape)
        weights.append(grid[w_idx].astype(np.float64))
        bias.append(float(biases[b_idx]))
        acc.append(float(hits[w_idx, b_idx]))
    return LinearFit(task, np.array(weights), np.array(bias), np.array(acc))
