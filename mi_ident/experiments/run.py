"""One run of a sweep: train, then census, interpretations and alignment, each timed.

A stage that cannot run (the network was rejected, the census would take too long without
``allow_large``, too many valid circuits to interpret) is *skipped*, and the record says why
and whether asking again could change that (``retry``: ``"allow_large"``, ``"always"`` or
``None``). A run never raises for one bad stage: the sweep goes on.

Counts recorded (when the stage ran): ``n_candidates``, ``n_valid_circuits`` (census mode),
plus any count the census result offers among :data:`CENSUS_EXTRAS`;
``total_interpretations`` and ``median_interpretations`` (per valid circuit, interpretation
mode), ``total_assignments`` (threshold choices only: the don't-care completions, the
``3INPUTS`` ones included, are not counted), ``n_uninterpretable``, ``total_readings``
(readings with the interpretations module's minimum gap, when it offers them); ``n_formulas``,
``total_mappings``, ``n_candidate_formulas`` summed over the outputs, plus
:data:`ALIGNMENT_EXTRAS` when the alignment result offers them.

Example
-------
>>> from mi_ident.experiments.grid import RunConfig
>>> r = run_one(RunConfig("AND", width=2, stages=("train", "census")))
>>> r["accepted"], r["n_valid_circuits"], r["stages_done"]
(True, 10, ['train', 'census'])
"""

from __future__ import annotations

import inspect
import time
import traceback
from typing import Any

import numpy as np

from .. import __version__
from ..boolean import make_task
from ..errors import MIIdentError, ParameterError
from .grid import RunConfig

__all__ = ["ALIGNMENT_EXTRAS", "CENSUS_EXTRAS", "MAX_INTERPRETED", "run_one"]

#: Interpretations are counted only when a census keeps at most this many valid circuits
#: (each costs a masked forward and a small dynamic program: about 0.2-1 ms).
MAX_INTERPRETED = 20_000
#: Artefact-free counts a census may offer (silent-neuron classes, edge-minimal circuits, neuron
#: sets); recorded whenever the result has them (they need every valid circuit kept).
CENSUS_EXTRAS = ("n_silent_classes", "n_edge_minimal", "n_neuron_sets")
ALIGNMENT_EXTRAS = ("n_formula_classes", "n_mapping_classes", "n_distinct_formulas")


def run_one(config: RunConfig) -> dict[str, Any]:
    """Every stage of ``config``; a JSON-ready record stating every parameter and why any stage was skipped."""
    record: dict[str, Any] = {"key": config.key, "params": config.params(), "n_tasks": config.n_tasks,
                              "stages_done": [], "skipped": {}, "seconds": {}, "version": __version__}
    state: dict[str, Any] = {}
    for stage in config.stages:
        why = _blocked(stage, state)
        if why is not None:
            record["skipped"][stage] = {"reason": why, "retry": None}
            continue
        start = time.perf_counter()
        try:
            _STAGES[stage](config, state, record)
            record["stages_done"].append(stage)
        except MIIdentError as exc:  # too large, or not applicable: say so, keep going
            message = str(exc)
            record["skipped"][stage] = {"reason": message,
                                        "retry": "allow_large" if "allow_large" in message else None}
        except Exception as exc:  # noqa: BLE001 (a bug or an exhausted machine: keep the sweep alive, retry later)
            last = traceback.format_exception_only(type(exc), exc)[-1].strip()
            record["skipped"][stage] = {"reason": f"error: {last}", "retry": "always"}
        record["seconds"][stage] = round(time.perf_counter() - start, 4)
    return record


def _legacy(mode: str, stage: str) -> str:
    """The mode word every version of each stage accepts (``exact``/``extended`` for corrected)."""
    if mode == "paper":
        return mode
    return "extended" if stage == "alignment" else "exact"


def _blocked(stage: str, state: dict[str, Any]) -> str | None:
    if stage != "train" and not state.get("accepted", False):
        return "the network was rejected by the training criteria" if "accepted" in state else "training failed"
    if stage == "interpretations" and "circuits" not in state:
        return state.get("no_circuits", "the census did not run")
    return None


