"""One network summarised for the circuit chapters: both censuses and interpretation counts."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..errors import ParameterError

__all__ = ["circuit_summary"]


def circuit_summary(
    gate: str, width: int, seed: int = 0, n_seeds: int = 5, max_interpreted: int = 2000
) -> dict[str, Any]:
    """Train a ``2-width-width-1`` net on ``gate``, run both censuses, count interpretations.

    Seeds ``seed, seed+1, ...`` are tried until one is accepted (at most ``n_seeds``).
    Interpretations (exact mode, every Boolean input row) are counted on every valid
    circuit when there are at most ``max_interpreted``; otherwise on that many evenly
    spaced ones (among the first ``max(1000 * max_interpreted, 2e6)`` at width 5), and the total is
    left out (``None``): counts are heavy-tailed, so a sample says little about their sum.

    >>> s = circuit_summary("AND", 2)
    >>> s["n_valid"], s["n_valid_paper"]
    (10, 1)
    """
    from ..circuits import census
    from ..interpretations import assignment_counts, interpretation_counts
    from ..training import train

    if int(width) != width or width < 1:
        raise ParameterError(f"width must be a positive integer; got {width!r}")
    result = None
    for s in range(seed, seed + n_seeds):
        result = train(gate, [2, width, width, 1], seed=s, progress=False)
        if result.accepted:
            break
    summary = {"gate": gate, "width": int(width), "seed": result.seed, "accepted": result.accepted}
    if not result.accepted:
        return summary
    # width 5 has ~1e8 valid circuits: storing them all would need gigabytes, and the
    # interpretation figures only ever use a sample of them
    exact = census(result.model, gate, progress=False, allow_large=True,
                   max_keep=max(1000 * max_interpreted, 2_000_000))
    paper = census(result.model, gate, mode="paper", progress=False, allow_large=True, max_keep=0)
    kept = exact
    if exact.n_kept > max_interpreted:
        pick = np.linspace(0, exact.n_kept - 1, max_interpreted).round().astype(int)
        kept = dataclasses.replace(
            exact, index=exact.index[pick], node_bits=exact.node_bits[pick], edge_bits=exact.edge_bits[pick],
            sparsity=exact.sparsity[pick], accuracy=exact.accuracy[pick],
        )
    circuits = kept.circuits()
    counts = [int(c) for c in interpretation_counts(result.model, circuits)]
    assigned = [int(c) for c in assignment_counts(result.model, circuits)]
    complete = len(circuits) == exact.n_valid
    summary.update(
        n_candidates=exact.n_candidates,
        n_valid=exact.n_valid,
        n_candidates_paper=paper.n_candidates,
        n_valid_paper=paper.n_valid,
        n_interpreted=len(circuits),
        interpretations=sum(counts) if complete else None,
        assignments=sum(assigned) if complete else None,
        median_interpretations=float(np.median(counts)) if counts else 0.0,
        max_interpretations=max(counts, default=0),
    )
    return summary
