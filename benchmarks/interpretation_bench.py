"""Time interpretation counting on the reference models (the original took 20-90 s per model).

    .venv/bin/python benchmarks/interpretation_bench.py [--reference ../shared/reference]

Prints, per model and mode, the number of circuits, the total count and the seconds taken
(cold caches). Paper mode counts the reference's valid circuits; exact mode counts every valid
circuit of the exact census when mi_ident.circuits.census is available. Last, the 2-4-4-1 net
(XOR_h4_extra, ~160k valid circuits of the exact census) in both modes on the four clean rows.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from mi_ident import interpretations
from mi_ident.circuits import Circuit
from mi_ident.weights import load_weights

MODELS = ["seed_00", "seed_01", "seed_02", "seed_03", "seed_04", "AND_h3_seed_00", "XOR_h2_seed_02"]


def _clear_caches() -> None:
    for fn in (interpretations._local, interpretations._n_gates, interpretations._factor):
        fn.cache_clear()


def _timed(fn):
    _clear_caches()
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
    parser.add_argument("--reference", type=Path, default=default)
    args = parser.parse_args()
    try:
        from mi_ident.circuits import census
    except ImportError:
        census = None
    print(f"{'model':16s} {'mode':6s} {'circuits':>8s} {'count':>12s} {'assign':>8s} {'seconds':>8s} {'original s':>10s}")
    for name in MODELS:
        ref = json.loads((args.reference / f"{name}.json").read_text())
        wf = load_weights(args.reference / f"{name}_weights.npz")
        X = wf.data["X_ground"]
        runs = [("paper", [Circuit.from_dict(c) for c in ref["valid_circuits"]])]
        if census is not None:
            data = (wf.data["X_eval"], wf.data["y_eval"])
            runs.append(("exact", census(wf.model, data, progress=False).circuits()))
        for mode, circuits in runs:
            (counts, assigned), _ = _timed(lambda: (
                interpretations.interpretation_counts(wf.model, circuits, X, mode=mode),
                interpretations.assignment_counts(wf.model, circuits, X, mode=mode),
            ))
            counts_only, dt_counts = _timed(
                lambda: interpretations.interpretation_counts(wf.model, circuits, X, mode=mode)
            )
            original = f"{ref['timing_s']['grounding']:10.1f}" if mode == "paper" else f"{'-':>10s}"
            print(f"{name:16s} {mode:6s} {len(circuits):8d} {int(counts.sum()):12d} {int(assigned.sum()):8d} "
                  f"{dt_counts:8.3f} {original}")

    if census is not None:
        wf = load_weights(args.reference / "XOR_h4_extra_weights.npz")
        circuits = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False).circuits()
        for mode in ("exact", "paper"):
            counts, dt = _timed(lambda: interpretations.interpretation_counts(wf.model, circuits, None, mode=mode))
            total = sum(int(n) for n in counts)
            print(f"{'XOR_h4_extra':16s} {mode:6s} {len(circuits):8d} {total:12.4e} {'-':>8s} {dt:8.3f} {'-':>10s}")


if __name__ == "__main__":
    main()
