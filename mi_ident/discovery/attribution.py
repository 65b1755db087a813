"""Attribution patching: a first-order estimate of every edge's effect, from one gradient.

Put a continuous mask ``m_e`` on every edge, all at 1 (the full network). The effect of
removing edge ``e`` (setting ``m_e`` to 0, zero ablation) on the faithfulness loss is
estimated by ``∂loss/∂m_e · (0 - 1)``. The loss is not differentiable at the full network
for ``"mae"`` (it is 0 there, a kink), so the gradient is taken of the output itself:
the score of an edge is the mean over the task inputs of ``|∂output/∂m_e|`` (Syed et
al., 2023, use the metric's gradient; with |Δoutput| as metric this is its magnitude).
All edges' scores come from one backward pass per input row, batched.

Keep the ``k`` edges with the largest scores, or those whose score is above ``threshold``,
then drop neurons left off every path.

Example
-------
>>> from mi_ident.model import MLP
>>> s = edge_scores(MLP([2, 3, 3, 1], seed=0), "XOR")
>>> [a.shape for a in s]
[(3, 2), (3, 3), (1, 3)]
"""

from __future__ import annotations

import numpy as np
import torch

from .._validation import check_int, check_number
from ..circuits import Circuit
from ..errors import ParameterError
from ._common import circuit_from_edges, task_data

__all__ = ["edge_scores", "attribution_patching"]


def edge_scores(model, task="XOR") -> list[np.ndarray]:
    """Estimated effect of removing each edge, ``(out, in)`` per layer: mean ``|∂out/∂m_e|``."""
    data = task_data(model, task)
    n = len(data.X)
    # one mask copy per input row: the gradient of the summed outputs is then per row
    masks = [torch.ones(n, o, i, requires_grad=True)
             for i, o in zip(data.model.widths[:-1], data.model.widths[1:])]
    out = data.model.run(data.X[:, None, :], edge_masks=masks)[-1]
    grads = torch.autograd.grad(out.sum(), masks)
    return [g.abs().mean(dim=0).numpy().astype(np.float64) for g in grads]


def attribution_patching(model, task="XOR", k: int | None = None, threshold: float | None = None) -> Circuit:
    """The circuit of the ``k`` highest-scoring edges, or of those scoring above ``threshold``.

    Exactly one of ``k`` and ``threshold`` must be given. Ties at the ``k``-th score are
    broken by edge order (layer, out, in), so the result is deterministic.
    """
    if (k is None) == (threshold is None):
        raise ParameterError("give exactly one of k (keep the k best edges) or threshold (keep scores above it)")
    scores = edge_scores(model, task)
    flat = np.concatenate([s.ravel() for s in scores])
    if k is not None:
        k = check_int("k", k, minimum=1, maximum=len(flat))
        keep = np.zeros(len(flat), dtype=bool)
        keep[np.argsort(-flat, kind="stable")[:k]] = True
    else:
        keep = flat > check_number("threshold", threshold)
    edges, pos = [], 0
    for s in scores:
        edges.append(keep[pos:pos + s.size].reshape(s.shape).astype(np.uint8))
        pos += s.size
    return circuit_from_edges(edges)
