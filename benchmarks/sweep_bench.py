"""Where a sweep's time goes: seconds per stage, width and mode, and the projected full-size time.

    .venv/bin/python benchmarks/sweep_bench.py                        # 2 fresh seeds per width and mode
    .venv/bin/python benchmarks/sweep_bench.py --from results/paper_width  # the stored runs' own timings

Every run record stores the seconds each stage took (``seconds_<stage>`` in the table). The
projection multiplies the mean seconds per run by the runs of the shipped width grid (widths 2-5,
paper and corrected mode, 30 accepted seeds each, width 2 twice the seeds for its ~50% acceptance)
and divides by the number of cores. On a shared machine the numbers are wall-clock seconds of a
busy process: compare ``--from`` timings taken at different loads with care.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from mi_ident.experiments import expand_grid, load_results, run_sweep

STAGES = ("train", "census", "interpretations", "alignment")


def fresh(seeds: str) -> pd.DataFrame:
    grid = {"gates": ["XOR"], "widths": [2, 3, 4, 5], "seeds": seeds, "recipe": "paper",
            "mode": ["paper", "corrected"], "stages": list(STAGES), "allow_large": True}
    return run_sweep(expand_grid(grid), tempfile.mkdtemp(), workers=1, progress=False)


def report(df: pd.DataFrame, cores: int) -> None:
    cols = [f"seconds_{s}" for s in STAGES if f"seconds_{s}" in df]
    df = df.assign(seconds_total=df[cols].fillna(0).sum(axis=1))
    table = df.groupby(["census_mode", "width"])[cols + ["seconds_total"]].mean()
    pd.set_option("display.width", 200)
    print("mean seconds per run (skipped stages count as their few milliseconds):")
    print(table.round(2).to_string())
    runs = {w: (60 if w == 2 else 30) for w in (2, 3, 4, 5)}  # seeds for ~30 accepted networks
    total = sum(table.loc[(mode, w), "seconds_total"] * n
                for (mode, w) in table.index for ww, n in runs.items() if ww == w)
    print(f"\nprojected full width grid (30 accepted seeds per width, both modes): "
          f"{total:,.0f} s of work, {total / cores / 60:,.1f} min on {cores} cores")
    skipped = df.loc[df["skipped"].astype(str).str.len() > 0, ["census_mode", "width", "skipped"]]
    reasons = skipped.assign(skipped=skipped["skipped"].str.slice(0, 90)).drop_duplicates(["census_mode", "width"])
    if len(reasons):
        print("\nstages skipped (first reason per mode and width):")
        print(reasons.to_string(index=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", default=None, help="a results folder to summarise instead")
    parser.add_argument("--seeds", default="0-1", help="seeds of the fresh runs (default 0-1)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = load_results(args.source) if args.source else fresh(args.seeds)
    report(df, args.cores)


if __name__ == "__main__":
    main()
