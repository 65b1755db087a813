"""Chapter 5's exercise checks: references against independent computations, each mistake gets its hint."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mi_ident.algorithms import parse_formula
from mi_ident.exercises import ch05

F = parse_formula("¬(A*B)*(A+B)")


def stub(*args, **kwargs):
    raise NotImplementedError


def numpy_bit(model, base, sources: dict) -> bool:
    """Independent forward pass in numpy float64: neurons set to their values on their sources."""
    weights = model.numpy_weights()

    def run(x, patch):
        h, acts = np.asarray(x, dtype=float), [np.asarray(x, dtype=float)]
        for i, (W, b) in enumerate(weights):
            z = W.astype(float) @ h + b
            h = np.where(z > 0, z, model.negative_slope * z)
            for (layer, j), v in patch.items():
                if layer == i + 1:
                    h[j] = v
            acts.append(h.copy())
        return acts

    patch = {n: run(src, {})[n[0]][n[1]] for n, src in sources.items()}
    return bool(run(base, patch)[-1][0] > 0.5)


@pytest.mark.parametrize("check, reference", [
    (ch05.check_interchange_bit, ch05.interchange_bit), (ch05.check_node_iia, ch05.node_iia),
    (ch05.check_joint_aligned, ch05.joint_aligned),
])
def test_reference_passes_and_stub_gets_a_reminder(check, reference):
    assert check(reference).passed
    feedback = check(stub)
    assert not feedback.passed and not feedback.implemented and "not implemented yet" in feedback.message


@pytest.mark.parametrize("check, mistake, hint", [
    (ch05.check_interchange_bit, ch05._pre_activation_bit, "after the LeakyReLU"),
    (ch05.check_interchange_bit, ch05._geq_bit, "strictly"),
    (ch05.check_interchange_bit, lambda m, b, s, n: ch05.interchange_bit(m, s, b, n), "runs on the base"),
    (ch05.check_node_iia, ch05._iia_without_self_pairs, "self-pairs"),
    (ch05.check_node_iia, ch05._iia_swapped, "run the network on the base"),
    (ch05.check_joint_aligned, ch05._one_at_a_time, "every non-empty subset"),
])
def test_each_mistake_gets_its_hint(check, mistake, hint):
    feedback = check(mistake)
    assert not feedback.passed and "common mistake" in feedback.message and hint in feedback.message


def test_the_checks_never_show_the_answer():
    for check in (ch05.check_interchange_bit, ch05.check_node_iia, ch05.check_joint_aligned):
        message = check(lambda *a: 0.123).message
        assert "0.123" not in message and "True" not in message and "expected" not in message


def test_seed3_network_is_the_reference_file(reference_dir):
    from mi_ident.weights import load_weights

    ref = load_weights(reference_dir / "seed_03_weights.npz").model
    for (W, b), (V, c) in zip(ref.numpy_weights(), ch05.seed3_network().numpy_weights()):
        assert np.array_equal(W, V) and np.array_equal(b, c)


def test_interchange_bit_and_node_iia_against_numpy():
    net = ch05.seed3_network()
    corners = ch05.CORNERS
    for neurons in ([(1, 0)], [(2, 1)], [(1, 2), (2, 0)]):
        for s, b in itertools.product(range(4), repeat=2):
            expected = numpy_bit(net, corners[b], {n: corners[s] for n in neurons})
            assert ch05.interchange_bit(net, corners[b], corners[s], neurons) == expected
        for node in (4, 7):
            hits = sum(numpy_bit(net, corners[b], {n: corners[s] for n in neurons})
                       == bool(F.evaluate(np.array([corners[b]]), {node: F.values[node][s]})[F.root.id][0])
                       for s, b in itertools.product(range(4), repeat=2))
            assert ch05.node_iia(net, F, node, neurons) == hits / 16


def test_joint_aligned_against_numpy():
    net = ch05.seed3_network()
    corners = ch05.CORNERS
    cases = [{4: [(1, 0)], 7: [(1, 1)]}, {4: [(1, 2), (2, 1)], 7: [(1, 1)]}, {4: [(2, 0), (2, 1)], 7: [(2, 2)]}]
    verdicts = []
    for a in cases:
        ok = True
        for codes in itertools.product(range(5), repeat=2):
            if not any(codes):
                continue
            for b in range(4):
                sources, forced = {}, {}
                for (node, neurons), c in zip(a.items(), codes):
                    if c:
                        sources.update({n: corners[c - 1] for n in neurons})
                        forced[node] = F.values[node][c - 1]
                high = bool(F.evaluate(np.array([corners[b]]), forced)[F.root.id][0])
                ok &= numpy_bit(net, corners[b], sources) == high
        verdicts.append(ok)
        assert ch05.joint_aligned(net, F, a) == ok
    assert verdicts == [True, False, True]  # the second passes one node at a time only
    assert ch05._one_at_a_time(net, F, cases[1])
