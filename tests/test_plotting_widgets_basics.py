"""Figures and widgets of chapters 1-2: mi_ident.plotting.basics and mi_ident.widgets.basics."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from mi_ident.model import MLP  # noqa: E402
from mi_ident.plotting import (  # noqa: E402
    plot_decision_maps,
    plot_hidden_activations,
    plot_linear_fit,
    plot_loss_curves,
    plot_truth_table,
)
from mi_ident.training import fit_linear, train_many  # noqa: E402
from mi_ident.widgets import activations_html, activations_widget, linear_fit_html, linear_fit_widget  # noqa: E402


@pytest.fixture(scope="module")
def results():
    return train_many("XOR", [2, 3, 3, 1], seeds=[0, 2], progress=False)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_loss_curves_draw_one_line_per_run(results):
    ax = plot_loss_curves(results, loss_target=0.01)
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 1]
    assert len(lines) == len(results) + 1  # runs + target line
    for r, ln in zip(results, lines):
        assert np.allclose(ln.get_ydata(), r.losses)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "accepted (1)" in labels and "rejected (1)" in labels
    with pytest.raises(ValueError):
        plot_loss_curves([])


def test_hidden_activations_show_the_model_values(results):
    fig = plot_hidden_activations(results)
    heatmaps = [ax for ax in fig.axes if ax.images]
    assert len(heatmaps) == 2 * 2  # 2 networks x 2 hidden layers
    corners = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    expected = results[1].model.activations(corners)[2].detach().numpy()
    assert np.allclose(heatmaps[3].images[0].get_array(), expected)
    assert heatmaps[0].get_ylabel() == "seed 0"
    with pytest.raises(TypeError, match="MLPs or TrainResults"):
        plot_hidden_activations([1, 2])
    with pytest.raises(ValueError, match="no hidden layer"):
        plot_hidden_activations([MLP([2, 1], seed=0)])


def test_decision_maps_and_truth_tables(results):
    fig = plot_decision_maps([r.model for r in results], titles=["a", "b"])
    maps = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in maps] == ["a", "b"]
    grid = maps[0].images[0].get_array()
    # the centre of the map is the network's output at (0.5, 0.5)
    centre = results[0].model(torch.tensor([[0.5, 0.5]])).item()
    assert grid.shape == (81, 81) and grid[40, 40] == pytest.approx(centre, abs=1e-6)
    with pytest.raises(ValueError, match="2 inputs"):
        plot_decision_maps([MLP([3, 2, 1], seed=0)])
    ax = plot_truth_table("NAND")
    assert ax.get_title() == "NAND"
    with pytest.raises(ValueError, match="2-input"):
        plot_truth_table([0, 1, 1, 0, 1, 0, 0, 1])
    assert plot_linear_fit(fit_linear("XOR")).get_title() == "XOR: best line gets 3/4"
    assert plot_linear_fit(fit_linear("AND+XOR"), output=0).get_title() == "AND: best line gets 4/4"


def test_linear_fit_widget_follows_the_dropdown_and_the_toggles():
    w = linear_fit_widget("AND")
    assert "mi-ident-control" in w.control._dom_classes and "mi-ident-result" in w.result._dom_classes
    before = w.result.value
    assert "AND: linearly separable" in before
    w.control.value = "XOR"
    assert w.result.value != before and "XOR: not linearly separable" in w.result.value
    assert "3/4" in w.result.value and [b.value for b in w.bits] == [False, True, True, False]
    w.bits[3].value = True  # 0111 is OR
    assert w.control.value == "OR" and "OR: linearly separable" in w.result.value
    assert linear_fit_widget("IMP").control.value == "A_IMPLY_B"
    with pytest.raises(ValueError, match="gate must be one of"):
        linear_fit_widget("MAYBE")


def test_linear_fit_html_multi_output():
    html = linear_fit_html("AND+XOR")
    assert "AND: linearly separable" in html and "XOR: not linearly separable" in html


def test_activations_widget_follows_the_dropdown():
    w = activations_widget(gates=["XOR", "AND"], widths=(2, 2, 1), seeds=[0, 1])
    assert "mi-ident-control" in w.control._dom_classes and "mi-ident-result" in w.result._dom_classes
    before = w.result.value
    w.control.value = "AND"
    assert w.result.value != before and set(w.cache) == {"XOR", "AND"}
    w.seed.value = 1
    assert w.result.value == activations_html(w.cache["AND"][1]) and w.result.value.startswith("<p>seed 1:")
    with pytest.raises(ValueError, match="gate must be one of"):
        activations_widget(gates=["XOR"], gate="AND", seeds=[0])


def test_activations_html_shows_every_hidden_value(results):
    html = activations_html(results[0])
    corners = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    for a in results[0].model.activations(corners)[1:]:
        for v in a.detach().numpy().ravel():
            text = f"{v:.2f}"
            assert (text if text != "-0.00" else "0.00") in html
    assert "layer 1" in html and "output" in html
