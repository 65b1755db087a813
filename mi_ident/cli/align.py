"""``mi-ident align``: what-then-where for one network: which formulas align, and where."""

from __future__ import annotations

import argparse

from ._common import CLIError, emit, resolve_task

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
    from ..alignment import what_then_where
    from ..weights import load_weights

    if args.depth < 0:
        raise CLIError(f"--depth must be >= 0; got {args.depth}")
    if not 0.0 <= args.threshold <= 1.0:
        raise CLIError(f"--threshold is an accuracy between 0 and 1; got {args.threshold}")
    wf = load_weights(args.weights)
    task = resolve_task(args.gate, wf.data, args.weights)
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
    emit(obj, args.json, _align_lines)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "align",
        help="what-then-where: which formulas align with the network, and where",
        description="Enumerate candidate formulas for the gate and every minimal mapping of their "
        "intermediate nodes onto hidden neurons that passes interchange interventions.",
    )
    p.add_argument("weights", help="network weights (.npz, as saved by mi_ident.weights.save_weights)")
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
