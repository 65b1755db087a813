"""``mi-ident plot``: box plots of a sweep's counts per value of an axis, saved as an image."""

from __future__ import annotations

import argparse
import sys

from ._common import CLIError

__all__ = ["add_parser"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plot",
        help="figure of a sweep's counts (circuits, interpretations, formulas, mappings) per axis value",
        description=(
            "Read the run records in OUT (written by mi-ident sweep) and draw log-scale box plots of every "
            "count across seeds, one panel per count, the paper's count beside its artefact-free versions."
        ),
    )
    p.add_argument("out", help="a results folder written by mi-ident sweep")
    p.add_argument("figure", help="image file to write (.png, .pdf, .svg)")
    p.add_argument("--by", default="width", help="the axis: width, n_tasks, input_noise, label_noise, "
                   "loss_target, ... (default width)")
    p.add_argument("--panels", nargs="+", default=None,
                   help="counts to show: circuits interpretations formulas mappings (default all present)")
    p.set_defaults(run=_run_plot)


def _run_plot(args: argparse.Namespace) -> int:
    import warnings
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    from ..experiments import load_results
    from ..plotting.sweeps import plot_sweep

    if Path(args.figure).suffix.lower() not in (".png", ".pdf", ".svg", ".jpg", ".jpeg"):
        raise CLIError(f"{args.figure}: give an image name ending in .png, .pdf or .svg")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = load_results(args.out)
    for w in caught:
        print(f"mi-ident plot: warning: {w.message}", file=sys.stderr)
    if df.empty:
        raise CLIError(f"{args.out} holds no run records; run mi-ident sweep {args.out} first")
    fig = plot_sweep(df, by=args.by, panels=args.panels)
    fig.savefig(args.figure, dpi=120)
    print(f"wrote {args.figure} ({len(df)} runs, by {args.by})")
    return 0
