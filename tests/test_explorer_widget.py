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


def test_png_cache_draws_each_key_once_and_moves_the_mark():
    from mi_ident.plotting.explorer import PngCache, plot_message

    calls = []

    def draw(text):
        calls.append(text)
        return plot_message(text)

    cache = PngCache(dpi=20)
    first = cache.png(("a",), lambda: draw("a"))
    assert first.startswith(b"\x89PNG") and cache.png(("a",), lambda: draw("a")) is first
    assert calls == ["a"]  # the hit did not draw again
    assert cache.png(("b",), lambda: draw("b")) != first and calls == ["a", "b"]
    assert plt.get_fignums() == []  # drawn without pyplot: nothing for a notebook to show
    d = training_dynamics(Settings.from_preset("AND", **SMALL))
    built = []

    def dyn():
        built.append(1)
        return plot_dynamics(d, epoch=d.epochs[0])

    at_first = cache.marked(("dyn",), d.epochs[0], dyn)
    at_last = cache.marked(("dyn",), d.epochs[-1], dyn)
    assert built == [1] and at_first != at_last  # one figure, its mark moved and re-rendered
    assert cache.marked(("dyn",), d.epochs[0], dyn) is at_first


def test_margin_change_reuses_the_alignment_counts_of_the_dynamics(monkeypatch):
    import mi_ident.explorer.explore as E

    s = Settings.from_preset("AND", **SMALL)
    before = training_dynamics(s)
    monkeypatch.setattr(E, "algorithm_view", lambda *a, **k: 1 / 0)  # must not be called again
    after = training_dynamics(s.replace(min_margin=0.3))
    assert after.n_aligned == before.n_aligned and after.epochs == before.epochs
    assert all(a <= b for a, b in zip(after.n_valid, before.n_valid))  # a margin only removes circuits


def test_prefetch_after_first_use_draws_the_other_criterion_ahead(monkeypatch):
    import mi_ident.plotting.explorer as PE

    w = explore(Settings.from_preset("AND", **SMALL), background=False, prefetch=True)
    assert not w.prefetched.is_set()  # nothing runs behind a notebook until a control is used
    w.controls["ablation"].value = "mean"
    assert w.prefetched.wait(300)
    before = w.images[2].value
    drawn = []
    real = PE.plot_algorithm_view
    monkeypatch.setattr(PE, "plot_algorithm_view", lambda *a, **k: drawn.append(1) or real(*a, **k))
    w.controls["criterion"].value = "joint"
    assert w.images[2].value != before  # the title names the criterion
    assert drawn == []  # the joint panel was drawn by the prefetch
    w.checkpoint.value = 0
    assert drawn == [] and w.images[2].value  # every checkpoint too
    plt.close("all")
