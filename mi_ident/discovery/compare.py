"""What discovery methods pick among the valid circuits: tidy tables of runs and their summaries.

:func:`method_runs` runs every method over a grid of its knobs and seeds on one network
and places each returned circuit among the census' valid circuits (its position, or -1
when it is not valid). :func:`pick_summary` condenses the runs of one setting: how often
the pick is valid, how many different circuits (and silent-neuron classes) are picked,
the chance that two runs differ, and whether picks follow a simple rule (the sparsest
valid circuit, the one with the largest weights, the largest margin).
:func:`survey` does it over gates, widths and training seeds.

Example
-------
>>> from mi_ident.model import MLP
>>> runs = method_runs(MLP([2, 2, 2, 1], seed=0), "XOR", grid={"greedy": {"tau": [0.01]}}, seeds=[0, 1])
>>> list(runs.columns[:4])
['method', 'knob', 'value', 'seed']
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..errors import ParameterError
from ._common import in_space
from .acdc import greedy_prune
from .attribution import attribution_patching
from .masks import learned_masks_many
from .truth import GroundTruth, ground_truth

__all__ = ["METHODS", "DEFAULT_GRID", "method_runs", "pick_summary", "survey", "differ_probability"]

def _greedy(model, task, values, seeds):
    return [[greedy_prune(model, task, tau=v, order="shuffled", seed=s) for s in seeds] for v in values]


def _attribution(model, task, values, seeds):
    return [[attribution_patching(model, task, k=v)] for v in values]  # no seed: one run per k


def _masks(model, task, values, seeds):
    """Every (penalty, seed) in one batch of learned masks."""
    pairs = [(v, s) for v in values for s in seeds]
    circuits = learned_masks_many(model, task, penalty=[v for v, _ in pairs], seeds=[s for _, s in pairs])
    return [circuits[k * len(seeds):(k + 1) * len(seeds)] for k in range(len(values))]


#: Method name -> (knob name, function of (model, task, knob values, seeds) -> circuits per value, per seed).
METHODS = {"greedy": ("tau", _greedy), "attribution": ("k", _attribution), "masks": ("penalty", _masks)}
#: Knob values tried by default (attribution's ``k`` values above the number of edges are skipped).
DEFAULT_GRID = {
    "greedy": {"tau": [0.005, 0.02, 0.05]},
    "attribution": {"k": [8, 10, 12, 14]},
    "masks": {"penalty": [0.02, 0.1, 0.3]},
}


def method_runs(model, task="XOR", grid: dict | None = None, seeds=(0, 1, 2, 3, 4),
                truth: GroundTruth | None = None) -> pd.DataFrame:
    """One row per (method, knob value, seed): the pick's position among the valid circuits and its features.

    Columns: ``method, knob, value, seed, position`` (-1: not a valid circuit), ``valid``,
    ``in_space`` (a census candidate at all), ``n_edges``, ``cls`` (silent-neuron class, -1
    if invalid). Seeds drive the visiting order (greedy) and the initial logits (masks);
    attribution patching has no seed, so it runs once per ``k`` (row ``seed`` = the first seed).
    """
    truth = ground_truth(model, task) if truth is None else truth
    grid = DEFAULT_GRID if grid is None else grid
    n_edges_max = sum(int(e.size) for e in (w for w, _ in truth.data.model.numpy_weights()))
    rows = []
    for method, knobs in grid.items():
        check_choice("method", method, tuple(METHODS))
        knob, run = METHODS[method]
        if set(knobs) != {knob}:
            raise ParameterError(f"the grid of {method!r} must give its knob {knob!r}; got {sorted(knobs)}")
        values = [v for v in knobs[knob] if not (method == "attribution" and v > n_edges_max)]
        for value, circuits in zip(values, run(truth.data.model, task, values, list(seeds))):
            for seed, circuit in zip(seeds, circuits):
                pos = truth.identify(circuit)
                rows.append({"method": method, "knob": knob, "value": value, "seed": int(seed), "position": pos,
                             "valid": pos >= 0, "in_space": in_space(circuit),
                             "n_edges": int(sum(int(e.sum()) for e in circuit.edge_masks)),
                             "cls": int(truth.table["cls"].iat[pos]) if pos >= 0 else -1})
    return pd.DataFrame(rows, columns=["method", "knob", "value", "seed", "position", "valid", "in_space",
                                       "n_edges", "cls"])


def differ_probability(picks) -> float:
    """The chance that two different runs (a random pair) return different circuits."""
    picks = list(picks)
    pairs = list(itertools.combinations(picks, 2))
    return float(np.mean([a != b for a, b in pairs])) if pairs else 0.0


def _rule_positions(truth: GroundTruth) -> dict[str, set]:
    t = truth.table
    if t.empty:
        return {"sparsest": set(), "edge_minimal": set(), "max_weight": set(), "max_margin": set()}
    return {"sparsest": set(t.position[t.n_edges == t.n_edges.min()]),
            "edge_minimal": set(t.position[t.edge_minimal]),
            "max_weight": set(t.position[t.weight_mass == t.weight_mass.max()]),
            "max_margin": set(t.position[t.margin == t.margin.max()])}


def pick_summary(runs: pd.DataFrame, truth: GroundTruth, by=("method", "value")) -> pd.DataFrame:
    """One row per (method, value): runs, valid fraction, distinct picks and classes, rule fractions.

    ``by=("method",)`` pools every knob value of a method, as a user trying several would.
    ``p_differ`` is over every pair of runs (an invalid pick counts as one more outcome);
    ``sparsest`` / ``edge_minimal`` / ``max_weight`` / ``max_margin`` are the fractions of runs
    whose pick is a valid circuit with the fewest edges / with no valid proper sub-circuit /
    with the largest weight mass / with the largest margin.
    """
    rules = _rule_positions(truth)
    rows = []
    by = list(by)
    for key, g in runs.groupby(by, sort=False):
        valid = g[g.valid]
        rows.append({**dict(zip(by, key)), "runs": len(g), "valid": float(g.valid.mean()),
                     "distinct": int(valid.position.nunique()), "distinct_classes": int(valid.cls.nunique()),
                     "p_differ": differ_probability(g.position),
                     **{name: float(g.position.isin(pos).mean()) for name, pos in rules.items()}})
    return pd.DataFrame(rows)


def survey(gates=("XOR", "AND"), widths=(2, 3), net_seeds=(0, 1), grid: dict | None = None,
           seeds=(0, 1, 2)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`method_runs` and :func:`pick_summary` over networks trained with :func:`mi_ident.train_many`.

    Networks are ``2-w-w-1`` for each gate and hidden width ``w``, one per training seed in
    ``net_seeds`` that reached the paper's acceptance; returns ``(runs, summaries)``, both with
    ``gate, width, net_seed, n_valid, n_classes`` columns in front.
    """
    from ..training import train_many

    all_runs, all_sums = [], []
    for gate, w in itertools.product(gates, widths):
        for r in train_many(gate, [2, w, w, 1], seeds=list(net_seeds), progress=False):
            if not r.accepted:
                continue
            truth = ground_truth(r.model, gate)
            front = {"gate": gate, "width": w, "net_seed": r.seed, "n_valid": truth.n_valid,
                     "n_classes": truth.n_classes}
            runs = method_runs(r.model, gate, grid, seeds, truth)
            all_runs.append(runs.assign(**front))
            all_sums.append(pick_summary(runs, truth).assign(**front))
    cols = ["gate", "width", "net_seed", "n_valid", "n_classes"]
    runs = pd.concat(all_runs, ignore_index=True) if all_runs else pd.DataFrame()
    sums = pd.concat(all_sums, ignore_index=True) if all_sums else pd.DataFrame()
    return (runs[cols + [c for c in runs.columns if c not in cols]] if len(runs) else runs,
            sums[cols + [c for c in sums.columns if c not in cols]] if len(sums) else sums)
