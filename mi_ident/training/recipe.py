"""The training recipe (every number of a run), the stopping rule and the result of a run."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import torch

from ..errors import InputTypeError, ParameterError
from .._validation import check_choice, check_fraction, check_int, check_number, check_seed
from ..boolean import Task, make_task
from ..data import Dataset, PaperData, make_dataset
from ..model import DEFAULT_NEGATIVE_SLOPE, MLP, OutputActivation
from ..vocabulary import DEFAULT_ACCURACY

#: A network's parameters as ``[(W0, b0), (W1, b1), ...]``, each ``W`` out x in.
Weights = list[tuple[np.ndarray, np.ndarray]]

__all__ = ['Recipe', 'TrainResult', 'STOP_REASONS', 'accuracy']

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
