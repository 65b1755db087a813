"""``mi-ident align``: what-then-where for one network: which formulas align, and where."""

from __future__ import annotations

import argparse

from ._common import CLIError, emit, resolve_task


def _align_lines(obj: dict) -> list[str]:
    lines = [
        f"{obj['task']} (output {obj['output']}): {obj['n_formulas']} of {obj['n_candidate_formulas']} "
        f"candidate formulas (depth {obj['depth']}, {obj['mode']} mode, {obj['criterion']} criterion, "
        f"pairs {obj['pair_order']}) align with the network, {obj['total_mappings']} minimal mappings in all",
        f"up to NOT and padding: {obj['n_formula_classes']} formula classes, "
        f"{obj['n_mapping_classes']} mapping classes",
    ]
    width = max((len(f) for f in obj["formulas"]), default=0)
    for f in obj["formulas"]:
        lines.append(f"  {f:<{width}}  {obj['mappings_per_formula'][f]} mappings")
    for c in obj["formula_classes"]:
        lines.append(f"  class {c['label']}: {len(c['formulas'])} formulas, {c['n_mapping_classes']} mapping classes")
    return lines


def _run_align(args: argparse.Namespace) -> int:
    from ..alignment import what_then_where
    from ..weights import load_weights

    wf = load_weights(args.weights)
    model = wf.model
    n_out = model.widths[-1]
    if n_out > 1 and args.output is None:
        raise CLIError(f"{args.weights} is a network with {n_out} outputs; pass --output 0..{n_out - 1} "
                       f"to say which one to align")
    task = resolve_task(args.gate, wf.data, args.weights)
    if task.n_outputs not in (1, n_out):
        raise CLIError(f"align one gate at a time; {task.name} has {task.n_outputs} outputs")
    if model.widths[0] != task.n_inputs:
        raise CLIError(
            f"{args.weights} is a network with {model.widths[0]} inputs but {task.name} has "
            f"{task.n_inputs}; pass the gate the network was trained on"
        )
    result = what_then_where(
        model, task, depth=args.depth, mode=args.mode, criterion=args.criterion, pair_order=args.pair_order,
        threshold=args.threshold, formulas=args.formula, output=args.output, progress=False,
    )
    obj = result.to_dict()
    if result.task_name is None:
        obj["task"] = task.name if task.n_outputs == 1 else task.output_names[result.output]
        obj["depth"] = None
    obj["weights"] = str(args.weights)
    obj["formulas_given"] = args.formula
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
    p.add_argument("--mode", choices=["paper", "corrected", "extended"], default="corrected",
                   help="paper: the original code's search; corrected (alias extended): every formula, "
                   "sets across layers, every ordered pair (default: corrected)")
    p.add_argument("--criterion", choices=["single", "joint"], default=None,
                   help="single: one node intervened at a time (the paper's); joint: every subset of "
                   "nodes at once, each with its own source (default: joint in corrected mode, single "
                   "in paper mode)")
    p.add_argument("--depth", type=int, default=3, help="AND/OR depth of candidate formulas (default: 3; "
                   "at most 3 is tractable)")
    p.add_argument("--gate", default=None,
                   help="gate name or truth table on 00,01,10,11, e.g. 0110 (default: the gate the file's "
                   "X_eval/y_eval follow, else XOR)")
    p.add_argument("--formula", action="append", default=None,
                   help="align only this formula (repeat for several), e.g. '¬(A*B)*(A+B)'")
    p.add_argument("--output", type=int, default=None,
                   help="which output neuron to align (required for a network with several outputs)")
    p.add_argument("--pair-order", choices=["BA", "AB", "all"], default=None,
                   help="input pairs tested by the single criterion: BA/AB (paper, i<j) or all ordered "
                   "pairs (default: BA in paper mode, all otherwise; the joint criterion uses all)")
    p.add_argument("--threshold", type=float, default=1.0, help="IIA needed to align (default: 1.0)")
    p.add_argument("--details", action="store_true", help="with --json, include every mapping")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_run_align)
