"""What-then-where, single criterion: reference counts, a brute-force loop, pair orders and errors."""

from __future__ import annotations

import ast
import itertools
import json

import numpy as np
import pytest

from conftest import REFERENCE_MODELS
from mi_ident.algorithms import candidate_formulas, parse_formula
from mi_ident.alignment import (
    NeuronMapping as Mapping,
    align,
    candidate_neuron_sets,
    interchange_intervention,
    interchange_pairs,
    mapping_iia,
    patched_outputs,
    what_then_where,
)
from mi_ident.model import MLP
from mi_ident.weights import load_weights

CORNERS = [(0, 0), (0, 1), (1, 0), (1, 1)]


# -- independent plain-loop implementation -------------------------------------------------
def np_forward(model: MLP, x, patch: dict | None = None) -> list[np.ndarray]:
    """One input, numpy, float64; ``patch`` maps (layer, index) to a value set after activation."""
    acts = [np.asarray(x, dtype=np.float64)]
    weights = model.numpy_weights()
    for i, (W, b) in enumerate(weights):
        z = W.astype(np.float64) @ acts[-1] + b
        last = i == len(weights) - 1
        h = z if last and model.output_activation == "identity" else np.where(z > 0, z, model.negative_slope * z)
        for (layer, j), v in (patch or {}).items():
            if layer == i + 1:
                h[j] = v
        acts.append(h)
    return acts


def loop_node_iia(model, formula, node_id, neurons, pairs) -> float:
    """IIA of one node's neuron set, one forward pass per pair."""
    hits = 0
    for s, b in pairs:
        src = np_forward(model, CORNERS[s])
        out = np_forward(model, CORNERS[b], {n: src[n[0]][n[1]] for n in neurons})[-1][0]
        high = formula.evaluate(np.array([CORNERS[b]]), {node_id: formula.values[node_id][s]})[formula.root.id][0]
        hits += int(out > 0.5) == high
    return hits / len(pairs)


def literal_paper_search(model, formula, pairs, threshold: float = 1.0) -> set:
    """The paper's search as written: recursive over nodes, single-layer subsets of the unused
    neurons, each checked pair by pair, then the minimal ones kept as the original does."""
    nodes = [n.id for n in formula.aligned_nodes]
    hidden = [(l, i) for l in range(1, model.n_layers) for i in range(model.widths[l])]
    ok_cache: dict = {}

    def ok(node, subset):
        key = (node, subset)
        if key not in ok_cache:
            ok_cache[key] = loop_node_iia(model, formula, node, subset, pairs) >= threshold
        return ok_cache[key]

    found = []

    def rec(k, free, chosen):
        if k == len(nodes):
            found.append(chosen)
            return
        for r in range(len(free), 0, -1):
            for subset in itertools.combinations(sorted(free), r):
                if len({l for l, _ in subset}) == 1 and ok(nodes[k], frozenset(subset)):
                    rec(k + 1, free - set(subset), chosen + (frozenset(subset),))

    rec(0, set(hidden), ())
    minimal: list = []
    for m in found:
        le = lambda a, b: all(x <= y for x, y in zip(a, b))  # noqa: E731
        if any(le(m, o) for o in minimal):
            minimal = [o for o in minimal if not le(m, o)] + [m]
        elif not any(le(o, m) for o in minimal):
            minimal.append(m)
    return set(minimal)


def as_set(mappings) -> set:
    return {tuple(s for _, s in m.assignment) for m in mappings}


def canon_details(details) -> dict:
    return {
        f: sorted(json.dumps({k: {l: sorted(v) for l, v in d.items()} for k, d in m.items()}, sort_keys=True) for m in ms)
        for f, ms in details.items()
    }


# -- pairs ---------------------------------------------------------------------------------
def test_pair_orders_are_the_readmes():
    index = {c: i for i, c in enumerate(CORNERS)}
    ab = [((0, 0), (0, 1)), ((0, 0), (1, 0)), ((0, 0), (1, 1)), ((0, 1), (1, 0)), ((0, 1), (1, 1)), ((1, 0), (1, 1))]
    ba = [p if p != ((0, 1), (1, 0)) else ((1, 0), (0, 1)) for p in ab]
    assert sorted(map(tuple, interchange_pairs(2, "AB").tolist())) == sorted((index[s], index[b]) for s, b in ab)
    assert sorted(map(tuple, interchange_pairs(2, "BA").tolist())) == sorted((index[s], index[b]) for s, b in ba)
    everything = interchange_pairs(2, "all")
    assert len(everything) == 16 and len({tuple(p) for p in everything.tolist()}) == 16


