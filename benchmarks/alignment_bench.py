"""Time candidate-formula enumeration and what-then-where (single and joint criteria, classes).

The original code's seconds (``timing_s`` in the reference JSON files, 2-core CPU):
``formula_dataset_once`` (building the candidate formulas) and ``what_then_where``
(aligning all of them with one model). The joint criterion and the classes have no
original counterpart. Reports the best of ``--repeats`` runs for each model.

    .venv/bin/python benchmarks/alignment_bench.py                       # seed_03 and seed_04
    .venv/bin/python benchmarks/alignment_bench.py --model seed_04 --repeats 5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mi_ident.algorithms import candidate_formulas  # noqa: E402
from mi_ident.alignment import what_then_where  # noqa: E402
from mi_ident.model import MLP  # noqa: E402
from mi_ident.weights import load_weights  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference"


def best_of(fn, repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", default=None,
                        help="reference model name, repeatable (default: seed_03 and seed_04)")
    parser.add_argument("--gate", default=None, help="gate (default: the reference model's)")
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3, help="report the best of this many runs")
    args = parser.parse_args()

    for name in args.model or ["seed_03", "seed_04"]:
        bench_model(name, args)


def _summary(result) -> str:
    if isinstance(result, list):
        return f"{len(result)} formulas"
    if isinstance(result, tuple):
        return f"{result[0]} formula classes, {result[1]} mapping classes"
    return (f"{result.n_candidate_formulas} candidates, {result.n_formulas} aligned, "
            f"{result.total_mappings} minimal mappings")


def bench_model(name: str, args) -> None:
    weights = REFERENCE / f"{name}_weights.npz"
    original = {}
    if weights.exists():
        model = load_weights(weights).model
        ref = json.loads((REFERENCE / f"{name}.json").read_text())
        original = ref.get("timing_s", {})
        gate = args.gate or ref.get("gate", "XOR")
    else:
        print(f"(no reference data at {REFERENCE}: timing an untrained 2-3-3-1 net)")
        model, gate = MLP([2, 3, 3, 1], seed=0), args.gate or "XOR"
    print(f"\nmodel {name} {model.widths}, gate {gate}, depth {args.depth}, best of {args.repeats}")
    joint = what_then_where(model, gate, args.depth, "corrected", "joint")
    rows = [
        ("candidate formulas, paper", lambda: candidate_formulas(gate, args.depth, "paper"), "formula_dataset_once"),
        ("what-then-where, paper (BA)", lambda: what_then_where(model, gate, args.depth, "paper"), "what_then_where"),
        ("what-then-where, paper (AB)",
         lambda: what_then_where(model, gate, args.depth, "paper", pair_order="AB"), None),
        ("candidate formulas, corrected", lambda: candidate_formulas(gate, args.depth, "corrected"), None),
        ("what-then-where, corrected single",
         lambda: what_then_where(model, gate, args.depth, "corrected", "single"), None),
        ("what-then-where, corrected joint",
         lambda: what_then_where(model, gate, args.depth, "corrected", "joint"), None),
        ("classes of the joint result", lambda: (joint.n_formula_classes, joint.n_mapping_classes), None),
    ]
    print(f"{'stage':36s} {'ours (s)':>9s} {'original (s)':>13s}  result")
    for label, fn, key in rows:
        seconds, result = best_of(fn, args.repeats)
        orig = f"{original[key]:.3f}" if key in original else "-"
        print(f"{label:36s} {seconds:9.3f} {orig:>13s}  {_summary(result)}")


if __name__ == "__main__":
    main()
