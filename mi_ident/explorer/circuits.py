"""The explorer's first view: the valid circuits, counted raw and without artefacts.

Three counts, from the paper's to the strictest, all from :func:`mi_ident.circuits.census`
under the chosen ablation and margin:

* **valid**: every candidate circuit (all node masks) whose accuracy on the truth table
  exceeds 0.99;
* **silent neurons merged**: valid circuits that differ only in the wiring of silent
  neurons count once (``CensusResult.n_silent_classes``);
* **edge-minimal** (strict): valid circuits that contain no other valid circuit.

The module also holds an independent brute force, used by the tests to check the census:
:func:`valid_circuits` evaluates every candidate in batched forward passes of
:meth:`mi_ident.model.MLP.run` (up to :data:`MAX_CANDIDATES`), :func:`edge_minimal`
compares edge sets pairwise and :func:`silent_keys` drops, per circuit, the edges of
neurons whose pre-activation is <= 0 on every row.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.explorer.settings import Settings
>>> view = circuit_view(MLP([2, 2, 1], seed=0), Settings.from_preset("AND", width=2, depth=1))
>>> view.n_edge_minimal <= view.n_silent_classes <= view.n_valid
True
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from ..circuits import Circuit, count_candidates, iter_circuits
from ..errors import TooLargeError
from ..interventions import Ablation
from ..model import MLP, single_thread
from .settings import Settings

__all__ = ["CircuitView", "circuit_view", "valid_circuits", "edge_minimal", "silent_keys",
           "MAX_CANDIDATES"]

#: Largest candidate list evaluated by brute force (other ablations or a margin).
MAX_CANDIDATES = 200_000
_CHUNK = 4096


@dataclass(frozen=True)
class CircuitView:
    """Counts of valid circuits and a gallery of genuinely different ones (edge-minimal first)."""

    widths: tuple[int, ...]
    ablation: str
    min_margin: float
    n_candidates: int
    n_valid: int
    n_silent_classes: int
    n_edge_minimal: int | None  # None: too many valid circuits to compare pairwise
    gallery: tuple[Circuit, ...]
    source: str

    def rungs(self) -> list[tuple]:
        """The ladder of counts, for :func:`mi_ident.plotting.plot_ladder`."""
        rungs = [(f"valid circuits ({self.ablation} ablation)", self.n_valid, "paper"),
                 ("silent neurons merged", self.n_silent_classes, "artefact-free")]
        if self.n_edge_minimal is not None:
            rungs.append(("edge-minimal", self.n_edge_minimal, "strict"))
        return rungs


@lru_cache(maxsize=4)
def _candidates(widths: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Every candidate as dense masks: nodes ``(C, sum(widths))`` and edges ``(C, n_edges)``."""
    nodes, edges = [], []
    for c in iter_circuits(widths):
        nodes.append(np.concatenate([np.asarray(m, dtype=bool) for m in c.node_masks]))
        edges.append(np.concatenate([e.ravel().astype(bool) for e in c.edge_masks]))
    return np.array(nodes), np.array(edges)


def _layer_masks(widths, nodes: np.ndarray, edges: np.ndarray):
    """Per-layer float tensors from dense masks (the layout of :meth:`MLP.run`)."""
    node_masks, edge_masks, n0, e0 = [], [], 0, 0
    for w in widths:
        node_masks.append(torch.from_numpy(nodes[:, n0:n0 + w].astype(np.float32)))
        n0 += w
    for i, o in zip(widths[:-1], widths[1:]):
        edge_masks.append(torch.from_numpy(edges[:, e0:e0 + i * o].reshape(-1, o, i).astype(np.float32)))
        e0 += i * o
    return node_masks, edge_masks


def _correct(out: torch.Tensor, y: torch.Tensor, min_margin: float) -> torch.Tensor:
    """Rows right under the census's rule (rounded output equals the target), with a margin."""
    ok = (torch.round(out) == y).all(dim=-1)
    if min_margin > 0:
        ok &= ((out - y).abs() <= 0.5 - min_margin).all(dim=-1)
    return ok


