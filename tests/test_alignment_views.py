"""Chapter 5's figures and widget: the drawings follow the chosen criterion and formula."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from mi_ident.alignment import NeuronMapping, what_then_where  # noqa: E402
from mi_ident.exercises.ch05 import seed3_network  # noqa: E402
from mi_ident.model import MLP  # noqa: E402
from mi_ident.widgets.alignment import ALIGN_SETTINGS, alignment_widget  # noqa: E402


def test_alignment_widget_draws_the_chosen_criterion():
    net = seed3_network()
    formulas = ["¬(A*B)*(A+B)", "¬((A*B)+¬(A+B))", "¬((A*B)*B)*(A+B)"]
    results = {k: what_then_where(net, formulas=formulas, **v) for k, v in ALIGN_SETTINGS.items()}
    w = alignment_widget(net, results)
    assert "mi-ident-control" in w.control._dom_classes and "mi-ident-result" in w.result._dom_classes
    before = w.result.value
    assert w.control.value.startswith("paper") and "<img" in before
    assert [v for _, v in w.formula.options] == results[w.control.value].formulas
    w.control.value = "corrected: nodes jointly (default)"
    after = w.result.value
    assert after != before and "<img" in after and "3 minimal mappings" in after
    assert [v for _, v in w.formula.options] == ["¬(A*B)*(A+B)", "¬((A*B)+¬(A+B))"]
    w.formula.value = "¬((A*B)+¬(A+B))"
    assert w.result.value != after and "¬((A∧B)∨¬(A∨B))" in w.result.value
    plt.close("all")


def test_alignment_widget_with_nothing_aligned_and_bad_results():
    net = MLP([2, 2, 1], seed=0)
    w = alignment_widget(net, {"corrected: nodes jointly (default)": what_then_where(net, formulas=["A*B+B"])})
    assert "no formula aligns" in w.result.value
    with pytest.raises(ValueError, match="results must be keyed by"):
        alignment_widget(net, {"joint": None})


def test_chapter_5_figures():
    from mi_ident.plotting import plot_formula, plot_mapping, plot_mapping_counts, plot_mappings

    model = MLP([2, 3, 3, 1], seed=0)
    m = NeuronMapping.from_dict("¬(A*B)*(A+B)", {"A+B": [(1, 0)], "¬(A*B)": [(2, 1), (2, 2)]})
    ax = plot_mapping(model, m)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A∨B", "¬(A∧B)"]
    assert len(plot_formula(m.formula).collections) == len(m.formula.nodes)
    fig = plot_mappings(model, [m, m, m], ncols=2, titles=["a", "b", "c"])
    assert len(fig.axes) == 4 and [ax.get_title() for ax in fig.axes[:3]] == ["a", "b", "c"]
    result = what_then_where(model, "AND", depth=1, threshold=0.0)
    assert len(plot_mapping_counts(result).patches) == result.n_formulas
    with pytest.raises(ValueError, match="nothing aligned"):
        plot_mappings(model, [])
    plt.close("all")