def test_pair_order_matches_the_reference_pair_list(reference_dir):
    for order in ("AB", "BA"):
        ref = json.loads((reference_dir / f"seed_03_wtw_{order}.json").read_text())
        expected = [tuple(CORNERS.index(tuple(int(v) for v in x)) for x in pair) for pair in ref["sample_pairs_source_base"]]
        assert [tuple(p) for p in interchange_pairs(2, order).tolist()] == expected


# -- reference models ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def models(reference_dir):
    return {name: load_weights(reference_dir / f"{name}_weights.npz").model for name in REFERENCE_MODELS}


@pytest.mark.parametrize("name", sorted(REFERENCE_MODELS))
def test_paper_mode_matches_every_reference_model(reference_dir, models, name):
    gate, _ = REFERENCE_MODELS[name]
    ref = json.loads((reference_dir / f"{name}.json").read_text())
    result = what_then_where(models[name], gate, depth=3, mode="paper")
    assert result.n_candidate_formulas == ref["n_candidate_formulas"]
    assert result.formulas == ref["formulas"]
    assert result.n_formulas == ref["n_formulas"]
    assert result.mappings_per_formula == ref["mappings_per_formula"]
    assert result.total_mappings == ref["total_mappings"]
    assert canon_details(result.mapping_details) == canon_details(ref["mapping_details"])


@pytest.mark.parametrize("name", sorted(REFERENCE_MODELS))
@pytest.mark.parametrize("order", ["AB", "BA"])
def test_both_pair_orders_match_the_wtw_files(reference_dir, models, name, order):
    path = reference_dir / f"{name}_wtw_{order}.json"
    if not path.exists():
        pytest.skip(f"{path.name} is not part of the reference data (no what-then-where file for {name})")
    ref = json.loads(path.read_text())
    details = ref["mapping_details"]
    details = ast.literal_eval(details) if isinstance(details, str) else details
    result = what_then_where(models[name], REFERENCE_MODELS[name][0], mode="paper", pair_order=order)
    assert result.formulas == ref["formulas"]
    assert result.mappings_per_formula == ref["mappings_per_formula"]
    assert result.total_mappings == ref["total_mappings"]
    assert canon_details(result.mapping_details) == canon_details(details)


# -- brute force ---------------------------------------------------------------------------
def test_vectorised_iia_equals_a_plain_loop(models):
    model = models["seed_03"]
    formulas = candidate_formulas("XOR", depth=3, mode="paper")[:12]
    for order in ("BA", "all"):
        pairs = interchange_pairs(2, order)
        for mode in ("paper", "extended"):
            for f in formulas[:4] if mode == "extended" else formulas:
                result = align(model, f, mode=mode, criterion="single", pair_order=order)
                sets = result.sets
                for node in f.aligned_nodes:
                    for k in range(0, len(sets), 5 if mode == "extended" else 1):
                        expected = loop_node_iia(model, f, node.id, sets[k], pairs)
                        assert result.node_iia[node.id][k] == pytest.approx(expected), (f.paper, node.label, sets[k])


@pytest.mark.parametrize("seed", [0, 1])
def test_paper_search_equals_the_literal_search_on_untrained_nets(seed):
    # Nothing aligns with an untrained net, so loose thresholds exercise the search as well.
    model = MLP([2, 2, 2, 1], seed=seed)
    pairs = interchange_pairs(2, "BA")
    found = 0
    for f in candidate_formulas("XOR", depth=3, mode="paper")[:12]:
        for threshold in (1.0, 0.5, 0.0):
            ours = as_set(align(model, f, mode="paper", threshold=threshold).mappings)
            assert ours == literal_paper_search(model, f, pairs, threshold), (f.paper, threshold)
            found += len(ours)
    assert found > 0


@pytest.mark.parametrize("name, n_formulas", [("XOR_h2_seed_02", 56), ("seed_02", 56), ("AND_h3_seed_00", 25)])
def test_paper_search_equals_the_literal_search_on_trained_nets(models, name, n_formulas):
    model = models[name]
    pairs = interchange_pairs(2, "BA")
    result = what_then_where(model, REFERENCE_MODELS[name][0], mode="paper")
    for a in result.alignments[:n_formulas]:
        assert as_set(a.mappings) == literal_paper_search(model, a.formula, pairs), a.formula.paper
    assert result.total_mappings > 0


