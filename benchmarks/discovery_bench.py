"""Time each discovery method on a 2-3-3-1 net (reference seed_00), and one network's full comparison.

Reports the best of ``--repeats`` runs (seconds) of: greedy pruning (18 sequential forward
passes), attribution patching (one batched backward pass), learned masks (one seed, and five
seeds trained as one batch), DAS (one formula, one layer), the ground truth (census and
features) and ``method_runs`` with the default grid over five seeds.

    .venv/bin/python benchmarks/discovery_bench.py
    .venv/bin/python benchmarks/discovery_bench.py --model seed_03 --repeats 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mi_ident.discovery import (attribution_patching, das, greedy_prune, ground_truth, learned_masks,  # noqa: E402
                                learned_masks_many, method_runs)
from mi_ident.weights import load_weights  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference"


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="seed_00", help="reference model name (2-3-3-1 XOR)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    model = load_weights(REFERENCE / f"{args.model}_weights.npz").model
    truth = ground_truth(model, "XOR")
    jobs = {
        "greedy_prune (tau=0.02)": lambda: greedy_prune(model, "XOR", tau=0.02),
        "attribution_patching (k=12)": lambda: attribution_patching(model, "XOR", k=12),
        "learned_masks (200 steps)": lambda: learned_masks(model, "XOR", penalty=0.1),
        "learned_masks_many (5 seeds)": lambda: learned_masks_many(model, "XOR", penalty=0.1, seeds=range(5)),
        "das (layer 1, 150 steps)": lambda: das(model, "¬(A*B)*(A+B)", layer=1),
        "ground_truth (census + features)": lambda: ground_truth(model, "XOR"),
        "method_runs (default grid, 5 seeds)": lambda: method_runs(model, "XOR", truth=truth),
    }
    print(f"{args.model} {model.widths}: best of {args.repeats}")
    for name, fn in jobs.items():
        print(f"  {name:40s} {best_of(fn, args.repeats):8.4f} s")


if __name__ == "__main__":
    main()
