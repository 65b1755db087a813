"""Faithfulness criteria beyond IIA: does an explanation behave like the network?

An explanation is either a **circuit** (:class:`mi_ident.circuits.Circuit`, a
sub-network) or a **mapping** (:class:`mi_ident.alignment.Mapping`, a formula's
nodes placed on neurons). Each is scored by three criteria, from weakest to
strictest. Every score is a fraction in [0, 1]; 1.0 means the criterion holds on
every case. Bits are read as ``output > 0.5`` and compared with the *full
network's* bit on the same (base) input, over the ``2**n_inputs`` clean inputs.

Circuits
--------
A circuit's forward pass keeps its edges; an edge outside the circuit (or leaving
an inactive node) carries an *ablated* value of its input neuron instead of the
live one; biases are never masked. With the value 0 this is the paper's masked
forward (layer input times node mask, weights times edge mask).

* **observational**: the circuit alone (zero-ablated) gives the network's output,
  per input. This is the paper's validity test.
* **interventional**: everything outside the circuit is ablated with the
  ``"mean"`` activation over the inputs (score per input) or ``"resample"``-d from
  another input (score per ordered pair base, source) instead of zero: the output
  must not change.
* **counterfactual**: for every ordered pair (base, source), self-pairs included,
  and every single active hidden neuron of the circuit, set that neuron to its
  value on the source both in the circuit and in the full network: the two must
  give the same output (score per pair and neuron).

Mappings
--------
* **observational**: the formula's output equals the network's, per input (the
  same for every mapping of one formula).
* **interventional**: every hidden neuron *not* used by the mapping, up to the
  deepest layer the mapping uses, is ablated (mean, or resampled from another
  input); the network's output must not change. Later layers are left alone: they
  compute the formula's root, which a mapping places on the output, not on hidden
  neurons.
* **counterfactual**: interchange interventions on every non-empty *subset* of the
  formula's aligned nodes at once, over every ordered pair, self-pairs included
  (:func:`mi_ident.alignment.mapping_iia` with ``joint=True``); the paper tests
  one node at a time and only 6 pairs.

:func:`faithfulness_table` returns one DataFrame for one network (rows:
explanations, columns: criteria); :func:`count_faithful` counts, per kind, how many
explanations pass each criterion *and every weaker one*, which shows whether
stricter criteria remove the multiplicity of explanations or only shrink it.

Example
-------
>>> from mi_ident.model import MLP
>>> from mi_ident.circuits import Circuit
>>> model = MLP([2, 2, 1], seed=0)
>>> full = Circuit.from_dict({"node_masks": [[1, 1], [1, 1], [1]],
...                           "edge_masks": [[[1, 1], [1, 1]], [[1, 1]]]})
>>> observational_faithfulness(model, full)
1.0
"""

from __future__ import annotations

from typing import Iterable, Literal

import numpy as np
import pandas as pd
import torch

from .errors import InputTypeError, ParameterError
from .alignment import Mapping, interchange_pairs, mapping_iia
from .boolean import input_rows
from .circuits import Circuit, check_circuit
from .model import MLP

Ablation = Literal["mean", "resample"]
ABLATIONS = ("mean", "resample")
CRITERIA = ("observational", "interventional", "counterfactual")
Explanation = Circuit | Mapping


def _check_ablation(ablation: str) -> None:
    if ablation not in ABLATIONS:
        raise ParameterError(f"ablation must be one of {ABLATIONS}; got {ablation!r}")


def _keep(model: MLP, circuit: Circuit | None) -> list[torch.Tensor]:
    """Per layer, 1 where an edge carries its live input value (in the circuit, from an active node)."""
    if circuit is None:
        return [torch.ones_like(layer.weight) for layer in model.layers]
    return [
        torch.as_tensor(np.asarray(e, dtype=np.float32)) * torch.as_tensor(np.asarray(n, dtype=np.float32))[None, :]
        for e, n in zip(circuit.edge_masks, circuit.node_masks[:-1])
    ]


def _forward(
    model: MLP,
    keep: list[torch.Tensor],
    x: torch.Tensor,
    ablated: list[torch.Tensor] | None = None,
    patch: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
) -> list[torch.Tensor]:
    """Activations of every layer; ``x`` is ``(n, n_inputs)``.

    Edges with ``keep == 0`` carry ``ablated[i]`` (``(n, width_i)``, or zero when None).
    ``patch[l] = (mask, values)`` then overwrites layer ``l``'s post-activations where
    ``mask`` is true.
    """
    acts = [x]
    h = x
    with torch.no_grad():
        for i, layer in enumerate(model.layers):
            W = layer.weight
            z = h @ (W * keep[i]).T + layer.bias
            if ablated is not None:
                z = z + ablated[i] @ (W * (1 - keep[i])).T
            h = model.activate(i, z)
            if patch is not None and patch[i + 1] is not None:
                mask, values = patch[i + 1]
                h = torch.where(mask, values, h)
            acts.append(h)
    return acts


