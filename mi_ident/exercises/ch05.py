"""Exercise checks of chapter 5 (algorithms and alignment), and the reference solutions they use.

Same conventions as :mod:`mi_ident.exercises.ch01`: ``check_<exercise>(student)`` returns a
:class:`~mi_ident.exercises.Feedback`; the reference solution has the exercise's name.
The cases use the paper's seed-3 XOR network (its weights are written out below, so the
checks need no training and no reference files) and hand-made networks.

Example
-------
>>> print(check_interchange_bit(interchange_bit))
correct: all 7 cases pass.
>>> print(check_node_iia(lambda model, formula, node_id, neurons: 1.0))
not yet: on L1.2 for A∨B on the seed-3 network your answer is not right.
"""

from __future__ import annotations

import itertools
from typing import Callable

import numpy as np
import torch

from ..algorithms import Formula, parse_formula
from ..alignment import NeuronMapping, joint_iia
from ..interventions import Patch
from ..model import MLP
from ..vocabulary import output_bit
from . import Case, Feedback, Mistake
from .ch01 import run_check

__all__ = [
    "CORNERS", "SEED3_WEIGHTS", "seed3_network", "patched_bit", "interchange_bit", "node_iia", "joint_aligned",
    "check_interchange_bit", "check_node_iia", "check_joint_aligned",
]

#: The four inputs 00, 01, 10, 11, in that order (row ``r`` is input ``r`` in binary).
CORNERS = [(0, 0), (0, 1), (1, 0), (1, 1)]
#: The paper's XOR network, seed offset 3 (``train_paper("XOR", [2, 3, 3, 1], seed_offset=3)``).
SEED3_WEIGHTS = [
    ([[-0.6684556603431702, -0.6737504005432129], [-0.42071333527565, -0.4434930980205536],
      [-0.2752050757408142, -0.5179173350334167]], [0.6677461266517639, 0.8628892302513123, 0.2750248908996582]),
    ([[1.144850254058838, -0.6510437726974487, 0.8486332297325134],
      [-1.0403389930725098, 0.6385200023651123, -0.9640713930130005],
      [-0.32597020268440247, -1.051602840423584, 0.1450992375612259]],
     [0.28803807497024536, 0.7670695781707764, 0.44055846333503723]),
    ([[-0.40418899059295654, 0.95223468542099, -1.0799798965454102]], [-0.050801023840904236]),
]


def _net(weights) -> MLP:
    return MLP.from_weights([(np.array(W, dtype=np.float32), np.array(b, dtype=np.float32)) for W, b in weights])


def seed3_network() -> MLP:
    """The paper's seed-3 XOR network (2-3-3-1)."""
    return _net(SEED3_WEIGHTS)


def patched_bit(model: MLP, base, sources: dict) -> bool:
    """Output bit on ``base`` with each neuron of ``sources`` (``{(layer, index): source}``) set to
    its value in the unpatched run on its own source. One :meth:`~mi_ident.model.MLP.run`."""
    with torch.no_grad():
        clean = {x: model.run([list(x)]) for x in set(map(tuple, sources.values()))}
        masks, values = {}, {}
        for (layer, i), src in sources.items():
            masks.setdefault(layer, torch.zeros(1, model.widths[layer], dtype=torch.bool))[0, i] = True
            values.setdefault(layer, torch.zeros(1, model.widths[layer]))[0, i] = clean[tuple(src)][layer][0, i]
        out = model.run([list(base)], patch=Patch(masks, values))[-1][0, 0]
    return bool(output_bit(float(out)))


# -- exercise 1: one interchange intervention -------------------------------------------------


def interchange_bit(model: MLP, base, source, neurons) -> bool:
    """The output bit (``output > 0.5``) of ``model`` on ``base`` while ``neurons`` (a list of
    ``(layer, index)``) keep their post-activation values on ``source``."""
    return patched_bit(model, base, {tuple(n): source for n in neurons})


def _pre_activation_bit(model, base, source, neurons) -> bool:
    with torch.no_grad():
        h, pre = torch.tensor([list(source)], dtype=torch.float32), {}
        for i, layer in enumerate(model.layers):
            z = layer(h)
            pre[i + 1], h = z, model.activate(i, z)
        masks = {l: torch.zeros(1, model.widths[l], dtype=torch.bool) for l in range(1, model.n_layers)}
        for layer, i in neurons:
            masks[layer][0, i] = True
        patch = Patch({l: masks[l] for l in masks}, {l: pre[l] for l in masks})
        return bool(model.run([list(base)], patch=patch)[-1][0, 0] > 0.5)


def _geq_bit(model, base, source, neurons) -> bool:
    with torch.no_grad():
        sets = [list(neurons)]
        out = model.run([list(base)], patch=Patch.interchange(model, sets, [list(source)]))[-1]
    return bool(out.reshape(-1)[0] >= 0.5)


def _half_network() -> MLP:
    # output exactly 0.5 on base 00 once L1.0 takes its value on 11 (dyadic weights: no rounding)
    return _net([([[1.0, 1.0], [0.0, 0.0]], [0.0, 0.0]), ([[0.25, 0.0]], [0.0])])


def _negative_network() -> MLP:
    # L1.0 has pre-activation -6 on 00: its value passed on is -0.06, and only that keeps the bit at 1
    return _net([([[4.0, 4.0]], [-6.0]), ([[0.25]], [0.75])])


