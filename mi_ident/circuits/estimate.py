"""Monte-Carlo estimate of the number of valid circuits, with a Wilson score interval.

Example
-------
>>> from mi_ident.model import MLP
>>> est = estimate_valid_circuits(MLP([2, 3, 3, 1], seed=0), "XOR", n_samples=200)
>>> est.low <= est.estimate <= est.high
True
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._validation import as_model_and_data, check_choice, check_fraction, check_int, check_mode, check_seed
from ..vocabulary import ABLATIONS
from ._ablation import _ablation_values
from ._data import _prepare_data
from ._verdict import _judge_outputs, _Net, _reference_correct
from .census import _precision
from .space import _Space, _widths

if TYPE_CHECKING:
    from ..model import MLP

__all__ = ["Estimate", "estimate_valid_circuits", "wilson_interval"]

#: Most samples one call draws (each costs a small float64 forward).
MAX_SAMPLES = 10_000_000


@dataclass(frozen=True)
class Estimate:
    """A Monte-Carlo estimate of the number of valid circuits, with a confidence interval."""

    estimate: float
    low: float
    high: float
    n_samples: int
    n_candidates: int
    n_hits: int = 0
    confidence: float = 0.95

    def __repr__(self) -> str:
        return (
            f"Estimate({self.estimate:,.0f} valid of {self.n_candidates:,}; "
            f"{self.confidence:.0%} CI [{self.low:,.0f}, {self.high:,.0f}], n_samples={self.n_samples})"
        )


def wilson_interval(hits: int, n: int, confidence: float) -> tuple[float, float]:
    """Wilson's score interval for a binomial proportion ``hits / n``.

    >>> [round(v, 4) for v in wilson_interval(0, 100, 0.95)]
    [0.0, 0.037]
    """
    z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate_valid_circuits(
    model: "MLP",
    data=None,
    n_samples: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
    mode: str = "corrected",
    accuracy_threshold: float = 0.99,
    precision: str | None = None,
    ablation: str = "zero",
    mean_over: str = "samples",
) -> Estimate:
    """Estimate the number of valid circuits by sampling candidates uniformly (with replacement).

    Each sample is a uniform integer in ``[0, n_candidates)`` mapped to its circuit by the
    enumeration bijection (:func:`~mi_ident.circuits.circuit_at`), so the fraction of valid
    samples times ``n_candidates`` is unbiased; the interval is Wilson's score interval on that
    fraction. Works for any width up to about 2-10-10-1 (e.g. 2-6-6-1, far beyond a census).
    ``ablation`` and ``mean_over`` mean what they mean for :func:`~mi_ident.circuits.census`.
    """
    net_model, file_data = as_model_and_data(model)
    threshold = check_fraction("accuracy_threshold", accuracy_threshold, low_open=True)
    mode = check_mode(mode)
    n_samples = check_int("n_samples", n_samples, minimum=1, maximum=MAX_SAMPLES)
    confidence = check_fraction("confidence", confidence, low_open=True, high_open=True)
    seed = check_seed(seed)
    ablation = check_choice("ablation", ablation, ABLATIONS)
    mean_over = check_choice("mean_over", mean_over, ("samples", "rows"))
    precision = _precision(precision, mode, ablation)
    ws = _widths(net_model.widths)
    data = _prepare_data(file_data, data, threshold, ws[0], ws[-1])
    space = _Space(ws, mode)
    if space.total == 0:
        return Estimate(0.0, 0.0, 0.0, n_samples, 0, 0, confidence)
    rng = random.Random(seed)
    samples = [rng.randrange(space.total) for _ in range(n_samples)]
    slope = float(np.float32(net_model.negative_slope)) if precision == "float32" else net_model.negative_slope
    net = _Net(net_model, data, precision, *_ablation_values(net_model, data, ablation, slope, mean_over))
    hits = 0
    for start in range(0, len(samples), 2048):
        circuits = [space.circuit_at(i) for i in samples[start : start + 2048]]
        nodes = [np.array([c.node_masks[i] for c in circuits], dtype=np.float64) for i in range(len(ws))]
        edges = [np.array([c.edge_masks[i] for c in circuits], dtype=np.float64) for i in range(len(ws) - 1)]
        correct, border, maybe = _judge_outputs(net, net.forward(nodes, edges))
        hits += int(((correct >= data.min_correct) & ~border).sum())
        hits += sum(_reference_correct(net, circuits[c]) >= data.min_correct for c in np.flatnonzero(maybe))
    low, high = wilson_interval(hits, n_samples, confidence)
    p, total = hits / n_samples, space.total
    return Estimate(p * total, low * total, high * total, n_samples, total, hits, confidence)
