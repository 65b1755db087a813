"""Time the interpretation counts, from the paper's to the honest one (best of 3, cold caches).

    .venv/bin/python benchmarks/interpretation_bench.py [--reference ../shared/reference] [--every 10]

1. Paper mode on every reference model's valid circuits (the original took 20-90 s per model),
   checked against the reference totals.
2. seed_00 (2-3-3-1 XOR), its 120 valid circuits of the exact census, corrected mode, the four
   Boolean rows: interpretations, assignments, readings under the gap rule, completions, and
   distinct readings across the circuits.
3. The same on the 2-4-4-1 XOR net (XOR_h4_extra, 161,737 valid circuits): every ``--every``-th
   circuit (default 10, a documented sample; ``--every 1`` for all of them).

Measured on the shared 2-core machine under load (2026-12-02), best of 3:
paper mode 0.03-0.17 s per reference model (the original: 20-92 s), every total equal to the
reference. seed_00, 120 circuits: interpretations 105,163,712 (0.21 s), assignments 2,937 (0.20 s),
completions 105,160,775 (0.31 s), readings 368 (0.12 s), distinct readings 18 (0.35 s).
XOR_h4_extra, every 10th circuit (16,174): interpretations 1.05e20 (19.6 s), assignments 3,390,240
(17.9 s), completions (30.4 s), readings 139,350 (13.4 s), distinct readings 9,301 (47.6 s).
All 161,737 circuits, one run: readings 1,381,672 (112.5 s; 7,127 circuits with one reading, none
with zero), distinct readings 10,887 (350.7 s). Building each circuit's problem (forward pass,
candidate tables) costs about 0.5 ms per circuit in Python and dominates.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from mi_ident.circuits import Circuit, census
from mi_ident.interpretations import (
    assignment_counts,
    completion_counts,
    count_distinct_readings,
    interpretation_counts,
    reading_counts,
)
from mi_ident.interpretations import counting, gates
from mi_ident.weights import load_weights

MODELS = ["seed_00", "seed_01", "seed_02", "seed_03", "seed_04", "AND_h3_seed_00", "XOR_h2_seed_02"]


def _clear_caches() -> None:
    for fn in (gates._local, gates._n_gates, counting._factor):
        fn.cache_clear()


def _best_of(fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        _clear_caches()
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return out, best


def _total(counts) -> str:
    n = sum(int(c) for c in counts) if hasattr(counts, "__len__") else int(counts)
    return f"{n:,}" if n < 1e12 else f"{n:.3e}"


def _corrected(label: str, model, circuits) -> None:
    runs = [
        ("interpretations (min_gap=0)", lambda: interpretation_counts(model, circuits)),
        ("assignments (min_gap=0)", lambda: assignment_counts(model, circuits)),
        ("completions (min_gap=0)", lambda: completion_counts(model, circuits)),
        ("readings (gap rule)", lambda: reading_counts(model, circuits)),
        ("distinct readings over the circuits", lambda: count_distinct_readings(model, circuits)),
    ]
    for what, fn in runs:
        out, dt = _best_of(fn)
        print(f"{label:22s} {len(circuits):8d}  {what:36s} {_total(out):>24s} {dt:8.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
    parser.add_argument("--reference", type=Path, default=default)
    parser.add_argument("--every", type=int, default=10, help="sample every n-th circuit of XOR_h4_extra")
    args = parser.parse_args()

    print("1. paper mode on the reference valid circuits (grounding set X_ground)")
    for name in MODELS:
        ref = json.loads((args.reference / f"{name}.json").read_text())
        wf = load_weights(args.reference / f"{name}_weights.npz")
        circuits = [Circuit.from_dict(c) for c in ref["valid_circuits"]]
        counts, dt = _best_of(lambda: interpretation_counts(wf.model, circuits, wf.data["X_ground"], mode="paper"))
        ok = "equal" if int(counts.sum()) == ref["total_groundings"] else "DIFFERENT"
        print(f"{name:22s} {len(circuits):8d}  groundings {int(counts.sum()):>12,} ({ok} to the reference) "
              f"{dt:8.3f} s (original {ref['timing_s']['grounding']:.1f} s)", flush=True)

    print("\n2./3. corrected mode, the four Boolean rows; best of 3 seconds")
    wf = load_weights(args.reference / "seed_00_weights.npz")
    circuits = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False).circuits()
    _corrected("seed_00", wf.model, circuits)
    wf = load_weights(args.reference / "XOR_h4_extra_weights.npz")
    circuits = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False).circuits()
    sample = circuits[:: args.every]
    _corrected(f"XOR_h4_extra 1/{args.every}", wf.model, sample)


if __name__ == "__main__":
    main()
