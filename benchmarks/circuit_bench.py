"""Time the circuit census on the reference models and compare with the original code.

    python benchmarks/circuit_bench.py            # 2-3-3-1 (exact, paper) and 2-4-4-1, a few seconds
    python benchmarks/circuit_bench.py --width5   # adds the 2-5-5-1 net: 7.27e9 candidates

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


def run(name: str, mode: str, repeats: int, precision: str | None = None) -> tuple[object, float]:
    wf = load_weights(REFERENCE / f"{name}_weights.npz")
    data = (wf.data["X_eval"], wf.data["y_eval"])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = census(wf.model, data, mode=mode, max_keep=1000, progress=False, allow_large=True,
                        precision=precision)
        best = min(best, time.perf_counter() - start)
    return result, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--width5", action="store_true", help="also run the 2-5-5-1 net (about a minute)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs for the small nets")
    args = parser.parse_args()
    if not REFERENCE.exists():
        sys.exit(f"reference data not found at {REFERENCE}")
    exact_counts = json.loads((REFERENCE / "exact_mode_counts.json").read_text())

    print(f"{'model':<16}{'mode':<7}{'precision':<10}{'candidates':>15}{'valid':>13}{'expected':>13}"
          f"{'seconds':>9}{'original s':>12}")

    def line(name, mode, result, seconds, expected, original, precision=None):
        precision = precision or ("float32" if mode == "paper" else "float64")
        flag = "" if expected is None else ("  ok" if result.n_valid == expected else "  DIFFERS")
        exp = "" if expected is None else f"{expected:,}"
        orig = "" if original is None else f"{original:.2f}"
        print(f"{name:<16}{mode:<7}{precision:<10}{result.n_candidates:>15,}{result.n_valid:>13,}{exp:>13}"
              f"{seconds:>9.3f}{orig:>12}{flag}")

    for name in ("seed_00", "seed_01", "seed_02", "seed_03", "seed_04", "AND_h3_seed_00"):
        ref = json.loads((REFERENCE / f"{name}.json").read_text())
        result, seconds = run(name, "paper", args.repeats)
        line(name, "paper", result, seconds, ref["n_valid_circuits"], ref["timing_s"]["circuit_search"])
        result, seconds = run(name, "exact", args.repeats)
        line(name, "exact", result, seconds, exact_counts[name]["n_valid_circuits"], None)
    result, seconds = run("XOR_h4_extra", "paper", args.repeats)
    line("XOR_h4_extra", "paper", result, seconds, None, ORIGINAL_WIDTH4_PAPER_S)
    result, seconds = run("XOR_h4_extra", "exact", args.repeats)
    line("XOR_h4_extra", "exact", result, seconds, exact_counts["XOR_h4_extra"]["n_valid_circuits"],
         ORIGINAL_WIDTH4_PAPER_S * 4_346_385 / 168_672)
    if args.width5:
        expected = exact_counts["XOR_h5_extra"]["n_valid_circuits"]
        for precision in ("float64", "float32"):
            result, seconds = run("XOR_h5_extra", "exact", 1, precision)
            line("XOR_h5_extra", "exact", result, seconds, expected, None, precision)
        print("\nThe reference count for XOR_h5_extra came from a factorised count in real-valued arithmetic;\n"
              "it equals precision='float64', the exact-mode default. precision='float32' follows torch's float32\n"
              "forward pass, which rounds 14 borderline circuits (outputs within ~2e-7 of 0.5) the other way.")
    print("\n'original s' is the original code's time (JSON timing_s; for 2-4-4-1 the README's 157 s for\n"
          "the paper list, scaled by candidate count for the exact list).")


if __name__ == "__main__":
    main()
