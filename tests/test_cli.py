"""The ``mi-ident census`` command: JSON fields, agreement with the library, clear errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mi_ident.circuits import census
from mi_ident.cli import main
from mi_ident.interpretations import interpretation_counts
from mi_ident.model import MLP
from mi_ident.weights import save_weights

from conftest import load_reference


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_census_json_paper_mode_matches_reference(reference_dir, capsys):
    code, out, _ = _run(capsys, "census", str(reference_dir / "seed_03_weights.npz"),
                        "--mode", "paper", "--json", "--quiet")
    assert code == 0
    got = json.loads(out)
    ref = load_reference(reference_dir, "seed_03")
    assert got["n_circuits_evaluated"] == ref["n_circuits_evaluated"]
    assert got["n_valid_circuits"] == ref["n_valid_circuits"]
    assert got["interpretations_per_circuit"] == sorted(ref["groundings_per_valid_circuit"])
    assert got["total_interpretations"] == ref["total_groundings"]


def test_census_exact_mode_uses_the_truth_table_without_eval_data(tmp_path, capsys):
    model = MLP([2, 2, 2, 1], seed=3)
    path = save_weights(model, tmp_path / "net.npz")
    code, out, _ = _run(capsys, "census", str(path), "--gate", "0110", "--json", "--quiet")
    assert code == 0
    got = json.loads(out)
    expected = census(model, "XOR", progress=False)
    assert got["n_candidates"] == expected.n_candidates == 69
    assert got["n_valid_circuits"] == expected.n_valid
    counts = interpretation_counts(model, expected.circuits(), None, mode="exact")
    assert got["total_interpretations"] == int(np.sum(counts))
    assert got["data"] == "truth table of XOR"


def test_census_text_summary(reference_dir, capsys):
    code, out, _ = _run(capsys, "census", str(reference_dir / "seed_00_weights.npz"), "--quiet")
    assert code == 0
    assert "valid circuits:       120" in out


@pytest.mark.parametrize(
    "make_file, argv_tail, message",
    [
        (lambda p: None, [], "no weights file"),
        (lambda p: p.write_bytes(b"not a zip"), [], "not a readable .npz"),
        (lambda p: np.savez(p, W0=np.zeros((3, 2)), b0=np.zeros(3), W1=np.zeros((1, 4)), b1=np.zeros(1)),
         [], "out x in"),
        (lambda p: save_weights(MLP([2, 2, 1], seed=0), p), ["--threshold", "1.5"], "threshold"),
        (lambda p: save_weights(MLP([2, 2, 1], seed=0), p), ["--gate", "XAND"], "unknown gate"),
        (lambda p: save_weights(MLP([2, 2, 1], seed=0), p), ["--gate", "011"], "2**n rows"),
    ],
)
def test_census_bad_input_gives_one_line_and_status_2(tmp_path, capsys, make_file, argv_tail, message):
    path = tmp_path / "net.npz"
    make_file(path)
    code, out, err = _run(capsys, "census", str(path), "--quiet", *argv_tail)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_sweep_writes_one_file_per_run_and_resumes(tmp_path, capsys):
    out = tmp_path / "runs"
    argv = ["sweep", str(out), "--gates", "AND", "--widths", "2", "--seeds", "0-1",
            "--stages", "train", "census", "--quiet", "--csv", str(tmp_path / "runs.csv")]
    code, text, _ = _run(capsys, *argv)
    assert code == 0
    names = sorted(p.name for p in out.glob("*.json"))
    assert len(names) == 2 and all(n.startswith("AND_") for n in names), names  # one record per seed
    assert "AND" in text
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    assert _run(capsys, *argv)[0] == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")} == before
    assert (tmp_path / "runs.csv").read_text().count("\n") == 3


@pytest.mark.parametrize("argv_tail, message", [
    (["--seeds", "a-b"], "give a range such as 0-9"),
    (["--gates", "XAND"], "unknown gate"),
])
def test_sweep_bad_input(tmp_path, capsys, argv_tail, message):
    code, _, err = _run(capsys, "sweep", str(tmp_path), *argv_tail)
    assert code == 2 and message in err


def test_census_of_an_intractable_width_says_how_to_override(tmp_path, capsys):
    path = save_weights(MLP([2, 6, 6, 1], seed=0), tmp_path / "wide.npz")
    code, out, err = _run(capsys, "census", str(path), "--quiet")
    assert code == 2 and out == ""
    assert "candidate circuits" in err and "--allow-large" in err and "estimated" in err


def test_align_takes_the_gate_from_the_files_labelled_samples(reference_dir, capsys):
    code, out, _ = _run(capsys, "align", str(reference_dir / "AND_h3_seed_00_weights.npz"),
                        "--mode", "paper", "--json")
    assert code == 0
    got = json.loads(out)
    ref = load_reference(reference_dir, "AND_h3_seed_00")
    assert (got["task"], got["n_formulas"], got["total_mappings"]) == ("AND", ref["n_formulas"],
                                                                        ref["total_mappings"])
    assert got["mappings_per_formula"] == ref["mappings_per_formula"]


def test_a_gate_that_contradicts_the_files_samples_is_refused(reference_dir, capsys):
    code, out, err = _run(capsys, "align", str(reference_dir / "AND_h3_seed_00_weights.npz"), "--gate", "XOR")
    assert code == 2 and out == ""
    assert "follow AND (0001)" in err


def test_samples_that_fix_no_truth_table_need_a_gate(tmp_path, capsys):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 0]], np.float32)
    y = np.array([[0], [1], [1], [0]], np.float32)  # row 10 labelled both ways, row 11 missing
    path = save_weights(MLP([2, 2, 1], seed=0), tmp_path / "net.npz", X_eval=X, y_eval=y)
    code, _, err = _run(capsys, "align", str(path))
    assert code == 2 and "pass --gate" in err
    assert _run(capsys, "align", str(path), "--gate", "XOR")[0] == 0


def test_census_with_more_valid_circuits_than_kept_counts_them_but_no_interpretations(reference_dir, capsys):
    code, out, err = _run(capsys, "census", str(reference_dir / "seed_00_weights.npz"), "--max-keep", "10",
                          "--json", "--quiet")
    assert code == 0
    got = json.loads(out)
    assert got["n_valid_circuits"] == 120
    assert "total_interpretations" not in got and "interpretations_per_circuit" not in got
    assert "raise --max-keep" in err
