"""Monte-Carlo estimates: the interval covers the exact counts, the estimator is unbiased."""

from __future__ import annotations

import json

import numpy as np
import pytest
from circuit_helpers import load_reference, teacher

from mi_ident.circuits import census, count_candidates, estimate_valid_circuits, wilson_interval
from mi_ident.model import MLP


@pytest.mark.parametrize("name, n", [("seed_00", 3000), ("XOR_h4_extra", 3000)])
def test_estimate_interval_covers_exact_count(reference_dir, name, n):
    expected = json.loads((reference_dir / "exact_mode_counts.json").read_text())[name]
    wf, _ = load_reference(reference_dir, name)
    est = estimate_valid_circuits(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), n_samples=n, confidence=0.99)
    assert est.n_candidates == expected["n_candidates"] and est.n_samples == n
    assert est.low <= expected["n_valid_circuits"] <= est.high
    assert est.low < est.estimate < est.high


def test_estimate_is_unbiased_on_a_small_net():
    model, X, y = teacher([2, 2, 2, 1], 1)
    exact = census(model, (X, y), accuracy_threshold=0.9, progress=False).n_valid
    estimates = [estimate_valid_circuits(model, (X, y), n_samples=300, seed=s, accuracy_threshold=0.9).estimate
                 for s in range(10)]
    assert abs(np.mean(estimates) - exact) < 0.1 * exact


def test_estimate_runs_beyond_exhaustive_widths():
    model = MLP([2, 6, 6, 1], seed=0)
    est = estimate_valid_circuits(model, "XOR", n_samples=300)
    assert est.n_candidates == count_candidates([2, 6, 6, 1]) > 10**12
    assert 0 <= est.low <= est.estimate <= est.high <= est.n_candidates


def test_wilson_interval_against_the_formula():
    # p = 0.3, n = 100, z = 1.959964: the textbook values
    low, high = wilson_interval(30, 100, 0.95)
    assert low == pytest.approx(0.2189, abs=1e-4) and high == pytest.approx(0.3958, abs=1e-4)


@pytest.mark.parametrize("kw, match", [({"n_samples": 0}, "n_samples"), ({"confidence": 1.0}, "confidence"),
                                       ({"seed": -1}, "seed"), ({"mode": "fast"}, "mode")])
def test_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        estimate_valid_circuits(MLP([2, 2, 1], seed=0), "XOR", **kw)


@pytest.mark.parametrize("ablation", ["mean", "resample"])
def test_estimate_under_ablation_covers_the_census(reference_dir, ablation):
    wf, _ = load_reference(reference_dir, "seed_03")
    exact = census(wf, ablation=ablation, progress=False, max_keep=0).n_valid
    est = estimate_valid_circuits(wf, n_samples=3000, confidence=0.99, ablation=ablation)
    assert est.low <= exact <= est.high and est.n_hits > 0
