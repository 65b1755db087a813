"""What-then-where: align a candidate algorithm (a formula) with the neurons of a network.

A **mapping** (:class:`NeuronMapping`) sends every aligned node of a formula (see
:attr:`mi_ident.algorithms.Formula.aligned_nodes`) to a non-empty set of hidden
neurons (:class:`~mi_ident.vocabulary.Neuron`, layer 1 the first hidden layer), the
sets of different nodes disjoint. It is tested with **interchange interventions**:
run the network on a *base* input while the mapped neurons keep the values they had
on a *source* input, read the output bit (``output > READOUT``), and compare it with
the formula's output on the base input with the node(s) set to their values on the
source. A mapping is *aligned* when its interchange intervention accuracy (IIA)
reaches ``threshold`` (default 1.0: every intervention agrees); we keep the
**minimal** aligned mappings, those that contain no other aligned mapping node by node.

Criteria (``criterion=``)
-------------------------
``"single"`` (the paper's; default in paper mode): each node is intervened on alone
(:mod:`~.single`). ``"joint"`` (default in corrected mode): every non-empty subset of
the nodes at once, each node with its own source, on every base (:mod:`~.joint`).

Modes (``mode=``)
-----------------
``"paper"`` reproduces the original code (its counts equal the reference JSON files):
a node's neurons lie in one hidden layer, and the pairs are the 6 pairs ``i < j`` of
the inputs listed in the order ``pair_order="BA"`` (``"AB"`` is the other order a
different ``PYTHONHASHSEED`` gives). ``"corrected"`` (default; ``"extended"`` is
accepted): sets may span layers, every ordered pair is tested (both directions,
self-pairs), a formula without aligned nodes must at least reproduce the network's
output, and the candidates are every working NOT placement of each tree.

Counts that syntax inflates are also reported up to NOT and padding
(:mod:`~.classes`): ``n_formula_classes`` and ``n_mapping_classes``.

Example
-------
>>> from mi_ident.model import MLP
>>> wtw = what_then_where(MLP([2, 2, 2, 1], seed=0), "XOR", mode="paper")
>>> wtw.n_candidate_formulas, wtw.criterion, wtw.pair_order
(56, 'single', 'BA')
"""

from .classes import FormulaClass, canonical_table, formula_key, mapping_key, table_label
from .interventions import (
    MAX_NEURON_SETS, PAIR_ORDERS, PairOrder, candidate_neuron_sets, count_neuron_sets, hidden_neurons,
    interchange_intervention, interchange_pairs, patched_outputs,
)
from .joint import MAX_JOINT_CANDIDATES, MAX_PATTERN_RUNS, PatternTable
from .mapping import Mapping, NeuronMapping, format_neurons
from .results import Alignment, WhatThenWhere
from .search import align, joint_iia, mapping_iia, what_then_where

__all__ = [
    "Alignment", "FormulaClass", "MAX_JOINT_CANDIDATES", "MAX_NEURON_SETS", "MAX_PATTERN_RUNS", "Mapping",
    "NeuronMapping", "PAIR_ORDERS", "PairOrder", "PatternTable", "WhatThenWhere", "align",
    "candidate_neuron_sets", "canonical_table", "count_neuron_sets", "format_neurons", "formula_key",
    "hidden_neurons", "interchange_intervention", "interchange_pairs", "joint_iia", "mapping_iia",
    "mapping_key", "patched_outputs", "table_label", "what_then_where",
]
