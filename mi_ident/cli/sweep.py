"""``mi-ident sweep``: train and analyse many networks, resumable, in parallel on Dask."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._common import CLIError

__all__ = ["add_parser"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        help="train and analyse many networks; resumable; in parallel on Dask",
        description=(
            "Run every combination of the grid's axes: either a TOML grid file (mi-ident sweep GRID.toml OUT) "
            "or the flags below. Each finished run is saved in OUT as its own JSON file named by a hash "
            "of all its parameters; running again computes only what is missing."
        ),
    )
    p.add_argument("args", nargs="+", metavar="[GRID.toml] OUT",
                   help="a TOML grid file (optional) and the folder for the results (created if missing)")
    p.add_argument("--gates", nargs="+", default=["XOR"], help="gate names; AND+OR is one two-output net (default XOR)")
    p.add_argument("--widths", nargs="+", type=int, default=[2, 3], help="hidden widths (default 2 3)")
    p.add_argument("--depth", type=int, default=2, help="number of hidden layers (default 2)")
    p.add_argument("--seeds", default="0-4", help="a range 0-9 or a list 0,3,7 (default 0-4)")
    p.add_argument("--recipe", choices=("ours", "paper"), default="ours",
                   help="ours: mi_ident.training.train; paper: the original code's exact replay (default ours)")
    p.add_argument("--mode", default="corrected", help="census, interpretation and alignment mode: "
                   "paper or corrected (default corrected; exact/extended accepted)")
    p.add_argument("--input-noise", type=float, default=0.0, help="std of Gaussian noise on training inputs")
    p.add_argument("--label-noise", type=float, default=0.0, help="fraction of flipped training targets")
    p.add_argument("--stages", nargs="+", default=["train", "census", "interpretations", "alignment"],
                   help="stages to run (train is always first)")
    p.add_argument("--allow-large", action="store_true", help="run censuses that would take long (width 5)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes of a local Dask cluster (default: every core; 1: in this process)")
    p.add_argument("--scheduler", default=None,
                   help="address of a running dask.distributed scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--csv", default=None, help="also write the results table to this CSV file")
    p.set_defaults(run=_run_sweep)


def _configs(args: argparse.Namespace):
    from ..experiments import read_grid, sweep_grid

    if len(args.args) > 2:
        raise CLIError(f"give [GRID.toml] OUT; got {len(args.args)} paths")
    if len(args.args) == 2:
        grid = Path(args.args[0])
        if not grid.is_file():
            raise CLIError(f"{grid} is not a file; give a TOML grid file, or only OUT to use the flags")
        return read_grid(grid), args.args[1]
    mode = args.mode
    configs = sweep_grid(
        args.gates, args.widths, args.seeds, depth=args.depth, recipe=args.recipe, census_mode=mode,
        interp_mode=mode, align_mode=mode, input_noise=args.input_noise, label_noise=args.label_noise,
        stages=tuple(args.stages), allow_large=args.allow_large,
    )
    return configs, args.args[0]


def _run_sweep(args: argparse.Namespace) -> int:
    import warnings

    from ..experiments import run_sweep
    from ..experiments.storage import results_folder

    if args.workers is not None and args.workers < 1:
        raise CLIError("--workers must be 1 or more")
    configs, out = _configs(args)
    results_folder(out)  # a file named OUT: one clear line before any work
    warnings.simplefilter("default")
    warnings.showwarning = lambda message, *a, **k: print(f"mi-ident sweep: warning: {message}", file=sys.stderr)
    results = run_sweep(configs, out, progress=not args.quiet, workers=args.workers,
                        scheduler=args.scheduler, csv=args.csv)
    shown = [c for c in ("gate", "width", "seed", "recipe", "census_mode", "accepted", "n_valid_circuits",
                         "total_interpretations", "n_formulas", "total_mappings", "skipped") if c in results]
    print(results[shown].to_string(index=False) if len(results) else "no runs")
    return 0
