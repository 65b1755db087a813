"""``mi-ident sweep``: train and analyse many networks, resumable, optionally on Dask."""

from __future__ import annotations

import argparse

from ._common import CLIError

def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        help="train and analyse many networks; resumable; optionally on a Dask cluster",
        description=(
            "Run every combination of gate, hidden width and seed. Each finished run is saved in "
            "OUT as its own JSON file; running the same command again skips finished runs."
        ),
    )
    p.add_argument("out", help="folder for the results (created if missing)")
    p.add_argument("--gates", nargs="+", default=["XOR"], help="gate names (default XOR)")
    p.add_argument("--widths", nargs="+", type=int, default=[2, 3], help="hidden widths (default 2 3)")
    p.add_argument("--seeds", default="0-4", help="seeds as a range 0-9 or a list 0,3,7 (default 0-4)")
    p.add_argument("--stages", nargs="+", default=["train", "census", "interpretations", "alignment"],
                   help="stages to run (train is always first)")
    p.add_argument("--scheduler", default=None,
                   help="address of a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--csv", default=None, help="also write the results table to this CSV file")
    p.set_defaults(run=_run_sweep)


def _parse_seeds(text: str) -> list[int]:
    try:
        if "-" in text.strip("-"):
            lo, hi = text.split("-", 1)
            seeds = list(range(int(lo), int(hi) + 1))
        else:
            seeds = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise CLIError(f"--seeds takes a range such as 0-9 or a list such as 0,3,7; got {text!r}") from None
    if not seeds:
        raise CLIError(f"--seeds selects no seed: {text!r}")
    return seeds


def _run_sweep(args: argparse.Namespace) -> int:
    from ..experiments import run_sweep, sweep_grid

    configs = sweep_grid(args.gates, args.widths, _parse_seeds(args.seeds), stages=tuple(args.stages))
    client = None
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise CLIError("--scheduler needs Dask: pip install 'mi-ident[dask]'") from None
        client = Client(args.scheduler)
    try:
        results = run_sweep(configs, args.out, client=client, progress=not args.quiet)
    finally:
        if client is not None:
            client.close()
    if args.csv:
        results.to_csv(args.csv, index=False)
    print(results.drop(columns=["stages", "params"], errors="ignore").to_string(index=False))
    return 0
