"""Exercise check of chapter 6: medians over a sweep's accepted runs, zeros included.

``median_by(df, column, by)`` is the median of ``column`` over the accepted runs of a results
table, per value of the axis ``by``; runs whose stage was skipped (NaN) do not count, and a
count of 0 is a count.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"width": [2, 2, 3, 3], "accepted": [1, 1, 1, 0], "n": [0, 4, 5, None]})
>>> median_by(df, "n", "width").tolist()
[2.0, 5.0]
>>> print(check_median_by(median_by, df))
correct: all 2 cases pass.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from . import Case, Feedback, Mistake, verify

__all__ = ["median_by", "check_median_by"]


def median_by(df: pd.DataFrame, column: str, by: str) -> pd.Series:
    """Median of ``column`` over accepted runs, per value of ``by`` (zeros count, NaN does not)."""
    accepted = df[df.accepted.astype(bool)]
    return accepted.groupby(by)[column].median()  # median() skips NaN and keeps zeros


def _drops_zeros(df, column, by):
    runs = df[df.accepted.astype(bool) & (df[column] > 0)]
    return runs.groupby(by)[column].median()


def _keeps_rejected(df, column, by):
    return df.fillna({column: 0}).groupby(by)[column].median()


def _mean(df, column, by):
    return df[df.accepted.astype(bool)].groupby(by)[column].mean()


_MISTAKES = [
    Mistake(_drops_zeros, "a network with no aligned formula has 0 mappings: keep the zeros."),
    Mistake(_keeps_rejected, "rejected networks have no counts: keep the accepted runs only, and leave NaN out."),
    Mistake(_mean, "counts are heavy-tailed: the figure's boxes are drawn around the median, not the mean."),
]


def _cases(frame: pd.DataFrame) -> list[Case]:
    columns = [c for c in ("total_mappings", "n_valid_circuits", "n") if c in frame.columns]
    axis = "width" if "width" in frame.columns else frame.columns[0]
    return [Case(f"{c} by {axis}", (frame, c, axis)) for c in columns]


def _sample() -> pd.DataFrame:
    # accepted runs with zeros and a heavy tail, a rejected run, a skipped stage (NaN)
    return pd.DataFrame({"width": [2, 2, 2, 3, 3, 3, 3], "accepted": [1, 1, 0, 1, 1, 1, 1],
                         "n": [0.0, 6.0, None, 0.0, 2.0, 90.0, None]})


def check_median_by(student: Callable[[pd.DataFrame, str, str], pd.Series], frame: pd.DataFrame | None = None
                    ) -> Feedback:
    """Check ``median_by`` on ``frame`` (a sweep's results; default a small hand-made table) and on a
    hand-made table with zeros, a rejected run and a skipped stage."""
    cases = (_cases(frame) if frame is not None else []) + _cases(_sample())
    return verify(student, median_by, cases, _MISTAKES, name="median_by")
