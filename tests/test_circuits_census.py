"""The census against plain per-circuit loops and the original code's results, every engine path
(broadcast, meet in the middle, generic), precision, data forms, the result table, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from circuit_helpers import (
    REFERENCE_MODELS,
    assert_same,
    boundary_net,
    brute_valid,
    float64_valid,
    load_reference,
    teacher,
)

from mi_ident.boolean import make_task
from mi_ident.circuits import circuit_at, count_candidates, census, iter_circuits
from mi_ident.circuits._engine import _Tuning
from mi_ident.data import make_dataset
from mi_ident.errors import TooLargeError
from mi_ident.model import MLP

TINY = _Tuning(direct_max=0, inner_max=8, chunk=5)  # forces the meet-in-the-middle path, tiny blocks


@pytest.fixture(autouse=True)
def _one_torch_thread():
    # the brute-force loops run thousands of tiny forwards; a thread pool only adds wake-up latency
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module")
def reference(reference_dir):
    return lambda name: load_reference(reference_dir, name)


# ---- the original code's results ------------------------------------------------------------------


@pytest.mark.parametrize("name", REFERENCE_MODELS)
def test_paper_mode_reproduces_every_reference_model(reference, name):
    wf, ref = reference(name)
    result = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), mode="paper", progress=False)
    assert result.n_evaluated == result.n_candidates == ref["n_circuits_evaluated"]
    assert result.n_valid == ref["n_valid_circuits"]
    assert result.valid_circuit_indices == ref["valid_circuit_indices"]
    assert [c.to_dict() for c in result.circuits()] == ref["valid_circuits"]


@pytest.mark.parametrize("name", REFERENCE_MODELS + ["XOR_h4_extra"])
def test_corrected_mode_matches_the_real_valued_counts(reference, reference_dir, name):
    expected = json.loads((reference_dir / "exact_mode_counts.json").read_text())[name]
    wf, _ = reference(name)
    result = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False, max_keep=10)
    assert (result.n_candidates, result.n_valid) == (expected["n_candidates"], expected["n_valid_circuits"])
    assert result.n_kept == min(10, result.n_valid) and result.mode == "corrected"


@pytest.mark.parametrize("name", ["seed_00", "AND_h3_seed_00", "XOR_h2_seed_02"])
def test_census_equals_plain_loop_on_reference_models(reference, name):
    wf, _ = reference(name)
    X, y = wf.data["X_eval"], wf.data["y_eval"]
    assert_same(census(wf.model, (X, y), progress=False, precision="float32"), brute_valid(wf.model, X, y, 0.99))


def test_exact_mode_adds_the_dropped_node_mask(reference):
    wf, ref = reference("seed_00")
    data = (wf.data["X_eval"], wf.data["y_eval"])
    exact, paper = census(wf.model, data, progress=False), census(wf.model, data, mode="paper", progress=False)
    n_full = sum(all(all(m) for m in c.node_masks) for c in exact.circuits())
    dropped = ref["info_dropped_full_node_mask"]["n_of_them_with_accuracy_gt_threshold"]
    assert exact.n_valid - paper.n_valid == n_full == dropped


# ---- random nets against the plain loop -------------------------------------------------------------


@pytest.mark.parametrize(
    "widths, seed, threshold, mode",
    [([2, 3, 3, 1], 0, 0.7, "exact"), ([2, 3, 3, 1], 0, 0.9, "paper"), ([2, 2, 2, 1], 1, 0.9, "exact"),
     ([2, 2, 2, 2, 1], 1, 0.7, "exact"), ([2, 2, 3, 2], 2, 0.7, "exact"), ([2, 3, 1], 3, 0.7, "exact")],
    ids=str,
)
def test_census_equals_plain_loop_on_random_nets(widths, seed, threshold, mode):
    model, X, y = teacher(widths, seed)
    brute = brute_valid(model, X, y, threshold, mode)
    assert 0 < len(brute) < count_candidates(widths, mode)  # a meaningful comparison
    assert_same(census(model, (X, y), accuracy_threshold=threshold, mode=mode, progress=False,
                       precision="float32"), brute)


@pytest.mark.parametrize("case", ["seed_00", "AND_h3_seed_00", "teacher-2331", "teacher-22221", "boundary"])
def test_meet_in_the_middle_path_equals_direct_path(reference, case):
    # width >= 4 nets use the bitmask path; force it (with tiny blocks and chunks) on small nets
    if case == "boundary":
        (model, X, y), threshold = boundary_net(), 0.99
    elif case.startswith("teacher"):
        widths = [int(c) for c in case.split("-")[1]]
        model, X, y = teacher(widths, 0 if widths == [2, 3, 3, 1] else 1)
        threshold = 0.7
    else:
        wf, _ = reference(case)
        model, X, y, threshold = wf.model, wf.data["X_eval"], wf.data["y_eval"], 0.99
    kw = dict(accuracy_threshold=threshold, progress=False, precision="float32")
    direct = census(model, (X, y), **kw)
    bitmask = census(model, (X, y), **kw, _tuning=TINY)
    capped = census(model, (X, y), **kw, max_keep=3, _tuning=TINY)
    assert 0 < direct.n_valid == bitmask.n_valid == capped.n_valid
    assert bitmask.valid_circuit_indices == direct.valid_circuit_indices
    assert bitmask.circuits() == direct.circuits()
    assert np.array_equal(bitmask.accuracy, direct.accuracy)
    assert capped.circuits() == direct.circuits()[:3]


def test_noisy_inputs_and_identity_output():
    model, X, y = teacher([2, 2, 3, 1], 1, noise=0.05)
    model.output_activation = "identity"
    brute = brute_valid(model, X, y, 0.7)
    assert 0 < len(brute) < count_candidates([2, 2, 3, 1])
    assert_same(census(model, (X, y), accuracy_threshold=0.7, progress=False, precision="float32"), brute)


def test_outputs_exactly_on_rounding_boundaries():
    # the census must follow float32 torch there, and precision="float64" the float64 loop
    model, X, y = boundary_net()
    brute = brute_valid(model, X, y, 0.99)
    assert_same(census(model, (X, y), progress=False, precision="float32"), brute)
    as_float64 = census(model, (X, y), progress=False, precision="float64")
    assert as_float64.valid_circuit_indices == float64_valid(model, X, y, 0.99)
    assert as_float64.valid_circuit_indices != [i for i, _ in brute]


def test_default_precision_is_float32_in_paper_mode_and_float64_in_corrected_mode():
    model, X, y = boundary_net()
    corrected_default = census(model, (X, y), progress=False)
    assert corrected_default.valid_circuit_indices == float64_valid(model, X, y, 0.99)
    assert corrected_default.valid_circuit_indices != census(model, (X, y), progress=False,
                                                             precision="float32").valid_circuit_indices
    paper_default = census(model, (X, y), mode="paper", progress=False)
    brute = brute_valid(model, X, y, 0.99)
    paper_candidates = set(iter_circuits([2, 2, 1], "paper"))
    assert paper_default.circuits() == [c for _, c in brute if c in paper_candidates]


def test_data_forms_agree():
    model, _, _ = teacher([2, 3, 3, 1], 0)
    task = make_task("XOR")
    by_name = census(model, "XOR", accuracy_threshold=0.7, progress=False)
    by_task = census(model, task, accuracy_threshold=0.7, progress=False)
    by_arrays = census(model, (torch.tensor(task.inputs, dtype=torch.float32), task.table[:, 0]),
                       accuracy_threshold=0.7, progress=False)
    assert by_name.valid_circuit_indices == by_task.valid_circuit_indices == by_arrays.valid_circuit_indices
    ds = make_dataset(task, n_repeats=3, seed=1)
    by_dataset = census(model, ds, accuracy_threshold=0.7, progress=False)
    assert by_dataset.valid_circuit_indices == by_name.valid_circuit_indices  # balanced repeats: same accuracies


def test_weights_file_supplies_its_eval_data(reference, reference_dir):
    wf, ref = reference("seed_02")
    assert census(wf, mode="paper", progress=False).n_valid == ref["n_valid_circuits"]
    assert census(str(reference_dir / "seed_02_weights.npz"), mode="paper", progress=False).n_valid == ref[
        "n_valid_circuits"]


def test_result_table_and_max_keep(reference):
    wf, _ = reference("AND_h3_seed_00")
    data = (wf.data["X_eval"], wf.data["y_eval"])
    full = census(wf.model, data, progress=False)
    capped = census(wf.model, data, progress=False, max_keep=7)
    assert capped.n_valid == full.n_valid and capped.truncated and not full.truncated
    assert capped.circuits() == full.circuits()[:7]
    frame = full.to_frame()
    assert list(frame.columns) == ["index", "nodes", "edges", "n_nodes", "n_edges", "sparsity", "accuracy", "margin",
                                   "silent_class"]
    assert len(frame) == full.n_valid and (frame["accuracy"] > 0.99).all()
    circuits = full.circuits()
    for row, c in zip(frame.itertuples(), circuits[:50]):
        assert circuit_at([2, 3, 3, 1], row.index) == c
        assert row.n_nodes == c.n_neurons and row.n_edges == c.n_edges
        assert row.sparsity == pytest.approx(c.sparsity)


def test_interrupt_propagates_and_leaves_torch_settings(monkeypatch):
    from mi_ident.circuits import _fast

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    model, X, y = teacher([2, 3, 3, 1], 0)
    before = census(model, (X, y), accuracy_threshold=0.7, progress=False)
    monkeypatch.setattr(_fast, "_direct", boom)
    threads = torch.get_num_threads()
    with pytest.raises(KeyboardInterrupt):
        census(model, (X, y), accuracy_threshold=0.7, progress=False)
    monkeypatch.undo()
    assert torch.get_num_threads() == threads
    assert census(model, (X, y), accuracy_threshold=0.7, progress=False).n_valid == before.n_valid


# ---- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0, 1.5, -0.1, "high"])
def test_bad_threshold(threshold):
    with pytest.raises(ValueError, match=r"accuracy_threshold must be a number in \(0, 1\]"):
        census(MLP([2, 2, 1], seed=0), "XOR", accuracy_threshold=threshold, progress=False)


def test_bad_data():
    model = MLP([2, 3, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        census(model, (np.zeros((4, 3)), np.zeros(4)), progress=False)
    with pytest.raises(ValueError, match="same, nonzero number of samples"):
        census(model, (np.zeros((4, 2)), np.zeros(5)), progress=False)
    with pytest.raises(ValueError, match=r"y must have shape \(n_samples, 1\).*task match"):
        census(model, ["AND", "OR"], progress=False)
    with pytest.raises(ValueError, match="finite"):
        census(model, (np.full((4, 2), np.nan), np.zeros(4)), progress=False)
    with pytest.raises(ValueError, match="give the evaluation data"):
        census(model, progress=False)
    with pytest.raises(ValueError, match="mode must be"):
        census(model, "XOR", mode="fast", progress=False)
    with pytest.raises(ValueError, match="max_keep"):
        census(model, "XOR", max_keep=-1, progress=False)
    with pytest.raises(ValueError, match="precision must be one of"):
        census(model, "XOR", precision="float16", progress=False)
    with pytest.raises(TypeError, match="MLP"):
        census(3, "XOR", progress=False)


def test_intractable_width_needs_allow_large():
    with pytest.raises(TooLargeError, match=r"7,271,931,361 candidate.*estimated.*allow_large=True"):
        census(MLP([2, 5, 5, 1], seed=0), "XOR", progress=False)
    # width 4 runs without the flag
    assert census(MLP([2, 4, 4, 1], seed=0), "XOR", mode="paper", progress=False).n_candidates == 168_672


@pytest.mark.parametrize("widths", [[2, 32, 32, 1], [2, 12, 12, 1]], ids=str)
def test_huge_widths_are_refused_before_work_even_with_allow_large(widths):
    with pytest.raises(TooLargeError):
        census(MLP(widths, seed=0), "XOR", progress=False, allow_large=True)


# ---- float64 verdicts: the slope as stored, and the width-5 real-valued count ----------------------


def test_float64_verdicts_use_the_stored_slope_everywhere():
    from mi_ident.circuits._data import _prepare_data
    from mi_ident.circuits._verdict import _Net
    from mi_ident.circuits._zspace import _classes

    model = MLP([2, 2, 2, 1], seed=0, negative_slope=0.1)  # 0.1 is not a float32 number
    data = _prepare_data(None, "XOR", 0.99, 2, 1)
    f64, f32 = _Net(model, data, "float64"), _Net(model, data, "float32")
    assert f64.slope == 0.1 and f32.slope == float(np.float32(0.1)) != 0.1
    # the preimage of the output boundary -0.5 + 0 (target 0) under LeakyReLU: -0.5 / slope
    assert _classes(f64).lo[0, 0] == -0.5 / 0.1 and _classes(f32).lo[0, 0] == -0.5 / float(np.float32(0.1))
    z = np.linspace(-3, 3, 7)
    assert np.array_equal(f64.act(z, False), np.where(z >= 0, z, 0.1 * z))


@pytest.mark.slow
def test_width_5_corrected_census_equals_the_real_valued_count(reference, reference_dir):
    # minutes on a busy 2-core machine: 7.27e9 candidates
    expected = json.loads((reference_dir / "exact_mode_counts.json").read_text())["XOR_h5_extra"]
    wf, _ = reference("XOR_h5_extra")
    result = census(wf, progress=False, allow_large=True, max_keep=0)
    assert (result.n_candidates, result.n_valid) == (expected["n_candidates"], expected["n_valid_circuits"])
    assert result.n_valid == 188_837_143 and result.n_silent_classes is None
