"""Interpretations of a circuit: read each neuron as a logic gate of its parents.

A neuron's activations over the task inputs become a truth table once a threshold is
chosen between two consecutive levels of its values (``value >= level`` is 1). An
*interpretation* picks one truth table per neuron such that every neuron is a
consistent Boolean function (its *local gate*) of its parents' bits, plus one
completion of that gate on the parent patterns that never occur ("don't cares").

Counts per circuit, the honest ones first
------------------------------------------
* :func:`count_assignments` — consistent threshold choices (one truth table per neuron),
  don't-cares not counted; ``min_gap=0`` (its default) keeps every threshold.
* :func:`count_readings` — distinct input-level readings (``neuron -> truth table``): the
  assignments under the gap rule, values closer than :data:`DEFAULT_MIN_GAP` being one
  level, so thresholds inside numerical noise are not readings.
  :func:`count_distinct_readings` counts them over a set of circuits.
* :func:`count_interpretations` — threshold choice × gate completion per neuron: the
  paper's "groundings", dominated by completions of parent patterns that never occur;
  :func:`dont_cares` and :func:`completion_counts` report that part apart.

Counting never lists (a dynamic program over layers); listing is lazy
(:func:`iter_readings`, :func:`iter_interpretations`).

Two modes
---------
``mode="paper"`` reproduces the original code's ``Circuit.ground`` exactly (its counts
equal the reference ``groundings_per_valid_circuit``), quirks included, and ignores
``min_gap``: inputs are truncated to integers and each distinct input row keeps the
activation of its *last* occurrence in ``X``; thresholds are float32 midpoints; output
activations are rounded first; first-layer neurons are named by their global table with
no consistency check; completions named XOR or XNOR are dropped (two parents only); three
or more parents are all named ``"3INPUTS"``.

``mode="corrected"`` (the default; ``"exact"`` is accepted) treats every layer alike
(a first-layer neuron is a gate of the inputs it is wired to, checked like any other),
fixes the output's table by the network's read-out (``output > 0.5``), keeps XOR gates,
names 3+-parent gates by their full table, and reads neurons on the clean Boolean rows
present in ``X`` (every row when ``X`` is None). Constant neurons carry no bit in either
mode and are left out, acting as a bias.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import Circuit
>>> model = MLP([2, 2, 1], seed=0)
>>> full = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
...                           "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
>>> count_interpretations(model, full) == sum(1 for _ in iter_interpretations(model, full))
True
"""

from .counting import assignment_counts, count_assignments, count_interpretations, interpretation_counts
from .gates import PAPER_MANY_INPUTS, input_gate_label, local_gate_label
from .listing import Interpretation, NeuronGate, candidate_tables, count_labelings, iter_interpretations
from .problem import DEFAULT_MIN_GAP, levels
from .readings import (
    MAX_READINGS,
    DontCares,
    Reading,
    completion_counts,
    count_distinct_readings,
    count_readings,
    distinct_readings,
    dont_cares,
    iter_readings,
    reading_counts,
)

__all__ = [
    "count_interpretations",
    "interpretation_counts",
    "count_assignments",
    "assignment_counts",
    "count_readings",
    "reading_counts",
    "iter_readings",
    "distinct_readings",
    "count_distinct_readings",
    "Reading",
    "DontCares",
    "dont_cares",
    "completion_counts",
    "iter_interpretations",
    "Interpretation",
    "NeuronGate",
    "candidate_tables",
    "count_labelings",
    "levels",
    "DEFAULT_MIN_GAP",
    "MAX_READINGS",
    "PAPER_MANY_INPUTS",
    "input_gate_label",
    "local_gate_label",
]
