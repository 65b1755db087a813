"""The explorer's figures and widget: flipping a cell changes the drawing; errors stay messages."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from mi_ident.explorer import Settings, explore_data, training_dynamics  # noqa: E402
from mi_ident.plotting.explorer import plot_dynamics, plot_exploration  # noqa: E402
from mi_ident.widgets.explorer import explore  # noqa: E402

SMALL = dict(width=2, depth=1, formula_depth=2)


def test_figures_for_every_view_and_for_messages():
    ex = explore_data(Settings.from_preset("AND", **SMALL))
    figs = plot_exploration(ex)
    assert len(figs) == 4 and all(f.axes for f in figs)
    fig = plot_dynamics(training_dynamics(Settings.from_preset("AND", **SMALL)), epoch=ex.epoch)
    assert any(line.get_xdata()[0] == ex.epoch for line in fig.axes[0].lines)  # the slider's mark
    assert len(plot_exploration(explore_data(Settings(table=[[1], [1], [1], [1]])))) == 1
    plt.close("all")


def test_flipping_a_cell_retrains_and_redraws():
    w = explore(Settings.from_preset("AND", **SMALL), background=False)
    before = [img.value for img in w.images]
    assert w.control.value == "AND" and "mi-ident-control" in w.control._dom_classes
    assert all("mi-ident-cell" in c._dom_classes for c in w.cells) and len(w.cells) == 4
    w.cells[3].click()  # AND -> constant 0: a message, not a traceback
    assert "constant" in w.summary.value and w.control.value == "(custom table)"
    w.cells[1].click()  # row 01 -> 1: the gate B_NIMPLY_A, trained and drawn
    assert w.settings().table == ((0,), (1,), (0,), (0,))
    assert "valid circuits" in w.summary.value
    assert [img.value for img in w.images] != before
    w.control.value = "OR"
    assert w.settings().table == ((0,), (1,), (1,), (1,)) and "OR" in w.summary.value
    plt.close("all")


def test_reshaping_the_table_adds_inputs_and_outputs():
    w = explore(Settings.from_preset("XOR", **SMALL), background=False)
    w.n_inputs.value = 3
    assert len(w.cells) == 8 and w.settings().table[:4] == w.settings().table[4:]  # the new input is ignored
    w.n_outputs.value = 2
    assert len(w.cells) == 16 and list(w.output.options) == [0, 1]
    assert w.settings().widths == (3, 2, 2) and "network 3-2-2" in w.summary.value
    w.output.value = 1
    assert w.settings().output == 1
    w.control.value = "XOR"
    assert len(w.cells) == 4 and w.n_inputs.value == 2 and w.n_outputs.value == 1
    plt.close("all")
