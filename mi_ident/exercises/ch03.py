"""Exercises of chapter 3 (circuits): a masked forward pass, the brute-force census, edge blocks.

Each ``check_*`` runs the student's function on several small cases, compares it with a
reference solution and recognises the usual mistakes (see :mod:`mi_ident.exercises`).
The reference solution of each exercise is the public function of the same name
(``masked_forward``, ``count_valid_circuits``, ``n_edge_blocks``); the chapter shows the same
code folded under each check. A stub that still raises ``NotImplementedError`` gets a friendly
reminder after the check has verified that the reference passes its own cases.

Example
-------
>>> print(check_edge_blocks(n_edge_blocks))
correct: all 6 cases pass.
>>> print(check_edge_blocks(lambda n_in, n_out: (2 ** n_in - 1) ** n_out))  # doctest: +ELLIPSIS
not yet: on ... Hint: every *column* needs an edge too...
"""

from __future__ import annotations

import math
from functools import lru_cache, partial

import numpy as np

from . import Case, Feedback, Mistake, verify

__all__ = [
    "masked_forward",
    "check_masked_forward",
    "count_valid_circuits",
    "check_count_valid_circuits",
    "n_edge_blocks",
    "check_edge_blocks",
]


def _run_check(student, reference, cases, mistakes, name: str, tol: float = 1e-6) -> Feedback:
    """:func:`verify` the student's function; for a stub, first make sure the reference passes."""
    feedback = verify(student, reference, cases, mistakes, name=name, tol=tol)
    if not feedback.implemented:
        self_test = verify(reference, reference, cases, mistakes, name=name, tol=tol)
        if not self_test.passed:  # a bug in this module, not the student's
            raise AssertionError(f"the reference solution of {name} fails its own check: {self_test}")
    return feedback


# ================================================================================================
# Exercise 1: the masked forward pass
# ================================================================================================


def _leaky(z, slope):
    return np.where(z > 0, z, slope * z)


def masked_forward(weights, biases, node_masks, edge_masks, x, slope):
    """The output of a masked MLP: at every ``Linear`` layer ``i`` multiply its *input* by
    ``node_masks[i]`` and its weights by ``edge_masks[i]``, add the (never masked) bias, apply
    the LeakyReLU (the output layer too). ``node_masks[-1]`` (the output's) is never applied.

    >>> W = [np.array([[1.0, -1.0]]), np.array([[2.0]])]
    >>> b = [np.array([0.5]), np.array([-1.0])]
    >>> masked_forward(W, b, [[1, 0], [1], [1]], [np.ones((1, 2)), np.ones((1, 1))],
    ...                         np.array([[1.0, 1.0]]), 0.01).tolist()
    [[2.0]]
    """
    h = np.asarray(x, dtype=np.float64)
    for W, b, node, edge in zip(weights, biases, node_masks, edge_masks):
        h = h * np.asarray(node, dtype=np.float64)  # silence the layer's inputs
        z = h @ (np.asarray(W) * np.asarray(edge)).T + np.asarray(b)
        h = _leaky(z, slope)
    return h


def _forward_variant(weights, biases, node_masks, edge_masks, x, slope, *, bias=False, output=False,
                     after=False, linear_out=False):
    """The masked forward pass with one of the usual mistakes switched on: ``bias`` masks the
    bias of silenced neurons and of neurons without incoming edges, ``output`` applies the
    output's node mask, ``after`` masks each layer's output instead of its input (so inputs are
    never masked), ``linear_out`` drops the output's LeakyReLU."""
    h, last = np.asarray(x, dtype=np.float64), len(weights) - 1
    for i, (W, b, edge) in enumerate(zip(weights, biases, edge_masks)):
        if not after:
            h = h * np.asarray(node_masks[i])
        keep = np.asarray(node_masks[i + 1]) * np.asarray(edge).any(axis=1) if bias else 1
        z = h @ (np.asarray(W) * np.asarray(edge)).T + np.asarray(b) * keep
        h = z if linear_out and i == last else _leaky(z, slope)
        if after and i < last:
            h = h * np.asarray(node_masks[i + 1])
    return h * np.asarray(node_masks[-1]) if output else h


