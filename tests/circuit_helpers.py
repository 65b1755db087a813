"""Independent references shared by the circuits tests: a literal transcription of the original
enumeration, plain per-circuit loops (float32 torch and float64 numpy), and small test nets."""

from __future__ import annotations

import itertools

import numpy as np
import torch

from mi_ident.boolean import input_rows
from mi_ident.circuits import Circuit, circuit_forward, iter_circuits
from mi_ident.model import MLP
from mi_ident.weights import load_weights

REFERENCE_MODELS = ["seed_00", "seed_01", "seed_02", "seed_03", "seed_04", "AND_h3_seed_00", "XOR_h2_seed_02"]


def original_enumeration(widths, mode):
    """A literal transcription of the original algorithm: node masks by itertools.product over
    binary counts (output layer included, last combination dropped in paper mode), then every
    0/1 pattern of each active block kept iff no active row or column is empty."""
    hidden = widths[1:-1]
    floor = 0.3 if max(hidden) > 4 else 0.2 if max(hidden) > 3 else 0.0
    per_layer = [list(itertools.product([0, 1], repeat=w)) for w in widths[1:]]
    combos = list(itertools.product(*per_layer))
    if mode == "paper":
        combos = combos[:-1]
    for combo in combos:
        if combo[-1] != tuple([1] * widths[-1]):
            continue  # our circuits keep every output
        nodes = (tuple([1] * widths[0]),) + combo
        if mode == "paper" and np.mean(np.concatenate(combo[:-1]) == 0) <= floor:
            continue
        per_edge = []
        for i in range(len(widths) - 1):
            ins = [j for j, v in enumerate(nodes[i]) if v]
            outs = [j for j, v in enumerate(nodes[i + 1]) if v]
            masks = []
            for bits in itertools.product([0, 1], repeat=len(ins) * len(outs)):
                block = np.array(bits, dtype=np.uint8).reshape(len(outs), len(ins))
                if len(outs) and len(ins) and (block.sum(1) > 0).all() and (block.sum(0) > 0).all():
                    e = np.zeros((widths[i + 1], widths[i]), dtype=np.uint8)
                    e[np.ix_(outs, ins)] = block
                    masks.append(e)
            per_edge.append(masks)
        for edges in itertools.product(*per_edge):
            yield Circuit(nodes, tuple(edges))


def brute_valid(model, X, y, threshold, mode="exact"):
    """Plain loop: one float32 torch forward per candidate, accuracy = correct / n > threshold."""
    X = np.asarray(X, dtype=np.float32)
    y = torch.as_tensor(np.asarray(y, dtype=np.float32).reshape(len(X), -1))
    valid = []
    for i, c in enumerate(iter_circuits(model.widths, mode)):
        out = circuit_forward(model, c, X)[-1]
        if int((torch.round(out) == y).all(dim=1).sum()) / len(X) > threshold:
            valid.append((i, c))
    return valid


def float64_valid(model, X, y, threshold):
    """Plain loop in float64 numpy with the slope as stored (the semantics of precision='float64')."""
    slope = model.negative_slope
    weights = [(W.astype(np.float64), b.astype(np.float64)) for W, b in model.numpy_weights()]
    X, y = np.asarray(X, np.float64), np.asarray(y, np.float64).reshape(len(X), -1)
    valid = []
    for i, c in enumerate(iter_circuits(model.widths)):
        h = X
        for li, (W, b) in enumerate(weights):
            z = (h * np.array(c.node_masks[li])) @ (W * c.edge_masks[li]).T + b
            h = np.where(z >= 0, z, z * slope)
        if (np.round(h) == y).all(axis=1).sum() / len(X) > threshold:
            valid.append(i)
    return valid


def teacher(widths, seed, reps=(3, 5, 4, 6), flip=1, noise=0.0):
    """A random net with larger weights and data labelled by its own predictions, a few flipped:
    some circuits reproduce it and others not, so the valid set is neither empty nor everything."""
    model = MLP(widths, seed=seed)
    with torch.no_grad():
        for layer in model.layers:
            layer.weight.mul_(3.0)
            layer.bias.mul_(3.0)
    X = np.repeat(input_rows(2), reps, axis=0).astype(np.float32)
    y = model.predict(X).astype(np.float32)
    y[:flip] = 1 - y[:flip]
    if noise:
        X = X + np.random.default_rng(seed).normal(0, noise, X.shape).astype(np.float32)
    return model, X, y


