"""The :class:`Circuit` value, its checks at the boundary, and its forward pass.

A circuit is a node mask per layer (input and output included) and an edge mask per
``Linear`` layer (out x in), every entry 0 or 1, in the layout of the reference JSON files.

Example
-------
>>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 0], [1]],
...                        "edge_masks": [[[1, 1], [0, 0]], [[1, 0]]]})
>>> c.widths, c.n_neurons, c.n_edges, c.sparsity
([2, 2, 1], 1, 3, 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputTypeError, ParameterError
from .._validation import as_model

if TYPE_CHECKING:
    import torch

    from ..model import MLP

__all__ = ["Circuit", "check_circuit", "circuit_forward"]


@dataclass(frozen=True, eq=False)
class Circuit:
    """A sub-network: ``node_masks`` (one 0/1 tuple per layer, input and output included) and
    ``edge_masks`` (one 0/1 ``uint8`` array per ``Linear`` layer, out x in).

    Masks holding anything but 0 and 1 are refused (:class:`~mi_ident.errors.ParameterError`).

    Example
    -------
    >>> Circuit(((1, 1), (7,), (1,)), (np.ones((1, 2)), np.ones((1, 1))))
    Traceback (most recent call last):
    ...
    mi_ident.errors.ParameterError: node mask 1 must hold only 0 and 1; got (7,)
    """

    node_masks: tuple[tuple[int, ...], ...]
    edge_masks: tuple[np.ndarray, ...]

    def __post_init__(self) -> None:
        nodes, edges = [], []
        for i, m in enumerate(self.node_masks):
            arr = np.asarray(m)
            if arr.ndim != 1 or not np.isin(arr, (0, 1)).all():
                raise ParameterError(f"node mask {i} must hold only 0 and 1; got {tuple(np.ravel(arr).tolist())}")
            nodes.append(tuple(int(v) for v in arr))
        for i, e in enumerate(self.edge_masks):
            arr = np.asarray(e)
            if arr.ndim != 2 or not np.isin(arr, (0, 1)).all():
                raise ParameterError(f"edge mask {i} must be a 2-D (out x in) array of 0 and 1; got {arr.tolist()}")
            edges.append(arr.astype(np.uint8))
        object.__setattr__(self, "node_masks", tuple(nodes))
        object.__setattr__(self, "edge_masks", tuple(edges))

    @classmethod
    def _trusted(cls, node_masks: tuple, edge_masks: tuple) -> "Circuit":
        """Build without checks: for masks the package itself made (thousands per census)."""
        c = object.__new__(cls)
        object.__setattr__(c, "node_masks", node_masks)
        object.__setattr__(c, "edge_masks", edge_masks)
        return c

    @classmethod
    def from_dict(cls, d: dict) -> "Circuit":
        """From ``{"node_masks": [...], "edge_masks": [...]}`` (the reference JSON layout)."""
        if not isinstance(d, dict) or not {"node_masks", "edge_masks"} <= set(d):
            raise ParameterError("a circuit dict needs the keys 'node_masks' and 'edge_masks'")
        return cls(tuple(tuple(m) for m in d["node_masks"]), tuple(np.asarray(e) for e in d["edge_masks"]))

    def to_dict(self) -> dict:
        return {
            "node_masks": [list(m) for m in self.node_masks],
            "edge_masks": [e.tolist() for e in self.edge_masks],
        }

    @property
    def widths(self) -> list[int]:
        return [len(m) for m in self.node_masks]

    @property
    def n_neurons(self) -> int:
        """Number of hidden neurons kept (inputs and outputs are always kept)."""
        return sum(sum(m) for m in self.node_masks[1:-1])

    @property
    def n_edges(self) -> int:
        """Number of edges kept, over every ``Linear`` layer."""
        return sum(int(e.sum()) for e in self.edge_masks)

    @property
    def sparsity(self) -> float:
        """Fraction of hidden neurons removed (0 for the full network)."""
        total = sum(self.widths[1:-1])
        return 1 - self.n_neurons / total if total else 0.0

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Circuit)
            and self.node_masks == other.node_masks
            and all(np.array_equal(a, b) for a, b in zip(self.edge_masks, other.edge_masks))
        )

    def __hash__(self) -> int:
        return hash((self.node_masks, tuple(e.tobytes() for e in self.edge_masks)))


def check_circuit(model: "MLP", circuit: Circuit) -> None:
    """Raise a clear error unless ``circuit`` is a :class:`Circuit` shaped like ``model``.

    >>> from mi_ident.model import MLP
    >>> check_circuit(MLP([2, 2, 1], seed=0), "c")
    Traceback (most recent call last):
    ...
    mi_ident.errors.InputTypeError: circuit must be a mi_ident.circuits.Circuit (e.g. Circuit.from_dict(...)); got str
    """
    if not isinstance(circuit, Circuit):
        raise InputTypeError(
            f"circuit must be a mi_ident.circuits.Circuit (e.g. Circuit.from_dict(...)); "
            f"got {type(circuit).__name__}"
        )
    if list(circuit.widths) != list(model.widths):
        raise ParameterError(
            f"the circuit has layer widths {circuit.widths} but the model has {model.widths}: "
            f"take circuits from a census of this model"
        )
    for i, edges in enumerate(circuit.edge_masks):
        expected = (model.widths[i + 1], model.widths[i])
        if np.shape(edges) != expected:
            raise ParameterError(f"edge mask {i} has shape {np.shape(edges)}; layer {i} needs out x in = {expected}")


def circuit_forward(model: "MLP", circuit: Circuit, X) -> list["torch.Tensor"]:
    """Activations of every layer of ``circuit`` (float32): ``model.run`` with its masks.

    At layer ``i`` the layer input is multiplied by ``node_masks[i]`` and the weights by
    ``edge_masks[i]``; biases are never masked and the output node mask is not applied
    (zero ablation, the original code's forward pass, bit for bit). Returned hidden
    activations are the masked values passed on (inactive neurons read 0).

    >>> from mi_ident.model import MLP
    >>> from mi_ident.circuits import iter_circuits
    >>> acts = circuit_forward(MLP([2, 2, 1], seed=0), next(iter_circuits([2, 2, 1])), [[0, 1]])
    >>> [tuple(a.shape) for a in acts]
    [(1, 2), (1, 2), (1, 1)]
    """
    import torch

    from ..model import single_thread

    model = as_model(model)
    check_circuit(model, circuit)
    x = torch.as_tensor(np.asarray(X, dtype=np.float32))
    if x.ndim != 2 or x.shape[1] != model.widths[0]:
        raise ParameterError(f"X must have shape (n, {model.widths[0]}); got {tuple(x.shape)}")
    with torch.no_grad(), single_thread():
        return model.run(x, node_masks=circuit.node_masks, edge_masks=circuit.edge_masks)
