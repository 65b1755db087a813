"""Interventions on a network's forward pass: ablations and patches, as small values.

An :class:`Ablation` says what an edge *outside* a circuit carries instead of its
input neuron's live value: nothing (zero ablation, the paper's), the neuron's mean
activation over some inputs, or its activation on another (source) input. A
:class:`Patch` forces post-activation values onto chosen neurons, e.g. their values
on a source input (an interchange intervention). Both are consumed by
:meth:`mi_ident.model.MLP.run`, the package's one forward pass.

Example
-------
>>> import torch
>>> from mi_ident.model import MLP
>>> model = MLP([2, 3, 1], seed=0)
>>> corners = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
>>> mean = Ablation.mean(model, corners)
>>> out = model.run(corners, node_masks=[[1, 1], [1, 0, 0], [1]], ablation=mean)[-1]
>>> tuple(out.shape)
(4, 1)
>>> patch = Patch.interchange(model, [[(1, 0)]], sources=corners[[3]])
>>> tuple(model.run(corners, patch=patch)[-1].shape)   # one set, 4 base inputs
(1, 4, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np
import torch

from .errors import ParameterError

if TYPE_CHECKING:
    from .model import MLP

__all__ = ["Ablation", "Patch"]


@dataclass(frozen=True)
class Ablation:
    """Values carried by edges outside a circuit, per layer of activations.

    ``values[i]`` (input layer first, last hidden layer last) broadcasts against the
    activations fed to ``Linear`` layer ``i``, ``(n, width)``; empty for zero ablation.
    Build one with :meth:`zero`, :meth:`mean` or :meth:`resample`.
    """

    kind: str = "zero"
    values: tuple[torch.Tensor, ...] = ()

    @classmethod
    def zero(cls) -> "Ablation":
        """Removed edges carry 0: the paper's masked forward."""
        return cls("zero", ())

    @classmethod
    def mean(cls, model: "MLP", X) -> "Ablation":
        """Each removed edge carries its input neuron's mean activation over ``X`` (full network)."""
        with torch.no_grad():
            clean = model.run(X)
        return cls("mean", tuple(a.mean(dim=-2, keepdim=True) for a in clean[:-1]))

    @classmethod
    def resample(cls, model: "MLP", sources) -> "Ablation":
        """Each removed edge carries its input neuron's activation on the source input of the same
        row: run the circuit on base inputs ``(n, n_inputs)`` with ``sources`` of the same shape."""
        with torch.no_grad():
            clean = model.run(sources)
        return cls("resample", tuple(clean[:-1]))

    def carried(self, i: int, weight: torch.Tensor, node, edge) -> torch.Tensor:
        """Contribution to layer ``i``'s pre-activation of the edges it does not keep."""
        keep = torch.ones_like(weight)
        if edge is not None:
            keep = keep * edge
        if node is not None:
            keep = keep * node.unsqueeze(-2)
        return torch.matmul(self.values[i], (weight * (1 - keep)).transpose(-1, -2))


@dataclass(frozen=True)
class Patch:
    """Post-activation values forced onto neurons: ``where(masks[l], values[l], activation)``.

    ``masks`` and ``values`` map a layer (1 = first hidden layer) to tensors that broadcast
    against that layer's activations. Build an interchange intervention with
    :meth:`interchange`, or give the tensors directly for anything else.
    """

    masks: dict[int, torch.Tensor] = field(default_factory=dict)
    values: dict[int, torch.Tensor] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if set(self.masks) != set(self.values):
            raise ParameterError("a Patch needs values for exactly the layers it masks")

    def apply(self, layer: int, h: torch.Tensor) -> torch.Tensor:
        if layer not in self.masks:
            return h
        return torch.where(self.masks[layer], self.values[layer], h)

    @classmethod
    def interchange(cls, model: "MLP", neuron_sets: Sequence[Iterable[tuple[int, int]]], sources) -> "Patch":
        """Set ``s`` of ``neuron_sets`` takes its values on ``sources`` (one per base row).

        Run the network on base inputs ``(n, n_inputs)``: the result has shape
        ``(n_sets, n, ...)``, row ``p`` of set ``s`` with the neurons of ``s`` holding
        their values on ``sources[p]`` in the unpatched network.
        """
        with torch.no_grad():
            clean = model.run(sources)
        return cls.from_sets(model, neuron_sets, clean)

    @classmethod
    def from_sets(cls, model: "MLP", neuron_sets: Sequence[Iterable[tuple[int, int]]], values) -> "Patch":
        """Set ``s`` of ``neuron_sets`` takes ``values[layer]`` (activations per layer, e.g. of a run on
        source inputs); the result broadcasts a leading set dimension, ``(n_sets, n, ...)``."""
        sets = [list(s) for s in neuron_sets]
        masks, layer_values = {}, {}
        for layer in range(1, model.n_layers):
            m = np.zeros((len(sets), 1, model.widths[layer]), dtype=bool)
            for k, s in enumerate(sets):
                for l, i in s:
                    if l == layer:
                        m[k, 0, i] = True
            if m.any():
                masks[layer] = torch.from_numpy(m)
                layer_values[layer] = values[layer]
        return cls(masks, layer_values)