def test_patched_outputs_equal_single_interventions(models):
    model = models["seed_03"]
    sets = candidate_neuron_sets(model, "extended")[::7]
    pairs = interchange_pairs(2, "all")
    out = patched_outputs(model, sets, pairs).numpy()[..., 0]
    for k, s in enumerate(sets):
        for p, (src, base) in enumerate(pairs):
            acts = np_forward(model, CORNERS[src])
            expected = np_forward(model, CORNERS[base], {n: acts[n[0]][n[1]] for n in s})[-1][0]
            assert out[k, p] == pytest.approx(expected, abs=1e-5)
            if len(s) == 1:
                assert interchange_intervention(model, CORNERS[base], CORNERS[src], s) == pytest.approx(expected, abs=1e-5)


# -- modes, thresholds, mappings -----------------------------------------------------------
def test_candidate_neuron_sets():
    model = MLP([2, 3, 3, 1], seed=0)
    paper = candidate_neuron_sets(model, "paper")
    assert len(paper) == 2 * 7 and all(len({l for l, _ in s}) == 1 for s in paper)
    extended = candidate_neuron_sets(model, "extended")
    assert len(extended) == 2**6 - 1 and set(paper) <= set(extended)


def test_corrected_single_mappings_pass_every_ordered_pair(models):
    model = models["seed_03"]
    result = what_then_where(model, formulas=candidate_formulas("XOR", depth=3, mode="paper"), criterion="single")
    assert result.pair_order == "all"
    assert result.total_mappings > 0
    for a in result.aligned:
        for m in a.mappings:
            assert mapping_iia(model, m, pair_order="all") == 1.0
            assert all(not (s & t) for (_, s), (_, t) in itertools.combinations(m.assignment, 2))
    # every extended verdict holds in both pair orders of the paper
    for order in ("AB", "BA"):
        for a in result.aligned:
            for m in a.mappings:
                if all(len({l for l, _ in s}) == 1 for _, s in m.assignment):
                    assert mapping_iia(model, m, pair_order=order) == 1.0


def test_a_lower_threshold_aligns_more(models):
    model = models["seed_02"]
    f = candidate_formulas("XOR", mode="paper")[0]
    for mode in ("paper", "extended"):
        strict, loose = align(model, f, mode=mode, threshold=1.0), align(model, f, mode=mode, threshold=0.5)
        for node in f.aligned_nodes:
            assert set(strict.aligned_sets[node.id]) <= set(loose.aligned_sets[node.id])
            assert all(iia >= 0.5 for iia in loose.node_iia[node.id][[strict.sets.index(s) for s in loose.aligned_sets[node.id]]])


def test_default_mode_is_corrected_with_the_joint_criterion(models):
    model = models["seed_03"]
    formulas = candidate_formulas("XOR", depth=3, mode="paper")
    default = what_then_where(model, formulas=formulas)
    assert (default.mode, default.criterion, default.pair_order) == ("corrected", "joint", "all")
    assert default.mapping_details == what_then_where(model, formulas=formulas, mode="extended").mapping_details
    assert default.mapping_details != what_then_where(model, formulas=formulas, mode="paper").mapping_details
    f = formulas[0]
    assert len(align(model, f).sets) == 2**6 - 1  # sets may span both hidden layers
    assert as_set(align(model, f).mappings) == as_set(align(model, f, mode="extended").mappings)
    assert [g.paper for g in candidate_formulas("XOR", depth=2)] == [
        g.paper for g in candidate_formulas("XOR", depth=2, mode="extended")
    ]


def test_formula_without_aligned_nodes(models):
    model = models["AND_h3_seed_00"]
    assert align(model, "A*B", mode="paper").mappings[0].assignment == ()
    assert len(align(model, "A*B", mode="extended").mappings) == 1
    # paper mode accepts any such formula; extended (the default) checks the behaviour:
    # the AND net does not compute OR
    assert [m.assignment for m in align(model, "A+B", mode="paper").mappings] == [()]
    assert align(model, "A+B", mode="extended").mappings == []
    assert align(model, "A+B").mappings == []
    assert mapping_iia(model, Mapping.from_dict("A+B", {})) == 0.5  # AND and OR differ on 01, 10


