"""Sweeps: grids, keys, records on disk, resuming and completing runs, the Dask path."""

from __future__ import annotations

import dataclasses
import json

import pytest

from mi_ident.circuits import census
from mi_ident.errors import ParameterError, ResultsFileError, TooLargeError
from mi_ident.experiments import (
    RunConfig,
    expand_grid,
    load_results,
    parse_seeds,
    read_grid,
    run_sweep,
    sweep_grid,
)
from mi_ident.experiments import run as run_module
from mi_ident.experiments.grid import MAX_RUNS
from mi_ident.experiments.storage import covers, load_records, save_record
from mi_ident.training import train

FAST = dict(stages=("train", "census"))


# -- grids and keys ------------------------------------------------------------------------------
def test_grid_covers_every_combination_with_distinct_keys():
    configs = sweep_grid(["XOR", "AND"], [2, 3], [0, 1, 2], **FAST)
    assert len(configs) == 12 and len({c.key for c in configs}) == 12
    assert configs[0].widths == (2, 2, 2, 1)


def test_every_parameter_changes_the_key():
    base = RunConfig("XOR", width=3, seed=0)
    changes = dict(width=4, seed=1, depth=3, recipe="paper", input_noise=0.1, label_noise=0.05,
                   skew=(0.4, 0.2, 0.2, 0.2), loss_target=0.001, lr=0.01, weight_decay=0.0, l1=1e-4,
                   dropout=0.1, max_epochs=10, census_mode="paper", interp_mode="paper", align_mode="paper",
                   criterion="joint", ablation="mean", accuracy_threshold=0.9, formula_depth=2, gate="AND")
    keys = {base.key}
    for name, value in changes.items():
        if name == "recipe":
            other = RunConfig("XOR", width=3, seed=0, recipe="paper")
        else:
            other = dataclasses.replace(base, **{name: value})
        keys.add(other.key)
    assert len(keys) == len(changes) + 1
    # what to compute is not a parameter of the result
    assert dataclasses.replace(base, stages=("train",), allow_large=True).key == base.key


def test_gate_names_are_normalised():
    assert RunConfig("and", width=2).key == RunConfig(" AND ", width=2).key
    assert RunConfig("0110").gate == "XOR"
    assert len(sweep_grid(["and", "AND"], [2], [0])) == 1
    assert RunConfig("XOR+AND").widths == (2, 3, 3, 2)


def test_seed_ranges_are_capped_before_any_work():
    assert parse_seeds("0-2") == [0, 1, 2] and parse_seeds("5,1") == [5, 1]
    with pytest.raises(TooLargeError, match="0-29"):
        parse_seeds("0-1000000")
    with pytest.raises(TooLargeError):
        parse_seeds(f"0-{10**30}")  # no list of 10**30 seeds is ever built
    with pytest.raises(TooLargeError, match="runs"):
        expand_grid({"gates": ["XOR", "AND"], "widths": [2, 3, 4], "seeds": f"0-{MAX_RUNS // 4}"})
    with pytest.raises(ParameterError, match="seeds"):
        parse_seeds("a-b")


def test_toml_grid(tmp_path):
    path = tmp_path / "grid.toml"
    path.write_text('gates = ["XOR"]\nwidths = [2, 3]\nseeds = "0-1"\nmode = ["paper", "corrected"]\n'
                    'stages = ["train", "census"]\n')
    configs = read_grid(path)
    assert len(configs) == 8
    assert {(c.census_mode, c.interp_mode, c.align_mode) for c in configs} == {
        ("paper",) * 3, ("corrected",) * 3}
    path.write_text('[[grid]]\ngates = ["AND"]\nseeds = 2\n[[grid]]\ngates = ["OR"]\nwidths = [2]\n')
    assert sorted(c.gate for c in read_grid(path)) == ["AND", "AND", "OR"]


@pytest.mark.parametrize("text, message", [
    ('gates = ["XOR"]\nwidht = [2]\n', "unknown grid key 'widht'"),
    ('gates = ["XOR"]\nwidths = []\n', "axis 'widths' is empty"),
    ('widths = [2]\n', "needs gates"),
    ('gates = ["XOR"\n', "not valid TOML"),
    ('gates = ["XAND"]\n', "XAND"),
    ('gates = ["XOR"]\nrecipe = "paper"\ninput_noise = 0.1\n', "recipe 'paper'"),
])
def test_bad_grids_name_the_problem(tmp_path, text, message):
    path = tmp_path / "grid.toml"
    path.write_text(text)
    with pytest.raises(ParameterError, match=message):
        read_grid(path)


