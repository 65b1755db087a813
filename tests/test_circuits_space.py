"""The candidate space: closed-form counts, the original order, the indexing bijection, sizes."""

from __future__ import annotations

import numpy as np
import pytest
from circuit_helpers import original_enumeration

from mi_ident.circuits import circuit_at, count_candidates, iter_circuits, min_sparsity
from mi_ident.errors import ParameterError, TooLargeError

SMALL = [[2, 1], [2, 3, 1], [2, 2, 2, 1], [2, 3, 3, 1], [2, 2, 2, 2, 1], [2, 2, 3, 2], [3, 2, 2], [2, 3, 2, 1]]


@pytest.mark.parametrize("mode", ["exact", "paper"])
@pytest.mark.parametrize("widths", SMALL, ids=str)
def test_count_formula_equals_enumeration(widths, mode):
    assert count_candidates(widths, mode) == sum(1 for _ in iter_circuits(widths, mode))


@pytest.mark.parametrize(
    "widths, mode", [([2, 2, 2, 1], "exact"), ([2, 2, 2, 1], "paper"), ([2, 3, 3, 1], "paper"),
                     ([2, 2, 2, 2, 1], "exact"), ([2, 2, 3, 2], "paper"), ([2, 3, 1], "exact")], ids=str
)
def test_order_is_the_original_order(widths, mode):
    assert list(iter_circuits(widths, mode)) == list(original_enumeration(widths, mode))


def test_counts_from_the_issue():
    assert [count_candidates(w) for w in ([2, 2, 2, 1], [2, 3, 3, 1], [2, 4, 4, 1], [2, 5, 5, 1])] == [
        69, 9625, 4_346_385, 7_271_931_361]
    assert [count_candidates(w, "paper") for w in ([2, 2, 2, 1], [2, 3, 3, 1], [2, 4, 4, 1])] == [20, 3000, 168_672]


def test_corrected_is_the_default_and_exact_its_alias():
    assert count_candidates([2, 3, 3, 1], "corrected") == count_candidates([2, 3, 3, 1], "exact") == 9625
    assert list(iter_circuits([2, 2, 2, 1], "corrected")) == list(iter_circuits([2, 2, 2, 1]))


@pytest.mark.parametrize("widths, mode", [([2, 3, 3, 1], "exact"), ([2, 2, 3, 2], "paper"), ([2, 2, 2, 2, 1], "exact")])
def test_circuit_at_is_the_enumeration_bijection(widths, mode):
    everything = list(iter_circuits(widths, mode))
    rng = np.random.default_rng(0)
    for i in [0, len(everything) - 1, *rng.integers(0, len(everything), 40)]:
        assert circuit_at(widths, int(i), mode) == everything[i]
    with pytest.raises(IndexError, match="out of range"):
        circuit_at(widths, len(everything), mode)


def test_every_candidate_follows_the_edge_rule():
    for c in iter_circuits([2, 3, 2, 1]):
        assert c.node_masks[0] == (1, 1) and c.node_masks[-1] == (1,)
        for i, e in enumerate(c.edge_masks):
            ins, outs = np.array(c.node_masks[i], bool), np.array(c.node_masks[i + 1], bool)
            assert not e[~outs].any() and not e[:, ~ins].any()
            assert (e[outs][:, ins].sum(1) > 0).all() and (e[outs][:, ins].sum(0) > 0).all()


def test_min_sparsity_floor():
    assert [min_sparsity(w) for w in ([2, 3, 3, 1], [2, 4, 4, 1], [2, 5, 5, 1])] == [0.0, 0.2, 0.3]


def test_bad_widths_and_modes():
    with pytest.raises(ParameterError, match="widths"):
        count_candidates([2])
    with pytest.raises(ParameterError, match="widths"):
        list(iter_circuits([2, 0, 1]))
    with pytest.raises(ParameterError, match="mode must be one of"):
        count_candidates([2, 2, 1], mode="fast")
    with pytest.raises(ParameterError, match="index must be an integer"):
        circuit_at([2, 2, 1], "3")


@pytest.mark.parametrize("widths", [[2, 32, 32, 1], [2, 4096, 1], [2, 11, 11, 1]], ids=str)
def test_huge_widths_are_refused_before_any_work(widths):
    # 2**64 node masks and more: refused at once, no overflow, no hang
    with pytest.raises(TooLargeError, match="hidden node masks"):
        count_candidates(widths)
    with pytest.raises(TooLargeError, match="hidden node masks"):
        circuit_at(widths, 0)
