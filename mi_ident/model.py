"""Tiny multilayer perceptrons and their one forward pass, with masks and interventions.

The paper's networks are ``Linear`` layers each followed by a LeakyReLU. In the
original code the output layer gets a LeakyReLU too (its author meant an
identity there, but the condition that would pick it is always true); we keep
that as the default so that trained reference models behave exactly as they did,
and offer ``output_activation="identity"`` for the corrected network.

:meth:`MLP.run` is the package's only forward pass: circuits (node and edge
masks), ablations (:class:`~mi_ident.interventions.Ablation`), interchange
interventions (:class:`~mi_ident.interventions.Patch`) and discovery methods
(continuous masks, gradients) all go through it.

Example
-------
>>> model = MLP([2, 3, 3, 1], seed=0)
>>> [tuple(a.shape) for a in model.activations(torch.zeros(4, 2))]
[(4, 2), (4, 3), (4, 3), (4, 1)]
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Literal, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ._validation import check_choice, check_number, check_widths
from .errors import WeightsFileError

if TYPE_CHECKING:
    from .interventions import Ablation, Patch

__all__ = ["MLP", "OutputActivation", "OUTPUT_ACTIVATIONS", "DEFAULT_NEGATIVE_SLOPE", "single_thread"]

OutputActivation = Literal["leaky_relu", "identity"]
OUTPUT_ACTIVATIONS = ("leaky_relu", "identity")
DEFAULT_NEGATIVE_SLOPE = 0.01


class MLP(nn.Module):
    """A fully connected network: ``Linear`` then LeakyReLU, layer after layer.

    Parameters
    ----------
    widths:
        Layer sizes from input to output, e.g. ``[2, 3, 3, 1]``.
    negative_slope:
        Slope of the LeakyReLU for negative inputs.
    output_activation:
        ``"leaky_relu"`` (the paper's code) or ``"identity"``.
    seed:
        If given, initialise with ``torch.manual_seed(seed)`` (PyTorch's default
        initialisation), without touching the global generator's later state.

    Example
    -------
    >>> MLP([2, 2, 1], seed=1).widths
    [2, 2, 1]
    """

    def __init__(
        self,
        widths: Sequence[int],
        negative_slope: float = DEFAULT_NEGATIVE_SLOPE,
        output_activation: OutputActivation = "leaky_relu",
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.output_activation = check_choice("output_activation", output_activation, OUTPUT_ACTIVATIONS)
        self.widths = list(check_widths(widths))
        self.negative_slope = check_number("negative_slope", negative_slope)
        if seed is None:
            self.layers = self._make_layers()
        else:
            with torch.random.fork_rng():
                torch.manual_seed(seed)
                self.layers = self._make_layers()

    def _make_layers(self) -> nn.ModuleList:
        return nn.ModuleList(
            nn.Linear(n_in, n_out) for n_in, n_out in zip(self.widths[:-1], self.widths[1:])
        )

    @property
    def n_layers(self) -> int:
        """Number of ``Linear`` layers."""
        return len(self.layers)

    def activate(self, i: int, z: torch.Tensor) -> torch.Tensor:
        """The activation that follows ``Linear`` layer ``i``."""
        # the string test first: nn.Module attribute lookups (self.layers) cost a microsecond each
        if self.output_activation == "identity" and i == self.n_layers - 1:
            return z
        return F.leaky_relu(z, self.negative_slope)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.run(x)[-1]

    def run(
        self,
        x,
        *,
        node_masks: Sequence | None = None,
        edge_masks: Sequence | None = None,
        ablation: "Ablation | None" = None,
        patch: "Patch | None" = None,
    ) -> list[torch.Tensor]:
        """Activations of every layer (input first, output last) of a masked, patched network.

        Parameters
        ----------
        x:
            Inputs ``(n, n_inputs)``, or ``(C, n, n_inputs)`` for a batch of ``C`` circuits.
        node_masks:
            One mask per layer (input and output included), each ``(width,)`` or ``(C, width)``:
            the input of ``Linear`` layer ``i`` is multiplied by ``node_masks[i]``; the
            output's mask is never applied (as in the paper's code). Masks may be
            continuous and carry gradients.
        edge_masks:
            One mask per ``Linear`` layer, ``(out, in)`` or ``(C, out, in)``, multiplying its
            weights. Biases are never masked.
        ablation:
            What an edge outside the circuit carries instead of its input neuron's live
            value. ``None`` or zero ablation: nothing (the paper's masked forward); mean or
            resample: the values of :class:`~mi_ident.interventions.Ablation`.
        patch:
            Post-activation values forced onto some neurons (interchange interventions),
            applied before the next layer reads them.

        Returned activations are the values passed on: a masked-out neuron reads 0 (its
        ablated value, if any, travels on the edges only). Unbatched masks use the same
        torch operations as the original code, so its float32 values are reproduced bit
        for bit. No ``torch.no_grad`` here: callers that do not need gradients use it.

        Example
        -------
        >>> model = MLP([2, 2, 1], seed=0)
        >>> x = torch.tensor([[0., 1.]])
        >>> masked = model.run(x, node_masks=[[1, 1], [1, 0], [1]])
        >>> masked[1].detach().abs()[0, 1].item()
        0.0
        """
        h = torch.as_tensor(np.asarray(x, dtype=np.float32) if not torch.is_tensor(x) else x,
                            dtype=torch.float32)
        acts = []
        for i in range(self.n_layers):
            node = None if node_masks is None else node_masks[i]
            edge = None if edge_masks is None else edge_masks[i]
            passed, h = self.step(i, h, node, edge, ablation, patch)
            acts.append(passed)
        acts.append(h)
        return acts

    def step(self, i: int, h: torch.Tensor, node=None, edge=None, ablation: "Ablation | None" = None,
             patch: "Patch | None" = None) -> tuple[torch.Tensor, torch.Tensor]:
        """One layer of :meth:`run`: ``(h masked by node, activation of Linear layer i)``.

        Callers that share prefixes between many circuits (interpretations) memoise steps.
        """
        layer = self.layers[i]
        node = None if node is None else _mask(node)
        if node is not None:
            h = h * (node if node.ndim == 1 else node.unsqueeze(-2))
        edge = None if edge is None else _mask(edge)
        W = layer.weight if edge is None else layer.weight * edge
        if W.ndim == 2:
            z = F.linear(h, W, layer.bias)
        else:
            z = torch.matmul(h, W.transpose(-1, -2)) + layer.bias
        if ablation is not None and ablation.values:
            z = z + ablation.carried(i, layer.weight, node, edge)
        out = self.activate(i, z)
        if patch is not None:
            out = patch.apply(i + 1, out)
        return h, out

    def activations(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Post-activation values of every layer, the input first and the output last."""
        return self.run(x)

    def numpy_weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(W0, b0), (W1, b1), ...]`` as float32 arrays, each ``W`` out x in."""
        return [
            (layer.weight.detach().cpu().numpy().copy(), layer.bias.detach().cpu().numpy().copy())
            for layer in self.layers
        ]

    def predict(self, x: torch.Tensor | np.ndarray) -> np.ndarray:
        """Rounded outputs (0/1 for a well-trained net) as an integer array."""
        with torch.no_grad():
            out = self(torch.as_tensor(np.asarray(x), dtype=torch.float32))
        return torch.round(out).to(torch.int64).numpy()

    @classmethod
    def from_weights(
        cls,
        weights: Sequence[tuple[np.ndarray, np.ndarray]],
        negative_slope: float = DEFAULT_NEGATIVE_SLOPE,
        output_activation: OutputActivation = "leaky_relu",
    ) -> "MLP":
        """Build a network from ``[(W0, b0), ...]`` (each ``W`` out x in)."""
        weights = [(_real_array(W, f"W{i}"), _real_array(b, f"b{i}")) for i, (W, b) in enumerate(weights)]
        widths = _widths_from_weights(weights)
        model = cls(widths, negative_slope=negative_slope, output_activation=output_activation, seed=0)
        with torch.no_grad():
            for layer, (W, b) in zip(model.layers, weights):
                layer.weight.copy_(torch.from_numpy(W))
                layer.bias.copy_(torch.from_numpy(b))
        return model


def _mask(m) -> torch.Tensor:
    return m.to(torch.float32) if torch.is_tensor(m) else torch.as_tensor(np.asarray(m, dtype=np.float32))


def _real_array(a, name: str) -> np.ndarray:
    arr = np.asarray(a)
    if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
        raise WeightsFileError(f"{name} must hold real numbers; got dtype {arr.dtype}")
    return arr.astype(np.float32)


def _widths_from_weights(weights: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[int]:
    if not weights:
        raise WeightsFileError("no layers found: expected arrays W0, b0, W1, b1, ...")
    widths = [weights[0][0].shape[1] if weights[0][0].ndim == 2 else -1]
    for i, (W, b) in enumerate(weights):
        if W.ndim != 2 or 0 in W.shape:
            raise WeightsFileError(f"W{i} must be a non-empty 2-D (out x in) matrix; got shape {W.shape}")
        if W.shape[1] != widths[-1]:
            raise WeightsFileError(
                f"W{i} has shape {W.shape} (out x in) but the previous layer has {widths[-1]} "
                f"outputs: each W must be out x in, as in PyTorch"
            )
        if b.shape != (W.shape[0],):
            raise WeightsFileError(f"b{i} must have shape ({W.shape[0]},) to match W{i}; got {b.shape}")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise WeightsFileError(f"W{i} or b{i} contains NaN or infinite values")
        widths.append(W.shape[0])
    return widths


@contextmanager
def single_thread() -> Iterator[None]:
    """Run torch on one thread, then restore the caller's setting.

    The networks here are tiny: waking a thread pool costs milliseconds per call on a
    busy machine (training was several times slower on two threads), and per-row
    float32 results do not depend on the thread count.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
