"""The public faithfulness criteria: one function per criterion, circuits and mappings alike.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import Circuit
>>> model = MLP([2, 2, 1], seed=0)
>>> full = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
...                           "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
>>> observational_faithfulness(model, full), noisy_faithfulness(model, full, n_samples=10)
(1.0, 1.0)
"""

from __future__ import annotations

import numpy as np

from .._validation import as_array, check_choice
from ..errors import InputTypeError, ParameterError
from ..vocabulary import ABLATIONS
from ._common import (Score, active_hidden, check_item, check_model, check_self_pairs, corners, noisy_inputs,
                      out_of_range_inputs)
from .circuits import circuits_counterfactual, circuits_interventional, circuits_on_inputs
from .mappings import mapping_counterfactual, mapping_interventional, mapping_observational

__all__ = [
    "observational_faithfulness",
    "noisy_faithfulness",
    "out_of_range_faithfulness",
    "interventional_faithfulness",
    "counterfactual_faithfulness",
    "UNITS",
    "circuit_scores",
]

#: What a circuit's counterfactual test intervenes on at once.
UNITS = ("circuit", "neuron")


def observational_faithfulness(model, item, inputs=None) -> Score:
    """Fraction of inputs on which the explanation alone gives the network's output bit.

    ``inputs=None``: the ``2**n_inputs`` clean inputs. For a circuit the census found valid,
    on a network that gets every clean input right, this is 1.0 by construction (validity
    *is* this test), so it cannot tell valid circuits apart; pass other ``inputs`` (an ``(n, n_inputs)`` array), or use
    :func:`noisy_faithfulness` / :func:`out_of_range_faithfulness`. A mapping compares the
    network with its formula, defined on clean inputs only.
    """
    model = check_model(model)
    kind = check_item(model, item)
    if kind == "mapping":
        if inputs is not None:
            raise InputTypeError("a mapping's formula is defined on the clean inputs only: leave inputs=None")
        return mapping_observational(model, item)
    X = corners(model.widths[0]) if inputs is None else as_array("inputs", inputs, ndim=2)
    if X.shape[1] != model.widths[0] or len(X) == 0:
        raise ParameterError(f"inputs must have shape (n, {model.widths[0]}) with n >= 1; got {tuple(X.shape)}")
    return _on_inputs(model, item, X)


def _on_inputs(model, circuit, X) -> Score:
    agree, mad = circuits_on_inputs(model, [circuit], X)
    return Score(agree[0], len(X), note=f"circuit vs network on {len(X)} inputs", mean_abs_diff=mad[0])


def _circuit_only(model, item, name: str):
    model = check_model(model)
    if check_item(model, item) != "circuit":
        raise InputTypeError(f"{name} scores circuits; a mapping's formula is defined on clean inputs only")
    return model


def noisy_faithfulness(model, circuit, noise_std: float = 0.1, n_samples: int = 100, seed: int = 0) -> Score:
    """Agreement of circuit and network bits on noisy copies of the clean inputs.

    ``n_samples`` copies of each clean input, each coordinate plus Gaussian noise of standard
    deviation ``noise_std`` (:func:`noisy_inputs`, drawn with ``seed``). ``mean_abs_diff``
    holds the mean absolute difference of the raw outputs.
    """
    model = _circuit_only(model, circuit, "noisy_faithfulness")
    return _on_inputs(model, circuit, noisy_inputs(model.widths[0], noise_std, n_samples, seed))


def out_of_range_faithfulness(model, circuit, input_range=(-1.0, 2.0), n_samples: int = 1000,
                              seed: int = 0) -> Score:
    """Agreement of circuit and network bits on inputs drawn uniformly from ``input_range``
    in every coordinate (:func:`out_of_range_inputs`); ``mean_abs_diff`` as above."""
    model = _circuit_only(model, circuit, "out_of_range_faithfulness")
    return _on_inputs(model, circuit, out_of_range_inputs(model.widths[0], input_range, n_samples, seed))


