"""Faithfulness criteria beyond IIA: does an explanation behave like the network?

An explanation is a **circuit** (:class:`mi_ident.circuits.Circuit`, a sub-network) or a
**mapping** (the alignment's mapping class: a formula's nodes placed on neurons). Every
score is a :class:`Score`, a float in [0, 1] (the fraction of cases that agree; bits read
as ``output > 0.5``) that also carries ``n_cases`` and a ``note`` saying what it measured.
Every pair of inputs is an *ordered* pair ``(source, base)`` of distinct clean inputs;
self-pairs only when a caller passes ``self_pairs=True`` (they change nothing, so they can
only raise a score). Everything runs through the one forward pass :meth:`MLP.run`.

Criteria
--------
* **observational** (:func:`observational_faithfulness`): the explanation alone gives the
  network's bit on the clean inputs. For a *valid* circuit this is 1.0 by construction;
  it separates nothing.
* **noisy** / **out of range** (:func:`noisy_faithfulness`, :func:`out_of_range_faithfulness`;
  circuits only): the same agreement on clean inputs plus Gaussian noise, or on inputs
  drawn uniformly from ``input_range`` (default ``(-1, 2)``), as in the "Which circuit is
  it?" study (Méloux et al.). ``Score.mean_abs_diff`` gives the mean absolute output
  difference too. These do separate valid circuits.
* **interventional** (:func:`interventional_faithfulness`): everything outside the
  explanation zero-, mean- or resample-ablated; the bit must not change. For mappings only
  the neurons up to the deepest mapped layer are ablated (``Score.note`` says which are
  left live).
* **counterfactual** (:func:`counterfactual_faithfulness`): interchange interventions.
  Circuit: its hidden neurons take their values on a source input, in the circuit and in the
  network, both run on the base; bits must agree (the whole circuit at once, as the study
  treats it as one component; ``unit="neuron"`` one neuron at a time). Mapping: every
  subset of its nodes at once against the formula (joint IIA).

:func:`circuit_scores` scores many circuits at once (batched);
:func:`faithfulness_table` scores many explanations of one network;
:func:`count_faithful` counts those passing each criterion and every weaker one.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import Circuit
>>> model = MLP([2, 2, 1], seed=0)
>>> full = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
...                           "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
>>> score = counterfactual_faithfulness(model, full)
>>> score, score.n_cases
(1.0, 12)
"""

from ._common import Score, noisy_inputs, ordered_pairs, out_of_range_inputs
from .criteria import (UNITS, circuit_scores, counterfactual_faithfulness, interventional_faithfulness, noisy_faithfulness,
                       observational_faithfulness, out_of_range_faithfulness)
from .table import BEYOND_CORNERS, CRITERIA, count_faithful, faithfulness_table

__all__ = [
    "Score",
    "CRITERIA",
    "BEYOND_CORNERS",
    "UNITS",
    "observational_faithfulness",
    "noisy_faithfulness",
    "out_of_range_faithfulness",
    "interventional_faithfulness",
    "counterfactual_faithfulness",
    "circuit_scores",
    "faithfulness_table",
    "count_faithful",
    "noisy_inputs",
    "out_of_range_inputs",
    "ordered_pairs",
]