@pytest.mark.parametrize("kwargs, message", [
    (dict(gate="XOR", stages=("census",)), "include 'train'"),
    (dict(gate="XOR", stages=("train", "plots")), "unknown stages"),
    (dict(gate="XOR", census_mode="fast"), "census_mode"),
    (dict(gate="XOR", label_noise=1.5), "label_noise"),
])
def test_bad_configurations_fail_at_once(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        RunConfig(**kwargs)


# -- runs ----------------------------------------------------------------------------------------
def test_run_one_agrees_with_the_library():
    record = run_module.run_one(RunConfig("XOR", width=3, seed=1, stages=("train", "census")))
    trained = train("XOR", [2, 3, 3, 1], seed=1, progress=False)
    assert trained.accepted and record["accepted"]
    assert record["final_loss"] == trained.final_loss
    assert record["n_valid_circuits"] == census(trained.model, "XOR", progress=False).n_valid
    assert record["params"]["width"] == 3 and record["params"]["recipe"] == "ours"


def test_paper_recipe_reproduces_the_reference_counts():
    # reference seed_00: 2-3-3-1 XOR trained by the original code, 15 valid circuits, 90,432 groundings
    config = RunConfig("XOR", width=3, seed=0, recipe="paper", census_mode="paper", interp_mode="paper",
                       stages=("train", "census", "interpretations"))
    record = run_module.run_one(config)
    assert (record["n_valid_circuits"], record["total_interpretations"]) == (15, 90432)
    assert record["total_assignments"] < record["total_interpretations"]


def test_rejected_networks_skip_later_stages_with_a_reason():
    record = run_module.run_one(RunConfig("XOR", width=3, seed=2))
    assert record["accepted"] is False and record["stages_done"] == ["train"]
    assert "rejected" in record["skipped"]["census"]["reason"]
    assert "n_valid_circuits" not in record
    json.dumps(record)


def test_a_stage_too_large_is_skipped_and_retried_with_allow_large(monkeypatch):
    from mi_ident import circuits

    def too_large(*args, **kwargs):
        assert not kwargs["allow_large"]
        raise ParameterError("estimated 99 s; pass allow_large=True")

    monkeypatch.setattr(circuits, "census", too_large)
    config = RunConfig("AND", width=2, **FAST)
    record = run_module.run_one(config)
    assert record["skipped"]["census"]["retry"] == "allow_large"
    assert covers(record, config) and not covers(record, dataclasses.replace(config, allow_large=True))


def test_multi_output_gates_are_aligned_output_by_output():
    from mi_ident.alignment import what_then_where

    config = RunConfig("AND+OR", width=3, seed=0, stages=("train", "alignment"), align_mode="paper")
    record = run_module.run_one(config)
    assert record["accepted"] and "alignment" in record["stages_done"]
    model = train("AND+OR", [2, 3, 3, 2], seed=0, progress=False).model
    expected = sum(what_then_where(model, t, mode="paper", output=j, criterion="single").n_formulas
                   for j, t in enumerate(["0001", "0111"]))
    assert record["n_formulas"] == expected


# -- storage and sweeps --------------------------------------------------------------------------
def test_sweep_resumes_without_recomputing(tmp_path, monkeypatch):
    configs = sweep_grid(["AND"], [2], [0, 1, 2], **FAST)
    calls = []
    real = run_module.run_one

    def counting(config):
        calls.append(config.key)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the user stops the sweep during the second run
        return real(config)

    monkeypatch.setattr(run_module, "run_one", counting)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(configs, tmp_path, progress=False)
    assert [p.stem for p in tmp_path.glob("*.json")] == [configs[0].key]
    assert not list(tmp_path.glob("*.tmp"))
    monkeypatch.setattr(run_module, "run_one", real)
    results = run_sweep(configs, tmp_path, progress=False)
    assert sorted(results["key"]) == sorted(c.key for c in configs)
    monkeypatch.setattr(run_module, "run_one", lambda c: pytest.fail(f"recomputed {c.key}"))
    assert len(run_sweep(configs, tmp_path, progress=False)) == 3


def test_a_stored_run_with_fewer_stages_is_completed(tmp_path):
    short = RunConfig("AND", width=2, seed=0, stages=("train", "census"))
    run_sweep([short], tmp_path, progress=False)
    full = dataclasses.replace(short, stages=("train", "census", "interpretations"))
    assert full.key == short.key and not covers(load_records(tmp_path)[short.key], full)
    row = run_sweep([full], tmp_path, progress=False).iloc[0]
    assert row["stages_done"] == "train census interpretations" and row["total_interpretations"] > 0
    assert row["n_valid_circuits"] == 10


def test_other_grids_are_kept_and_not_shown(tmp_path):
    a = sweep_grid(["AND"], [2], [0], **FAST)
    b = sweep_grid(["AND"], [2], [0], census_mode="paper", **FAST)
    run_sweep(a, tmp_path, progress=False)
    shown = run_sweep(b, tmp_path, progress=False)
    assert list(shown["key"]) == [b[0].key] and len(list(tmp_path.glob("*.json"))) == 2
    assert shown.iloc[0]["n_valid_circuits"] < load_results(tmp_path, a).iloc[0]["n_valid_circuits"]


def test_foreign_files_are_ignored_with_a_warning(tmp_path):
    config = RunConfig("AND", width=2, **FAST)
    save_record(tmp_path, run_module.run_one(config))
    (tmp_path / "notes.json").write_text('{"hello": 1}')
    (tmp_path / f"{config.key[:-1]}x.json").write_text('{"key": "broken')
    with pytest.warns(UserWarning, match="2 file"):
        records = load_records(tmp_path)
    assert list(records) == [config.key]


def test_results_folder_that_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ResultsFileError, match="is a file"):
        run_sweep([RunConfig("AND", width=2, **FAST)], tmp_path / "f", progress=False)


