"""Figures of a sweep: each count across seeds, per value of an axis, paper count beside artefact-free ones.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"width": [2, 2, 3], "seed": [0, 1, 0], "accepted": [True] * 3,
...                    "census_mode": ["paper"] * 3, "n_valid_circuits": [4, 6, 40]})
>>> fig = plot_sweep(df, by="width", panels=["circuits"])
>>> [ax.get_title() for ax in fig.axes]
['valid circuits']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..experiments.figures import PANELS, count_table

__all__ = ["PANEL_TITLES", "plot_acceptance", "plot_sweep"]

PANEL_TITLES = {"circuits": "valid circuits", "interpretations": "interpretations",
                "formulas": "aligned formulas", "mappings": "minimal mappings"}
_COLOURS = ["tab:grey", "tab:blue", "tab:green", "tab:orange"]


def plot_sweep(
    df: pd.DataFrame,
    by: str = "width",
    panels: Sequence[str] | None = None,
    reference: Mapping[str, Mapping] | None = None,
    reference_label: str = "authors' figure (median, read off)",
):
    """One log-scale box-plot panel per count; in each, one box per variant and axis value.

    ``df`` is a sweep's results table (:func:`~mi_ident.experiments.load_results`). Only
    accepted runs count; a run whose stage was skipped contributes nothing; zeros cannot sit on
    a log axis, so each panel's legend says how many runs counted zero. ``reference`` maps a
    panel to ``{axis value: number}`` drawn as black diamonds (e.g. the paper's medians).
    """
    import matplotlib.pyplot as plt

    long = count_table(df, by, list(panels) if panels is not None else None)
    shown = [p for p in (panels or PANELS) if (long["panel"] == p).any()]
    if not shown:
        raise ParameterError("no accepted run has any of these counts: run the sweep (with its stages) first")
    values = sorted(long[by].unique(), key=_sort_key)
    fig, axes = plt.subplots(1, len(shown), figsize=(4.2 * len(shown), 4.6), squeeze=False)
    for ax, panel in zip(axes[0], shown):
        _panel(ax, long[long["panel"] == panel], by, values, (reference or {}).get(panel), reference_label)
        ax.set_title(PANEL_TITLES[panel])
    fig.tight_layout()
    return fig


def _sort_key(v):
    return (0, float(v), "") if isinstance(v, (int, float, np.number)) else (1, 0.0, str(v))


def _panel(ax, long: pd.DataFrame, by: str, values: list, reference, reference_label: str) -> None:
    variants = list(dict.fromkeys(long["variant"]))
    n = len(variants)
    width = 0.8 / n
    for k, variant in enumerate(variants):
        rows = long[long["variant"] == variant]
        data, positions, zeros = [], [], 0
        for i, v in enumerate(values):
            vals = rows.loc[rows[by] == v, "value"].to_numpy()
            zeros += int((vals <= 0).sum())
            if (vals > 0).any():
                data.append(vals[vals > 0])
                positions.append(i + (k - (n - 1) / 2) * width)
        if not data:
            continue
        colour = _COLOURS[k % len(_COLOURS)]
        ax.boxplot(data, positions=positions, widths=width * 0.9, patch_artist=True, manage_ticks=False,
                   boxprops=dict(facecolor=colour, alpha=0.45), medianprops=dict(color="black"),
                   flierprops=dict(markersize=3))
        label = variant + (f" ({zeros} runs counted 0)" if zeros else "")
        ax.plot([], [], "s", color=colour, alpha=0.6, label=label)
    if reference:
        xs = [i for i, v in enumerate(values) if v in reference]
        ax.plot(xs, [reference[values[i]] for i in xs], "D", color="black", label=reference_label)
    ax.set_yscale("log")
    ax.set_xticks(range(len(values)))
    ax.set_xticklabels([str(v) for v in values])
    ax.set_xlabel(by)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
    ax.grid(axis="y", alpha=0.3)


def plot_acceptance(df: pd.DataFrame, by: str = "width", ax=None):
    """Fraction of trained networks accepted, per axis value (the denominator of every box)."""
    import matplotlib.pyplot as plt

    if by not in df or "accepted" not in df:
        raise ParameterError(f"by={by!r}: the results have no such parameter or no training outcome")
    rate = df.groupby(by)["accepted"].agg(["mean", "size"])
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3))
    ax.bar([str(v) for v in rate.index], rate["mean"], color="tab:blue", alpha=0.6)
    for i, (m, n) in enumerate(zip(rate["mean"], rate["size"])):
        ax.text(i, m, f"{m:.0%} of {n}", ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 1.15)
    ax.set_xlabel(by)
    ax.set_ylabel("accepted")
    return ax
