"""Time training many seeds as one batched model against training them one by one.

The original code trained one network at a time (``timing_s["training"]`` in the
reference JSON files: 0.4-7 s per network on a 2-core CPU).

    .venv/bin/python benchmarks/train_bench.py
    .venv/bin/python benchmarks/train_bench.py --n-seeds 100 --widths 2 2 2 1 --single 20

One by one is timed on the first ``--single`` seeds only, then extrapolated to all
seeds in proportion to the number of epochs (known exactly from the batched run,
whose per-seed trajectories equal the one-by-one ones); the output says so.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mi_ident.training import train, train_many  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gate", default="XOR")
    parser.add_argument("--widths", type=int, nargs="+", default=[2, 3, 3, 1])
    parser.add_argument("--n-seeds", type=int, default=100)
    parser.add_argument("--single", type=int, default=10, help="seeds to time one by one (then extrapolate)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    many = train_many(args.gate, args.widths, seeds=args.n_seeds, progress=False)
    t_many = time.perf_counter() - t0
    epochs = [r.epochs for r in many]
    print(f"{args.gate} {args.widths}, {args.n_seeds} seeds: {sum(r.accepted for r in many)} accepted, "
          f"epochs min/median/max {min(epochs)}/{sorted(epochs)[len(epochs) // 2]}/{max(epochs)}, "
          f"total {sum(epochs)}")
    print(f"batched (train_many):   {t_many:8.2f} s")

    n_single = min(args.single, args.n_seeds)
    t0 = time.perf_counter()
    singles = [train(args.gate, args.widths, seed=s, progress=False) for s in range(n_single)]
    t_single = time.perf_counter() - t0
    single_epochs = sum(r.epochs for r in singles)
    same = all(a.losses == b.losses for a, b in zip(singles, many))
    if n_single == args.n_seeds:
        print(f"one by one (train):     {t_single:8.2f} s")
        estimate = t_single
    else:
        estimate = t_single / single_epochs * sum(epochs)
        print(f"one by one (train):     {t_single:8.2f} s for {n_single} seeds ({single_epochs} epochs); "
              f"extrapolated to {args.n_seeds} seeds by epochs: {estimate:.2f} s")
    print(f"speed-up: {estimate / t_many:.1f}x; batched losses identical to one-by-one: {same}")
    print(f"the batched run took as long as {t_many / (t_single / n_single):.1f} single runs on average")


if __name__ == "__main__":
    main()