def test_csv_is_written(tmp_path):
    import pandas as pd

    df = run_sweep(sweep_grid(["AND"], [2], [0], **FAST), tmp_path / "out", progress=False, csv=tmp_path / "r.csv")
    back = pd.read_csv(tmp_path / "r.csv")
    assert back["n_valid_circuits"].tolist() == df["n_valid_circuits"].tolist() == [10]


def test_duplicate_configurations_are_refused(tmp_path):
    config = RunConfig("XOR", width=2, **FAST)
    with pytest.raises(ParameterError, match="share a key"):
        run_sweep([config, config], tmp_path, progress=False)


def test_local_cluster_gives_the_same_records(tmp_path):
    configs = sweep_grid(["OR"], [2], [0, 1], **FAST)
    local = run_sweep(configs, tmp_path / "local", progress=False)
    remote = run_sweep(configs, tmp_path / "dask", progress=False, workers=2)
    cols = ["key", "accepted", "final_loss", "n_valid_circuits"]
    same = [f.fillna(-1).sort_values("key").values.tolist() for f in (local[cols], remote[cols])]
    assert same[0] == same[1]


def test_census_ablation_and_artefact_free_counts_reach_the_record():
    zero = run_module.run_one(RunConfig("XOR", width=3, seed=1, stages=("train", "census")))
    mean = run_module.run_one(RunConfig("XOR", width=3, seed=1, stages=("train", "census"), ablation="mean"))
    model = train("XOR", [2, 3, 3, 1], seed=1, progress=False).model
    expected = census(model, "XOR", progress=False, ablation="mean")
    assert mean["n_valid_circuits"] == expected.n_valid != zero["n_valid_circuits"]
    assert mean["n_edge_minimal"] == expected.n_edge_minimal
    assert zero["n_silent_classes"] <= zero["n_valid_circuits"]


def test_regularisers_and_label_noise_reach_the_training():
    base = RunConfig("AND", width=2, seed=0, stages=("train",), max_epochs=5)
    settings = [{}, {"l1": 1e-2}, {"dropout": 0.2}, {"label_noise": 0.2}]
    losses = [run_module.run_one(dataclasses.replace(base, **s))["final_loss"] for s in settings]
    assert len(set(losses)) == len(settings)  # each setting changes what is trained
