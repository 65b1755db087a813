"""Sweeps: many (gate, architecture, seed) runs, resumable, optionally spread over a Dask cluster.

Each finished run is written as its own small JSON file (written to a temporary
name, then renamed), so an interrupted sweep loses only the runs in flight and a
restarted one skips everything already on disk. With a ``dask.distributed``
``Client`` the runs go to the cluster; results are saved on the client side as
they arrive.

Example
-------
>>> import tempfile
>>> configs = sweep_grid(["AND"], hidden_widths=[2], seeds=[0], stages=("train", "census"))
>>> configs[0].key
'AND_2-2-2-1_seed0'
>>> df = run_sweep(configs, tempfile.mkdtemp(), progress=False)
>>> [int(df.loc[0, c]) for c in ("accepted", "n_candidates", "n_valid_circuits")]
[1, 69, 10]
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd
from tqdm.auto import tqdm

from ..errors import ParameterError, ResultsFileError
from ..boolean import make_task

STAGES = ("train", "census", "interpretations", "alignment")


@dataclass(frozen=True)
class RunConfig:
    """One run of a sweep: a task, an architecture, a seed and the stages to compute.

    ``gate`` is a gate name. ``mode`` is the census and interpretation mode
    (``"exact"`` or ``"paper"``), ``alignment_mode`` the what-then-where mode
    (``"extended"`` or ``"paper"``); ``params`` go to :func:`mi_ident.training.train`.
    """

    gate: str
    widths: tuple[int, ...]
    seed: int
    stages: tuple[str, ...] = STAGES
    mode: str = "exact"
    alignment_mode: str = "extended"
    accuracy_threshold: float = 0.99
    depth: int = 3
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        make_task(self.gate)  # fail at the boundary, not on a worker an hour later
        unknown = set(self.stages) - set(STAGES)
        if unknown:
            raise ParameterError(f"unknown stages {sorted(unknown)}; choose from {STAGES}")
        if "train" not in self.stages:
            raise ParameterError("every run starts by training its network: include 'train' in stages")
        if "alignment" in self.stages and make_task(self.gate).n_outputs != 1:
            raise ParameterError(
                f"alignment searches formulas for one output; {self.gate} has several: "
                f"drop 'alignment' from stages or sweep each gate on its own"
            )

    @property
    def key(self) -> str:
        arch = "-".join(str(w) for w in self.widths)
        return f"{self.gate}_{arch}_seed{self.seed}"


def sweep_grid(
    gates: Iterable[str],
    hidden_widths: Iterable[int],
    seeds: Iterable[int],
    n_hidden_layers: int = 2,
    **options: Any,
) -> list[RunConfig]:
    """Every combination of gate, hidden width and seed (hidden layers of equal width)."""
    configs = []
    for gate in gates:
        n_out = make_task(gate).n_outputs
        for width in hidden_widths:
            for seed in seeds:
                widths = (2, *([int(width)] * n_hidden_layers), n_out)
                configs.append(RunConfig(gate, widths, int(seed), **options))
    return configs


def run_one(config: RunConfig) -> dict[str, Any]:
    """Run every stage of one configuration and return a JSON-ready record."""
    from ..training import train

    task = make_task(config.gate)
    record: dict[str, Any] = {"key": config.key, **_config_record(config)}
    trained = train(task, list(config.widths), seed=config.seed, progress=False, **config.params)
    record.update(accepted=bool(trained.accepted), final_loss=float(trained.final_loss),
                  epochs=int(trained.epochs), val_accuracy=float(trained.val_accuracy))
    if not trained.accepted:
        return record
    model = trained.model
    circuits = None
    if "census" in config.stages or "interpretations" in config.stages:
        from ..circuits import census

        result = census(model, task, accuracy_threshold=config.accuracy_threshold,
                        mode=config.mode, progress=False)
        record.update(n_candidates=int(result.n_candidates), n_valid_circuits=int(result.n_valid))
        circuits = result.circuits()
    if "interpretations" in config.stages:
        from ..interpretations import interpretation_counts

        counts = interpretation_counts(model, circuits, None, mode=config.mode)
        record.update(total_interpretations=int(sum(int(c) for c in counts)))
    if "alignment" in config.stages:
        from ..alignment import what_then_where

        aligned = what_then_where(model, task, depth=config.depth, mode=config.alignment_mode)
        record.update(n_formulas=int(aligned.n_formulas), total_mappings=int(aligned.total_mappings))
    return record


def _config_record(config: RunConfig) -> dict[str, Any]:
    d = asdict(config)
    d["widths"] = list(config.widths)
    d["stages"] = list(config.stages)
    return d


def _result_path(results_dir: Path, key: str) -> Path:
    return results_dir / f"{key}.json"


def _write_atomic(path: Path, record: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as fh:
        json.dump(record, fh)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def load_results(results_dir: str | Path) -> pd.DataFrame:
    """All finished runs in ``results_dir`` as a DataFrame (one row per run)."""
    results_dir = Path(results_dir)
    records = []
    for path in sorted(results_dir.glob("*.json")):
        try:
            record = json.loads(path.read_text())
            if not isinstance(record, dict) or "key" not in record:
                raise ParameterError("not a run record")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ResultsFileError(
                f"{path} is not a valid result ({exc}); delete it and run the sweep again "
                f"to recompute that run"
            ) from None
        records.append(record)
    return pd.DataFrame.from_records(records)


def run_sweep(
    configs: Sequence[RunConfig],
    results_dir: str | Path,
    client: Any = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Run every configuration not yet in ``results_dir`` and return all results.

    Interrupting (Ctrl-C) keeps every finished run; calling again resumes.
    ``client``: a ``dask.distributed.Client`` to run on a cluster (optional).
    """
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    keys = [c.key for c in configs]
    if len(set(keys)) != len(keys):
        raise ParameterError("two configurations share a key; each (gate, widths, seed) may appear once")
    done = set(load_results(results_dir).get("key", pd.Series(dtype=str)))
    todo = [c for c in configs if c.key not in done]
    bar = tqdm(total=len(todo), desc="sweep", disable=not progress)
    try:
        if client is None:
            for config in todo:
                _write_atomic(_result_path(results_dir, config.key), run_one(config))
                bar.update()
        else:
            from distributed import as_completed

            futures = client.map(run_one, todo, pure=False)
            for future in as_completed(futures):
                record = future.result()
                _write_atomic(_result_path(results_dir, record["key"]), record)
                bar.update()
    finally:
        bar.close()
    results = load_results(results_dir)
    return results[results["key"].isin(set(keys))].reset_index(drop=True)