def check_interchange_bit(student: Callable) -> Feedback:
    """Check ``interchange_bit(model, base, source, neurons)``."""
    net, half, negative = seed3_network(), _half_network(), _negative_network()
    cases = [
        Case("base 00, source 10, neurons [L1.0] on the seed-3 network", (net, (0, 0), (1, 0), [(1, 0)])),
        Case("base 00, source 11, neurons [L1.1] on the seed-3 network", (net, (0, 0), (1, 1), [(1, 1)])),
        Case("base 11, source 00, neurons [L2.1] on the seed-3 network", (net, (1, 1), (0, 0), [(2, 1)])),
        Case("base 01, source 11, neurons [L1.2, L2.1] on the seed-3 network",
             (net, (0, 1), (1, 1), [(1, 2), (2, 1)])),
        Case("base 11, source 01, neurons [L2.0, L2.2] on the seed-3 network",
             (net, (1, 1), (0, 1), [(2, 0), (2, 2)])),
        Case("base 00, source 11, neurons [L1.0] on a hand-made 2-2-1 network", (half, (0, 0), (1, 1), [(1, 0)])),
        Case("base 11, source 00, neurons [L1.0] on a hand-made 2-1-1 network",
             (negative, (1, 1), (0, 0), [(1, 0)])),
    ]
    mistakes = [
        Mistake(lambda m, b, s, n: interchange_bit(m, s, b, n),
                "the network runs on the base input; the patched neurons take their values on the source."),
        Mistake(_pre_activation_bit, "copy the values the neurons pass on, after the LeakyReLU, not before it."),
        Mistake(_geq_bit, "the output bit is output > 0.5 (strictly): an output of exactly 0.5 reads as 0."),
    ]
    return run_check(student, interchange_bit, cases, mistakes, "interchange_bit")


# -- exercise 2: the IIA of a neuron set --------------------------------------------------------


def node_iia(model: MLP, formula: Formula, node_id: int, neurons) -> float:
    """Fraction of the 16 ordered (source, base) pairs, self-pairs included, on which the patched
    network's bit equals the formula's output on the base with node ``node_id`` forced to its
    value on the source."""
    hits = 0
    for s, b in itertools.product(range(4), repeat=2):
        forced = formula.evaluate(np.array([CORNERS[b]]), {node_id: formula.values[node_id][s]})[formula.root.id][0]
        hits += interchange_bit(model, CORNERS[b], CORNERS[s], neurons) == bool(forced)
    return hits / 16


def _iia_without_self_pairs(model, formula, node_id, neurons) -> float:
    hits = 0
    for s, b in itertools.permutations(range(4), 2):
        forced = formula.evaluate(np.array([CORNERS[b]]), {node_id: formula.values[node_id][s]})[formula.root.id][0]
        hits += interchange_bit(model, CORNERS[b], CORNERS[s], neurons) == bool(forced)
    return hits / 12


def _iia_swapped(model, formula, node_id, neurons) -> float:
    hits = 0
    for s, b in itertools.product(range(4), repeat=2):
        forced = formula.evaluate(np.array([CORNERS[b]]), {node_id: formula.values[node_id][s]})[formula.root.id][0]
        hits += interchange_bit(model, CORNERS[s], CORNERS[b], neurons) == bool(forced)
    return hits / 16


def check_node_iia(student: Callable) -> Feedback:
    """Check ``node_iia(model, formula, node_id, neurons)`` on the seed-3 network."""
    net, f = seed3_network(), parse_formula("¬(A*B)*(A+B)")
    cases = [Case(f"{'[' + ', '.join(f'L{l}.{i}' for l, i in n) + ']'} for {f.node(k)} on the seed-3 network"
                  .replace("[", "").replace("]", ""), (net, f, k, n))
             for k, n in [(4, [(1, 2)]), (4, [(1, 0)]), (7, [(2, 2)]), (4, [(2, 1)]), (7, [(1, 0), (1, 1)]),
                          (4, [(2, 0), (2, 1)])]]
    mistakes = [
        Mistake(_iia_without_self_pairs, "count every ordered pair, the 4 self-pairs (source = base) included: "
                                         "16 pairs in all."),
        Mistake(_iia_swapped, "run the network on the base and patch from the source, as the formula does."),
    ]
    return run_check(student, node_iia, cases, mistakes, "node_iia")


# -- exercise 3: the joint criterion ------------------------------------------------------------


def joint_aligned(model: MLP, formula: Formula, assignment: dict) -> bool:
    """True when ``assignment`` (``{node_id: [(layer, index), ...]}``) passes every intervention on
    every non-empty subset of its nodes at once, each node with its own source, on every base."""
    return joint_iia(model, NeuronMapping.from_dict(formula, assignment)) == 1.0


def _one_at_a_time(model, formula, assignment) -> bool:
    return all(node_iia(model, formula, k, n) == 1.0 for k, n in assignment.items())


def check_joint_aligned(student: Callable) -> Feedback:
    """Check ``joint_aligned(model, formula, assignment)`` on mappings of ``¬(A∧B)∧(A∨B)``."""
    net, f = seed3_network(), parse_formula("¬(A*B)*(A+B)")
    assignments = [{4: [(1, 0)], 7: [(1, 1)]}, {4: [(1, 2), (2, 1)], 7: [(1, 1)]},
                   {4: [(2, 0), (2, 1)], 7: [(2, 2)]}, {4: [(2, 0), (2, 1)], 7: [(1, 1)]},
                   {4: [(2, 1)], 7: [(1, 1)]}]
    cases = [Case(f"the mapping {NeuronMapping.from_dict(f, a)} on the seed-3 network", (net, f, a))
             for a in assignments]
    mistakes = [Mistake(_one_at_a_time, "intervene on the nodes together: every non-empty subset of them at "
                                        "once, each node patched from its own source.")]
    return run_check(student, joint_aligned, cases, mistakes, "joint_aligned")