def valid_circuits(model: MLP, settings: Settings) -> tuple[int, np.ndarray, np.ndarray]:
    """``(n_candidates, nodes, edges)`` of the valid circuits, by batched brute force."""
    widths = tuple(model.widths)
    n = count_candidates(widths)
    if n > MAX_CANDIDATES:
        raise TooLargeError(
            f"a {list(widths)} network has {n:,} candidate circuits, more than the {MAX_CANDIDATES:,} "
            f"evaluated one by one for {settings.ablation} ablation or a margin; choose zero ablation "
            f"and margin 0 (the fast census) or a smaller network")
    nodes, edges = _candidates(widths)
    task = settings.task
    rows = torch.as_tensor(np.array(task.inputs), dtype=torch.float32)
    y = torch.as_tensor(np.array(task.table), dtype=torch.float32)
    ablation = None
    if settings.ablation == "mean":
        ablation = Ablation.mean(model, rows)
    elif settings.ablation == "resample":  # every (source, base) pair of rows
        pairs = np.array(list(itertools.product(range(len(rows)), repeat=2)))
        ablation = Ablation.resample(model, rows[pairs[:, 0]])
        rows, y = rows[pairs[:, 1]], y[pairs[:, 1]]
    keep = np.zeros(len(nodes), dtype=bool)
    with torch.no_grad(), single_thread():
        for start in range(0, len(nodes), _CHUNK):
            nm, em = _layer_masks(widths, nodes[start:start + _CHUNK], edges[start:start + _CHUNK])
            out = model.run(rows, node_masks=nm, edge_masks=em, ablation=ablation)[-1]
            acc = _correct(out, y, settings.min_margin).float().mean(dim=-1)
            keep[start:start + _CHUNK] = (acc > 0.99).numpy()
    return n, nodes[keep], edges[keep]


def silent_keys(model: MLP, nodes: np.ndarray, edges: np.ndarray, rows) -> np.ndarray:
    """Each circuit's edges with those of its silent neurons removed, ``(C, n_edges)`` bool.

    A kept hidden neuron is silent when its pre-activation is <= 0 on every row (its
    LeakyReLU output is then the 1% leak of a negative number).
    """
    widths = model.widths
    keys = edges.copy()
    if not len(nodes):
        return keys
    x = torch.as_tensor(np.asarray(rows), dtype=torch.float32)
    with torch.no_grad(), single_thread():
        nm, em = _layer_masks(widths, nodes, edges)
        acts = model.run(x, node_masks=nm, edge_masks=em)  # acts[l]: (C, R, w_l), masked
    offsets = np.cumsum([0] + [i * o for i, o in zip(widths[:-1], widths[1:])])
    n0 = widths[0]
    for layer in range(1, len(widths) - 1):
        w = widths[layer]
        active = nodes[:, n0:n0 + w]
        silent = active & (acts[layer] <= 0).all(dim=1).numpy()
        n0 += w
        for j in range(w):
            hit = silent[:, j]
            if not hit.any():
                continue
            w_in, w_out = widths[layer - 1], widths[layer + 1]
            keys[np.ix_(hit, offsets[layer - 1] + j * w_in + np.arange(w_in))] = False  # edges into j
            keys[np.ix_(hit, offsets[layer] + np.arange(w_out) * w + j)] = False  # edges out of j
    return keys


def edge_minimal(edges: np.ndarray) -> np.ndarray:
    """Which edge sets contain no other one of the list (as a strict subset), ``(C,)`` bool.

    >>> edge_minimal(np.array([[1, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=bool)).tolist()
    [False, True, True]
    """
    packed = np.packbits(np.asarray(edges, dtype=bool), axis=1)
    minimal = np.ones(len(packed), dtype=bool)
    for start in range(0, len(packed), 256):
        a = packed[start:start + 256]
        inside = ((packed[None, :, :] & ~a[:, None, :]) == 0).all(axis=2)  # [i, j]: j's edges within i's
        equal = (packed[None, :, :] == a[:, None, :]).all(axis=2)
        minimal[start:start + 256] = ~(inside & ~equal).any(axis=1)
    return minimal


def circuit_view(model: MLP, settings: Settings, n_gallery: int = 8) -> CircuitView:
    """Count the valid circuits of ``model`` with :func:`mi_ident.circuits.census` (the chosen
    ablation and margin) and keep its edge-minimal circuits, fewest edges first, to draw."""
    from ..circuits import census

    result = census(model, settings.task, progress=False, ablation=settings.ablation,
                    min_margin=settings.min_margin or None)
    gallery = sorted(result.edge_minimal_circuits(), key=lambda c: sum(int(e.sum()) for e in c.edge_masks))
    return CircuitView(tuple(model.widths), settings.ablation, settings.min_margin, result.n_candidates,
                       result.n_valid, result.n_silent_classes, result.n_edge_minimal,
                       tuple(gallery[:n_gallery]), "census")
