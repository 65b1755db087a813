"""Chapter 6's exercise check: the reference passes, each common mistake fails with its hint."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mi_ident.exercises.ch06 import _MISTAKES, check_median_by, median_by

WIDTH = Path(__file__).resolve().parents[1] / "notebooks" / "data" / "paper_width.csv"


def test_the_reference_passes_on_the_shipped_results_and_by_hand():
    frame = pd.read_csv(WIDTH)
    assert check_median_by(median_by, frame[frame.census_mode == "paper"]).passed
    assert check_median_by(median_by).passed


def test_the_reference_keeps_zeros_and_drops_rejected_and_skipped_runs():
    df = pd.DataFrame({"width": [2, 2, 2, 2], "accepted": [1, 1, 1, 0], "n": [0.0, 0.0, 8.0, 100.0]})
    assert median_by(df, "n", "width").tolist() == [0.0]


def test_each_mistake_fails_with_its_hint():
    for mistake in _MISTAKES:
        feedback = check_median_by(mistake.solution)
        assert not feedback.passed and mistake.hint in feedback.message