def test_mapping_from_dict_and_iia(models):
    model = models["seed_03"]
    m = Mapping.from_dict("¬(A*B)*(A+B)", {"A+B 4": {"2": [1]}, "¬(A*B)": [(1, 1)]})
    assert m.as_dict() == {"A+B 4": {"2": [1]}, "¬(A*B) 7": {"1": [1]}}
    assert m in align(model, m.formula, mode="paper").mappings
    assert mapping_iia(model, m, pair_order="BA") == 1.0
    assert 0.0 <= mapping_iia(model, m, joint=True) <= 1.0
    assert m <= Mapping.from_dict(m.formula, {4: [(2, 1), (2, 0)], 7: [(1, 1)]})


def test_bad_inputs_give_clear_errors(models):
    model = models["seed_03"]
    with pytest.raises(ValueError, match=r"neuron \(layer 3, index 0\) does not exist"):
        mapping_iia(model, Mapping.from_dict("¬(A*B)*(A+B)", {4: [(3, 0)], 7: [(1, 1)]}))
    with pytest.raises(ValueError, match=r"neuron \(layer 1, index 5\) does not exist"):
        interchange_intervention(model, (0, 1), (1, 1), [(1, 5)])
    with pytest.raises(ValueError, match="3 inputs but the network has 2"):
        align(model, "(A*B)+C")
    with pytest.raises(ValueError, match="missing"):
        Mapping.from_dict("¬(A*B)*(A+B)", {4: [(1, 0)]})
    with pytest.raises(ValueError, match="not an aligned node"):
        Mapping.from_dict("¬(A*B)*(A+B)", {"A*B": [(1, 0)], 7: [(1, 1)]})
    with pytest.raises(ValueError, match="pair_order"):
        what_then_where(model, "XOR", pair_order="BBA")
    with pytest.raises(ValueError, match="threshold"):
        align(model, "A*B", threshold=2)
    with pytest.raises(ValueError, match="mode"):
        align(model, "A*B", mode="both")
    with pytest.raises(ValueError, match="base must be 2 bits"):
        interchange_intervention(model, (0, 2), (1, 1), [(1, 0)])
    with pytest.raises(ValueError, match="criterion must be one of 'single', 'joint'"):
        align(model, "A*B", criterion="both")
    with pytest.raises(ValueError, match="joint criterion intervenes with every source"):
        align(model, "A*B", criterion="joint", pair_order="BA")


def test_sizes_are_refused_before_work_starts():
    import time

    from mi_ident.errors import TooLargeError

    wide = MLP([2, 40, 40, 1], seed=0)
    for kwargs, message in [(dict(mode="paper"), "candidate neuron sets"), (dict(), "candidate neuron sets"),
                            (dict(criterion="joint", mode="paper"), "candidate neuron sets")]:
        t0 = time.perf_counter()
        with pytest.raises(TooLargeError, match=message):
            align(wide, "¬(A*B)*(A+B)", **kwargs)
        assert time.perf_counter() - t0 < 5  # refused up front, not after filling memory
    with pytest.raises(TooLargeError, match="joint criterion is tractable up to 9 hidden neurons"):
        align(MLP([2, 5, 5, 1], seed=0), "¬(A*B)*(A+B)", mode="paper", criterion="joint")
    with pytest.raises(TooLargeError, match="depth <= 3 is tractable"):
        what_then_where(MLP([2, 2, 2, 1], seed=0), "XOR", depth=5)


def test_a_two_output_net_needs_output(models):
    net = MLP([2, 3, 3, 2], seed=0)
    with pytest.raises(ValueError, match="2 outputs; pass output=0..1"):
        align(net, "¬(A*B)*(A+B)")
    for k in (0, 1):
        a = align(net, "¬(A*B)*(A+B)", output=k, criterion="single")
        assert a.output == k
    wtw = what_then_where(net, ["XOR", "AND"], output=1, depth=1, mode="paper")
    assert wtw.task_name == "AND" and wtw.output == 1
    with pytest.raises(ValueError, match="output must be an integer between 0 and 1"):
        align(net, "A*B", output=2)


def test_a_weights_file_or_path_is_accepted(reference_dir, models):
    path = reference_dir / "seed_03_weights.npz"
    a = align(path, "¬(A*B)*(A+B)", mode="paper")
    assert as_set(a.mappings) == as_set(align(load_weights(path), "¬(A*B)*(A+B)", mode="paper").mappings)
    assert what_then_where(str(path), "XOR", mode="paper").total_mappings == 56


