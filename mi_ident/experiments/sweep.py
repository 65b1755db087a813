"""Sweeps: many runs, resumable, in this process or spread over a Dask cluster.

Each finished run is written as its own JSON file named by its key (which hashes every
parameter), atomically, as soon as it arrives; an interrupted sweep loses only the runs in
flight and a restarted one computes only what is missing, completing stored runs that have
fewer stages than asked. ``workers=1`` runs everything here, in order; ``workers=n`` (or
``None``: every core) starts a Dask ``LocalCluster`` of single-threaded processes;
``scheduler="tcp://host:8786"`` or ``client=`` uses an existing cluster.

Example
-------
>>> import tempfile
>>> configs = sweep_grid(["AND"], hidden_widths=[2], seeds=[0], stages=("train", "census"))
>>> df = run_sweep(configs, tempfile.mkdtemp(), progress=False)
>>> [int(df.loc[0, c]) for c in ("accepted", "n_candidates", "n_valid_circuits")]
[1, 69, 10]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from ..errors import ParameterError
from . import run as _run
from .grid import MAX_RUNS, RunConfig, expand_grid
from .storage import (
    covers,
    load_records,
    records_frame,
    results_folder,
    save_record,
    write_csv,
)

__all__ = ["run_one", "run_sweep", "sweep_grid"]

run_one = _run.run_one


def sweep_grid(gates: Iterable[str], hidden_widths: Iterable[int], seeds: Any, **axes: Any) -> list[RunConfig]:
    """Every combination of gate, hidden width, seed and any other axis (a list) or setting.

    >>> len(sweep_grid(["XOR"], [2, 3], "0-4", census_mode=["paper", "corrected"]))
    20
    """
    return expand_grid({"gates": list(gates), "widths": list(hidden_widths), "seeds": seeds, **axes})


def run_sweep(
    configs: Sequence[RunConfig],
    results_dir: str | Path,
    client: Any = None,
    progress: bool = True,
    workers: int | None = 1,
    scheduler: str | None = None,
    csv: str | Path | None = None,
) -> pd.DataFrame:
    """Run every configuration not yet covered in ``results_dir``; return the asked-for runs.

    Runs of other grids in the folder are kept (and not returned). Interrupting (Ctrl-C)
    keeps every finished run; calling again resumes. ``csv``: also write the table there.
    """
    configs = list(configs)
    if len(configs) > MAX_RUNS:
        raise ParameterError(f"{len(configs):,} runs: more than a sweep may run ({MAX_RUNS:,})")
    keys = [c.key for c in configs]
    if len(set(keys)) != len(keys):
        raise ParameterError("two configurations share a key (the same parameters twice); give each run once")
    if workers is not None and (int(workers) != workers or workers < 1):
        raise ParameterError(f"workers must be a positive integer or None (every core); got {workers!r}")
    folder = results_folder(results_dir)
    stored = load_records(folder)
    todo = [c for c in configs if not covers(stored.get(c.key), c)]
    todo = [_with_stored_stages(c, stored.get(c.key)) for c in todo]
    bar = tqdm(total=len(todo), desc="sweep", unit="run", disable=not progress)
    try:
        if todo and client is None and scheduler is None and workers == 1:
            for config in todo:
                save_record(folder, _run.run_one(config))
                bar.update()
        elif todo:
            _run_on_dask(todo, folder, client, scheduler, workers, bar)
    finally:
        bar.close()
    records = load_records(folder)
    frame = records_frame(records[k] for k in keys if k in records)
    if csv is not None:
        write_csv(frame, csv)
    return frame


def _with_stored_stages(config: RunConfig, record: dict | None) -> RunConfig:
    """Redo a stored run with the union of its stages and the asked ones, so nothing is lost."""
    if record is None:
        return config
    import dataclasses

    stages = set(config.stages) | set(record.get("stages_done", ()))
    return dataclasses.replace(config, stages=tuple(stages))


def _run_on_dask(todo: list[RunConfig], folder: Path, client: Any, scheduler: str | None,
                 workers: int | None, bar: Any) -> None:
    from distributed import as_completed

    own = client is None
    cluster = None
    try:
        if own:
            client, cluster = _start_client(scheduler, workers)
        futures = [client.submit(_run.run_one, c, key=f"run-{c.key}", pure=False) for c in todo]
        for future in as_completed(futures):
            if future.status == "error":  # a worker died (memory?): keep the sweep, redo it next time
                bar.write(f"sweep: run {future.key} failed on its worker ({future.exception()}); "
                          f"run the sweep again to retry it")
            else:
                save_record(folder, future.result())
            bar.update()
    finally:
        if own and client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def _start_client(scheduler: str | None, workers: int | None):
    """A client on ``scheduler``, or on a new LocalCluster of single-threaded worker processes."""
    import logging

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler is not None:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise ParameterError(f"cannot reach the Dask scheduler {scheduler!r} ({type(exc).__name__}); "
                                 f"check the address (e.g. tcp://10.0.0.5:8786) or drop --scheduler") from None
        except ValueError as exc:
            raise ParameterError(f"--scheduler {scheduler!r} is not a scheduler address ({exc})") from None
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        return Client(cluster), cluster
    except BaseException:
        cluster.close()
        raise
