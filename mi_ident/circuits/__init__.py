"""Circuits (sub-networks) of an MLP: enumeration, counting and the census of valid ones.

* :mod:`.circuit`: the :class:`Circuit` value and its forward pass;
* :mod:`.space`: the candidate space (closed-form counts, lazy enumeration in the original
  code's order, :func:`circuit_at`);
* :mod:`.census`: :func:`census`, which counts the valid circuits without one forward pass
  per circuit (2-3-3-1 in ~10 ms, 2-4-4-1 in ~0.3 s, the 7.27e9 candidates of 2-5-5-1 in
  well under a minute);
* :mod:`.classes`: the honest counts next to the raw one (silent classes, edge-minimal
  circuits, neuron sets, margins), which :func:`census` reports on its :class:`CensusResult`;
* :mod:`.estimate`: :func:`estimate_valid_circuits`, uniform sampling for wider nets.

Example
-------
>>> count_candidates([2, 3, 3, 1]), count_candidates([2, 3, 3, 1], mode="paper")
(9625, 3000)
>>> next(iter_circuits([2, 2, 2, 1])).node_masks
((1, 1), (0, 1), (0, 1), (1,))
"""

from .census import MAX_ESTIMATED_SECONDS, CensusResult, census, estimated_seconds
from .circuit import Circuit, check_circuit, circuit_forward
from .classes import CircuitClass
from .estimate import Estimate, estimate_valid_circuits, wilson_interval
from .space import circuit_at, count_candidates, iter_circuits, min_sparsity

__all__ = [
    "Circuit",
    "check_circuit",
    "circuit_forward",
    "count_candidates",
    "iter_circuits",
    "circuit_at",
    "min_sparsity",
    "census",
    "CensusResult",
    "CircuitClass",
    "estimated_seconds",
    "MAX_ESTIMATED_SECONDS",
    "Estimate",
    "estimate_valid_circuits",
    "wilson_interval",
]
