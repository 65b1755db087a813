"""``mi-ident census``: every valid circuit of one network, its honest counts, and the
interpretations of each."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from ..vocabulary import ABLATIONS
from ._common import CLIError, emit, eval_data

__all__ = ["add_parser"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "census",
        help="every valid circuit of a network and the interpretations of each",
        description=(
            "Evaluate every candidate circuit of the network in WEIGHTS.npz (reference format) and "
            "count the interpretations of each valid one. Accuracy is measured on the file's "
            "X_eval/y_eval when present (a --gate must agree with them), else on the truth table of "
            "--gate. Next to the raw count: silent classes (circuits that differ only in the wiring "
            "of silent neurons), edge-minimal circuits, distinct neuron sets and margins."
        ),
    )
    p.add_argument("weights", help="a .npz file with W0, b0, W1, b1, ... (PyTorch out x in layout)")
    p.add_argument("--mode", choices=("corrected", "exact", "paper"), default="corrected",
                   help="corrected (alias exact): every circuit (default); paper: the original code's list")
    p.add_argument("--threshold", type=float, default=0.99,
                   help="a circuit is valid when its accuracy is strictly above this (default 0.99)")
    p.add_argument("--gate", default=None,
                   help="the task when the file has no X_eval/y_eval: a gate name or a truth table "
                   "such as 0110 (default: XOR)")
    p.add_argument("--ablation", choices=ABLATIONS, default="zero",
                   help="what edges outside the circuit carry: zero (the paper), mean (mean activation "
                   "over the evaluation samples), resample (the value on every other input in turn)")
    p.add_argument("--min-margin", type=float, default=None,
                   help="count a sample as correct only if its output is more than this from 0.5 "
                   "(default: the plain rounding rule)")
    p.add_argument("--silent-tol", type=float, default=0.0,
                   help="a hidden neuron is silent when its value is <= this on every evaluation input "
                   "(default 0: it never leaves LeakyReLU's leak)")
    p.add_argument("--precision", choices=("float32", "float64"), default=None,
                   help="arithmetic of the verdicts (default: float32 in paper mode with zero ablation, "
                   "else float64)")
    p.add_argument("--allow-large", action="store_true",
                   help="run even when the search space would take long")
    p.add_argument("--max-keep", type=int, default=1_000_000,
                   help="store at most this many valid circuits, bounding memory (counts stay exact; "
                   "class counts need every circuit; default 1,000,000, about 40 MB)")
    p.add_argument("--no-interpretations", action="store_true", help="skip counting interpretations")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_run_census)


def _run_census(args: argparse.Namespace) -> int:
    from ..circuits import census
    from ..weights import load_weights

    if args.max_keep < 0:
        raise CLIError("--max-keep must be 0 or more")
    wf = load_weights(args.weights)
    data, data_source = eval_data(args.gate, wf.data, args.weights)
    result = census(
        wf.model, data, accuracy_threshold=args.threshold, mode=args.mode, max_keep=args.max_keep,
        progress=not args.quiet, allow_large=args.allow_large, precision=args.precision,
        ablation=args.ablation, min_margin=args.min_margin, silent_tol=args.silent_tol,
    )
    summary = _summary(args, wf, data_source, result)
    if not args.no_interpretations:
        _add_interpretations(summary, args, wf, result)
    emit(summary, args.json, _census_lines)
    return 0


def _summary(args: argparse.Namespace, wf, data_source: str, result) -> dict:
    margin = result.margin
    return {
        "weights": str(args.weights),
        "widths": wf.model.widths,
        "mode": result.mode,
        "threshold": args.threshold,
        "data": data_source,
        "ablation": result.ablation,
        "min_margin": result.min_margin,
        "silent_tol": result.silent_tol,
        "precision": args.precision,
        "max_keep": args.max_keep,
        "n_candidates": int(result.n_candidates),
        "n_circuits_evaluated": int(result.n_evaluated),
        "n_valid_circuits": int(result.n_valid),
        "n_kept": int(result.n_kept),
        "silent_neurons": [str(n) for n in result.silent],
        "n_silent_classes": result.n_silent_classes,
        "n_edge_minimal": result.n_edge_minimal,
        "n_neuron_sets": int(result.n_neuron_sets),
        "margins": None if len(margin) == 0 else {
            "over": "all" if not result.truncated else f"the {result.n_kept:,} kept",
            "min": float(margin.min()), "median": float(np.median(margin)), "max": float(margin.max()),
        },
    }


def _add_interpretations(summary: dict, args: argparse.Namespace, wf, result) -> None:
    from ..interpretations import interpretation_counts

    if result.truncated:
        # a total over some of the circuits would be a wrong number: give none, and say why
        print(
            f"mi-ident census: note: {result.n_valid:,} valid circuits but only {result.n_kept:,} kept "
            f"(--max-keep), so interpretations and class counts are not given; raise --max-keep to get them",
            file=sys.stderr,
        )
        return
    counts = interpretation_counts(wf.model, result.circuits(), wf.data.get("X_ground"),
                                   mode=result.mode, progress=not args.quiet)
    per_circuit = sorted(int(c) for c in counts)
    summary["interpretations_per_circuit"] = per_circuit
    summary["total_interpretations"] = sum(per_circuit)


def _count(value) -> str:
    return "n/a (truncated by --max-keep)" if value is None else f"{value:,}"


def _census_lines(s: dict) -> list[str]:
    lines = [
        f"network {'-'.join(map(str, s['widths']))}, mode {s['mode']}, {s['ablation']} ablation, "
        f"accuracy > {s['threshold']} on {s['data']}"
        + ("" if s["min_margin"] is None else f", margin > {s['min_margin']}"),
        f"candidate circuits:   {s['n_candidates']:,}",
        f"circuits evaluated:   {s['n_circuits_evaluated']:,}",
        f"valid circuits:       {s['n_valid_circuits']:,}",
        f"  silent neurons:     {', '.join(s['silent_neurons']) or 'none'} (value <= {s['silent_tol']} "
        f"on every input)",
        f"  up to their wiring: {_count(s['n_silent_classes'])} classes",
        f"  edge-minimal:       {_count(s['n_edge_minimal'])}",
        f"  neuron sets:        {s['n_neuron_sets']:,}",
    ]
    if s["margins"]:
        m = s["margins"]
        lines.append(f"  margins ({m['over']}): min {m['min']:.3g}, median {m['median']:.3g}, max {m['max']:.3g}")
    if "total_interpretations" in s:
        counts = s["interpretations_per_circuit"]
        lines.append(f"interpretations:      {s['total_interpretations']:,} in all")
        if counts:
            lines.append(f"  per valid circuit:  min {counts[0]:,}, median {counts[len(counts) // 2]:,}, "
                         f"max {counts[-1]:,}")
    return lines
