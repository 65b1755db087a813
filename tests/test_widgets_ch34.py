"""Chapters 3-4 helpers: the circuits widget, its shipped summaries, and the circuit figures."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from mi_ident.circuits import Circuit, circuit_at  # noqa: E402
from mi_ident.interpretations import iter_interpretations  # noqa: E402
from mi_ident.model import MLP  # noqa: E402
from mi_ident.plotting import draw_circuit, draw_circuit_grid, plot_count_distribution, plot_thresholds  # noqa: E402
from mi_ident.widgets import circuits_widget  # noqa: E402

SUMMARIES = Path(__file__).resolve().parents[1] / "notebooks" / "data" / "circuit_summaries.json"


def test_widget_recomputes_on_a_new_gate_and_matches_the_shipped_summaries():
    w = circuits_widget(gates=["NOR", "NAND"], widths=[2], gate="NOR", width=2)
    assert "mi-ident-control" in w.control._dom_classes and "mi-ident-result" in w.result._dom_classes
    before = w.result.value
    assert "<b>NOR</b>" in before
    w.control.value = "NAND"
    assert "<b>NAND</b>" in w.result.value and w.result.value != before
    shipped = {(d["gate"], d["width"]): d for d in json.loads(SUMMARIES.read_text())}
    for key, fresh in w.cache.items():  # the chapters' file was made by the same code
        assert fresh == shipped[key]
    s = w.cache[("NAND", 2)]
    assert s["n_valid"] <= s["n_candidates"] == 69 and s["n_valid_paper"] <= s["n_candidates_paper"] == 20


def test_widget_reads_cached_summaries_for_every_setting():
    summaries = json.loads(SUMMARIES.read_text())
    assert {(d["gate"], d["width"]) for d in summaries} == {
        (g, w) for g in ("AND", "OR", "XOR", "NAND", "NOR", "IMP", "NIMP") for w in (2, 3, 4)
    }
    w = circuits_widget(summaries=summaries)
    seen = set()
    for gate, width in itertools.product(w.control.options, w.width.options):
        w.control.value, w.width.value = gate, width
        assert f"<b>{gate}</b>, network 2-{width}-{width}-1" in w.result.value
        seen.add(w.result.value)
    assert len(seen) == 21 and len(w.cache) == 21


def test_widget_rejects_unknown_settings():
    with pytest.raises(ValueError, match="gate must be one of"):
        circuits_widget(gate="XNOR")


def test_circuit_figures_draw_and_label_gates():
    model = MLP([2, 3, 3, 1], seed=0)
    circuit = circuit_at([2, 3, 3, 1], 1940)
    interps = list(itertools.islice(iter_interpretations(model, circuit), 3))
    ax = draw_circuit(circuit, interpretation=interps[0] if interps else None)
    texts = {t.get_text() for t in ax.texts}
    assert {"A", "B"} <= texts
    fig = draw_circuit_grid([circuit, circuit, circuit], titles=["a", "b", "c"], ncols=2)
    assert len(fig.axes) == 4 and [a.get_title() for a in fig.axes[:3]] == ["a", "b", "c"]
    ax = plot_thresholds([0.1, 0.9, 0.9, 2.0], [(0, 0), (0, 1), (1, 0), (1, 1)])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["t=0.50 → 0111", "t=1.45 → 0001"]
    ax = plot_count_distribution([0, 1, 5, 100])
    assert sum(p.get_height() for p in ax.patches) == 4
    with pytest.raises(ValueError, match="circuit, or the network's widths"):
        draw_circuit()
    with pytest.raises(ValueError, match="no circuits"):
        draw_circuit_grid([])
    plt.close("all")


def test_interpretation_labels_appear_on_the_drawing():
    model = MLP([2, 2, 1], seed=0)
    full = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]], "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
    interp = next(iter_interpretations(model, full))
    ax = draw_circuit(full, interpretation=interp)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 5  # two inputs, three interpreted neurons
    short = {"A_IMPLY_B": "A→B", "B_IMPLY_A": "B→A", "IDENTITY": "ID"}
    assert {short.get(g.name, g.name) for g in interp.values()} <= set(texts)
    plt.close("all")
