"""The strip figure of faithfulness scores: mi_ident.plotting.faithfulness."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mi_ident.circuits import census  # noqa: E402
from mi_ident.errors import ParameterError  # noqa: E402
from mi_ident.exercises.ch05 import seed3_network  # noqa: E402
from mi_ident.faithfulness import circuit_scores, noisy_faithfulness  # noqa: E402
from mi_ident.plotting.faithfulness import plot_faithfulness_scores  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _points(ax) -> np.ndarray:
    return np.concatenate([c.get_offsets()[:, 0] for c in ax.collections])


def test_each_panel_shows_every_score_and_counts_those_at_the_threshold():
    scores = {"a": [1.0, 0.5, 1.0, 0.999], "b": np.array([0.2, 0.3])}
    fig = plot_faithfulness_scores(scores, threshold=0.99)
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    assert [ax.get_title() for ax in axes] == ["a\n3 of 4 at 0.99", "b\n0 of 2 at 0.99"]
    for ax, values in zip(axes, scores.values()):
        assert sorted(_points(ax)) == pytest.approx(sorted(values))


def test_counts_in_titles_match_the_single_circuit_functions_on_the_seed3_network():
    model = seed3_network()
    circuits = census(model, "XOR", mode="paper", progress=False).circuits()
    scores = circuit_scores(model, circuits, beyond_corners=True)
    fig = plot_faithfulness_scores({"noise": scores["noisy"]}, what="circuit")
    # independent count: one circuit at a time through the public criterion
    n_pass = sum(noisy_faithfulness(model, c) >= 1.0 for c in circuits)
    assert fig.axes[0].get_title() == f"noise\n{n_pass} of {len(circuits)} at 1.0"
    assert fig.axes[0].get_xlabel() == "score of each circuit"


def test_extra_panels_are_switched_off_when_wrapping():
    fig = plot_faithfulness_scores({k: [1.0] for k in "abc"}, ncols=2)
    assert len(fig.axes) == 4 and not fig.axes[3].axison


@pytest.mark.parametrize("scores, match", [
    ({}, "non-empty dict"),
    ([0.5], "non-empty dict"),
    ({"a": []}, "at least one score"),
    ({"a": [0.5, 1.2]}, r"each in \[0, 1\]"),
    ({"a": [[0.5]]}, "1-D"),
    ({"a": ["x"]}, "real numbers"),
])
def test_bad_scores_get_one_clear_error(scores, match):
    with pytest.raises(ParameterError, match=match):
        plot_faithfulness_scores(scores)


def test_bad_threshold_is_refused():
    with pytest.raises(ParameterError, match="threshold"):
        plot_faithfulness_scores({"a": [1.0]}, threshold=2)
