"""The single-output fast path's verdicts: per unit, the intervals of the output's
pre-activation ``z`` that give a correct sample, with their error margins.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits._data import _prepare_data
>>> from mi_ident.circuits._verdict import _Net
>>> net = _Net(MLP([2, 2, 1], seed=0), _prepare_data(None, "XOR", 0.99, n_in=2, n_out=1), "float64")
>>> cl = _classes(net)
>>> float(cl.lo[0, 0]), float(cl.hi[0, 0]), len(cl.patterns)
(-50.0, 0.5, 1)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ._verdict import _Net

__all__: list[str] = []  # private helpers of the census

_MAX_PATTERNS = 4096


@dataclass
class _Classes:
    """Per unit, the output pre-activation intervals that give each target, with margins."""

    lo: np.ndarray  # (U, T)  NaN where a unit has fewer targets / an unreachable target
    hi: np.ndarray
    elo: np.ndarray
    ehi: np.ndarray
    counts: np.ndarray  # (U, T) int
    patterns: list[tuple[tuple[int, ...], int]]  # (class per unit, -1 = wrong; worst group's count)


def _intervals(net: _Net, U: int, T: int):
    """Interval bounds in z per unit and target, or None when they are too narrow to call."""
    s, m = net.slope, net.margin or 0.0
    lo, hi, elo, ehi = (np.full((U, T), np.nan) for _ in range(4))
    counts = np.zeros((U, T), dtype=np.int64)

    def pre(v: float) -> float:  # preimage of an output value under the monotone activation
        if v >= 0 or not net.leaky_out:
            return v
        return v / s if s > 0 else -np.inf

    for r, tlist in enumerate(net.unit_targets()):
        e = float(net.z_err[r, 0])
        for j, (t, k) in enumerate(tlist):
            counts[r, j] = k
            t = float(t[0])
            if t != round(t):
                continue  # round() never gives a non-integer target
            a_lo, a_hi = t - 0.5 + m, t + 0.5 - m
            if net.leaky_out and s == 0 and a_hi <= 0:
                continue
            zl, zh = pre(a_lo), pre(a_hi)
            lo[r, j], hi[r, j] = zl, zh
            # torch rounds s*z in float32: widen negative boundaries by that relative error
            elo[r, j] = e + (2 * net.u * abs(zl) if np.isfinite(zl) and zl < 0 else 0.0)
            ehi[r, j] = e + (2 * net.u * abs(zh) if zh < 0 else 0.0)
            if zh - zl <= 4 * max(elo[r, j], ehi[r, j]):
                return None
    return lo, hi, elo, ehi, counts


def _group_patterns(counts: np.ndarray, n_targets: list[int], min_correct: int):
    """Patterns (class per row, -1 = wrong) of one group whose correct count suffices."""
    choices = [range(-1, n) for n in n_targets]
    if math.prod(len(c) for c in choices) > 16 * _MAX_PATTERNS:
        return None
    out = []
    for p in itertools.product(*choices):
        k = sum(int(counts[r, j]) for r, j in enumerate(p) if j >= 0)
        if k >= min_correct:
            out.append((p, k))
    return out if len(out) <= _MAX_PATTERNS else None


def _classes(net: _Net) -> _Classes | None:
    """Intervals in z for a correct sample, or None when the fast path does not apply."""
    if net.leaky_out and net.slope < 0:
        return None
    targets = net.unit_targets()
    U, T = len(targets), max(len(t) for t in targets)
    bounds = _intervals(net, U, T)
    if bounds is None:
        return None
    lo, hi, elo, ehi, counts = bounds
    R = net.R
    per_group = _group_patterns(counts[:R], [len(t) for t in net.data.targets], net.data.min_correct)
    if per_group is None or len(per_group) ** net.G > _MAX_PATTERNS:
        return None
    patterns = [(sum((p for p, _ in combo), ()), min(k for _, k in combo))
                for combo in itertools.product(per_group, repeat=net.G)]
    return _Classes(lo, hi, elo, ehi, counts, patterns)


def _judge_z(net: _Net, cl: _Classes, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Like :func:`~mi_ident.circuits._verdict._judge_outputs`, for output pre-activations
    ``z`` (..., U) of the single output."""
    zz = z[..., None]
    with np.errstate(invalid="ignore"):
        inside = (zz > cl.lo + cl.elo) & (zz < cl.hi - cl.ehi)
        border = ((np.abs(zz - cl.lo) <= cl.elo) | (np.abs(zz - cl.hi) <= cl.ehi)).any(axis=-1)
    per_unit = (inside * cl.counts).sum(axis=-1)
    upper = net.group_min(np.where(border, cl.counts.max(axis=1), per_unit))
    any_border = border.any(axis=-1)
    return net.group_min(per_unit), any_border, any_border & (upper >= net.data.min_correct)
