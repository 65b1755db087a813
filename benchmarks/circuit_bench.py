"""Time the circuit census on the reference models: counts, ablations and honest counts.

    python benchmarks/circuit_bench.py            # 2-3-3-1 and 2-4-4-1, about a minute
    python benchmarks/circuit_bench.py --width5   # adds the 2-5-5-1 net: 7.27e9 candidates per run

For each model: the census in paper and corrected mode (checked against the reference counts),
then per ablation (zero, mean, resample) a count-only census (``max_keep=0``) and a full one
that also computes margins, silent classes and edge-minimal circuits (``max_keep=None``, only
where every valid circuit fits in memory). Times are the best of ``--repeats`` runs (the
machine may be shared: best-of filters out the other jobs' interference).

The original code evaluates one forward pass per circuit (``timing_s.circuit_search`` in the
reference JSON: 0.4-2 s for the 3000 paper-mode circuits of a 2-3-3-1 net, ~157 s for the 168,672
of a 2-4-4-1 net); the census factorises the network and never does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mi_ident.circuits import census  # noqa: E402
from mi_ident.weights import load_weights  # noqa: E402

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
# seconds of the original code for the 168,672 paper-mode circuits of its 2-4-4-1 XOR net (README)
ORIGINAL_WIDTH4_PAPER_S = 157.0


def timed(name: str, repeats: int, **kw) -> tuple[object, float]:
    wf = load_weights(REFERENCE / f"{name}_weights.npz")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = census(wf, progress=False, allow_large=True, **kw)
        best = min(best, time.perf_counter() - start)
    return result, best


def _fmt(v) -> str:
    return "n/a" if v is None else f"{v:,}"


def counts_table(names, repeats: int, exact_counts: dict) -> None:
    print(f"{'model':<16}{'mode':<10}{'candidates':>15}{'valid':>13}{'expected':>13}{'seconds':>9}{'original s':>12}")
    for name in names:
        path = REFERENCE / f"{name}.json"
        ref = json.loads(path.read_text()) if path.exists() else None
        for mode in ("paper", "corrected"):
            if name == "XOR_h5_extra" and mode == "paper":
                continue
            result, seconds = timed(name, 1 if name == "XOR_h5_extra" else repeats, mode=mode, max_keep=0)
            expected = (ref or {}).get("n_valid_circuits") if mode == "paper" else exact_counts[name]["n_valid_circuits"]
            original = (ref["timing_s"]["circuit_search"] if ref and mode == "paper"
                        else ORIGINAL_WIDTH4_PAPER_S if name == "XOR_h4_extra" and mode == "paper" else None)
            flag = "" if expected is None else ("  ok" if result.n_valid == expected else "  DIFFERS")
            print(f"{name:<16}{mode:<10}{result.n_candidates:>15,}{result.n_valid:>13,}{_fmt(expected):>13}"
                  f"{seconds:>9.2f}{'' if original is None else f'{original:.2f}':>12}{flag}")


def options_table(names, repeats: int) -> None:
    print(f"\n{'model':<16}{'ablation':<10}{'valid':>13}{'classes':>10}{'minimal':>9}{'neuron sets':>12}"
          f"{'min margin':>11}{'count s':>9}{'full s':>8}")
    for name in names:
        n = 1 if name == "XOR_h5_extra" else repeats
        for ablation in ("zero", "mean", "resample"):
            counted, count_s = timed(name, n, ablation=ablation, max_keep=0)
            full, full_s = (None, None) if name == "XOR_h5_extra" else timed(name, n, ablation=ablation)
            margin = None if full is None or not full.n_kept else f"{full.margin.min():.3g}"
            print(f"{name:<16}{ablation:<10}{counted.n_valid:>13,}{_fmt(full and full.n_silent_classes):>10}"
                  f"{_fmt(full and full.n_edge_minimal):>9}{counted.n_neuron_sets:>12,}{margin or 'n/a':>11}"
                  f"{count_s:>9.2f}{'n/a' if full_s is None else f'{full_s:.2f}':>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--width5", action="store_true", help="also run the 2-5-5-1 net (minutes per run)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (width 5: one run)")
    args = parser.parse_args()
    if not REFERENCE.exists():
        sys.exit(f"reference data not found at {REFERENCE}")
    exact_counts = json.loads((REFERENCE / "exact_mode_counts.json").read_text())
    names = ["seed_00", "seed_03", "AND_h3_seed_00", "XOR_h4_extra"] + (["XOR_h5_extra"] if args.width5 else [])
    counts_table(names, args.repeats, exact_counts)
    options_table(names, args.repeats)
    print("\n'count s': census with max_keep=0 (counts only); 'full s': every valid circuit kept, with margins,\n"
          "silent classes and edge-minimal circuits (width 5 keeps ~1.9e8 circuits: counts only).\n"
          "'original s' is the original code's time (JSON timing_s; for 2-4-4-1 the README's 157 s).")


if __name__ == "__main__":
    main()
