"""Time candidate-formula enumeration and what-then-where against the original code.

The original code's seconds (``timing_s`` in the reference JSON files, 2-core CPU):
``formula_dataset_once`` (building the candidate formulas) and ``what_then_where``
(aligning all of them with one model).

    .venv/bin/python benchmarks/alignment_bench.py
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
    parser.add_argument("--model", default="seed_03", help="reference model name (default: seed_03)")
    parser.add_argument("--gate", default=None, help="gate (default: the reference model's)")
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3, help="report the best of this many runs")
    args = parser.parse_args()

    weights = REFERENCE / f"{args.model}_weights.npz"
    original = {}
    if weights.exists():
        model = load_weights(weights).model
        ref = json.loads((REFERENCE / f"{args.model}.json").read_text())
        original = ref.get("timing_s", {})
        gate = args.gate or ref.get("gate", "XOR")
    else:
        print(f"(no reference data at {REFERENCE}: timing an untrained 2-3-3-1 net)")
        model, gate = MLP([2, 3, 3, 1], seed=0), args.gate or "XOR"
    print(f"model {args.model} {model.widths}, gate {gate}, depth {args.depth}, best of {args.repeats}")

    rows = [
        ("candidate formulas, paper", lambda: candidate_formulas(gate, args.depth, "paper"), "formula_dataset_once"),
        ("what-then-where, paper (BA)", lambda: what_then_where(model, gate, args.depth, "paper"), "what_then_where"),
        ("what-then-where, paper (AB)", lambda: what_then_where(model, gate, args.depth, "paper", "AB"), None),
        ("candidate formulas, extended", lambda: candidate_formulas(gate, args.depth, "extended"), None),
        ("what-then-where, extended", lambda: what_then_where(model, gate, args.depth, "extended"), None),
    ]
    print(f"{'stage':32s} {'ours (s)':>9s} {'original (s)':>13s}  result")
    for name, fn, key in rows:
        seconds, result = best_of(fn, args.repeats)
        if isinstance(result, list):
            summary = f"{len(result)} formulas"
        else:
            summary = (
                f"{result.n_candidate_formulas} candidates, {result.n_formulas} aligned, "
                f"{result.total_mappings} minimal mappings"
            )
        orig = f"{original[key]:.3f}" if key in original else "-"
        print(f"{name:32s} {seconds:9.3f} {orig:>13s}  {summary}")


if __name__ == "__main__":
    main()