def _bits(out: torch.Tensor) -> np.ndarray:
    return (out[..., 0] > 0.5).numpy()


def _rows(model: MLP) -> torch.Tensor:
    return torch.as_tensor(input_rows(model.widths[0]), dtype=torch.float32)


def _ablation_values(model: MLP, ablation: Ablation) -> tuple[list[torch.Tensor], np.ndarray]:
    """Per layer ``(n_cases, width)`` ablation values and the base row of each case."""
    rows = _rows(model)
    clean = _forward(model, _keep(model, None), rows)
    n = len(rows)
    if ablation == "mean":
        return [a.mean(dim=0, keepdim=True).expand(n, -1) for a in clean], np.arange(n)
    pairs = interchange_pairs(model.widths[0], "all")
    return [a[pairs[:, 0]] for a in clean], pairs[:, 1]


# -- circuits -----------------------------------------------------------------------------


def _circuit_observational(model: MLP, circuit: Circuit) -> float:
    rows = _rows(model)
    ours = _bits(_forward(model, _keep(model, circuit), rows)[-1])
    theirs = _bits(_forward(model, _keep(model, None), rows)[-1])
    return float(np.mean(ours == theirs))


def _circuit_interventional(model: MLP, circuit: Circuit, ablation: Ablation) -> float:
    rows = _rows(model)
    values, bases = _ablation_values(model, ablation)
    x = rows[bases]
    ours = _bits(_forward(model, _keep(model, circuit), x, ablated=values)[-1])
    theirs = _bits(_forward(model, _keep(model, None), x)[-1])
    return float(np.mean(ours == theirs))


def _circuit_counterfactual(model: MLP, circuit: Circuit) -> float:
    rows = _rows(model)
    pairs = interchange_pairs(model.widths[0], "all")
    neurons = [
        (layer, i)
        for layer in range(1, model.n_layers)
        for i in range(model.widths[layer])
        if circuit.node_masks[layer][i]
    ]
    if not neurons:
        return _circuit_observational(model, circuit)
    # One case per (neuron, pair): the base input with that neuron set from the source.
    case_neuron = np.repeat(np.arange(len(neurons)), len(pairs))
    case_pair = np.tile(np.arange(len(pairs)), len(neurons))
    x = rows[pairs[case_pair, 1]]
    scores = []
    for keep in (_keep(model, circuit), _keep(model, None)):
        source_acts = _forward(model, keep, rows)
        patch: list = [None] * (model.n_layers + 1)
        for layer in range(1, model.n_layers):
            mask = torch.zeros(len(x), model.widths[layer], dtype=torch.bool)
            for k, (l, i) in enumerate(neurons):
                if l == layer:
                    mask[case_neuron == k, i] = True
            patch[layer] = (mask, source_acts[layer][pairs[case_pair, 0]])
        scores.append(_bits(_forward(model, keep, x, patch=patch)[-1]))
    return float(np.mean(scores[0] == scores[1]))


# -- mappings -----------------------------------------------------------------------------


def _mapping_observational(model: MLP, mapping: Mapping) -> float:
    theirs = _bits(_forward(model, _keep(model, None), _rows(model))[-1])
    return float(np.mean(theirs == mapping.formula.truth_table.astype(bool)))


def _mapping_interventional(model: MLP, mapping: Mapping, ablation: Ablation) -> float:
    rows = _rows(model)
    values, bases = _ablation_values(model, ablation)
    x = rows[bases]
    used = mapping.neurons
    # Layers after the deepest mapped one compute the root (the output), which a mapping
    # never places on hidden neurons; only the unmapped neurons up to that layer are "outside".
    last = max((layer for layer, _ in used), default=0)
    patch: list = [None] * (model.n_layers + 1)
    for layer in range(1, last + 1):
        outside = torch.tensor([(layer, i) not in used for i in range(model.widths[layer])])
        patch[layer] = (outside[None, :].expand(len(x), -1), values[layer])
    keep = _keep(model, None)
    ours = _bits(_forward(model, keep, x, patch=patch)[-1])
    theirs = _bits(_forward(model, keep, x)[-1])
    return float(np.mean(ours == theirs))


def _mapping_counterfactual(model: MLP, mapping: Mapping) -> float:
    return mapping_iia(model, mapping, pair_order="all", joint=True)


# -- public -------------------------------------------------------------------------------