def interventional_faithfulness(model, item, ablation: str = "mean", self_pairs: bool = False) -> Score:
    """Fraction of cases where ablating everything outside the explanation keeps the output bit.

    ``ablation``: ``"zero"``, ``"mean"`` (over the clean inputs; one case per input) or
    ``"resample"`` (from a source input; one case per ordered pair ``(source, base)``,
    self-pairs only with ``self_pairs=True``). Circuits: every edge outside the circuit carries
    the ablated value. Mappings: the hidden neurons outside the mapping, *up to its deepest
    mapped layer*, take the ablated value; the later layers are left live (``Score.note``
    names both groups).
    """
    model = check_model(model)
    kind = check_item(model, item)
    ablation = check_choice("ablation", ablation, ABLATIONS)
    self_pairs = check_self_pairs(self_pairs)
    if kind == "circuit":
        scores, n_cases, note = circuits_interventional(model, [item], ablation, self_pairs)
        return Score(scores[0], n_cases, note=note)
    return mapping_interventional(model, item, ablation, self_pairs)


def counterfactual_faithfulness(model, item, self_pairs: bool = False, unit: str = "circuit") -> Score:
    """Fraction of interchange interventions on which explanation and network agree.

    Circuit (as in the "Which circuit is it?" study): for every ordered pair (source, base),
    the circuit's active hidden neurons take their source values, in the circuit and in the
    full network run on the base; the output bits must agree. ``unit="circuit"`` patches
    them all at once (the study: the circuit as one component, the rest of the network as
    its environment); ``unit="neuron"`` patches each one alone. Mapping: every non-empty
    subset of its nodes at once against the formula (joint IIA). Self-pairs only with
    ``self_pairs=True``.
    """
    model = check_model(model)
    kind = check_item(model, item)
    self_pairs = check_self_pairs(self_pairs)
    if kind == "circuit":
        scores, n_cases, note = circuits_counterfactual(model, [item], self_pairs, check_choice("unit", unit, UNITS))
        if not active_hidden(model, item):
            note = "no hidden neuron: agreement on the clean inputs"
        return Score(scores[0], n_cases[0], note=note)
    return mapping_counterfactual(model, item, self_pairs)


def circuit_scores(model, circuits, ablation: str = "mean", beyond_corners: bool = False, noise_std: float = 0.1,
                   input_range=(-1.0, 2.0), seed: int = 0, unit: str = "circuit") -> dict[str, np.ndarray]:
    """Every criterion for many circuits of one network, each in one batched forward pass.

    Returns ``{criterion: array with one score per circuit}`` with the defaults of the
    single-circuit functions (no self-pairs, whole-circuit counterfactual), plus ``"noisy"``
    (100 copies of each clean input) and ``"out_of_range"`` (1000 inputs) when
    ``beyond_corners``. ``unit`` is the counterfactual's unit, as in
    :func:`counterfactual_faithfulness` (``"circuit"``: every active neuron at once, the
    study's definition; ``"neuron"``: one at a time). Each array equals the single-circuit
    function applied to each circuit.
    """
    model = check_model(model)
    circuits = list(circuits)
    if not circuits:
        return {}
    for c in circuits:
        if check_item(model, c) != "circuit":
            raise InputTypeError(f"circuits must hold only circuits; got a {type(c).__name__}")
    ablation = check_choice("ablation", ablation, ABLATIONS)
    unit = check_choice("unit", unit, ("circuit", "neuron"))
    out = {"observational": circuits_on_inputs(model, circuits, corners(model.widths[0]))[0],
           "interventional": circuits_interventional(model, circuits, ablation, False)[0],
           "counterfactual": circuits_counterfactual(model, circuits, False, unit)[0]}
    if beyond_corners:
        out["noisy"] = circuits_on_inputs(model, circuits, noisy_inputs(model.widths[0], noise_std, 100, seed))[0]
        out["out_of_range"] = circuits_on_inputs(
            model, circuits, out_of_range_inputs(model.widths[0], input_range, 1000, seed))[0]
    return out
