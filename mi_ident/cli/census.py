"""``mi-ident census``: every valid circuit of one network, and the interpretations of each."""

from __future__ import annotations

import argparse
import sys

from ._common import CLIError, emit, eval_data

def add_parser(sub: argparse._SubParsersAction) -> None:
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
    from ..circuits import census
    from ..interpretations import interpretation_counts
    from ..weights import load_weights

    if args.max_keep < 0:
        raise CLIError("--max-keep must be 0 or more")
    wf = load_weights(args.weights)
    data, data_source = eval_data(args.gate, wf.data, args.weights)
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
    emit(summary, args.json, _census_lines)
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