def _forward_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    weights = [rng.normal(size=(3, 2)), rng.normal(size=(3, 3)), rng.normal(size=(1, 3))]
    biases = [np.array([0.3, -0.2, 0.4]), np.array([0.1, 0.5, -0.3]), np.array([-0.6])]
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    full_edges = [np.ones_like(W) for W in weights]
    circuit_edges = [np.array([[1, 1], [0, 0], [0, 1]]), np.array([[1, 0, 1], [0, 0, 0], [1, 0, 0]]),
                     np.array([[1, 0, 1]])]
    no_in_edges = [np.array([[1, 1], [0, 0], [1, 0]]), np.ones((3, 3)), np.ones((1, 3))]

    def case(name, nodes, edges, slope=0.01):
        return Case(name, (weights, biases, nodes, edges, x, slope))

    full = [[1, 1], [1, 1, 1], [1, 1, 1], [1]]
    return [
        case("the full network (every mask all ones)", full, full_edges),
        case("a circuit without L1.1 and L2.1", [[1, 1], [1, 0, 1], [1, 0, 1], [1]], circuit_edges),
        case("slope 0.2 and only node masks (edges all ones), L2.0 silenced",
             [[1, 1], [1, 1, 1], [0, 1, 1], [1]], full_edges, 0.2),
        case("input B silenced", [[1, 0], [1, 1, 1], [1, 1, 1], [1]], full_edges),
        case("L1.1 kept but with no incoming edge (it still has its bias)", full, no_in_edges),
        case("the output's node mask given as [0] (it is never applied)", [[1, 1], [1, 1, 1], [1, 1, 1], [0]],
             full_edges),
    ]


_FORWARD_MISTAKES = [
    Mistake(partial(_forward_variant, linear_out=True), "the output layer has a LeakyReLU too (the paper's "
            "code applies it after every Linear layer): a negative output is multiplied by the slope."),
    Mistake(partial(_forward_variant, after=True), "node_masks[i] multiplies the *input* of Linear layer i "
            "(so node_masks[0] can silence an input), not the output of the activation."),
    Mistake(partial(_forward_variant, output=True), "node_masks[-1] belongs to the output, which is never "
            "masked: apply node_masks[i] only to the input of Linear layer i, for i < number of layers."),
    Mistake(partial(_forward_variant, bias=True), "biases are never masked: a neuron keeps its bias even "
            "when it loses its incoming edges, and silencing happens only at the next layer's input."),
]


def check_masked_forward(student) -> Feedback:
    """Check ``masked_forward(weights, biases, node_masks, edge_masks, x, slope)`` (numpy or torch).

    >>> check_masked_forward(masked_forward).passed
    True
    """
    return _run_check(student, masked_forward, _forward_cases(), _FORWARD_MISTAKES, "masked_forward", tol=1e-5)


# ================================================================================================
# Exercise 2: the brute-force census
# ================================================================================================


def _stacked_masks(circuits, widths):
    """Masks of many circuits stacked along a leading circuit axis, as float tensors."""
    import torch

    nodes = [torch.tensor([c.node_masks[i] for c in circuits], dtype=torch.float32) for i in range(len(widths))]
    edges = [torch.tensor(np.stack([c.edge_masks[i] for c in circuits]), dtype=torch.float32)
             for i in range(len(widths) - 1)]
    return nodes, edges


def _accuracies(model, X, targets, circuits):
    """Fraction of rows on which each circuit's output bit equals ``targets`` (one batched pass)."""
    import torch

    nodes, edges = _stacked_masks(circuits, model.widths)
    with torch.no_grad():
        out = model.run(torch.as_tensor(np.asarray(X), dtype=torch.float32), node_masks=nodes, edge_masks=edges)[-1]
    right = (out > 0.5) == torch.as_tensor(np.asarray(targets).reshape(out.shape[1:]) > 0.5)
    return right.all(dim=-1).double().mean(dim=-1).numpy()


