"""Circuits: candidate counts and order, the vectorised census against plain per-circuit loops and
the original code's results, Monte-Carlo estimates, and input validation."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import torch

from mi_ident.boolean import input_rows, make_task
from mi_ident.circuits import (
    Circuit,
    census,
    circuit_at,
    circuit_forward,
    count_candidates,
    estimate_valid_circuits,
    iter_circuits,
)
from mi_ident.data import make_dataset
from mi_ident.model import MLP
from mi_ident.weights import load_weights

REFERENCE_MODELS = ["seed_00", "seed_01", "seed_02", "seed_03", "seed_04", "AND_h3_seed_00", "XOR_h2_seed_02"]


@pytest.fixture(autouse=True)
def _one_torch_thread():
    # the brute-force loops run thousands of tiny forwards; a thread pool only adds wake-up latency
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


# ---- independent references ---------------------------------------------------------------------


def original_enumeration(widths, mode):
    """A literal transcription of the original algorithm: node masks by itertools.product over
    binary counts (output layer included, last combination dropped in paper mode), then every
    0/1 pattern of each active block kept iff no active row or column is empty."""
    hidden = widths[1:-1]
    floor = 0.3 if max(hidden) > 4 else 0.2 if max(hidden) > 3 else 0.0
    per_layer = [list(itertools.product([0, 1], repeat=w)) for w in widths[1:]]
    combos = list(itertools.product(*per_layer))
    if mode == "paper":
        combos = combos[:-1]
    for combo in combos:
        if combo[-1] != tuple([1] * widths[-1]):
            continue  # our circuits keep every output
        nodes = (tuple([1] * widths[0]),) + combo
        if mode == "paper" and np.mean(np.concatenate(combo[:-1]) == 0) <= floor:
            continue
        per_edge = []
        for i in range(len(widths) - 1):
            ins = [j for j, v in enumerate(nodes[i]) if v]
            outs = [j for j, v in enumerate(nodes[i + 1]) if v]
            masks = []
            for bits in itertools.product([0, 1], repeat=len(ins) * len(outs)):
                block = np.array(bits, dtype=np.uint8).reshape(len(outs), len(ins))
                if len(outs) and len(ins) and (block.sum(1) > 0).all() and (block.sum(0) > 0).all():
                    e = np.zeros((widths[i + 1], widths[i]), dtype=np.uint8)
                    e[np.ix_(outs, ins)] = block
                    masks.append(e)
            per_edge.append(masks)
        for edges in itertools.product(*per_edge):
            yield Circuit(nodes, tuple(edges))


def brute_valid(model, X, y, threshold, mode="exact"):
    """Plain loop: one float32 torch forward per candidate, accuracy = correct / n > threshold."""
    X = np.asarray(X, dtype=np.float32)
    y = torch.as_tensor(np.asarray(y, dtype=np.float32).reshape(len(X), -1))
    valid = []
    for i, c in enumerate(iter_circuits(model.widths, mode)):
        out = circuit_forward(model, c, X)[-1]
        if int((torch.round(out) == y).all(dim=1).sum()) / len(X) > threshold:
            valid.append((i, c))
    return valid


def float64_valid(model, X, y, threshold):
    """Plain loop in float64 numpy (the semantics of precision='float64')."""
    slope = float(np.float32(model.negative_slope))
    weights = [(W.astype(np.float64), b.astype(np.float64)) for W, b in model.numpy_weights()]
    X, y = np.asarray(X, np.float64), np.asarray(y, np.float64).reshape(len(X), -1)
    valid = []
    for i, c in enumerate(iter_circuits(model.widths)):
        h = X
        for li, (W, b) in enumerate(weights):
            z = (h * np.array(c.node_masks[li])) @ (W * c.edge_masks[li]).T + b
            h = np.where(z >= 0, z, z * slope)
        if (np.round(h) == y).all(axis=1).sum() / len(X) > threshold:
            valid.append(i)
    return valid


def teacher(widths, seed, reps=(3, 5, 4, 6), flip=1, noise=0.0):
    """A random net with larger weights and data labelled by its own predictions, a few flipped:
    some circuits reproduce it and others not, so the valid set is neither empty nor everything."""
    model = MLP(widths, seed=seed)
    with torch.no_grad():
        for layer in model.layers:
            layer.weight.mul_(3.0)
            layer.bias.mul_(3.0)
    X = np.repeat(input_rows(2), reps, axis=0).astype(np.float32)
    y = model.predict(X).astype(np.float32)
    y[:flip] = 1 - y[:flip]
    if noise:
        X = X + np.random.default_rng(seed).normal(0, noise, X.shape).astype(np.float32)
    return model, X, y


def boundary_net():
    """Circuits whose float32 outputs are exactly 0.5 or 1.5 (ties: torch rounds half to even) while
    the real-valued outputs lie just above; labels = the float32 outputs of the first circuit."""
    model = MLP.from_weights([([[0.1, 0.2], [0.3, 0.3]], [0.1, 0.0]), ([[5.0, 5.0]], [0.0])])
    X = input_rows(2).astype(np.float32)
    y = torch.round(circuit_forward(model, next(iter_circuits([2, 2, 1])), X)[-1]).numpy()
    return model, X, y


def assert_same(result, brute):
    assert result.n_valid == len(brute)
    assert result.valid_circuit_indices == [i for i, _ in brute]
    assert result.circuits() == [c for _, c in brute]


# ---- counting and order ----------------------------------------------------------------------------

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


# ---- census: the original code's results ----------------------------------------------------------


@pytest.fixture(scope="module")
def reference(reference_dir):
    def load(name):
        wf = load_weights(reference_dir / f"{name}_weights.npz")
        path = reference_dir / f"{name}.json"
        return wf, (json.loads(path.read_text()) if path.exists() else None)

    return load


@pytest.mark.parametrize("name", REFERENCE_MODELS)
def test_paper_mode_reproduces_every_reference_model(reference, name):
    wf, ref = reference(name)
    result = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), mode="paper", progress=False)
    assert result.n_evaluated == result.n_candidates == ref["n_circuits_evaluated"]
    assert result.n_valid == ref["n_valid_circuits"]
    assert result.valid_circuit_indices == ref["valid_circuit_indices"]
    assert [c.to_dict() for c in result.circuits()] == ref["valid_circuits"]


@pytest.mark.parametrize("name", REFERENCE_MODELS + ["XOR_h4_extra"])
def test_exact_mode_matches_exact_counts(reference, reference_dir, name):
    expected = json.loads((reference_dir / "exact_mode_counts.json").read_text())[name]
    wf, _ = reference(name)
    result = census(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), progress=False, max_keep=10)
    assert (result.n_candidates, result.n_valid) == (expected["n_candidates"], expected["n_valid_circuits"])
    assert result.n_kept == min(10, result.n_valid)


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


# ---- census: random nets against the plain loop ------------------------------------------------------


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
    assert_same(census(model, (X, y), accuracy_threshold=threshold, mode=mode, progress=False, precision="float32"), brute)


@pytest.mark.parametrize("case", ["seed_00", "AND_h3_seed_00", "teacher-2331", "teacher-22221", "boundary"])
def test_meet_in_the_middle_path_equals_direct_path(reference, monkeypatch, case):
    # width >= 4 nets use the bitmask path; force it (with tiny blocks and chunks) on small nets
    from mi_ident import circuits

    if case == "boundary":
        (model, X, y), threshold = boundary_net(), 0.99
    elif case.startswith("teacher"):
        widths = [int(c) for c in case.split("-")[1]]
        model, X, y = teacher(widths, 0 if widths == [2, 3, 3, 1] else 1)
        threshold = 0.7
    else:
        wf, _ = reference(case)
        model, X, y, threshold = wf.model, wf.data["X_eval"], wf.data["y_eval"], 0.99
    direct = census(model, (X, y), accuracy_threshold=threshold, progress=False, precision="float32")
    monkeypatch.setattr(circuits, "_DIRECT_MAX", 0)
    monkeypatch.setattr(circuits, "_INNER_MAX", 8)
    monkeypatch.setattr(circuits, "_CHUNK", 5)
    bitmask = census(model, (X, y), accuracy_threshold=threshold, progress=False, precision="float32")
    capped = census(model, (X, y), accuracy_threshold=threshold, progress=False, precision="float32", max_keep=3)
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


def test_weights_file_supplies_its_eval_data(reference):
    wf, ref = reference("seed_02")
    assert census(wf, mode="paper", progress=False).n_valid == ref["n_valid_circuits"]


def test_result_table_and_max_keep(reference):
    wf, _ = reference("AND_h3_seed_00")
    data = (wf.data["X_eval"], wf.data["y_eval"])
    full = census(wf.model, data, progress=False)
    capped = census(wf.model, data, progress=False, max_keep=7)
    assert capped.n_valid == full.n_valid and capped.truncated and not full.truncated
    assert capped.circuits() == full.circuits()[:7]
    frame = full.to_frame()
    assert list(frame.columns) == ["index", "nodes", "edges", "n_nodes", "n_edges", "sparsity", "accuracy"]
    assert len(frame) == full.n_valid and (frame["accuracy"] > 0.99).all()
    circuits = full.circuits()
    for row, c in zip(frame.itertuples(), circuits[:50]):
        assert circuit_at([2, 3, 3, 1], row.index) == c
        assert row.n_nodes == sum(map(sum, c.node_masks[1:-1])) and row.n_edges == sum(int(e.sum()) for e in c.edge_masks)
        assert row.sparsity == pytest.approx(1 - row.n_nodes / 6)


def test_interrupt_propagates_and_leaves_torch_settings(monkeypatch):
    from mi_ident import circuits

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    model, X, y = teacher([2, 3, 3, 1], 0)
    before = census(model, (X, y), accuracy_threshold=0.7, progress=False)
    monkeypatch.setattr(circuits._Engine, "_direct", boom)
    threads = torch.get_num_threads()
    with pytest.raises(KeyboardInterrupt):
        census(model, (X, y), accuracy_threshold=0.7, progress=False)
    monkeypatch.undo()
    assert torch.get_num_threads() == threads
    assert census(model, (X, y), accuracy_threshold=0.7, progress=False).n_valid == before.n_valid


# ---- circuit_forward --------------------------------------------------------------------------------


def test_circuit_forward_of_the_full_circuit_is_the_model():
    model = MLP([2, 3, 3, 1], seed=4)
    full = Circuit(((1, 1), (1, 1, 1), (1, 1, 1), (1,)),
                   tuple(np.ones((o, i), np.uint8) for i, o in [(2, 3), (3, 3), (3, 1)]))
    X = torch.rand(10, 2)
    acts = circuit_forward(model, full, X)
    for a, b in zip(acts, model.activations(X)):
        assert torch.equal(a, b)


def test_circuit_forward_zeroes_inactive_nodes():
    c = circuit_at([2, 3, 3, 1], 100)
    acts = circuit_forward(MLP([2, 3, 3, 1], seed=0), c, torch.rand(5, 2))
    for layer in (1, 2):
        off = np.array(c.node_masks[layer]) == 0
        assert (acts[layer][:, off] == 0).all()
    with pytest.raises(ValueError, match="layer widths"):
        circuit_forward(MLP([2, 2, 2, 1], seed=0), c, torch.rand(5, 2))


# ---- Monte-Carlo estimate ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, n", [("seed_00", 3000), ("XOR_h4_extra", 3000)])
def test_estimate_interval_covers_exact_count(reference, reference_dir, name, n):
    expected = json.loads((reference_dir / "exact_mode_counts.json").read_text())[name]
    wf, _ = reference(name)
    est = estimate_valid_circuits(wf.model, (wf.data["X_eval"], wf.data["y_eval"]), n_samples=n, confidence=0.99)
    assert est.n_candidates == expected["n_candidates"] and est.n_samples == n
    assert est.low <= expected["n_valid_circuits"] <= est.high
    assert est.low < est.estimate < est.high


def test_estimate_is_unbiased_on_a_small_net():
    model, X, y = teacher([2, 2, 2, 1], 1)
    exact = census(model, (X, y), accuracy_threshold=0.9, progress=False).n_valid
    estimates = [estimate_valid_circuits(model, (X, y), n_samples=300, seed=s, accuracy_threshold=0.9).estimate
                 for s in range(10)]
    assert abs(np.mean(estimates) - exact) < 0.1 * exact


def test_estimate_runs_beyond_exhaustive_widths():
    model = MLP([2, 6, 6, 1], seed=0)
    est = estimate_valid_circuits(model, "XOR", n_samples=300)
    assert est.n_candidates == count_candidates([2, 6, 6, 1]) > 10**12
    assert 0 <= est.low <= est.estimate <= est.high <= est.n_candidates


# ---- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0, 1.5, -0.1, "high"])
def test_bad_threshold(threshold):
    with pytest.raises(ValueError, match=r"accuracy_threshold must be in \(0, 1\]|must be a number"):
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
    with pytest.raises(TypeError, match="MLP"):
        census("model.npz", "XOR", progress=False)


def test_intractable_width_needs_allow_large():
    with pytest.raises(ValueError, match=r"7,271,931,361 candidate.*estimated.*allow_large=True"):
        census(MLP([2, 5, 5, 1], seed=0), "XOR", progress=False)
    # width 4 runs without the flag
    assert census(MLP([2, 4, 4, 1], seed=0), "XOR", mode="paper", progress=False).n_candidates == 168_672


def test_bad_widths():
    with pytest.raises(ValueError, match="widths"):
        count_candidates([2])
    with pytest.raises(ValueError, match="widths"):
        list(iter_circuits([2, 0, 1]))


def test_default_precision_is_float32_in_paper_mode_and_float64_in_exact_mode():
    model, X, y = boundary_net()
    exact_default = census(model, (X, y), progress=False)
    assert exact_default.valid_circuit_indices == float64_valid(model, X, y, 0.99)
    assert exact_default.valid_circuit_indices != census(model, (X, y), progress=False,
                                                         precision="float32").valid_circuit_indices
    # paper mode must follow the original float32 forward: its brute-force loop is float32
    paper_default = census(model, (X, y), mode="paper", progress=False)
    brute = brute_valid(model, X, y, 0.99)
    paper_candidates = set(iter_circuits([2, 2, 1], "paper"))
    assert paper_default.circuits() == [c for _, c in brute if c in paper_candidates]
