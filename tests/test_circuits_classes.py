"""Honest counts next to the raw one: silent classes, edge-minimal circuits, neuron sets,
margins and min_margin, each against a plain brute force over every candidate."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from circuit_helpers import brute_outputs, brute_verdicts, load_reference, teacher

from mi_ident.circuits import census
from mi_ident.circuits._engine import _Tuning
from mi_ident.errors import ParameterError
from mi_ident.vocabulary import Neuron

TINY = _Tuning(direct_max=0, inner_max=8, chunk=5)


def brute_silent(model, X, tol):
    with torch.no_grad():
        acts = model.run(torch.as_tensor(np.asarray(X, np.float32)))
    return {(layer, j) for layer in range(1, len(model.widths) - 1)
            for j in range(model.widths[layer]) if (acts[layer][:, j] <= tol).all()}


def project(c, silent):
    """Masks of ``c`` with the silent neurons, their in-edges and out-edges cleared (plain loops)."""
    nodes = [list(m) for m in c.node_masks]
    edges = [e.copy() for e in c.edge_masks]
    for layer, j in silent:
        nodes[layer][j] = 0
        edges[layer - 1][j, :] = 0
        edges[layer][:, j] = 0
    return tuple(map(tuple, nodes)), tuple(e.tobytes() for e in edges)


def edge_set(c):
    return {(i, o, j) for i, e in enumerate(c.edge_masks) for o, j in zip(*np.nonzero(e))}


def brute_minimal(valid_circuits):
    sets = [edge_set(c) for c in valid_circuits]
    return [c for c, s in zip(valid_circuits, sets) if not any(t < s for t in sets)]


CASES = [("seed_00", "zero"), ("seed_00", "mean"), ("seed_03", "zero"), ("seed_03", "resample"),
         ("teacher1", "zero"), ("teacher5", "mean"), ("teacher5", "resample")]


def _case(reference_dir, name):
    if name.startswith("seed"):
        wf = load_reference(reference_dir, name)[0]
        return wf.model, wf.data["X_eval"], wf.data["y_eval"], 0.99
    model, X, y = teacher([2, 2, 2, 1], int(name[-1]))
    return model, X, y, 0.7


@pytest.mark.parametrize("name, ablation", CASES, ids=str)
def test_class_counts_equal_brute_force(reference_dir, name, ablation):
    model, X, y, threshold = _case(reference_dir, name)
    cs, outs = brute_outputs(model, X, ablation)
    valid = [c for c, v in zip(cs, brute_verdicts(outs, y, threshold)[0]) if v]
    tol = 0.0 if name.startswith("seed") else 0.5  # random nets: a tolerance that silences some neurons
    result = census(model, (X, y), accuracy_threshold=threshold, ablation=ablation, silent_tol=tol, progress=False)
    assert result.circuits() == valid
    silent = brute_silent(model, X, tol)
    assert set(result.silent) == silent
    keys = [project(c, silent) for c in valid]
    assert result.n_silent_classes == len(set(keys))
    classes = result.silent_classes()
    assert [k.size for k in classes] == [keys.count(project(k.representative, silent)) for k in classes]
    assert sum(k.size for k in classes) == result.n_valid
    assert all(project(k.canonical, silent) == project(k.representative, silent) for k in classes)
    minimal = brute_minimal(valid)
    assert result.n_edge_minimal == len(minimal) and result.edge_minimal_circuits() == minimal
    assert result.n_neuron_sets == len({c.node_masks for c in valid})


def test_seed_00_findings(reference_dir):
    wf = load_reference(reference_dir, "seed_00")[0]
    result = census(wf, progress=False)
    assert result.silent == (Neuron(2, 1),)
    assert (result.n_valid, result.n_silent_classes, result.n_edge_minimal) == (120, 15, 4)
    assert result.counts() == {"candidates": 9625, "valid": 120, "silent_classes": 15, "edge_minimal": 4,
                               "neuron_sets": 2}
    assert [c.n_edges for c in result.edge_minimal_circuits()] == [11] * 4
    full = [c for c in result.circuits() if c.n_neurons == 6 and c.n_edges == 18]
    assert len(full) == 1  # the full network is one of the 120
    with torch.no_grad():
        values = wf.model.run(torch.as_tensor(wf.data["X_eval"]))[2][:, 1]
    assert (values < 0).all() and values.min() > -0.011  # its leak only: about -0.01 .. -0.002
    assert result.silent_classes(limit=3) == result.silent_classes()[:3]
    assert result.edge_minimal_circuits(limit=2) == result.edge_minimal_circuits()[:2]


def test_gallery_draws_one_circuit_per_class_with_its_size(reference_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mi_ident.plotting.census import plot_circuit_classes

    result = census(load_reference(reference_dir, "seed_00")[0], progress=False)
    fig = plot_circuit_classes(result, max_classes=20)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == 15 and sum(int(t.split(": ")[1].split()[0]) for t in titles) == 120
    assert fig._suptitle.get_text().startswith("15 classes of 120 valid circuits")
    plt.close(fig)
    fig = plot_circuit_classes(result, which="minimal")
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == [f"minimal {k}: 11 edges" for k in (1, 2, 3, 4)]
    plt.close(fig)
    with pytest.raises(ParameterError, match="which must be"):
        plot_circuit_classes(result, which="all")


@pytest.mark.parametrize("name, ablation", [("seed_03", "zero"), ("teacher5", "resample")], ids=str)
def test_min_margin_keeps_the_circuits_whose_margin_exceeds_it(reference_dir, name, ablation):
    model, X, y, threshold = _case(reference_dir, name)
    _, outs = brute_outputs(model, X, ablation)
    base = census(model, (X, y), accuracy_threshold=threshold, ablation=ablation, progress=False)
    levels = np.unique(base.margin)
    m = float(levels[len(levels) // 2 - 1: len(levels) // 2 + 1].mean())  # between two margins, not on one
    for tuning in (None, TINY):
        strict = census(model, (X, y), accuracy_threshold=threshold, ablation=ablation, min_margin=m,
                        progress=False, _tuning=tuning)
        assert 0 < strict.n_valid < base.n_valid and strict.min_margin == m
        assert strict.valid_circuit_indices == base.index[base.margin > m].tolist()
        valid = brute_verdicts(outs, y, threshold, min_margin=m)[0]
        assert strict.valid_circuit_indices == np.flatnonzero(valid).tolist()


def test_truncated_census_gives_no_class_counts(reference_dir):
    wf = load_reference(reference_dir, "seed_00")[0]
    capped = census(wf, progress=False, max_keep=10)
    assert capped.n_valid == 120 and capped.n_neuron_sets == 2
    assert capped.n_silent_classes is None and capped.n_edge_minimal is None
    with pytest.raises(ParameterError, match="kept 10 of 120"):
        capped.silent_classes()
    assert len(capped.margin) == len(capped.silent_class) == 10


def test_bad_class_parameters():
    model, X, y = teacher([2, 2, 2, 1], 1)
    for bad in (-0.1, 0.5, "big"):
        with pytest.raises(ParameterError, match="min_margin"):
            census(model, (X, y), min_margin=bad, progress=False)
    with pytest.raises(ParameterError, match="silent_tol"):
        census(model, (X, y), silent_tol=float("nan"), progress=False)
