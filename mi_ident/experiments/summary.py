"""One network summarised for the circuit chapters: both censuses, honest counts, interpretations."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._validation import check_choice, check_int
from ..vocabulary import ABLATIONS

__all__ = ["circuit_summary"]


def circuit_summary(
    gate: str, width: int, seed: int = 0, n_seeds: int = 5, max_interpreted: int = 2000,
    ablations: Sequence[str] = ("zero",),
) -> dict[str, Any]:
    """Train a ``2-width-width-1`` net on ``gate``, run both censuses, count interpretations.

    Seeds ``seed, seed+1, ...`` are tried until one is accepted (at most ``n_seeds``).
    Interpretations (corrected mode, every Boolean input row) are counted on every valid
    circuit when there are at most ``max_interpreted``; otherwise on that many evenly
    spaced ones (among the first ``max(1000 * max_interpreted, 2e6)`` at width 5), and the total is
    left out (``None``): counts are heavy-tailed, so a sample says little about their sum.

    Next to the raw ``n_valid`` (zero ablation, corrected mode): ``n_silent_classes`` (up to the
    wiring of silent neurons), ``n_edge_minimal``, ``n_neuron_sets``, the ``silent`` neurons and
    the smallest ``min_margin`` of a valid circuit; the first two and the margin are ``None`` when
    the census had to keep only some circuits (width 5). ``n_valid_by_ablation`` gives the raw
    count under each ablation of ``ablations`` (each one more census).

    >>> s = circuit_summary("AND", 2)
    >>> s["n_valid"], s["n_valid_paper"], s["n_edge_minimal"]
    (10, 1, 1)
    """
    from ..circuits import census
    from ..interpretations import assignment_counts, interpretation_counts
    from ..training import train

    width = check_int("width", width, minimum=1)
    ablations = [check_choice("ablations", a, ABLATIONS) for a in ablations]
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
        kept = exact.subset(np.linspace(0, exact.n_kept - 1, max_interpreted).round().astype(int))
    circuits = kept.circuits()
    counts = [int(c) for c in interpretation_counts(result.model, circuits)]
    assigned = [int(c) for c in assignment_counts(result.model, circuits)]
    complete = len(circuits) == exact.n_valid
    summary.update(
        n_candidates=exact.n_candidates,
        n_valid=exact.n_valid,
        n_candidates_paper=paper.n_candidates,
        n_valid_paper=paper.n_valid,
        silent=[str(n) for n in exact.silent],
        n_silent_classes=exact.n_silent_classes,
        n_edge_minimal=exact.n_edge_minimal,
        n_neuron_sets=exact.n_neuron_sets,
        min_margin=None if exact.truncated or not exact.n_valid else float(exact.margin.min()),
        n_valid_by_ablation={a: exact.n_valid if a == "zero" else census(
            result.model, gate, progress=False, allow_large=True, max_keep=0, ablation=a).n_valid
            for a in ablations},
        n_interpreted=len(circuits),
        interpretations=sum(counts) if complete else None,
        assignments=sum(assigned) if complete else None,
        median_interpretations=float(np.median(counts)) if counts else 0.0,
        max_interpretations=max(counts, default=0),
    )
    return summary
