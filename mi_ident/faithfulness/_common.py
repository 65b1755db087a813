"""Shared pieces of the faithfulness criteria: the score type, inputs, pairs and checks.

Example
-------
>>> ordered_pairs(2).shape, ordered_pairs(2, self_pairs=True).shape
((12, 2), (16, 2))
>>> noisy_inputs(2, noise_std=0.1, n_samples=3, seed=0).shape
(12, 2)
"""

from __future__ import annotations

import numpy as np
import torch

from .._validation import as_model, check_int, check_number, check_seed, check_size
from ..boolean import input_rows
from ..errors import InputTypeError, ParameterError
from ..model import MLP
from ..vocabulary import READOUT

__all__ = ["Score", "noisy_inputs", "out_of_range_inputs", "ordered_pairs", "mapping_class"]

#: Most inputs (or cases) one score evaluates: far above any useful sample, small enough
#: that activations of a 2-5-5-1 network stay within a few hundred MB.
MAX_CASES = 2_000_000


class Score(float):
    """A faithfulness score: a float in [0, 1] (the fraction of cases that agree) that also says
    what it measured.

    Attributes
    ----------
    n_cases:
        How many cases (inputs, pairs, pair x neuron set ...) the fraction is over.
    mean_abs_diff:
        For scores over inputs: mean ``|explanation output - network output|``; else ``nan``.
    note:
        One line saying what was measured (for mappings: which neurons were left live).

    >>> s = Score(0.75, n_cases=4, note="example")
    >>> s == 0.75, s.n_cases, s.note
    (True, 4, 'example')
    """

    def __new__(cls, value: float, n_cases: int, note: str = "", mean_abs_diff: float = float("nan")):
        self = super().__new__(cls, value)
        self.n_cases = int(n_cases)
        self.note = note
        self.mean_abs_diff = float(mean_abs_diff)
        return self

    def __repr__(self) -> str:
        return float.__repr__(self)

    def __reduce__(self):
        return (Score, (float(self), self.n_cases, self.note, self.mean_abs_diff))


def mapping_class() -> type:
    """:class:`mi_ident.alignment.NeuronMapping`, imported on first use (alignment is heavy)."""
    from ..alignment import NeuronMapping

    return NeuronMapping


def check_model(model: object) -> MLP:
    """The network as an MLP with a single output (MLP, WeightsFile or path accepted)."""
    model = as_model(model)
    if model.widths[-1] != 1:
        raise ParameterError(f"faithfulness is scored on one output; this network has {model.widths[-1]}")
    return model


def check_item(model: MLP, item: object) -> str:
    """``"circuit"`` or ``"mapping"``, after checking the explanation fits the network."""
    from ..circuits import Circuit, check_circuit

    if isinstance(item, Circuit):
        check_circuit(model, item)
        return "circuit"
    if isinstance(item, mapping_class()):
        if item.formula.n_inputs != model.widths[0]:
            raise ParameterError(
                f"the formula has {item.formula.n_inputs} inputs but the network has {model.widths[0]}"
            )
        hidden = {(layer, i) for layer in range(1, model.n_layers) for i in range(model.widths[layer])}
        outside = sorted(set(item.neurons) - hidden)
        if outside:
            raise ParameterError(f"the mapping uses neurons {outside} that are not hidden neurons of this network")
        return "mapping"
    raise InputTypeError(f"expected a Circuit or a NeuronMapping; got {type(item).__name__}")


def corners(n_inputs: int) -> torch.Tensor:
    """The ``2**n_inputs`` clean Boolean inputs, binary counting order."""
    return torch.as_tensor(input_rows(n_inputs), dtype=torch.float32)


def ordered_pairs(n_inputs: int, self_pairs: bool = False) -> np.ndarray:
    """``(n_pairs, 2)`` indices ``(source, base)`` into the clean inputs: every ordered pair of
    :func:`mi_ident.alignment.interchange_pairs` (``"all"``), the self-pairs ``(i, i)`` only when asked (an interchange from an input onto itself changes
    nothing, so self-pairs can only raise a score)."""
    from ..alignment import interchange_pairs  # one pair convention for IIA and faithfulness

    pairs = interchange_pairs(n_inputs, "all")
    return pairs if self_pairs else pairs[pairs[:, 0] != pairs[:, 1]]


