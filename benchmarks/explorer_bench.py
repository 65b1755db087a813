"""Time the explorer: training (with checkpoints), the first views of a network, and an update.

    .venv/bin/python benchmarks/explorer_bench.py
    .venv/bin/python benchmarks/explorer_bench.py --gate AND --width 3 --seeds 4

Four timings, each from a cold cache for its part:

* training every seed at once with checkpoints (what the widget's progress bar covers);
* the first views of the trained network (census, interpretations, and aligning every
  candidate formula, whose list is enumerated once per truth table and cached);
* an update once trained and aligned: a new ablation, margin, criterion-free choice
  (the widget's everyday change), views recomputed from the caches;
* drawing the four figures as PNG (what the widget sends);
* the ``explore()`` widget itself, computing synchronously: each control change recomputes
  and redraws the panels whose content changed (the real update a student waits for). The
  first control used starts the background prefetch (both criteria aligned and drawn at
  every checkpoint, ~20 s); the later updates are timed once it has finished.

Measured on the idle 2-core machine, XOR 2-3-3-1 seed 3 (width 3), best of 3 runs of this
script (2 December 2026), before -> after caching PNGs by view data, splitting the dynamics
cache (circuit counts by ablation and margin, alignment counts by criterion), drawing without
pyplot and prefetching:

    first draw 1.83 -> 1.24 s; ablation->mean 0.86 -> 0.69 s; margin->0.2 1.47 -> 0.65 s;
    criterion->joint 1.90 -> 0.14 s; circuit->2 0.31 -> 0.19 s; checkpoint->3 1.41 -> 0.24 s
    (background prefetch ~21 s). Worst of the 3 runs: margin 0.75 s; earlier runs saw up to
    1.07 s when a full garbage collection of the ~1.6 million cached objects (~0.5 s) landed
    inside the update.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from mi_ident.explorer import Settings, explore_data, train_with_checkpoints, training_dynamics  # noqa: E402
from mi_ident.plotting.explorer import plot_exploration  # noqa: E402


def _timed(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<58} {time.perf_counter() - t0:7.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gate", default="XOR")
    parser.add_argument("--width", type=int, default=3)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=1, help="seeds trained at once")
    args = parser.parse_args()
    s = Settings.from_preset(args.gate, width=args.width, depth=args.depth, seed=args.seed, n_seeds=args.seeds)
    print(f"{args.gate}, network {'-'.join(map(str, s.widths))}, seeds {list(s.seeds)}")
    run = _timed("training with checkpoints", lambda: train_with_checkpoints(s, progress=False))
    r = run.run_for(args.seed)
    print(f"  seed {args.seed}: {len(r.losses)} epochs, {len(r.checkpoints)} checkpoints, accepted {r.accepted}")
    ex = _timed("first views (census, interpretations, alignment)", lambda: explore_data(s))
    if ex.message:
        print("  message:", ex.message)
        return
    print(f"  {ex.circuits.n_valid} valid circuits, {ex.algorithms.n_formulas} aligned formulas of "
          f"{ex.algorithms.n_candidates}")
    for change in (dict(ablation="mean"), dict(min_margin=0.2), dict(ablation="zero", min_margin=0.0)):
        _timed(f"update after training: {change}", lambda: explore_data(s.replace(**change), circuit=1))

    def draw():
        for fig in plot_exploration(ex):
            fig.savefig(io.BytesIO(), format="png", dpi=60)
            plt.close(fig)

    _timed("drawing the four views as PNG", draw)
    from mi_ident.plotting.explorer import plot_circuit_view

    def update_and_redraw():  # the widget redraws only the panel whose data changed
        fig = plot_circuit_view(explore_data(s.replace(ablation="resample")).circuits)
        fig.savefig(io.BytesIO(), format="png", dpi=60)
        plt.close(fig)

    _timed("update after training + redraw of the changed panel", update_and_redraw)
    _timed("training dynamics (every checkpoint: census + paper-list alignment)",
           lambda: training_dynamics(s))

    from mi_ident.widgets.explorer import explore

    w = _timed("explore() widget, first draw (caches warm)", lambda: explore(s, background=False, prefetch=True))
    _timed("explore() update: ablation -> mean (recompute + redraw)",
           lambda: setattr(w.controls["ablation"], "value", "mean"))
    # The first use of a control starts the background prefetch (both criteria aligned and
    # drawn at every checkpoint); the updates below are timed once it has finished.
    _timed("  background prefetch finishing (both criteria, every checkpoint)",
           lambda: w.prefetched.wait(600))
    for name, value in [("margin", 0.2), ("criterion", "joint")]:
        control = w.controls[name]
        _timed(f"explore() update: {name} -> {value} (recompute + redraw)",
               lambda: setattr(control, "value", value))
    _timed("explore() update: circuit -> 2", lambda: setattr(w.circuit, "value", 1))
    _timed("explore() update: checkpoint -> 3", lambda: setattr(w.checkpoint, "value", 3))

if __name__ == "__main__":
    main()