def _train(config: RunConfig, state: dict, record: dict) -> None:
    from ..data import make_dataset
    from ..training import train, train_paper

    task = make_task(config.gate)
    recipe = dict(lr=config.lr, weight_decay=config.weight_decay, l1=config.l1, dropout=config.dropout,
                  loss_target=config.loss_target, max_epochs=config.max_epochs)
    if config.recipe == "paper":
        trained = train_paper(task, list(config.widths), seed_offset=config.seed, progress=False, **recipe)
    else:
        data = make_dataset(task, n_repeats=1000, noise_std=config.input_noise, input_probs=config.skew,
                            seed=0, label_noise=config.label_noise)
        clean = make_dataset(task, n_repeats=50, seed=1)
        trained = train(task, list(config.widths), seed=config.seed, train_data=data, val_data=clean,
                        progress=False, **recipe)
    state.update(model=trained.model, accepted=bool(trained.accepted), task=task)
    record.update(accepted=bool(trained.accepted), final_loss=float(trained.final_loss),
                  epochs=int(trained.epochs), val_accuracy=float(trained.val_accuracy),
                  stop_reason=trained.stop_reason)


def _census(config: RunConfig, state: dict, record: dict) -> None:
    from ..circuits import census

    options = {}
    if "ablation" in inspect.signature(census).parameters:
        options["ablation"] = config.ablation
    elif config.ablation != "zero":
        raise ParameterError(f"this census has no ablation= option yet; only 'zero' (got {config.ablation!r})")
    keep = MAX_INTERPRETED  # the artefact-free counts need every valid circuit kept; beyond that, none
    result = census(state["model"], state["task"], accuracy_threshold=config.accuracy_threshold,
                    mode=_legacy(config.census_mode, "census"), max_keep=keep, progress=False,
                    allow_large=config.allow_large, **options)
    record.update(n_candidates=int(result.n_candidates), n_valid_circuits=int(result.n_valid))
    for name in CENSUS_EXTRAS:
        value = getattr(result, name, None)
        if isinstance(value, (int, float, np.integer, np.floating)):
            record[name] = value.item() if isinstance(value, np.generic) else value
    if result.n_valid > MAX_INTERPRETED:
        state["no_circuits"] = (f"{result.n_valid:,} valid circuits: more than the {MAX_INTERPRETED:,} "
                                f"a sweep interprets (MAX_INTERPRETED)")
    else:
        state["circuits"] = result.circuits()


def _interpretations(config: RunConfig, state: dict, record: dict) -> None:
    from ..interpretations import assignment_counts, interpretation_counts

    circuits, model, mode = state["circuits"], state["model"], _legacy(config.interp_mode, "i")
    counts = [int(c) for c in interpretation_counts(model, circuits, None, mode=mode)]
    tables = [int(c) for c in assignment_counts(model, circuits, None, mode=mode)]
    # Python ints: totals can pass 2**63; JSON keeps them exact
    record.update(total_interpretations=sum(counts), total_assignments=sum(tables),
                  median_interpretations=float(np.median(counts)) if counts else 0.0,
                  n_uninterpretable=sum(c == 0 for c in counts))
    try:  # readings separated by a minimum gap, where the interpretations module offers them
        from ..interpretations import reading_counts
    except ImportError:
        return
    record["total_readings"] = sum(int(c) for c in reading_counts(model, circuits, None, mode=mode))


def _alignment(config: RunConfig, state: dict, record: dict) -> None:
    from ..alignment import what_then_where

    options = {}
    if "criterion" in inspect.signature(what_then_where).parameters:
        options["criterion"] = config.criterion
    elif config.criterion != "single":
        raise ParameterError(f"this alignment has no criterion= option yet; only 'single' (got {config.criterion!r})")
    task, totals = state["task"], {"n_formulas": 0, "total_mappings": 0, "n_candidate_formulas": 0}
    extras: dict[str, int] = {}
    for j in range(task.n_outputs):  # one output at a time: formulas are single-output
        target = "".join(str(int(b)) for b in task.table[:, j])
        aligned = what_then_where(state["model"], target, depth=config.formula_depth, output=j,
                                  mode=_legacy(config.align_mode, "alignment"), **options)
        for name in totals:
            totals[name] += int(getattr(aligned, name))
        for name in ALIGNMENT_EXTRAS:
            value = getattr(aligned, name, None)
            if isinstance(value, (int, np.integer)):
                extras[name] = extras.get(name, 0) + int(value)
    record.update(totals, **extras)


_STAGES = {"train": _train, "census": _census, "interpretations": _interpretations, "alignment": _alignment}
