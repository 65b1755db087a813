"""Distributed alignment search (DAS, Geiger et al., 2024) for what-then-where.

The what-then-where search of :mod:`mi_ident.alignment` maps each node of a formula to a
*set of neurons*. DAS maps it to a *subspace* of one hidden layer's activations: learn an
orthogonal matrix ``R`` (``torch.nn.utils.parametrizations.orthogonal``) and give node
``k`` the rotated coordinates ``k·dims .. (k+1)·dims - 1``. The interchange intervention
of node ``k`` on a (source, base) pair replaces those coordinates of the base's rotated
activations ``R h_base`` by the source's, rotates back and runs the rest of the network:

    h' = h_base + P_k (h_source - h_base),   P_k = R_kᵀ R_k  (the projector on the subspace).

Training fits the patched output to the formula's output with node ``k`` forced to its
value on the source (mean squared error, every node and every ordered pair). The IIA of
node ``k`` is the fraction of pairs whose output bit agrees; a result aligns the formula
when every node's IIA is 1 (the paper's single-node criterion). With ``R`` the identity,
a subspace is a neuron set and the IIA is the one :func:`mi_ident.alignment.align` computes.

Example
-------
>>> from mi_ident.model import MLP
>>> r = das(MLP([2, 3, 3, 1], seed=0), "¬(A*B)*(A+B)", layer=1, steps=20, seed=0)
>>> r.rotation.shape, len(r.iia)
((3, 3), 2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn.utils import parametrizations

from .._validation import as_model, check_int, check_number, check_seed
from ..algorithms import Formula, parse_formula
from ..alignment import interchange_pairs
from ..boolean import input_rows
from ..errors import ParameterError
from ..interventions import Patch
from ..model import MLP, single_thread
from ..vocabulary import IIA_TOLERANCE, READOUT

__all__ = ["DASResult", "das", "rotated_iia", "counterfactual_targets"]


@dataclass(frozen=True)
class DASResult:
    """A learned rotation of hidden ``layer`` and the rotated coordinates of each aligned node."""

    formula: Formula
    layer: int
    rotation: np.ndarray  # (width, width), orthogonal; rows are the rotated basis
    subspaces: tuple[tuple[int, ...], ...]  # rotated coordinates of each aligned node
    iia: tuple[float, ...]  # per aligned node

    @property
    def aligned(self) -> bool:
        """Every node's IIA is 1."""
        return bool(min(self.iia, default=1.0) >= 1.0 - IIA_TOLERANCE)

    def projectors(self) -> list[np.ndarray]:
        """``P_k = R_kᵀ R_k`` for each node: the subspace, whatever basis spans it."""
        return [self.rotation[list(s)].T @ self.rotation[list(s)] for s in self.subspaces]

    def neuron_sets(self, tol: float = 0.05) -> list[frozenset] | None:
        """The neuron set of each node if every projector is (within ``tol``) a 0/1 diagonal, else None."""
        out = []
        for P in self.projectors():
            diag = np.round(np.diag(P))
            if np.abs(P - np.diag(diag)).max() > tol:
                return None
            out.append(frozenset((self.layer, int(j)) for j in np.flatnonzero(diag)))
        return out


def counterfactual_targets(formula: Formula, pairs: np.ndarray) -> np.ndarray:
    """``(n_aligned, n_pairs)``: the formula's output on the base with node ``k`` set from the source."""
    forced = formula.aligned_forced_outputs()
    ids = [n.id for n in formula.aligned_nodes]
    source_values = formula.values[ids][:, pairs[:, 0]]
    k = np.arange(len(ids))[:, None]
    return forced[k, source_values, pairs[None, :, 1]].astype(np.float32)


def _patched_out(model: MLP, layer: int, projectors: torch.Tensor, pairs: np.ndarray) -> torch.Tensor:
    """Outputs ``(n_nodes, n_pairs)`` with ``h' = h_b + P_k (h_s - h_b)`` at ``layer``."""
    rows = torch.as_tensor(input_rows(2).astype(np.float32))
    with torch.no_grad():
        h = model.run(rows)[layer]
    hb, hs = h[pairs[:, 1]], h[pairs[:, 0]]
    patched = hb[None] + torch.einsum("kij,pj->kpi", projectors, hs - hb)
    mask = torch.ones(1, 1, model.widths[layer], dtype=torch.bool)
    base = rows[pairs[:, 1]].expand(len(projectors), -1, -1)
    return model.run(base, patch=Patch({layer: mask}, {layer: patched}))[-1][..., 0]


def rotated_iia(model, formula, layer: int, rotation, subspaces, pair_order: str = "all") -> list[float]:
    """IIA of each aligned node for a given rotation and rotated coordinates (no training)."""
    model, formula = as_model(model), parse_formula(formula)
    R = torch.as_tensor(np.asarray(rotation, dtype=np.float32))
    P = torch.stack([R[list(s)].T @ R[list(s)] for s in subspaces])
    pairs = interchange_pairs(formula.n_inputs, pair_order)
    with torch.no_grad():
        out = _patched_out(model, layer, P, pairs)
    target = counterfactual_targets(formula, pairs).astype(bool)
    return [float(v) for v in ((out > READOUT).numpy() == target).mean(axis=1)]


def _check(model: MLP, formula: Formula, layer: int, dims: int) -> None:
    if model.widths[0] != 2 or formula.n_inputs != 2 or model.widths[-1] != 1:
        raise ParameterError("DAS here aligns two-input formulas with single-output, two-input networks")
    if not 1 <= layer < model.n_layers:
        raise ParameterError(f"layer must be a hidden layer, 1..{model.n_layers - 1}; got {layer}")
    need = dims * len(formula.aligned_nodes)
    if need > model.widths[layer]:
        raise ParameterError(
            f"{len(formula.aligned_nodes)} aligned nodes x dims={dims} need {need} dimensions, but layer "
            f"{layer} has {model.widths[layer]}: choose a wider layer or smaller dims")


def das(model, formula, layer: int = 1, dims: int = 1, seed: int = 0, steps: int = 150, lr: float = 0.1,
        pair_order: str = "all") -> DASResult:
    """Learn a rotation of hidden ``layer`` aligning ``formula``'s nodes with ``dims``-dimensional subspaces.

    ``seed`` draws the initial rotation; ``steps`` and ``lr`` are Adam's. The returned IIA
    is measured after training with the hard read-out ``output > 0.5``.
    """
    model, formula = as_model(model), parse_formula(formula)
    layer, dims = check_int("layer", layer), check_int("dims", dims, minimum=1)
    seed, steps, lr = check_seed(seed), check_int("steps", steps, minimum=1, maximum=100_000), check_number("lr", lr)
    _check(model, formula, layer, dims)
    width, n_nodes = model.widths[layer], len(formula.aligned_nodes)
    subspaces = tuple(tuple(range(k * dims, (k + 1) * dims)) for k in range(n_nodes))
    pairs = interchange_pairs(2, pair_order)
    target = torch.from_numpy(counterfactual_targets(formula, pairs))
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        rot = parametrizations.orthogonal(nn.Linear(width, width, bias=False))
    opt = torch.optim.Adam(rot.parameters(), lr=lr)
    with single_thread():
        for _ in range(steps if n_nodes else 0):
            R = rot.weight
            P = torch.stack([R[list(s)].T @ R[list(s)] for s in subspaces])
            loss = ((_patched_out(model, layer, P, pairs) - target) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    rotation = rot.weight.detach().numpy().astype(np.float64)
    iia = rotated_iia(model, formula, layer, rotation, subspaces, pair_order)
    return DASResult(formula, layer, rotation, subspaces, tuple(iia))
