"""``mi-ident align``: reference counts, the joint criterion against a brute force, every option."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mi_ident.algorithms import parse_formula
from mi_ident.cli import main
from mi_ident.model import MLP
from mi_ident.weights import load_weights, save_weights
from test_alignment_joint import brute_joint_minimal, table_key

FORMULAS = ["¬(A*B)*(A+B)", "¬((A*B)+¬(A+B))", "¬((A*B)*B)*(A+B)", "(¬A*B)+(A*¬B)"]


def run_json(capsys, *argv) -> dict:
    assert main(["align", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def details_as_sets(details: list[dict], formula) -> set:
    """JSON mappings -> tuples of neuron sets in the order of the formula's aligned nodes."""
    out = set()
    for m in details:
        out.add(tuple(frozenset((int(l), i) for l, idx in m[n.label].items() for i in idx)
                      for n in formula.aligned_nodes))
    return out


@pytest.mark.parametrize("name", ["XOR_h2_seed_02", "seed_03", "seed_04"])
def test_joint_json_equals_a_brute_force_search(reference_dir, capsys, name):
    path = str(reference_dir / f"{name}_weights.npz")
    model = load_weights(path).model
    formulas = FORMULAS if model.widths[1] == 2 else FORMULAS[:3]
    args = [path, "--criterion", "joint", "--details"] + [a for f in formulas for a in ("--formula", f)]
    out = run_json(capsys, *args)
    assert out["criterion"] == "joint" and out["mode"] == "corrected" and out["pair_order"] == "all"
    found = 0
    for text in formulas:
        f = parse_formula(text)
        expected = brute_joint_minimal(model, f)
        assert out["mappings_per_formula"].get(f.paper, 0) == len(expected), (name, text)
        if expected:
            assert details_as_sets(out["mapping_details"][f.paper], f) == expected
        found += len(expected)
    assert found > 0
    # classes by hand: the formulas that align, grouped by their node tables up to NOT
    keys = {table_key(parse_formula(p)) for p in out["formulas"]}
    assert out["n_formula_classes"] == len(keys)


def test_class_counts_equal_a_count_by_hand_on_an_untrained_2_3_3_1(tmp_path, capsys):
    path = save_weights(MLP([2, 3, 3, 1], seed=3), tmp_path / "net.npz")
    out = run_json(capsys, str(path), "--gate", "XOR", "--mode", "paper", "--threshold", "0.5", "--details")
    assert out["n_formulas"] > 1
    keys = {table_key(parse_formula(p)) for p in out["formulas"]}
    assert out["n_formula_classes"] == len(keys)
    assert sum(len(c["formulas"]) for c in out["formula_classes"]) == out["n_formulas"]
    pairs = set()
    for paper, ms in out["mapping_details"].items():
        f = parse_formula(paper)
        for m in ms:
            key = set()
            for n in f.aligned_nodes:
                t = tuple(int(v) for v in f.values[n.id])
                t = tuple(1 - v for v in t) if t[0] else t
                if len(set(t)) > 1:
                    key.add((t, frozenset((int(l), i) for l, idx in m[n.label].items() for i in idx)))
            pairs.add(frozenset(key))
    assert out["n_mapping_classes"] == len(pairs)


def test_cli_align_json_matches_the_reference(reference_dir, capsys):
    ref = json.loads((reference_dir / "seed_03.json").read_text())
    out = run_json(capsys, str(reference_dir / "seed_03_weights.npz"), "--mode", "paper")
    for key in ("formulas", "n_formulas", "mappings_per_formula", "total_mappings"):
        assert out[key] == ref[key]
    assert out["criterion"] == "single" and out["n_formula_classes"] == 2
    for key in ("mode", "criterion", "pair_order", "threshold", "depth", "output", "weights", "task"):
        assert key in out
    weights = str(reference_dir / "AND_h3_seed_00_weights.npz")
    assert run_json(capsys, weights, "--mode", "paper", "--gate", "0001")["total_mappings"] == 103


def test_cli_align_readable_summary(tmp_path, capsys):
    path = save_weights(MLP([2, 3, 3, 1], seed=0), tmp_path / "net.npz")
    assert main(["align", str(path), "--gate", "xor", "--depth", "2"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("XOR (output 0):")
    assert "candidate formulas (depth 2, corrected mode, joint criterion, pairs all)" in text
    assert "formula classes" in text
    assert main(["align", str(path), "--gate", "xor", "--depth", "2", "--mode", "paper"]) == 0
    assert "candidate formulas (depth 2, paper mode, single criterion, pairs BA)" in capsys.readouterr().out
    out = run_json(capsys, str(path), "--depth", "2", "--details", "--mode", "extended")
    assert out["mode"] == "corrected" and out["pair_order"] == "all" and "mapping_details" in out
    assert out["total_mappings"] == sum(out["mappings_per_formula"].values())


def test_a_two_output_net_must_say_which_output(tmp_path, capsys):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    y = np.array([[0, 0], [1, 0], [1, 0], [0, 1]], np.float32)  # XOR, AND
    path = str(save_weights(MLP([2, 2, 2, 2], seed=0), tmp_path / "two.npz", X_eval=X, y_eval=y))
    assert main(["align", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mi-ident align: error:") and "2 outputs; pass --output" in err
    out = run_json(capsys, path, "--output", "1", "--depth", "1", "--mode", "paper")
    assert (out["task"], out["output"]) == ("AND", 1)
    assert main(["align", path, "--output", "2", "--depth", "1"]) == 2
    assert "output must be an integer between 0 and 1" in capsys.readouterr().err


def test_cli_align_bad_input(tmp_path, capsys):
    assert main(["align", str(tmp_path / "missing.npz")]) == 2
    assert "no weights file" in capsys.readouterr().err
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    assert main(["align", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mi-ident align: error:") and "not a readable .npz" in err
    three = save_weights(MLP([3, 2, 1], seed=0), tmp_path / "three.npz")
    assert main(["align", str(three)]) == 2
    assert "3 inputs but XOR has 2" in capsys.readouterr().err
    good = str(save_weights(MLP([2, 2, 1], seed=0), tmp_path / "good.npz"))
    cases = [(["--gate", "XAND"], "unknown gate"), (["--depth", "-1"], "depth"),
             (["--gate", "AND+OR"], "one gate at a time"), (["--depth", "5"], "depth <= 3 is tractable"),
             (["--threshold", "2"], "threshold"), (["--criterion", "joint", "--pair-order", "BA"], "joint criterion"),
             (["--formula", "A*(B"], "expected ')'")]
    for argv, message in cases:
        assert main(["align", good, *argv]) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("mi-ident align: error:") and message in err, (argv, err)
        assert err.count("\n") <= 3  # one line (a formula error adds the caret lines)


def test_intractable_sizes_are_refused_quickly(tmp_path, capsys):
    import time

    wide = str(save_weights(MLP([2, 40, 40, 1], seed=0), tmp_path / "wide.npz"))
    for argv in ([], ["--mode", "paper"], ["--depth", "5"]):
        t0 = time.perf_counter()
        assert main(["align", wide, "--gate", "XOR", *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("mi-ident align: error:") and "exceeds the limit" in err and "tractable" in err
        assert time.perf_counter() - t0 < 10
