"""Chapter 8's figures and widget: they show the picks they are given, and react to the controls."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from mi_ident.discovery import das_runs, ground_truth, method_runs, pick_summary  # noqa: E402
from mi_ident.errors import ParameterError  # noqa: E402
from mi_ident.plotting.discovery import (plot_das_runs, plot_pick_frequencies, plot_survey,  # noqa: E402
                                         plot_valid_circuits)
from mi_ident.training import train_many  # noqa: E402
from mi_ident.widgets.discovery import discovery_widget  # noqa: E402


@pytest.fixture(scope="module")
def setting():
    model = train_many("XOR", [2, 3, 3, 1], seeds=[3], progress=False)[0].model
    truth = ground_truth(model, "XOR")
    runs = method_runs(model, "XOR", seeds=[0, 1], truth=truth)
    return model, truth, runs


def test_valid_circuits_figure_marks_every_distinct_pick(setting):
    _, truth, runs = setting
    ax = plot_valid_circuits(truth, runs)
    sizes = [len(c.get_offsets()) for c in ax.collections]
    n_minimal = int(truth.table.edge_minimal.sum())
    expected = [truth.n_valid, n_minimal] + [g[g.valid].position.nunique() for _, g in runs.groupby("method", sort=False)]
    assert sizes == expected
    plt.close("all")
    with pytest.raises(ParameterError):
        plot_valid_circuits(truth, runs, x="colour")


def test_pick_frequencies_and_survey_figures(setting):
    _, truth, runs = setting
    ax = plot_pick_frequencies(runs, truth)
    n_points = sum(len(c.get_offsets()) for c in ax.collections)
    assert n_points == sum(g.position.nunique() for _, g in runs.groupby("method"))
    summary = pick_summary(runs, truth).assign(gate="XOR", width=3)
    ax = plot_survey(summary)
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 6 * summary.method.nunique() and all(0 <= h <= 1 for h in heights)
    plt.close("all")


def test_das_figure(setting):
    model = setting[0]
    runs = das_runs(model, "¬(A*B)*(A+B)", layers=[1], seeds=[0, 1], steps=30)
    ax = plot_das_runs(runs)
    assert [p.get_height() for p in ax.patches][0] == runs.aligned.sum()
    plt.close("all")


def test_widget_reacts_to_every_control(setting):
    model, truth, _ = setting
    w = discovery_widget(model, "XOR", truth=truth, seeds=(0, 1))
    assert "mi-ident-control" in w.control._dom_classes and "mi-ident-result" in w.result._dom_classes
    first = w.result.value
    w.control.value = "attribution"
    assert w.knob.description == "k" and list(w.knob.options) == [8, 10, 12, 14]
    assert w.result.value != first
    w.knob.value = 14
    assert ("attribution", 14, 0) in w.cache and w.result.value == w.cache[("attribution", 14, 0)]
    w.control.value = "greedy"
    w.seed.value = 1
    assert w.result.value == w.cache[("greedy", w.knob.value, 1)]
    with pytest.raises(ParameterError):
        discovery_widget(model, "XOR", truth=truth, method="acdc")
    plt.close("all")
