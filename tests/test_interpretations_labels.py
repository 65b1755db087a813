"""Gate labels say what they mean: parents p1, p2 for local gates, inputs A, B for input-level tables."""

from __future__ import annotations

import itertools
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mi_ident.circuits import Circuit  # noqa: E402
from mi_ident.errors import ParameterError  # noqa: E402
from mi_ident.interpretations import (  # noqa: E402
    input_gate_label,
    iter_interpretations,
    iter_readings,
    local_gate_label,
)
from mi_ident.plotting.circuits import draw_circuit, neuron_labels  # noqa: E402
from mi_ident.plotting.interpretations import plot_readings  # noqa: E402
from mi_ident.weights import load_weights  # noqa: E402

ROWS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def _evaluate(label: str, env: dict) -> int:
    """Evaluate a label such as ``¬p1∨p2`` or ``XOR(A,B)`` with Python's own operators."""
    named = re.fullmatch(r"(AND|OR|XOR|XNOR|NAND|NOR)\((\w),(\w)\)", label)
    if named:
        a, b = env[named.group(2)], env[named.group(3)]
        return {"AND": a & b, "OR": a | b, "XOR": a ^ b, "XNOR": 1 - (a ^ b), "NAND": 1 - (a & b),
                "NOR": 1 - (a | b)}[named.group(1)]
    expr = label.replace("¬", " not ").replace("∧", " and ").replace("∨", " or ").replace("⊕", " != ")
    return int(bool(eval(expr, {}, {k: bool(v) for k, v in env.items()})))


@pytest.mark.parametrize("k", [1, 2])
def test_local_labels_compute_their_table_over_parents_in_order(k):
    for table in itertools.product((0, 1), repeat=2**k):
        label = local_gate_label(table)
        assert "A" not in label and "B" not in label
        for pattern, bit in enumerate(table):
            env = {f"p{i + 1}": (pattern >> (k - 1 - i)) & 1 for i in range(k)}
            assert _evaluate(label, env) == bit, (table, label)


def test_input_labels_compute_their_table_over_the_inputs():
    for table in itertools.product((0, 1), repeat=4):
        label = input_gate_label(table, ROWS)
        for (a, b), bit in zip(ROWS, table):
            assert _evaluate(label, {"A": a, "B": b}) == bit, (table, label)
    assert input_gate_label((0, 1, 1), ROWS[:3]) == "011"  # a partial table is shown as a table


def test_xor_circuit_output_is_labelled_xor_not_b(reference_dir):
    """The old drawing labelled this XOR circuit's output "B" (its second parent)."""
    wf = load_weights(reference_dir / "seed_00_weights.npz")
    circuit = Circuit.from_dict({
        "node_masks": [[1, 1], [1, 1, 1], [1, 0, 1], [1]],
        "edge_masks": [[[1, 1], [1, 1], [1, 1]], [[1, 1, 1], [0, 0, 0], [1, 1, 1]], [[1, 0, 1]]]})
    interp = next(iter_interpretations(wf.model, circuit))
    assert interp[(3, 0)].table == (0, 1, 1, 0)
    texts = [t.get_text() for t in draw_circuit(circuit, interpretation=interp).texts]
    assert "XOR(A,B)\n0110" in texts and "B" not in texts[2:]
    local = neuron_labels(interp, "local")
    assert all(not re.search(r"\b[AB]\b", v) for v in local.values())
    texts = [t.get_text() for t in draw_circuit(circuit, interpretation=interp, labels="local").texts]
    assert local[(3, 0)] in texts
    with pytest.raises(ParameterError, match="labels must be"):
        draw_circuit(circuit, interpretation=interp, labels="paper")
    reading = next(iter_readings(wf.model, circuit))
    with pytest.raises(ParameterError, match="needs an Interpretation"):
        draw_circuit(circuit, interpretation=reading, labels="local")
    plt.close("all")


def test_gallery_draws_each_distinct_reading_once(reference_dir):
    from mi_ident.circuits import census

    wf = load_weights(reference_dir / "seed_00_weights.npz")
    circuits = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False).circuits()
    full = circuits[int(np.argmax([sum(map(sum, c.node_masks)) + sum(e.sum() for e in c.edge_masks)
                                   for c in circuits]))]
    readings = list(iter_readings(wf.model, full))
    fig = plot_readings(wf.model, full, readings + readings[:1])  # a duplicate is dropped
    drawn = [ax for ax in fig.axes if ax.get_title()]
    assert len(drawn) == len(readings) == 4
    assert [ax.get_title() for ax in drawn] == [f"reading {i} of 4" for i in range(1, 5)]
    panels = [sorted(t.get_text() for t in ax.texts) for ax in drawn]
    assert len({tuple(p) for p in panels}) == len(panels)  # every panel differs from the others
    assert "silent" in panels[0]  # L2.1 is constant under the gap rule
    with pytest.raises(ParameterError, match="Reading objects"):
        plot_readings(wf.model, full, [{"(1,0)": "A"}])
    plt.close("all")
