"""The low-level side of an alignment: input pairs, candidate neuron sets, patched runs.

An interchange intervention runs the network on a *base* input while chosen hidden
neurons keep the post-activation values they had on a *source* input (each neuron
its value in the unpatched run on the source). Every patched run goes through
:meth:`mi_ident.model.MLP.run` with a :class:`~mi_ident.interventions.Patch`.

Example
-------
>>> from mi_ident.model import MLP
>>> model = MLP([2, 3, 3, 1], seed=0)
>>> interchange_pairs(2, "BA").tolist()    # 00->10, 00->01, 00->11, 10->01, 10->11, 01->11
[[0, 2], [0, 1], [0, 3], [2, 1], [2, 3], [1, 3]]
>>> tuple(patched_outputs(model, [[(1, 0)], [(2, 1), (1, 2)]], interchange_pairs(2, "all")).shape)
(2, 16, 1)
"""

from __future__ import annotations

import itertools
from typing import Iterable, Literal, Sequence

import numpy as np
import torch

from .._validation import as_model, check_choice, check_int, check_mode, check_size
from ..boolean import input_rows
from ..errors import ParameterError
from ..interventions import Patch
from ..model import MLP
from ..vocabulary import PAPER, Neuron

__all__ = [
    "PairOrder", "PAIR_ORDERS", "MAX_NEURON_SETS", "interchange_pairs", "hidden_neurons",
    "count_neuron_sets", "candidate_neuron_sets", "patched_outputs", "interchange_intervention",
]

PairOrder = Literal["BA", "AB", "all"]
PAIR_ORDERS = ("BA", "AB", "all")
#: Candidate neuron sets a node may map to, at most (each is run on every pair).
MAX_NEURON_SETS = 2**16


def interchange_pairs(n_inputs: int = 2, pair_order: PairOrder = "BA") -> np.ndarray:
    """``(n_pairs, 2)`` row indices ``(source, base)`` into :func:`mi_ident.boolean.input_rows`.

    ``"AB"``/``"BA"``: the paper's pairs ``(samples[i], samples[j])`` for ``i < j``,
    the samples listed by ``itertools.product`` over the inputs in that order (``BA``
    = inputs reversed). ``"all"``: every ordered pair, self-pairs included.
    """
    pair_order = check_choice("pair_order", pair_order, PAIR_ORDERS)
    n_inputs = check_int("n_inputs", n_inputs, minimum=1, maximum=8)
    n_rows = 2**n_inputs
    if pair_order == "all":
        return np.array([(s, b) for s in range(n_rows) for b in range(n_rows)], dtype=np.int64)
    samples = np.arange(n_rows)
    if pair_order == "BA":
        # product over reversed inputs: the k-th sample has its bits reversed.
        samples = np.array([int(format(k, f"0{n_inputs}b")[::-1], 2) for k in range(n_rows)])
    return np.array(
        [(samples[i], samples[j]) for i in range(n_rows) for j in range(i + 1, n_rows)], dtype=np.int64
    )


def hidden_neurons(model: MLP) -> list[Neuron]:
    """Every hidden neuron, layer by layer."""
    return [Neuron(layer, i) for layer in range(1, model.n_layers) for i in range(model.widths[layer])]


def count_neuron_sets(model: MLP, mode: str) -> int:
    """How many sets :func:`candidate_neuron_sets` lists, from the closed form (no listing)."""
    hidden = model.widths[1:-1]
    return sum(2**w - 1 for w in hidden) if mode == PAPER else 2 ** sum(hidden) - 1


def candidate_neuron_sets(model: MLP, mode: str = "corrected") -> list[frozenset[Neuron]]:
    """Every non-empty set of hidden neurons a node may map to.

    ``paper``: sets within one hidden layer; ``corrected`` (default): any set, across
    layers too. Listed by layer, then by size, then in ``itertools.combinations`` order.
    More than :data:`MAX_NEURON_SETS` sets raise :class:`~mi_ident.errors.TooLargeError`.

    >>> len(candidate_neuron_sets(MLP([2, 3, 3, 1], seed=0), mode="paper"))
    14
    >>> len(candidate_neuron_sets(MLP([2, 3, 3, 1], seed=0)))
    63
    """
    model, mode = as_model(model), check_mode(mode)
    check_size(f"candidate neuron sets of a {'-'.join(map(str, model.widths))} network in {mode} mode",
               count_neuron_sets(model, mode), MAX_NEURON_SETS,
               "tractable: at most 16 hidden neurons in corrected mode (it tries every subset of them), "
               "layers of at most 15 neurons in paper mode (every subset of one layer)")
    groups = ([[Neuron(layer, i) for i in range(model.widths[layer])] for layer in range(1, model.n_layers)]
              if mode == PAPER else [hidden_neurons(model)])
    return [frozenset(c) for neurons in groups
            for size in range(1, len(neurons) + 1) for c in itertools.combinations(neurons, size)]


def check_neurons(model: MLP, neurons: Iterable[tuple[int, int]]) -> None:
    """A :class:`ParameterError` naming the hidden neurons if one of ``neurons`` is not one."""
    for layer, i in neurons:
        if not (1 <= layer < model.n_layers and 0 <= i < model.widths[layer]):
            hidden = ", ".join(f"layer {l}: 0..{model.widths[l] - 1}" for l in range(1, model.n_layers))
            raise ParameterError(
                f"neuron (layer {layer}, index {i}) does not exist; the hidden neurons are {hidden}"
            )


def patched_outputs(model: MLP, sets: Sequence[Iterable[tuple[int, int]]], pairs: np.ndarray) -> torch.Tensor:
    """Network outputs under interchange interventions, ``(n_sets, n_pairs, n_outputs)``.

    For set ``k`` and pair ``p = (source, base)`` (row indices into ``input_rows``): the
    network runs on the base input while the neurons of ``sets[k]`` take their values in
    the unpatched run on the source. One batched :meth:`~mi_ident.model.MLP.run`.
    """
    model, sets = as_model(model), [list(s) for s in sets]
    check_neurons(model, (n for s in sets for n in s))
    rows = torch.as_tensor(input_rows(model.widths[0]), dtype=torch.float32)
    pairs = np.asarray(pairs, dtype=np.int64)
    with torch.no_grad():
        patch = Patch.interchange(model, sets, rows[pairs[:, 0]])
        out = model.run(rows[pairs[:, 1]], patch=patch)[-1]
    return out.expand(len(sets), *out.shape[-2:]) if out.ndim == 2 else out


def interchange_intervention(
    model: MLP, base: Sequence[int], source: Sequence[int], neurons: Iterable[tuple[int, int]], output: int = 0
) -> float:
    """The network's output ``output`` on ``base`` with ``neurons`` set to their values on ``source``.

    >>> model = MLP([2, 3, 3, 1], seed=0)
    >>> out = interchange_intervention(model, base=(0, 1), source=(1, 1), neurons=[(1, 0)])
    """
    model = as_model(model)
    n_inputs = model.widths[0]
    bits = [tuple(int(v) for v in x) for x in (source, base)]
    for name, x in zip(("source", "base"), bits):
        if len(x) != n_inputs or any(v not in (0, 1) for v in x):
            raise ParameterError(f"{name} must be {n_inputs} bits (0 or 1); got {x}")
    src, bas = (int("".join(map(str, x)), 2) for x in bits)
    return float(patched_outputs(model, [list(neurons)], np.array([[src, bas]]))[0, 0, output])
