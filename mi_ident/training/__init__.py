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

from .batched import train_many
from .linear import LinearFit, fit_linear
from .recipe import STOP_REASONS, Recipe, TrainResult, accuracy
from .single import train, train_paper

__all__ = ["Recipe", "TrainResult", "STOP_REASONS", "accuracy", "train", "train_paper", "train_many",
           "LinearFit", "fit_linear"]