def check_self_pairs(self_pairs: object) -> bool:
    if not isinstance(self_pairs, (bool, np.bool_)):
        raise ParameterError(f"self_pairs must be True or False; got {self_pairs!r}")
    return bool(self_pairs)


def noisy_inputs(n_inputs: int = 2, noise_std: float = 0.1, n_samples: int = 100, seed: int = 0) -> np.ndarray:
    """``n_samples`` noisy copies of each clean input: ``corner + N(0, noise_std**2)`` per coordinate.

    Rows come corner by corner (``n_samples`` rows for input 0, then input 1 ...), drawn from
    ``numpy.random.default_rng(seed)``; ``(2**n_inputs * n_samples, n_inputs)`` float32.

    >>> noisy_inputs(2, noise_std=0.0, n_samples=2).tolist()
    [[0.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0], [1.0, 1.0], [1.0, 1.0]]
    """
    n_inputs = check_int("n_inputs", n_inputs, minimum=1, maximum=20)
    noise_std = check_number("noise_std", noise_std)
    if noise_std < 0:
        raise ParameterError(f"noise_std must be a number >= 0; got {noise_std}")
    n_samples = check_int("n_samples", n_samples, minimum=1)
    check_size("noisy inputs (2**n_inputs * n_samples)", 2**n_inputs * n_samples, MAX_CASES,
               "pass a smaller n_samples")
    rng = np.random.default_rng(check_seed(seed))
    clean = np.repeat(input_rows(n_inputs).astype(np.float64), n_samples, axis=0)
    return (clean + rng.normal(0.0, noise_std, size=clean.shape)).astype(np.float32)


def out_of_range_inputs(n_inputs: int = 2, input_range=(-1.0, 2.0), n_samples: int = 1000,
                        seed: int = 0) -> np.ndarray:
    """``n_samples`` inputs drawn uniformly from ``[low, high] ** n_inputs`` (default ``[-1, 2]``,
    which contains the unit square and reaches one unit beyond it on every side).

    >>> X = out_of_range_inputs(2, (-1, 2), n_samples=500, seed=0)
    >>> X.shape, bool(X.min() >= -1 and X.max() <= 2)
    ((500, 2), True)
    """
    n_inputs = check_int("n_inputs", n_inputs, minimum=1, maximum=20)
    low, high = check_range(input_range)
    n_samples = check_int("n_samples", n_samples, minimum=1, maximum=MAX_CASES)
    rng = np.random.default_rng(check_seed(seed))
    return rng.uniform(low, high, size=(n_samples, n_inputs)).astype(np.float32)


def check_range(input_range: object) -> tuple[float, float]:
    message = f"input_range must be two finite numbers (low, high) with low < high, e.g. (-1, 2); got {input_range!r}"
    try:
        low, high = input_range  # type: ignore[misc]
        low, high = check_number("input_range", low), check_number("input_range", high)
    except (TypeError, ValueError):
        raise ParameterError(message) from None
    if not low < high:
        raise ParameterError(message)
    return low, high


def bits(out: torch.Tensor) -> np.ndarray:
    """The output bit of every row (``output > READOUT``)."""
    return (out[..., 0] > READOUT).numpy()


def circuit_masks(circuit) -> dict:
    """``node_masks`` and ``edge_masks`` keyword arguments of :meth:`MLP.run` for a circuit."""
    return {"node_masks": [list(m) for m in circuit.node_masks], "edge_masks": list(circuit.edge_masks)}


def active_hidden(model: MLP, circuit) -> list[tuple[int, int]]:
    return [(layer, i) for layer in range(1, model.n_layers) for i in range(model.widths[layer])
            if circuit.node_masks[layer][i]]


def set_patch(model: MLP, sets, source_acts: list[torch.Tensor]):
    """A :class:`Patch`: set ``s`` of ``sets`` takes the values of ``source_acts`` (one row per
    base row); run on base rows ``(n, n_inputs)`` it gives ``(len(sets), n, ...)``."""
    from ..interventions import Patch

    return Patch.from_sets(model, sets, source_acts)
