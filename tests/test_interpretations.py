"""Interpretations: reference counts of the original code, and an independent brute force."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from mi_ident.boolean import TWO_INPUT_NAMES
from mi_ident.circuits import Circuit
from mi_ident.interpretations import (
    Interpretation,
    assignment_counts,
    candidate_tables,
    count_assignments,
    count_interpretations,
    count_labelings,
    interpretation_counts,
    iter_interpretations,
)
from mi_ident.model import MLP
from mi_ident.weights import load_weights

REFERENCE_MODELS = ["seed_00", "seed_01", "seed_02", "seed_03", "seed_04", "AND_h3_seed_00", "XOR_h2_seed_02"]


def _reference(reference_dir, name):
    ref = json.loads((reference_dir / f"{name}.json").read_text())
    wf = load_weights(reference_dir / f"{name}_weights.npz")
    return ref, wf.model, wf.data["X_ground"], [Circuit.from_dict(c) for c in ref["valid_circuits"]]


# ---------------------------------------------------------------------------------------------
# an independent brute force: plain numpy forward, every threshold combination, every local table
def _forward(model, circuit, X):
    h = np.asarray(X, dtype=np.float32)
    out = [h]
    for i, (W, b) in enumerate(model.numpy_weights()):
        z = (h * np.asarray(circuit.node_masks[i], dtype=np.float32)) @ (W * circuit.edge_masks[i]).T + b
        last = i == len(model.layers) - 1
        h = z if last and model.output_activation == "identity" else np.where(z > 0, z, z * model.negative_slope)
        out.append(h.astype(np.float32))
    return out


def _brute_force(model, circuit, X, mode):
    """(interpretations, assignments, distinct labelings) by plain enumeration."""
    paper = mode == "paper"
    X = np.asarray(X, dtype=np.float32)
    keys = X.astype(int) if paper else (X >= 0.5).astype(int)
    rows = sorted({tuple(r) for r in keys.tolist()})
    if paper:
        acts = _forward(model, circuit, X)
        acts[-1] = np.round(acts[-1])
        last = {tuple(k): n for n, k in enumerate(keys.tolist())}  # last occurrence wins
        pick = [last[r] for r in rows]
        acts = [a[pick] for a in acts]
    else:
        acts = _forward(model, circuit, np.array(rows, dtype=np.float32))
    L = len(model.widths) - 1
    nodes, cands = [], []
    for layer in range(0 if not paper else 1, L + 1):
        for j, on in enumerate(circuit.node_masks[layer]):
            if not on:
                continue
            v = acts[layer][:, j]
            if layer == 0:
                options = [tuple(int(x >= 0.5) for x in v)]
            elif layer == L and not paper:
                options = [tuple(int(x > 0.5) for x in v)]
            else:
                d = sorted(set(v.tolist()))
                options = [tuple(int(x >= hi) for x in v) for hi in d[1:]]
            if options:
                nodes.append((layer, j))
                cands.append(options)
    total, assignments, labelings = 0, 0, set()
    for combo in itertools.product(*cands):
        table = dict(zip(nodes, combo))
        per_node = []  # list of allowed gate names per interpreted node
        for (layer, j), bits in table.items():
            if layer == 0:
                continue
            if paper and layer == 1:
                code = "".join(map(str, bits))
                n_in = len(bits).bit_length() - 1
                per_node.append([TWO_INPUT_NAMES[int(code, 2)] if n_in == 2 else f"f{n_in}[{code}]"])
                continue
            parents = [
                (layer - 1, p)
                for p in range(model.widths[layer - 1])
                if circuit.edge_masks[layer - 1][j, p] and (layer - 1, p) in table
            ]
            k = len(parents)
            names = []
            for code in range(2 ** (2**k)):
                gate = [(code >> (2**k - 1 - q)) & 1 for q in range(2**k)]
                ok = all(
                    gate[int("".join(str(table[p][r]) for p in parents) or "0", 2)] == bits[r]
                    for r in range(len(rows))
                )
                if not ok:
                    continue
                if k == 1:
                    name = ("FALSE", "IDENTITY", "NOT", "TRUE")[code]
                elif k == 2:
                    name = TWO_INPUT_NAMES[code]
                    if paper and name in ("XOR", "XNOR"):
                        continue
                else:
                    name = "3INPUTS" if paper else f"f{k}[{''.join(map(str, gate))}]"
                names.append(name)
            per_node.append(names)
        n = int(np.prod([len(x) for x in per_node])) if per_node else 1
        total += n
        assignments += n > 0
        labelings.update(itertools.product(*per_node))
    return total, assignments, len(labelings)


def _random_circuit(widths, rng, p=0.8):
    """Random masks, dense enough to give many interpretations (edges only join active nodes)."""
    node_masks = [[1] * widths[0]] + [list(rng.random(w) < p) for w in widths[1:-1]] + [[1] * widths[-1]]
    for m in node_masks[1:-1]:
        m[rng.integers(len(m))] = 1
    edges = []
    for i in range(len(widths) - 1):
        e = (rng.random((widths[i + 1], widths[i])) < p) * np.outer(node_masks[i + 1], node_masks[i])
        edges.append(e.tolist())
    return Circuit.from_dict({"node_masks": node_masks, "edge_masks": edges})


# ---------------------------------------------------------------------------------------------
# paper mode against the original code
@pytest.mark.parametrize("name", REFERENCE_MODELS)
def test_paper_counts_equal_reference_groundings(reference_dir, name):
    ref, model, X, circuits = _reference(reference_dir, name)
    counts = interpretation_counts(model, circuits, X, mode="paper")
    assert counts.tolist() == ref["groundings_per_valid_circuit"]
    assert int(counts.sum()) == ref["total_groundings"]


@pytest.mark.parametrize("name", REFERENCE_MODELS)
def test_paper_listing_reproduces_first_three_examples(reference_dir, name):
    ref, model, X, circuits = _reference(reference_dir, name)
    assert len(circuits) == len(ref["example_groundings_first3_per_circuit"])
    for circuit, expected in zip(circuits, ref["example_groundings_first3_per_circuit"]):
        got = [g.paper_labels() for g in itertools.islice(iter_interpretations(model, circuit, X, mode="paper"), 3)]
        assert got == expected


# ---------------------------------------------------------------------------------------------
# both modes against the brute force
@pytest.mark.parametrize("name", ["seed_00", "seed_03", "AND_h3_seed_00"])
@pytest.mark.parametrize("mode", ["paper", "exact"])
def test_reference_circuits_match_brute_force(reference_dir, name, mode):
    _, model, X, circuits = _reference(reference_dir, name)
    sample = circuits[:: max(1, len(circuits) // 6)]
    counts = interpretation_counts(model, sample, X, mode=mode)
    assigned = assignment_counts(model, sample, X, mode=mode)
    for circuit, n, a in zip(sample, counts, assigned):
        total, assignments, labelings = _brute_force(model, circuit, X, mode)
        assert (n, a) == (total, assignments)
        assert count_labelings(model, circuit, X, mode=mode) == labelings


@pytest.mark.parametrize(
    "widths, output_activation, seed",
    [([2, 3, 3, 1], "leaky_relu", 0), ([2, 3, 3, 1], "identity", 1), ([3, 2, 2, 1], "leaky_relu", 2),
     ([2, 2, 3, 2, 1], "leaky_relu", 3)],
)
@pytest.mark.parametrize("mode", ["paper", "exact"])
def test_random_nets_match_brute_force(widths, output_activation, seed, mode):
    rng = np.random.default_rng(seed)
    model = MLP(widths, output_activation=output_activation, seed=seed)
    rows = np.array(list(itertools.product((0, 1), repeat=widths[0])), dtype=np.float32)
    X = rows[rng.permutation(np.repeat(np.arange(len(rows)), 3))]
    for _ in range(8 if len(widths) == 4 else 4):
        circuit = _random_circuit(widths, rng)
        total, assignments, labelings = _brute_force(model, circuit, X, mode)
        assert count_interpretations(model, circuit, X, mode=mode) == total
        assert count_assignments(model, circuit, X, mode=mode) == assignments
        assert count_labelings(model, circuit, X, mode=mode) == labelings


def test_exact_mode_on_a_subset_of_rows_matches_brute_force():
    model = MLP([2, 3, 3, 1], seed=5)
    X = np.array([[0, 0], [0, 1], [1, 1]], dtype=np.float32)  # row 10 never observed
    rng = np.random.default_rng(5)
    for _ in range(6):
        circuit = _random_circuit([2, 3, 3, 1], rng)
        assert count_interpretations(model, circuit, X) == _brute_force(model, circuit, X, "exact")[0]


# ---------------------------------------------------------------------------------------------
# what the listed interpretations are
def _check_consistent(interp: Interpretation, model, circuit):
    rows = np.array(interp.rows)
    for (layer, j), gate in interp.items():
        assert layer > 0
        if layer == 1 and not gate.parents:
            continue  # paper mode: first layer named by its global table
        for r in range(len(rows)):
            parent_bits = [rows[r][p] if pl == 0 else interp[(pl, p)].table[r] for pl, p in gate.parents]
            pattern = int("".join(map(str, parent_bits)) or "0", 2)
            assert gate.local_table[pattern] == gate.table[r]
        for pl, p in gate.parents:
            assert pl == layer - 1 and circuit.edge_masks[layer - 1][j, p] == 1


@pytest.mark.parametrize("mode", ["paper", "exact"])
def test_listing_is_complete_distinct_and_consistent(reference_dir, mode):
    _, model, X, circuits = _reference(reference_dir, "seed_02")
    counts = interpretation_counts(model, circuits[:12], X, mode=mode)
    for circuit, n in zip(circuits[:12], counts):
        listed = list(iter_interpretations(model, circuit, X, mode=mode))
        assert len(listed) == n == len(set(listed))
        for interp in listed[:50]:
            _check_consistent(interp, model, circuit)
        if mode == "exact":  # faithful names: a labeling identifies the interpretation
            assert len({tuple(sorted(i.labels().items())) for i in listed}) == n


def test_exact_output_table_is_the_circuit_readout(reference_dir):
    _, model, X, circuits = _reference(reference_dir, "seed_00")
    target = (0, 1, 1, 0)  # XOR on rows 00, 01, 10, 11
    for circuit in circuits[:5]:
        for interp in itertools.islice(iter_interpretations(model, circuit), 20):
            assert interp[(3, 0)].table == target
        tables = candidate_tables(model, circuit)
        assert tables[(3, 0)] == [(0.5, target)]
        assert all(len(c) <= 3 for c in tables.values())


def test_exact_mode_keeps_xor_gates_paper_mode_drops_them(reference_dir):
    _, model, X, circuits = _reference(reference_dir, "seed_00")
    exact = {g.name for i in iter_interpretations(model, circuits[0], X) for g in i.values()}
    paper = {g.name for i in iter_interpretations(model, circuits[0], X, mode="paper") for g in i.values()}
    assert "XOR" in exact and not {"XOR", "XNOR"} & paper


# ---------------------------------------------------------------------------------------------
# bad inputs
def _full(widths):
    return Circuit.from_dict({
        "node_masks": [[1] * w for w in widths],
        "edge_masks": [np.ones((b, a), dtype=int).tolist() for a, b in zip(widths[:-1], widths[1:])],
    })


def test_bad_inputs_raise_clear_errors():
    model = MLP([2, 3, 3, 1], seed=0)
    with pytest.raises(ValueError, match="one column per network input"):
        count_interpretations(model, _full([2, 3, 3, 1]), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="layer widths"):
        count_interpretations(model, _full([2, 2, 2, 1]))
    with pytest.raises(ValueError, match="mode must be one of"):
        count_interpretations(model, _full([2, 3, 3, 1]), mode="fast")
    with pytest.raises(ValueError, match="every one of the 4 input rows"):
        count_interpretations(model, _full([2, 3, 3, 1]), np.array([[0, 1], [1, 1]]), mode="paper")
    with pytest.raises(ValueError, match="finite numbers"):
        count_interpretations(model, _full([2, 3, 3, 1]), np.array([[0, np.nan]]))
    with pytest.raises(TypeError, match="Circuit"):
        count_interpretations(model, {"node_masks": [[1, 1]]})
    with pytest.raises(TypeError, match="model must be a mi_ident MLP"):
        count_interpretations(42, _full([2, 3, 3, 1]))
    assert interpretation_counts(model, []).tolist() == []


# ---------------------------------------------------------------------------------------------
# the batched path (shared forward prefixes, cached candidates) equals one circuit at a time
def _mixed_circuits(model, reference_circuits, n_random, seed):
    """Reference circuits (many shared prefixes) interleaved with random ones, duplicates included."""
    from mi_ident.circuits import circuit_at, count_candidates

    rng = np.random.default_rng(seed)
    total = count_candidates(model.widths)
    random = [circuit_at(model.widths, int(i)) for i in rng.integers(0, total, n_random)]
    mixed = list(reference_circuits[:40]) + random + list(reference_circuits[:5])
    return [mixed[i] for i in rng.permutation(len(mixed))]


@pytest.mark.parametrize("mode", ["exact", "paper"])
def test_batched_counts_equal_per_circuit_counts(reference_dir, mode):
    _, model, X, circuits = _reference(reference_dir, "seed_01")
    mixed = _mixed_circuits(model, circuits, 40, seed=3)
    for Xs in (X, None):
        batched = interpretation_counts(model, mixed, Xs, mode=mode)
        assigned = assignment_counts(model, mixed, Xs, mode=mode)
        assert [int(n) for n in batched] == [count_interpretations(model, c, Xs, mode=mode) for c in mixed]
        assert [int(n) for n in assigned] == [count_assignments(model, c, Xs, mode=mode) for c in mixed]
        # and independently of the order and company the circuits come in
        assert [int(n) for n in interpretation_counts(model, mixed[::-1], Xs, mode=mode)] == [int(n) for n in batched[::-1]]


def test_batched_activations_are_bit_identical_to_circuit_forward(reference_dir):
    from mi_ident.circuits import circuit_forward
    from mi_ident.interpretations.problem import _masked_activations

    _, model, X, circuits = _reference(reference_dir, "seed_03")
    mixed = _mixed_circuits(model, circuits, 30, seed=5)
    X = np.asarray(X, dtype=np.float32)
    batched = _masked_activations(model, mixed, X)
    for ci, c in enumerate(mixed):
        for layer, a in enumerate(circuit_forward(model, c, X)):
            assert batched[layer][ci].tobytes() == a.numpy().tobytes()
