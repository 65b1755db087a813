"""Run records on disk: one JSON file per run, written atomically, read back leniently.

A results folder may hold runs of several grids (each run's file is named by its key, which
hashes every parameter) and other files: anything that is not a run record is skipped with a
warning. A stored record *covers* a configuration when every stage asked for was computed, or
was skipped for a reason that asking again would not change.

Example
-------
>>> import tempfile
>>> from mi_ident.experiments.grid import RunConfig
>>> folder = tempfile.mkdtemp()
>>> config = RunConfig("AND", width=2, stages=("train",))
>>> _ = save_record(folder, {"key": config.key, "stages_done": ["train"], "skipped": {}})
>>> covers(load_records(folder)[config.key], config)
True
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .._io import atomic_write_text
from ..errors import ResultsFileError
from .grid import RunConfig

__all__ = [
    "covers",
    "load_records",
    "load_results",
    "records_frame",
    "results_folder",
    "save_record",
    "write_csv",
]


def results_folder(path: str | Path, create: bool = True) -> Path:
    """``path`` as a results folder; a file there (or a missing folder when reading) is an error."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ResultsFileError(f"{path} is a file, not a results folder; give a folder name (created if missing)")
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ResultsFileError(f"cannot create the results folder {path}: {exc.strerror or exc}") from None
    elif not path.is_dir():
        raise ResultsFileError(f"{path} does not exist; run mi-ident sweep {path} first")
    return path


def save_record(folder: str | Path, record: dict[str, Any]) -> Path:
    """Write one run's record as ``KEY.json`` (atomically, under a unique temporary name)."""
    return atomic_write_text(Path(folder) / f"{record['key']}.json", json.dumps(record, sort_keys=True))


def load_records(folder: str | Path) -> dict[str, dict[str, Any]]:
    """Every run record in ``folder`` by key; other files are skipped with one warning."""
    folder = results_folder(folder, create=False)
    records, foreign = {}, []
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            record = None
        if isinstance(record, dict) and record.get("key") == path.stem and "stages_done" in record:
            records[path.stem] = record
        else:
            foreign.append(path.name)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        warnings.warn(f"{folder}: ignored {len(foreign)} file(s) that are not run records: {shown} "
                      f"(a damaged run file is recomputed on the next sweep)", stacklevel=2)
    return records


def covers(record: dict[str, Any] | None, config: RunConfig) -> bool:
    """Whether ``record`` has every stage ``config`` asks for (done, or skipped for good)."""
    if record is None:
        return False
    done, skipped = set(record.get("stages_done", ())), record.get("skipped", {})
    for stage in config.stages:
        if stage in done:
            continue
        why = skipped.get(stage)
        if why is None or why.get("retry") == "always" or (why.get("retry") == "allow_large" and config.allow_large):
            return False
    return True


def records_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per run: every parameter, every count, ``skipped`` as text, ``seconds_<stage>``."""
    rows = []
    for record in records:
        row = {k: v for k, v in record.items() if k not in ("params", "skipped", "seconds", "stages_done")}
        row.update(record.get("params", {}))
        if row.get("skew") is not None:
            row["skew"] = "/".join(f"{p:g}" for p in row["skew"])
        row["stages_done"] = " ".join(record.get("stages_done", ()))
        row["skipped"] = "; ".join(f"{s}: {w['reason']}" for s, w in record.get("skipped", {}).items())
        for stage, seconds in record.get("seconds", {}).items():
            row[f"seconds_{stage}"] = seconds
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def load_results(folder: str | Path, configs: Iterable[RunConfig] | None = None) -> pd.DataFrame:
    """The runs in ``folder`` (only those of ``configs`` when given) as a DataFrame."""
    records = load_records(folder)
    if configs is not None:
        records = {c.key: records[c.key] for c in configs if c.key in records}
    return records_frame(records.values())


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as CSV atomically (readers never see half a file)."""
    return atomic_write_text(path, frame.to_csv(index=False))
