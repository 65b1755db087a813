"""Figures of sweeps: the long table behind them, the box plots, the widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from mi_ident.errors import ParameterError
from mi_ident.experiments.figures import count_table, medians, sweep_axes
from mi_ident.plotting.sweeps import plot_acceptance, plot_sweep


def _runs() -> pd.DataFrame:
    rows = []
    for width, mode, circuits, total, tables in [(2, "paper", 3, 40, 4), (2, "paper", 5, 0, 0),
                                                 (3, "paper", 30, 9000, 90), (3, "corrected", 300, None, None)]:
        rows.append(dict(width=width, seed=len(rows), accepted=True, census_mode=mode, interp_mode=mode,
                         align_mode=mode, n_valid_circuits=circuits, total_interpretations=total,
                         total_assignments=tables))
    rows.append(dict(width=3, seed=9, accepted=False, census_mode="paper", interp_mode="paper",
                     align_mode="paper", n_valid_circuits=None, total_interpretations=None, total_assignments=None))
    return pd.DataFrame(rows)


def test_count_table_keeps_accepted_runs_and_their_zeros():
    long = count_table(_runs(), "width")
    paper = long[(long.panel == "circuits") & (long.variant == "paper census")]
    assert sorted(paper.value) == [3, 5, 30]  # the rejected run has no count
    assert (long[long.panel == "circuits"].variant == "every node mask (corrected)").sum() == 1
    totals = long[long.variant == "paper total (with completions)"]
    assert sorted(totals.value) == [0, 40, 9000]  # a zero is a count; a skipped stage (None) is not
    assert medians(_runs()).loc[("circuits", "paper census"), 2] == 4


def test_unknown_axis_or_panel_is_one_clear_error():
    with pytest.raises(ParameterError, match="by='colour'"):
        count_table(_runs(), "colour")
    with pytest.raises(ParameterError, match="unknown panel"):
        count_table(_runs(), "width", ["circuitz"])
    assert sweep_axes(_runs()) == ["width"]


def test_plot_sweep_draws_one_panel_per_count_and_the_reference():
    fig = plot_sweep(_runs(), "width", reference={"interpretations": {2: 37, 3: 7e3}})
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["valid circuits", "interpretations"]
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert any("1 runs counted 0" in t for t in legend) and any("authors'" in t for t in legend)
    assert fig.axes[0].get_yscale() == "log"


def test_plot_sweep_without_counts_is_an_error():
    with pytest.raises(ParameterError, match="no accepted run"):
        plot_sweep(_runs().assign(accepted=False), "width")


def test_acceptance_bars():
    ax = plot_acceptance(_runs(), "width")
    assert [round(p.get_height(), 2) for p in ax.patches] == [1.0, 0.67]


def test_widget_changes_its_figure_with_the_dropdown():
    from mi_ident.widgets.sweeps import sweep_widget

    runs = _runs()
    box = sweep_widget({"by width": (runs, "width"), "by seed": (runs, "seed")})
    assert "mi-ident-control" in box.control._dom_classes and "mi-ident-result" in box.result._dom_classes
    before = box.result.value
    box.control.value = "by seed"
    assert box.result.value != before and box.result.value.startswith("<b>by seed</b>")
