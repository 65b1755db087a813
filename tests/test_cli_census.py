"""``mi-ident census`` options of the honest census: ablation, margins, silent tolerance, the
JSON's new counts next to the old keys, and refusals (one line, exit status 2)."""

from __future__ import annotations

import json
from contextlib import nullcontext

import pytest

from mi_ident.circuits import census
from mi_ident.cli import main
from mi_ident.weights import load_weights


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def seed_00(reference_dir):
    return str(reference_dir / "seed_00_weights.npz")


@pytest.mark.parametrize("ablation", ["zero", "mean", "resample"])
def test_json_carries_the_honest_counts_of_the_library(seed_00, capsys, ablation):
    code, out, _ = _run(capsys, "census", seed_00, "--ablation", ablation, "--json", "--quiet",
                        "--no-interpretations")
    assert code == 0
    got = json.loads(out)
    expected = census(load_weights(seed_00), ablation=ablation, progress=False)
    assert got["ablation"] == ablation and got["mode"] == "corrected"
    assert (got["n_valid_circuits"], got["n_silent_classes"], got["n_edge_minimal"], got["n_neuron_sets"]) == (
        expected.n_valid, expected.n_silent_classes, expected.n_edge_minimal, expected.n_neuron_sets)
    assert got["margins"]["min"] == pytest.approx(float(expected.margin.min()))
    assert got["silent_neurons"] == [str(n) for n in expected.silent]
    for key in ("weights", "widths", "threshold", "data", "n_candidates", "n_circuits_evaluated",
                "min_margin", "silent_tol", "precision", "max_keep"):
        assert key in got


def test_seed_00_in_numbers(seed_00, capsys):
    code, out, _ = _run(capsys, "census", seed_00, "--json", "--quiet", "--no-interpretations")
    got = json.loads(out)
    assert code == 0 and got["silent_neurons"] == ["L2.1"]
    assert (got["n_valid_circuits"], got["n_silent_classes"], got["n_edge_minimal"]) == (120, 15, 4)


def test_min_margin_and_silent_tol_reach_the_census(seed_00, capsys):
    code, out, _ = _run(capsys, "census", seed_00, "--min-margin", "0.1", "--silent-tol", "0.5", "--json",
                        "--quiet", "--no-interpretations")
    got = json.loads(out)
    expected = census(load_weights(seed_00), min_margin=0.1, silent_tol=0.5, progress=False)
    assert code == 0 and got["min_margin"] == 0.1 and got["silent_tol"] == 0.5
    assert got["n_valid_circuits"] == expected.n_valid < 120
    assert got["margins"]["min"] > 0.1
    assert got["n_silent_classes"] == expected.n_silent_classes


def test_text_output_names_every_count(seed_00, capsys):
    code, out, _ = _run(capsys, "census", seed_00, "--quiet", "--no-interpretations")
    assert code == 0
    assert "valid circuits:       120" in out and "up to their wiring: 15 classes" in out
    assert "edge-minimal:       4" in out and "silent neurons:     L2.1" in out


def test_truncated_census_says_class_counts_are_unavailable(seed_00, capsys):
    code, out, err = _run(capsys, "census", seed_00, "--max-keep", "5", "--json", "--quiet")
    got = json.loads(out)
    assert code == 0 and got["n_valid_circuits"] == 120 and got["n_kept"] == 5
    assert got["n_silent_classes"] is None and got["n_edge_minimal"] is None
    assert "raise --max-keep" in err


@pytest.mark.parametrize("argv, message", [
    (["--gate", "AND"], "--gate AND does not match"),
    (["--ablation", "noise"], "invalid choice"),
    (["--min-margin", "0.7"], "min_margin must be a number in [0, 0.5)"),
    (["--ablation", "mean", "--precision", "float32"], "only zero-ablates"),
    (["--max-keep", "-1"], "--max-keep must be 0 or more"),
])
def test_bad_input_gives_one_line_and_status_2(seed_00, capsys, argv, message):
    with pytest.raises(SystemExit) if "invalid choice" in message else nullcontext() as caught:
        code, out, err = _run(capsys, "census", seed_00, "--quiet", *argv)
    if "invalid choice" in message:  # argparse refuses unknown choices itself, with status 2
        assert caught.value.code == 2 and message in capsys.readouterr().err
        return
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err and err.count("\n") == 1
