"""The four honest ladders of one network: each kind of non-identifiability, counted three ways.

For circuits, interpretations, algorithms and mappings, a ladder lists the paper's
count, the count once counting artefacts are removed, and the count under stricter
criteria. Each rung is ``(label, count, kind)`` with kind ``"paper"`` (a raw count,
the paper's or our corrected census's), ``"artefact-free"`` or ``"strict"``, ready for
:func:`mi_ident.plotting.plot_ladder`. Every label says what is counted.

Example
-------
>>> from mi_ident.training import train_paper
>>> model = train_paper("XOR", [2, 3, 3, 1], seed_offset=0, progress=False).model
>>> ladders = honest_ladders(model, "XOR", kinds=("circuits",))
>>> [count for _, count, _ in ladders["circuits"]][:3]
[15, 120, 15]
"""

from __future__ import annotations

from typing import Sequence

from .._validation import check_choice, check_fraction, check_int
from ..boolean import make_task

__all__ = ["honest_ladders", "KINDS", "MAX_INTERPRETED"]

KINDS = ("circuits", "interpretations", "algorithms", "mappings")
#: Interpretations are counted on every valid circuit only up to this many circuits.
MAX_INTERPRETED = 5000


def _circuit_ladder(model, data, margin: float) -> tuple[list, object, object]:
    from ..circuits import census

    paper = census(model, data, mode="paper", progress=False)
    full = census(model, data, progress=False)
    strict_margin = census(model, data, progress=False, min_margin=margin)
    resample = census(model, data, progress=False, max_keep=0, ablation="resample")
    rungs = [
        ("paper: valid circuits (its search)", paper.n_valid, "paper"),
        ("valid circuits, every node mask", full.n_valid, "paper"),
        ("silent-neuron wiring merged", full.n_silent_classes, "artefact-free"),
        ("distinct neuron sets", full.n_neuron_sets, "artefact-free"),
        ("edge-minimal circuits", full.n_edge_minimal, "strict"),
        (f"valid with margin > {margin:g}", strict_margin.n_valid, "strict"),
        (f"edge-minimal with margin > {margin:g}", strict_margin.n_edge_minimal, "strict"),
        ("valid under resample ablation", resample.n_valid, "strict"),
    ]
    return rungs, paper, full


def _interpretation_ladder(model, paper, full, X_ground) -> list:
    from ..interpretations import (
        assignment_counts,
        count_distinct_readings,
        interpretation_counts,
        reading_counts,
    )

    circuits = full.circuits()
    if len(circuits) > MAX_INTERPRETED:
        return [(f"not counted: {len(circuits):,} valid circuits (more than {MAX_INTERPRETED:,})", 0, "paper")]
    paper_circuits = paper.circuits()
    rungs = []
    if X_ground is not None:
        paper_total = int(sum(int(c) for c in interpretation_counts(model, paper_circuits, X_ground, mode="paper")))
        rungs.append(("paper: groundings of its circuits", paper_total, "paper"))
    rungs += [
        ("interpretations, every valid circuit", int(sum(int(c) for c in interpretation_counts(model, circuits))),
         "paper"),
        ("threshold assignments (no don't-cares)", int(sum(int(c) for c in assignment_counts(model, circuits))),
         "artefact-free"),
        ("readings, noise thresholds removed", int(sum(int(c) for c in reading_counts(model, circuits))),
         "artefact-free"),
        ("distinct input-level readings", count_distinct_readings(model, circuits), "strict"),
    ]
    return rungs


def _alignment_ladders(model, task, depth: int) -> tuple[list, list]:
    from ..alignment import what_then_where

    paper = what_then_where(model, task, depth=depth, mode="paper")
    single = what_then_where(model, task, depth=depth, criterion="single")
    joint = what_then_where(model, task, depth=depth, criterion="joint")
    algorithms = [
        ("paper: aligned formulas", paper.n_formulas, "paper"),
        ("aligned formulas, both pair directions", single.n_formulas, "paper"),
        ("formula classes (tables up to NOT)", single.n_formula_classes, "artefact-free"),
        ("aligned under joint interventions", joint.n_formulas, "strict"),
        ("their classes", joint.n_formula_classes, "strict"),
    ]
    mappings = [
        ("paper: minimal mappings", paper.total_mappings, "paper"),
        ("minimal mappings, both pair directions", single.total_mappings, "paper"),
        ("mapping classes (up to NOT-duality)", single.n_mapping_classes, "artefact-free"),
        ("minimal mappings, joint interventions", joint.total_mappings, "strict"),
        ("their classes", joint.n_mapping_classes, "strict"),
    ]
    return algorithms, mappings


def honest_ladders(
    model,
    task="XOR",
    data=None,
    X_ground=None,
    depth: int = 3,
    margin: float = 0.1,
    kinds: Sequence[str] = KINDS,
) -> dict[str, list[tuple[str, int, str]]]:
    """The ladders of ``model`` for each kind in ``kinds`` (default: all four).

    ``data`` is the evaluation data of the census (default: the task's truth table),
    ``X_ground`` the paper's grounding inputs (its interpretation count is left out
    when None), ``depth`` the AND/OR depth of candidate formulas, ``margin`` the
    strict circuit criterion (valid by more than ``margin`` on every input).
    """
    kinds = tuple(check_choice("kinds", k, KINDS) for k in kinds)
    margin = check_fraction("margin", margin, high=0.5, high_open=True)
    depth = check_int("depth", depth, minimum=0, maximum=3)
    task = make_task(task)
    data = task if data is None else data
    out: dict[str, list] = {}
    if "circuits" in kinds or "interpretations" in kinds:
        rungs, paper, full = _circuit_ladder(model, data, margin)
        if "circuits" in kinds:
            out["circuits"] = rungs
        if "interpretations" in kinds:
            out["interpretations"] = _interpretation_ladder(model, paper, full, X_ground)
    if "algorithms" in kinds or "mappings" in kinds:
        algorithms, mappings = _alignment_ladders(model, task, depth)
        if "algorithms" in kinds:
            out["algorithms"] = algorithms
        if "mappings" in kinds:
            out["mappings"] = mappings
    return {k: out[k] for k in kinds}
