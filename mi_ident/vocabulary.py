"""One vocabulary for the whole package: neurons, mode words and read-out constants.

* A :class:`Neuron` is ``(layer, index)``, layer 0 being the inputs; it prints as
  ``L1.0`` and equals the plain tuple ``(1, 0)``.
* Every stage has two modes. ``"paper"`` reproduces the original code of
  Méloux et al. (2025) exactly, quirks included; ``"corrected"`` (the default
  everywhere) fixes what we judge to be quirks: every node mask in the census,
  consistent readings in interpretations, both directions of every input pair in
  alignment. The older words ``"exact"`` (census, interpretations) and
  ``"extended"`` (alignment) are accepted as synonyms of ``"corrected"``.
* A network's output bit is ``output > READOUT`` (rounding, for outputs in [0, 1]).

Example
-------
>>> n = Neuron(2, 1)
>>> str(n), n == (2, 1)
('L2.1', True)
>>> output_bit(0.7), output_bit(0.5)
(True, False)
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

__all__ = [
    "Neuron",
    "Mode",
    "PAPER",
    "CORRECTED",
    "MODES",
    "MODE_ALIASES",
    "READOUT",
    "DEFAULT_ACCURACY",
    "IIA_TOLERANCE",
    "Ablation",
    "ABLATIONS",
    "Criterion",
    "CRITERIA",
    "output_bit",
]


class Neuron(NamedTuple):
    """A neuron: ``layer`` (0 = inputs, 1 = first hidden layer, ...) and ``index`` in that layer."""

    layer: int
    index: int

    def __str__(self) -> str:
        return f"L{self.layer}.{self.index}"


Mode = Literal["paper", "corrected"]
PAPER: Mode = "paper"
CORRECTED: Mode = "corrected"
MODES: tuple[str, ...] = (PAPER, CORRECTED)
#: Older names of the corrected mode, still accepted at every entry point.
MODE_ALIASES = {"exact": CORRECTED, "extended": CORRECTED}

#: An output bit is ``output > READOUT``.
READOUT = 0.5
#: A circuit is valid when its accuracy is strictly above this (the paper's rule).
DEFAULT_ACCURACY = 0.99
#: IIA and accuracies are ratios of small integers: compare them with this slack.
IIA_TOLERANCE = 1e-9

#: How a removed neuron or edge is ablated: its value 0 (the paper), its mean over the
#: evaluation inputs, or its value on another input (every source tried).
Ablation = Literal["zero", "mean", "resample"]
ABLATIONS: tuple[str, ...] = ("zero", "mean", "resample")

#: Interchange interventions on one aligned node at a time (the paper) or on every
#: subset of the aligned nodes at once.
Criterion = Literal["single", "joint"]
CRITERIA: tuple[str, ...] = ("single", "joint")


def output_bit(values):
    """The network's read-out: ``values > READOUT`` (works on floats, arrays and tensors)."""
    if isinstance(values, (int, float, np.floating, np.integer)):
        return bool(values > READOUT)
    return values > READOUT