def boundary_net():
    """Circuits whose float32 outputs are exactly 0.5 or 1.5 (ties: torch rounds half to even) while
    the real-valued outputs lie just above; labels = the float32 outputs of the first circuit."""
    model = MLP.from_weights([([[0.1, 0.2], [0.3, 0.3]], [0.1, 0.0]), ([[5.0, 5.0]], [0.0])])
    X = input_rows(2).astype(np.float32)
    y = torch.round(circuit_forward(model, next(iter_circuits([2, 2, 1])), X)[-1]).numpy()
    return model, X, y


def assert_same(result, brute):
    assert result.n_valid == len(brute)
    assert result.valid_circuit_indices == [i for i, _ in brute]
    assert result.circuits() == [c for _, c in brute]


def load_reference(reference_dir, name):
    import json

    wf = load_weights(reference_dir / f"{name}_weights.npz")
    path = reference_dir / f"{name}.json"
    return wf, (json.loads(path.read_text()) if path.exists() else None)


# ---- brute force under every ablation (float32 torch, MLP.run batched over every candidate) ------


def brute_outputs(model, X, ablation="zero", mean_over="samples"):
    """``(candidates, outputs (S, C, N, n_out))``: every candidate run by ``model.run`` on the
    samples ``X`` under the ablation; ``S`` sources (1 unless resampling: one per distinct row).
    Each distinct row is run once and its outputs copied to its samples (fast enough for tests)."""
    from mi_ident.interventions import Ablation

    cs = list(iter_circuits(model.widths))
    nodes = [torch.tensor(np.array([c.node_masks[i] for c in cs]), dtype=torch.float32) for i in range(len(cs[0].node_masks))]
    edges = [torch.tensor(np.array([c.edge_masks[i] for c in cs]), dtype=torch.float32) for i in range(len(cs[0].edge_masks))]
    Xt = torch.as_tensor(np.asarray(X, np.float32))
    rows, inverse = torch.unique(Xt, dim=0, return_inverse=True)
    if ablation == "zero":
        ablations = [None]
    elif ablation == "mean":
        ablations = [Ablation.mean(model, Xt if mean_over == "samples" else rows)]
    else:
        ablations = [Ablation.resample(model, s.expand(len(rows), -1)) for s in rows]
    with torch.no_grad():
        outs = [model.run(rows.expand(len(cs), -1, -1), node_masks=nodes, edge_masks=edges, ablation=a)[-1]
                for a in ablations]
    return cs, torch.stack(outs).numpy().astype(np.float64)[:, :, inverse.numpy()]


def brute_verdicts(outs, y, threshold, min_margin=None):
    """Per candidate: valid (every source), and the margin (largest m for which it stays valid
    when a sample needs its output more than m from every boundary k + 0.5), by plain loops."""
    y = np.asarray(y, np.float64).reshape(outs.shape[2], -1)
    S, C, N = outs.shape[:3]
    correct = (np.round(outs) == y[None, None]).all(axis=3)  # (S, C, N)
    dist = np.abs(outs - (np.floor(outs) + 0.5)).min(axis=3)
    if min_margin is not None:
        correct &= dist > min_margin
    valid = ((correct.sum(axis=2) / N) > threshold).all(axis=0)
    need = next(c for c in range(N + 1) if c / N > threshold)
    margins = np.full(C, np.nan)
    for c in np.flatnonzero(valid):
        per_source = []
        for s in range(S):
            ds = sorted(dist[s, c, correct[s, c]], reverse=True)
            per_source.append(ds[need - 1])
        margins[c] = min(per_source)
    return valid, margins


def ambiguous(outs, y, threshold, eps=1e-5):
    """Candidates whose verdict changes when every output moves by ``eps`` (float32 rounding
    noise): there the float32 brute force and the float64 census may rightly disagree."""
    up, down = brute_verdicts(outs + eps, y, threshold)[0], brute_verdicts(outs - eps, y, threshold)[0]
    return (up != down) | (up != brute_verdicts(outs, y, threshold)[0])


def assert_matches_brute(result, outs, y, threshold):
    """The census's valid set and margins equal the brute force's. Asserts first that no verdict
    hangs on float32 rounding noise (else float32 brute force and float64 census could rightly
    differ, and the test would need other data)."""
    assert not ambiguous(outs, y, threshold).any()
    valid, margin = brute_verdicts(outs, y, threshold)
    assert result.valid_circuit_indices == np.flatnonzero(valid).tolist()
    assert np.allclose(result.margin, margin[valid], atol=1e-5)