def _check(model: MLP, item: Explanation) -> None:
    if not isinstance(model, MLP):
        raise InputTypeError(f"expected an mi_ident.model.MLP; got {type(model).__name__}")
    if model.widths[-1] != 1:
        raise ParameterError(f"faithfulness is scored on one output; this network has {model.widths[-1]}")
    if isinstance(item, Circuit):
        check_circuit(model, item)
    elif isinstance(item, Mapping):
        if item.formula.n_inputs != model.widths[0]:
            raise ParameterError(
                f"the formula has {item.formula.n_inputs} inputs but the network has {model.widths[0]}"
            )
    else:
        raise InputTypeError(f"expected a Circuit or a Mapping; got {type(item).__name__}")


def observational_faithfulness(model: MLP, item: Explanation) -> float:
    """Fraction of inputs on which the explanation alone gives the network's output bit."""
    _check(model, item)
    if isinstance(item, Circuit):
        return _circuit_observational(model, item)
    return _mapping_observational(model, item)


def interventional_faithfulness(model: MLP, item: Explanation, ablation: Ablation = "mean") -> float:
    """Fraction of cases where ablating everything outside the explanation keeps the output bit.

    ``ablation="mean"``: one case per input, outside values = mean activation over the
    inputs; ``"resample"``: one case per ordered pair, outside values from the source.
    """
    _check(model, item)
    _check_ablation(ablation)
    if isinstance(item, Circuit):
        return _circuit_interventional(model, item, ablation)
    return _mapping_interventional(model, item, ablation)


def counterfactual_faithfulness(model: MLP, item: Explanation) -> float:
    """Fraction of interchange interventions on which explanation and network agree.

    Circuit: each active hidden neuron patched from a source, in circuit and network.
    Mapping: every subset of aligned nodes patched at once (joint IIA, all ordered pairs).
    """
    _check(model, item)
    if isinstance(item, Circuit):
        return _circuit_counterfactual(model, item)
    return _mapping_counterfactual(model, item)


def _name(item: Explanation, k: int) -> str:
    if isinstance(item, Mapping):
        return f"{item.formula} | {item}"
    active = sum(sum(m) for m in item.node_masks[1:-1])
    edges = int(sum(np.sum(e) for e in item.edge_masks))
    return f"circuit {k} ({active} hidden neurons, {edges} edges)"


def faithfulness_table(
    model: MLP,
    circuits: Iterable[Circuit] = (),
    mappings: Iterable[Mapping] = (),
    ablation: Ablation = "mean",
) -> pd.DataFrame:
    """Score every circuit and mapping of one network by the three criteria.

    Returns one DataFrame: a row per explanation (``kind`` is ``"circuit"`` or
    ``"mapping"``, ``name`` describes it, ``n_neurons`` counts the hidden neurons it
    uses) and one column per criterion in :data:`CRITERIA`.

    >>> from mi_ident.alignment import align
    >>> model = MLP([2, 3, 3, 1], seed=0)
    >>> table = faithfulness_table(model, mappings=align(model, "¬(A*B)*(A+B)").mappings)
    >>> list(table.columns)
    ['kind', 'name', 'n_neurons', 'observational', 'interventional', 'counterfactual']
    """
    _check_ablation(ablation)
    rows = []
    items: list[tuple[str, Explanation]] = [("circuit", c) for c in circuits] + [("mapping", m) for m in mappings]
    for k, (kind, item) in enumerate(items):
        _check(model, item)
        if isinstance(item, Circuit):
            n_neurons = int(sum(sum(m) for m in item.node_masks[1:-1]))
        else:
            n_neurons = len(item.neurons)
        rows.append(
            {
                "kind": kind,
                "name": _name(item, k),
                "n_neurons": n_neurons,
                "observational": observational_faithfulness(model, item),
                "interventional": interventional_faithfulness(model, item, ablation),
                "counterfactual": counterfactual_faithfulness(model, item),
            }
        )
    columns = ["kind", "name", "n_neurons", *CRITERIA]
    return pd.DataFrame(rows, columns=columns)


def count_faithful(table: pd.DataFrame, threshold: float = 1.0) -> pd.DataFrame:
    """How many explanations of each kind pass each criterion and every weaker one.

    Rows: kinds; columns: ``all`` (how many were scored), then one per criterion,
    cumulative from left to right, so the numbers can only shrink along a row.
    """
    missing = [c for c in ("kind", *CRITERIA) if c not in table.columns]
    if missing:
        raise ParameterError(f"expected a faithfulness_table; missing columns {missing}")
    out = {}
    for kind, group in table.groupby("kind", sort=False):
        passing = np.ones(len(group), dtype=bool)
        counts = {"all": len(group)}
        for c in CRITERIA:
            passing &= group[c].to_numpy() >= threshold - 1e-9
            counts[c] = int(passing.sum())
        out[kind] = counts
    return pd.DataFrame.from_dict(out, orient="index")
