"""Chapter 4's widget: choosing a circuit redraws its distinct readings."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")

from mi_ident.circuits import census  # noqa: E402
from mi_ident.errors import ParameterError  # noqa: E402
from mi_ident.interpretations import count_readings  # noqa: E402
from mi_ident.weights import load_weights  # noqa: E402
from mi_ident.widgets.interpretations import readings_widget  # noqa: E402


def test_choosing_a_circuit_draws_its_readings(reference_dir):
    wf = load_weights(reference_dir / "seed_00_weights.npz")
    circuits = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False).circuits()[:3]
    w = readings_widget(wf.model, circuits, names=["a", "b", "c"])
    assert "mi-ident-control" in w.control._dom_classes and "mi-ident-result" in w.result._dom_classes
    first = w.result.value
    assert first.startswith("<p>a</p><img src='data:image/png;base64,")
    w.control.value = 2
    assert w.result.value != first and w.result.value.startswith("<p>c</p><img") and sorted(w.cache) == [0, 2]
    w.control.value = 0
    assert w.result.value == first  # from the cache
    assert count_readings(wf.model, circuits[0]) >= 2  # so the first drawing has several panels


def test_widget_refuses_bad_arguments(reference_dir):
    wf = load_weights(reference_dir / "seed_00_weights.npz")
    circuits = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False).circuits()[:2]
    with pytest.raises(ParameterError, match="at least one circuit"):
        readings_widget(wf.model, [])
    with pytest.raises(ParameterError, match="one name per circuit"):
        readings_widget(wf.model, circuits, names=["only one"])
    with pytest.raises(ParameterError, match="index must be between"):
        readings_widget(wf.model, circuits, index=5)
