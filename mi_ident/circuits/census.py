"""The census: count (and keep) every candidate circuit that meets the accuracy rule.

Example
-------
>>> from mi_ident.model import MLP
>>> result = census(MLP([2, 2, 2, 1], seed=0), "XOR", progress=False)
>>> result.n_candidates, result.mode
(69, 'corrected')
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .._validation import (
    as_model_and_data,
    check_choice,
    check_fraction,
    check_int,
    check_mode,
    check_number,
    check_size,
)
from ..errors import ParameterError, TooLargeError
from ..vocabulary import ABLATIONS
from ._ablation import _ablation_values, _full_activations
from ._data import _prepare_data
from ._engine import _Engine, _Recorder, _Tuning
from ._result import CensusResult
from ._verdict import _Net
from ._zspace import _classes
from .classes import edge_minimal_mask, margins, silent_class_ids, silent_neurons
from .space import _iter_combos, _widths, count_candidates

if TYPE_CHECKING:
    from ..model import MLP

__all__ = ["census", "CensusResult", "estimated_seconds", "MAX_ESTIMATED_SECONDS"]

#: Seconds per candidate measured on the 2-core development machine, for 4 distinct input rows:
#: factorised single-output path (2-5-5-1: 21-34 s for 7.27e9), generic path (multi-output nets),
#: plus a fixed cost per node mask.
_RATE_FAST = 3e-9
_RATE_GENERIC = 1e-6
_RATE_COMBO = 2e-3
#: Above this many estimated seconds a census needs ``allow_large=True``: 2-4-4-1 (~0.5 s) runs
#: freely, 2-5-5-1 in corrected mode (~24 s estimated) needs the flag, paper mode (~2 s) does not.
MAX_ESTIMATED_SECONDS = 10.0
#: Beyond this many candidates even ``allow_large`` refuses (about a month at the fast rate).
MAX_CANDIDATES = 10**15


def estimated_seconds(widths, n_candidates: int, n_units: int, fast: bool) -> float:
    """Rough seconds a census takes here (``n_units``: distinct rows, times sources when resampling).

    >>> round(estimated_seconds([2, 3, 3, 1], 9625, 4, True), 3)
    0.128
    """
    check_size("candidate circuits", min(n_candidates, 10**300), MAX_CANDIDATES,
               "use estimate_valid_circuits() for a Monte-Carlo estimate")
    n_combos = math.prod(1 << w for w in widths[1:-1])
    rate = (_RATE_FAST if fast else _RATE_GENERIC) * max(1, n_units) / 4
    return n_candidates * rate + n_combos * _RATE_COMBO


def _precision(precision: str | None, mode: str, ablation: str = "zero") -> str:
    if precision is None:
        return "float32" if mode == "paper" and ablation == "zero" else "float64"
    precision = check_choice("precision", precision, ("float32", "float64"))
    if precision == "float32" and ablation != "zero":
        raise ParameterError(
            f"precision='float32' follows the original code's float32 forward, which only zero-ablates; "
            f"use precision='float64' (or None) with ablation={ablation!r}"
        )
    return precision


def census(
    model: "MLP",
    data=None,
    accuracy_threshold: float = 0.99,
    mode: str = "corrected",
    max_keep: int | None = None,
    progress: bool = True,
    allow_large: bool = False,
    precision: str | None = None,
    *,
    ablation: str = "zero",
    min_margin: float | None = None,
    silent_tol: float = 0.0,
    mean_over: str = "samples",
    _tuning: _Tuning | None = None,
) -> CensusResult:
    """Count every candidate circuit whose accuracy on ``data`` is ``> accuracy_threshold``.

    Parameters
    ----------
    model:
        An :class:`~mi_ident.model.MLP`, a ``WeightsFile`` or the path of a ``.npz`` (then
        ``data`` defaults to its ``X_eval, y_eval``).
    data:
        ``(X, y)`` arrays or tensors, a :class:`~mi_ident.data.Dataset`, or a gate name /
        :class:`~mi_ident.boolean.Task` (its truth-table rows, once each).
    accuracy_threshold:
        In ``(0, 1]``. Accuracy is the fraction of samples whose rounded output equals the
        target (every output, for multi-output nets); valid iff accuracy > threshold.
    mode:
        ``"corrected"`` (default; alias ``"exact"``: every node mask) or ``"paper"`` (the
        original code's candidate list). The result reports ``"corrected"`` or ``"paper"``.
    max_keep:
        Keep at most this many valid circuits (the first ones in order); ``None`` keeps all
        (about 40 bytes each). Counts are always complete.
    allow_large:
        Run even when the estimated time exceeds :data:`MAX_ESTIMATED_SECONDS`.
    precision:
        ``"float32"``: every verdict equals the original code's float32 torch forward pass.
        ``"float64"``: verdicts of the network computed in float64 with the LeakyReLU slope as
        stored (closer to real numbers); the two differ only for the few circuits whose output
        lies within float32 rounding error of a rounding boundary (e.g. 14 of 7.27e9 candidates
        for the reference 2-5-5-1 net). ``None`` (default): ``"float32"`` in paper mode, to
        reproduce the original code, and ``"float64"`` otherwise. Only zero ablation has a
        float32 reference (the original's forward), so other ablations need ``"float64"``.
    ablation:
        What every edge outside the circuit carries (edges from removed neurons and removed
        edges of kept neurons): ``"zero"`` (default, the paper's), ``"mean"`` (its input
        neuron's mean activation in the full network over the evaluation samples) or
        ``"resample"`` (its value in the full network on another input: every distinct
        evaluation row is a source in turn, and a circuit is valid only if it meets the
        accuracy rule for every source). See :mod:`._ablation`.
    mean_over:
        For mean ablation: ``"samples"`` (default: the mean over the evaluation samples) or
        ``"rows"`` (over the distinct rows, each once).
    min_margin:
        ``None`` (default): the plain rounding rule. A number ``m`` in ``[0, 0.5)``: a sample
        counts as correct only if its output is also more than ``m`` from every rounding
        boundary, so circuits whose margin is ``<= m`` are not valid (see :mod:`.classes`).
    silent_tol:
        A hidden neuron is silent when its value in the full network is ``<= silent_tol`` on
        every distinct evaluation input (default 0: it never leaves LeakyReLU's leak).

    The census never runs one forward pass per circuit (see :mod:`._engine`). Distinct input
    rows are evaluated once. Values are computed in float64 with a certified float32 error
    bound; the rare candidates within that bound of a rounding boundary are re-evaluated one by
    one by the verdict of reference. Cost (``benchmarks/circuit_bench.py``, counts only, a
    loaded 2-core machine): mean ablation about what zero costs (2-4-4-1: 1.8 s vs 2.4 s; 2-5-5-1:
    108 s vs 69 s), resample 2-3.5x more (5.0 s; 236 s): it evaluates every (row, source) pair.
    Margins, silent classes and edge-minimal circuits are computed afterwards from the kept
    circuits (:mod:`.classes`): +0.8 s for the 161,737 of 2-4-4-1, +4.3 s for its 543,176 under
    mean ablation; pass ``max_keep=0`` when only the raw counts are needed.
    """
    from tqdm.auto import tqdm

    net_model, file_data = as_model_and_data(model)
    threshold = check_fraction("accuracy_threshold", accuracy_threshold, low_open=True)
    mode = check_mode(mode)
    ablation = check_choice("ablation", ablation, ABLATIONS)
    precision = _precision(precision, mode, ablation)
    if min_margin is not None:
        min_margin = check_fraction("min_margin", min_margin, high=0.5, high_open=True)
    silent_tol = check_number("silent_tol", silent_tol)
    mean_over = check_choice("mean_over", mean_over, ("samples", "rows"))
    if max_keep is not None:
        max_keep = check_int("max_keep", max_keep, minimum=0)
    ws = _widths(net_model.widths)
    data = _prepare_data(file_data, data, threshold, ws[0], ws[-1])
    n_candidates = count_candidates(ws, mode)
    slope = float(np.float32(net_model.negative_slope)) if precision == "float32" else net_model.negative_slope
    values, n_groups = _ablation_values(net_model, data, ablation, slope, mean_over)
    net = _Net(net_model, data, precision, values, n_groups, min_margin)
    cl = _classes(net) if ws[-1] == 1 and len(ws) >= 3 else None
    seconds = estimated_seconds(ws, n_candidates, len(net.units), cl is not None)
    if seconds > MAX_ESTIMATED_SECONDS and not allow_large:
        raise TooLargeError(
            f"a {mode}-mode census of a {list(ws)} network has {n_candidates:,} candidate circuits, "
            f"estimated {seconds:,.0f} s here (limit {MAX_ESTIMATED_SECONDS:.0f} s); pass allow_large=True "
            f"(mi-ident census --allow-large) to run it anyway, or use estimate_valid_circuits() for a "
            f"Monte-Carlo estimate"
        )
    rec = _Recorder(ws, max_keep)
    with tqdm(total=n_candidates, disable=not progress, unit="circuit", unit_scale=True,
              desc=f"census {mode}") as bar:
        _Engine(net, ws, mode, rec, bar, _tuning or _Tuning()).run(list(_iter_combos(ws, mode)), cl)
    if rec.n_evaluated != n_candidates:
        raise AssertionError(f"evaluated {rec.n_evaluated} of {n_candidates} candidates")
    index, nb, eb, correct = rec.table()
    sparsity = 1 - np.bitwise_count(nb).sum(axis=1) / max(1, sum(ws[1:-1]))
    silent = silent_neurons(_full_activations(net_model, data.rows, slope), silent_tol)
    return CensusResult(
        ws, mode, threshold, n_candidates, rec.n_evaluated, rec.n_valid, index.astype(np.int64), nb, eb,
        sparsity.astype(np.float64), correct / len(data.X), ablation, min_margin, silent_tol, silent,
        rec.n_neuron_sets, margins(net, ws, nb, eb), silent_class_ids(ws, silent, nb, eb)[0],
        None if len(index) < rec.n_valid else edge_minimal_mask(eb),
    )
