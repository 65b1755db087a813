"""Sweeps: results on disk, resume after interruption, clear errors, the Dask path."""

from __future__ import annotations

import json

import pytest

from mi_ident.experiments import sweep as experiments
from mi_ident.circuits import census
from mi_ident.errors import ResultsFileError
from mi_ident.experiments import (
    RunConfig,
    load_results,
    run_one,
    run_sweep,
    sweep_grid,
)
from mi_ident.training import train

FAST = dict(stages=("train", "census"), params={"max_epochs": 30})


def test_grid_covers_every_combination_with_distinct_keys():
    configs = sweep_grid(["XOR", "AND"], hidden_widths=[2, 3], seeds=[0, 1, 2], **FAST)
    assert len(configs) == 12
    assert len({c.key for c in configs}) == 12
    assert configs[0].widths == (2, 2, 2, 1)


def test_run_one_agrees_with_the_library():
    config = RunConfig("XOR", (2, 3, 3, 1), seed=1, stages=("train", "census"))
    record = run_one(config)
    trained = train("XOR", [2, 3, 3, 1], seed=1, progress=False)
    assert trained.accepted and record["accepted"]
    assert record["final_loss"] == trained.final_loss
    assert record["n_valid_circuits"] == census(trained.model, "XOR", progress=False).n_valid


def test_rejected_networks_stop_after_training():
    record = run_one(RunConfig("XOR", (2, 3, 3, 1), seed=2))
    assert record["accepted"] is False
    assert "n_valid_circuits" not in record and "n_formulas" not in record
    json.dumps(record)  # every record must be JSON-ready


def test_sweep_resumes_without_recomputing(tmp_path, monkeypatch):
    configs = sweep_grid(["AND"], hidden_widths=[2], seeds=[0, 1, 2], **FAST)
    calls = []
    real = experiments.run_one

    def counting(config):
        calls.append(config.key)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the user stops the sweep during the second run
        return real(config)

    monkeypatch.setattr(experiments, "run_one", counting)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(configs, tmp_path, progress=False)
    assert [p.stem for p in tmp_path.glob("*.json")] == [configs[0].key]
    assert not list(tmp_path.glob("*.tmp"))

    monkeypatch.setattr(experiments, "run_one", real)
    first = load_results(tmp_path).iloc[0].to_dict()
    results = run_sweep(configs, tmp_path, progress=False)
    assert sorted(results["key"]) == sorted(c.key for c in configs)
    again = results.set_index("key").loc[configs[0].key]
    assert again["final_loss"] == first["final_loss"]

    monkeypatch.setattr(experiments, "run_one", lambda c: pytest.fail(f"recomputed {c.key}"))
    assert len(run_sweep(configs, tmp_path, progress=False)) == 3


def test_corrupt_result_file_names_the_file_and_the_fix(tmp_path):
    (tmp_path / "XOR_2-2-2-1_seed0.json").write_text('{"key": "XOR_2-2-2-1_seed0", "acc')
    with pytest.raises(ResultsFileError, match="delete it and run the sweep again"):
        load_results(tmp_path)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(gate="XAND", widths=(2, 2, 1), seed=0), "unknown gate"),
        (dict(gate="XOR", widths=(2, 2, 1), seed=0, stages=("census",)), "include 'train'"),
        (dict(gate="XOR", widths=(2, 2, 1), seed=0, stages=("train", "plots")), "unknown stages"),
        (dict(gate="XOR+AND", widths=(2, 2, 2), seed=0), "drop 'alignment'"),
    ],
)
def test_bad_configurations_fail_at_once(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RunConfig(**kwargs)


def test_duplicate_configurations_are_refused(tmp_path):
    config = RunConfig("XOR", (2, 2, 2, 1), 0, **FAST)
    with pytest.raises(ValueError, match="share a key"):
        run_sweep([config, config], tmp_path, progress=False)


def test_dask_client_gives_the_same_records(tmp_path):
    import distributed
    configs = sweep_grid(["OR"], hidden_widths=[2], seeds=[0, 1], **FAST)
    local = run_sweep(configs, tmp_path / "local", progress=False)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1,
                            dashboard_address=None) as client:
        remote = run_sweep(configs, tmp_path / "dask", client=client, progress=False)
    cols = ["key", "accepted", "final_loss", "epochs"]
    assert local[cols].sort_values("key").values.tolist() == remote[cols].sort_values("key").values.tolist()


def test_all_stages_match_the_library_functions():
    from mi_ident.alignment import what_then_where
    from mi_ident.interpretations import interpretation_counts

    record = run_one(RunConfig("XOR", (2, 3, 3, 1), seed=3))
    model = train("XOR", [2, 3, 3, 1], seed=3, progress=False).model
    circuits = census(model, "XOR", progress=False).circuits()
    assert record["total_interpretations"] == int(sum(interpretation_counts(model, circuits, None)))
    aligned = what_then_where(model, "XOR", mode="extended")
    assert (record["n_formulas"], record["total_mappings"]) == (aligned.n_formulas, aligned.total_mappings)