def count_valid_circuits(model, X, y, accuracy_threshold=0.99):
    """Number of candidate circuits of ``model`` whose accuracy on ``(X, y)`` is ``> accuracy_threshold``.

    Every candidate of :func:`~mi_ident.circuits.iter_circuits` (every node mask, the full one
    included) runs in one batched :meth:`~mi_ident.model.MLP.run`; a row is correct when the
    output, read at 0.5, equals the label.

    >>> from mi_ident.model import MLP
    >>> count_valid_circuits(MLP([2, 2, 2, 1], seed=0), [[0, 0], [1, 1]], [0, 0], 0.4)  # 69 candidates
    69
    """
    from ..circuits import iter_circuits

    circuits = list(iter_circuits(model.widths))
    return int((_accuracies(model, X, y, circuits) > accuracy_threshold).sum())


def _count_variant(model, X, y, accuracy_threshold=0.99, *, ge=False, against_model=False, skip_full=False):
    """The brute-force count with one of the usual mistakes switched on: ``ge`` uses ``>=``,
    ``against_model`` compares with the full network's predictions instead of the labels,
    ``skip_full`` skips the node mask that keeps every hidden neuron (as the paper's code does)."""
    import torch

    from ..circuits import iter_circuits

    if against_model:
        with torch.no_grad():
            y = (model(torch.as_tensor(np.asarray(X), dtype=torch.float32)) > 0.5).numpy()
    circuits = [c for c in iter_circuits(model.widths)
                if not (skip_full and all(all(m) for m in c.node_masks[1:-1]))]
    accuracy = _accuracies(model, X, y, circuits)
    return int((accuracy >= accuracy_threshold if ge else accuracy > accuracy_threshold).sum())


#: Weights (rounded to 3 decimals) of small nets trained with :func:`~mi_ident.training.train`
#: (XOR 2-2-2-1 seed 2, XOR 2-3-2-1 seed 0, NAND 2-3-2-1 seed 0): stored so that the check
#: needs no training and sees the same nets on every torch build.
_NETS = {
    "XOR 2-2-2-1": [([[-0.414, -0.414], [-0.536, -0.535]], [0.827, 0.535]),
                    ([[-1.007, -0.67], [0.682, -1.56]], [0.416, 0.27]), ([[-1.161, 1.471]], [0.137])],
    "XOR 2-3-2-1": [([[-0.109, 0.219], [-0.873, -0.869], [0.553, 0.647]], [0.517, 0.873, -0.569]),
                    ([[0.411, -0.89, -1.191], [-0.563, 0.473, 0.935]], [0.562, 0.112]), ([[1.151, -0.666]], [0.126])],
    "NAND 2-3-2-1": [([[-0.112, 0.299], [-0.404, -0.615], [0.587, 0.588]], [0.39, 1.089, -0.589]),
                     ([[0.364, 0.473, -1.116], [-0.737, -0.882, 0.862]], [0.413, -0.049]), ([[0.99, -0.846]], [0.051])],
}

#: (net, repeats of the rows 00 01 10 11, index of a sample whose label is flipped or None, threshold);
#: chosen so that each mistake below changes the count on at least one case (tests check this).
_CENSUS_SETTINGS = [
    ("XOR 2-2-2-1", (1, 1, 1, 1), None, 0.99),
    ("XOR 2-3-2-1", (2, 2, 1, 3), None, 0.5),
    ("XOR 2-3-2-1", (3, 1, 2, 1), 0, 0.8),
    ("NAND 2-3-2-1", (1, 1, 1, 1), None, 0.7),
]


