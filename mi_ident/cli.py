"""The ``mi-ident`` command: ``census`` and ``align`` for one weights file, ``sweep`` for many runs.

Every subcommand turns bad input into a one-line message and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable, Sequence

#: Each section registers a function that adds its subparser and sets ``run`` on it.
_SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


class CLIError(Exception):
    """Bad input from the command line; printed as one line, exit status 2."""


def _task_from_arg(gate: str):
    """A gate name (``XOR``, ``AND+OR``) or a truth table written as bits (``0110``, ``0,1,1,0``)."""
    from .boolean import make_task

    bits = gate.replace(",", "").replace(" ", "")
    if bits and set(bits) <= {"0", "1"}:
        return make_task([int(b) for b in bits])
    return make_task(gate.strip())


def _task_from_data(X, y):
    """The truth table the labelled samples ``X, y`` follow, or ``None`` if they do not fix one."""
    import numpy as np

    from .boolean import Task, input_rows

    rows = input_rows(X.shape[1])
    idx = (np.rint(X).astype(np.int64) * (1 << np.arange(X.shape[1] - 1, -1, -1))).sum(axis=1)
    table = np.zeros((len(rows), y.shape[1]), dtype=np.int64)
    for r in range(len(rows)):
        labels = np.unique(np.rint(y[idx == r]), axis=0)
        if len(labels) != 1 or not np.isin(labels, (0, 1)).all():
            return None
        table[r] = labels[0]
    return Task.from_table(table)


def _resolve_task(gate: str | None, data: dict, path: str):
    """``--gate`` if given (checked against the file's labelled samples), else the gate those
    samples follow, else XOR."""
    inferred = None
    if "X_eval" in data and "y_eval" in data:
        inferred = _task_from_data(data["X_eval"], data["y_eval"].reshape(len(data["y_eval"]), -1))
    if gate is None:
        if "X_eval" in data and inferred is None:
            raise CLIError(f"{path}: X_eval/y_eval do not fix a truth table (a row is missing or "
                           f"labelled both ways); pass --gate")
        return inferred if inferred is not None else _task_from_arg("XOR")
    task = _task_from_arg(gate)
    if inferred is not None and task != inferred:
        raise CLIError(f"--gate {gate} does not match {path}, whose X_eval/y_eval follow "
                       f"{inferred.name} ({''.join(map(str, inferred.table[:, 0]))}); "
                       f"drop --gate or pass the right one")
    return task


# == census (where-then-what) ==


def _add_census(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "census",
        help="every valid circuit of a network and the interpretations of each",
        description=(
            "Evaluate every candidate circuit of the network in WEIGHTS.npz (reference format) and "
            "count the interpretations of each valid one. Accuracy is measured on the file's "
            "X_eval/y_eval when present, else on the truth table of --gate."
        ),
    )
    p.add_argument("weights", help="a .npz file with W0, b0, W1, b1, ... (PyTorch out x in layout)")
    p.add_argument("--mode", choices=("exact", "paper"), default="exact",
                   help="exact: every circuit (default); paper: the original code's choices and quirks")
    p.add_argument("--threshold", type=float, default=0.99,
                   help="a circuit is valid when its accuracy is strictly above this (default 0.99)")
    p.add_argument("--gate", default=None,
                   help="the task when the file has no X_eval/y_eval: a gate name or a truth table "
                   "such as 0110 (default: XOR)")
    p.add_argument("--precision", choices=("float32", "float64"), default=None,
                   help="arithmetic of the verdicts (default: float32 in paper mode, float64 in exact mode)")
    p.add_argument("--allow-large", action="store_true",
                   help="run even when the search space would take long")
    p.add_argument("--max-keep", type=int, default=1_000_000,
                   help="store at most this many valid circuits, bounding memory (counts stay exact; "
                   "default 1,000,000, about 40 MB)")
    p.add_argument("--no-interpretations", action="store_true", help="skip counting interpretations")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_run_census)


def _run_census(args: argparse.Namespace) -> int:
    from .circuits import census
    from .interpretations import interpretation_counts
    from .model import load_weights

    if args.max_keep < 0:
        raise CLIError("--max-keep must be 0 or more")
    wf = load_weights(args.weights)
    if "X_eval" in wf.data and "y_eval" in wf.data:
        data, data_source = (wf.data["X_eval"], wf.data["y_eval"]), "X_eval/y_eval"
    else:
        data = _resolve_task(args.gate, wf.data, args.weights)
        data_source = f"truth table of {data.name}"
    result = census(
        wf.model, data, accuracy_threshold=args.threshold, mode=args.mode,
        max_keep=args.max_keep, progress=not args.quiet, allow_large=args.allow_large,
        precision=args.precision,
    )
    summary = {
        "weights": str(args.weights),
        "widths": wf.model.widths,
        "mode": args.mode,
        "threshold": args.threshold,
        "data": data_source,
        "n_candidates": int(result.n_candidates),
        "n_circuits_evaluated": int(result.n_evaluated),
        "n_valid_circuits": int(result.n_valid),
    }
    if not args.no_interpretations and result.n_kept < result.n_valid:
        # a total over some of the circuits would be a wrong number: give none, and say why
        print(
            f"mi-ident census: note: {result.n_valid:,} valid circuits but only {result.n_kept:,} kept "
            f"(--max-keep), so interpretations are not counted; raise --max-keep to count them",
            file=sys.stderr,
        )
    elif not args.no_interpretations:
        X_ground = wf.data.get("X_ground")
        counts = interpretation_counts(
            wf.model, result.circuits(), X_ground, mode=args.mode, progress=not args.quiet
        )
        per_circuit = sorted(int(c) for c in counts)
        summary["interpretations_per_circuit"] = per_circuit
        summary["total_interpretations"] = sum(per_circuit)
    _emit(summary, args.json, _census_lines)
    return 0


def _census_lines(s: dict) -> list[str]:
    lines = [
        f"network {'-'.join(map(str, s['widths']))}, mode {s['mode']}, accuracy > {s['threshold']} "
        f"on {s['data']}",
        f"candidate circuits:   {s['n_candidates']:,}",
        f"circuits evaluated:   {s['n_circuits_evaluated']:,}",
        f"valid circuits:       {s['n_valid_circuits']:,}",
    ]
    if "total_interpretations" in s:
        counts = s["interpretations_per_circuit"]
        lines.append(f"interpretations:      {s['total_interpretations']:,} in all")
        if counts:
            lines.append(f"  per valid circuit:  min {counts[0]:,}, median {counts[len(counts) // 2]:,}, "
                         f"max {counts[-1]:,}")
    return lines


_SUBCOMMANDS.append(_add_census)

# == align (what-then-where) ==


def _align_lines(obj: dict) -> list[str]:
    lines = [
        f"{obj['task']}: {obj['n_formulas']} of {obj['n_candidate_formulas']} candidate formulas "
        f"(depth {obj['depth']}, {obj['mode']} mode, pairs {obj['pair_order']}) align with the network, "
        f"{obj['total_mappings']} minimal mappings in all"
    ]
    width = max((len(f) for f in obj["formulas"]), default=0)
    for f in obj["formulas"]:
        lines.append(f"  {f:<{width}}  {obj['mappings_per_formula'][f]} mappings")
    return lines


def _run_align(args: argparse.Namespace) -> int:
    from .alignment import what_then_where
    from .model import load_weights

    if args.depth < 0:
        raise CLIError(f"--depth must be >= 0; got {args.depth}")
    if not 0.0 <= args.threshold <= 1.0:
        raise CLIError(f"--threshold is an accuracy between 0 and 1; got {args.threshold}")
    wf = load_weights(args.weights)
    task = _resolve_task(args.gate, wf.data, args.weights)
    if task.n_outputs != 1:
        raise CLIError(f"align one gate at a time; {task.name} has {task.n_outputs} outputs")
    model = wf.model
    if model.widths[0] != task.n_inputs:
        raise CLIError(
            f"{args.weights} is a network with {model.widths[0]} inputs but {task.name} has "
            f"{task.n_inputs}; pass the gate the network was trained on"
        )
    result = what_then_where(
        model, task, depth=args.depth, mode=args.mode, pair_order=args.pair_order,
        threshold=args.threshold, progress=False,
    )
    obj = result.to_dict()
    if not args.details:
        obj.pop("mapping_details")
    _emit(obj, args.json, _align_lines)
    return 0


def _add_align(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "align",
        help="what-then-where: which formulas align with the network, and where",
        description="Enumerate candidate formulas for the gate and every minimal mapping of their "
        "intermediate nodes onto hidden neurons that passes interchange interventions.",
    )
    p.add_argument("weights", help="network weights (.npz, as saved by mi_ident.model.save_weights)")
    p.add_argument("--mode", choices=["paper", "extended"], default="extended",
                   help="paper: the original code's search; extended: every formula, sets across "
                   "layers, every ordered pair (default: extended)")
    p.add_argument("--depth", type=int, default=3, help="AND/OR depth of candidate formulas (default: 3)")
    p.add_argument("--gate", default=None,
                   help="gate name or truth table on 00,01,10,11, e.g. 0110 (default: the gate the file's "
                   "X_eval/y_eval follow, else XOR)")
    p.add_argument("--pair-order", choices=["BA", "AB", "all"], default=None,
                   help="input pairs tested: BA/AB (paper, i<j) or all ordered pairs "
                   "(default: BA in paper mode, all in extended mode)")
    p.add_argument("--threshold", type=float, default=1.0, help="IIA needed to align (default: 1.0)")
    p.add_argument("--details", action="store_true", help="with --json, include every mapping")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_run_align)


_SUBCOMMANDS.append(_add_align)


# == sweep (many runs, resumable, optionally on Dask) ==


def _add_sweep(sub: argparse._SubParsersAction) -> None:
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
    from .experiments import run_sweep, sweep_grid

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


_SUBCOMMANDS.append(_add_sweep)


def _emit(obj: dict, as_json: bool, lines: Callable[[dict], list[str]]) -> None:
    if as_json:
        print(json.dumps(obj, ensure_ascii=False))
    else:
        print("\n".join(lines(obj)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mi-ident",
        description="Enumerate every explanation of a tiny MLP trained on a Boolean function.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in _SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (CLIError, ValueError, TypeError, FileNotFoundError) as exc:
        print(f"mi-ident {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
