"""What the edges outside a circuit carry, in float64, per evaluation unit.

* ``"zero"``: nothing (the paper's masked forward);
* ``"mean"``: each input neuron's mean activation in the full network over the evaluation
  **samples** (distinct rows weighted by how often they occur), as
  :meth:`mi_ident.interventions.Ablation.mean` computes it on the samples; with
  ``mean_over="rows"``, over the distinct rows, each once (on the reference seed_03 the two give
  640 and 638 valid circuits: its 200 samples are not balanced over the 4 corners);
* ``"resample"``: its activation in the full network on a source input; every distinct
  evaluation row is a source, and unit ``u = g * R + r`` runs row ``r`` with source ``g``.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits._data import _prepare_data
>>> data = _prepare_data(None, "XOR", 0.99, 2, 1)
>>> values, groups = _ablation_values(MLP([2, 3, 1], seed=0), data, "mean", 0.01)
>>> [v.shape for v in values], groups
([(1, 2), (1, 3)], 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._data import _Data

if TYPE_CHECKING:
    from ..model import MLP

__all__: list[str] = []  # private helpers of the census


def _full_activations(model: "MLP", rows: np.ndarray, slope: float) -> list[np.ndarray]:
    """Post-activation values of every layer of the full network (input first), float64."""
    acts, h = [rows], rows
    weights = model.numpy_weights()
    for i, (W, b) in enumerate(weights):
        z = h @ W.astype(np.float64).T + b.astype(np.float64)
        last = i == len(weights) - 1
        h = z if last and model.output_activation != "leaky_relu" else np.where(z >= 0, z, z * slope)
        acts.append(h)
    return acts


def _ablation_values(model: "MLP", data: _Data, ablation: str, slope: float, mean_over: str = "samples"):
    """``(values per Linear layer or None, number of groups)`` for the chosen ablation."""
    if ablation == "zero":
        return None, 1
    acts = _full_activations(model, data.rows, slope)[:-1]
    if ablation == "mean":
        counts = data.row_counts if mean_over == "samples" else np.ones(len(data.rows))
        weights = counts / counts.sum()
        return [(weights @ a)[None] for a in acts], 1
    R = len(data.rows)
    return [np.repeat(a, R, axis=0) for a in acts], R  # unit g * R + r carries source g's values