@lru_cache(maxsize=1)
def _census_cases() -> tuple[Case, ...]:
    from ..boolean import make_task
    from ..model import MLP

    cases = []
    for net, repeats, flipped, threshold in _CENSUS_SETTINGS:
        model = MLP.from_weights([(np.array(W, np.float32), np.array(b, np.float32)) for W, b in _NETS[net]])
        task = make_task(net.split()[0])
        X, y = np.repeat(task.inputs, repeats, axis=0), np.repeat(task.table, repeats, axis=0)
        noise = ""
        if flipped is not None:
            y[flipped] = 1 - y[flipped]
            noise = f", the label of sample {flipped} flipped"
        cases.append(Case(f"the trained {net} net, rows 00 01 10 11 repeated {list(repeats)} times{noise}, "
                          f"threshold {threshold}", (model, X.astype(np.float32), y.astype(np.float32), threshold)))
    return tuple(cases)


_CENSUS_MISTAKES = [
    Mistake(partial(_count_variant, ge=True),
            "a circuit is valid when its accuracy is *strictly* greater than the threshold."),
    Mistake(partial(_count_variant, against_model=True), "compare each circuit's output with the labels y, not "
            "with what the full network predicts (a circuit is judged on the task)."),
    Mistake(partial(_count_variant, skip_full=True), "every node mask counts, including the one that keeps "
            "every hidden neuron (the paper's code skips it; we do not)."),
]


def check_count_valid_circuits(student) -> Feedback:
    """Check ``count_valid_circuits(model, X, y, accuracy_threshold)`` on small random nets.

    >>> check_count_valid_circuits(count_valid_circuits).passed
    True
    """
    return _run_check(student, count_valid_circuits, _census_cases(), _CENSUS_MISTAKES, "count_valid_circuits")


# ================================================================================================
# Exercise 3: valid edge blocks by inclusion-exclusion
# ================================================================================================


def n_edge_blocks(n_in, n_out):
    """Number of ``n_out x n_in`` 0/1 matrices with no zero row and no zero column.

    Rows are non-zero among ``2**n_in - 1`` patterns each; subtract by inclusion-exclusion
    the matrices that leave ``k`` given columns empty.

    >>> n_edge_blocks(2, 2), n_edge_blocks(3, 2)
    (7, 25)
    """
    return sum((-1) ** k * math.comb(n_in, k) * (2 ** (n_in - k) - 1) ** n_out for k in range(n_in + 1))


def _blocks_rows_only(n_in, n_out):
    return (2**n_in - 1) ** n_out


def _blocks_no_signs(n_in, n_out):
    return sum(math.comb(n_in, k) * (2 ** (n_in - k) - 1) ** n_out for k in range(n_in + 1))


def _blocks_all_matrices(n_in, n_out):
    return 2 ** (n_in * n_out)


_BLOCK_MISTAKES = [
    Mistake(_blocks_all_matrices, "not every 0/1 matrix is a valid block: each kept neuron needs an edge "
            "in (a non-zero row) and each kept input an edge out (a non-zero column)."),
    Mistake(_blocks_rows_only, "every *column* needs an edge too: subtract the matrices with empty columns "
            "(inclusion-exclusion over which columns are empty)."),
    Mistake(_blocks_no_signs, "inclusion-exclusion alternates signs: (-1)**k for k empty columns."),
]


def _block_cases() -> list[Case]:
    sizes = [(1, 1), (2, 1), (1, 3), (2, 2), (3, 2), (3, 3)]
    return [Case(f"a {n_out}x{n_in} block ({n_in} kept inputs, {n_out} kept outputs)", (n_in, n_out))
            for n_in, n_out in sizes]


def check_edge_blocks(student) -> Feedback:
    """Check ``n_edge_blocks(n_in, n_out)``.

    >>> check_edge_blocks(n_edge_blocks).passed
    True
    """
    return _run_check(student, n_edge_blocks, _block_cases(), _BLOCK_MISTAKES, "n_edge_blocks")
