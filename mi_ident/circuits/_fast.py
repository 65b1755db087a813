"""The single-output fast path of the census engine: the last hidden layer factorised.

For a node mask with last-hidden-layer children ``k`` and parents ``j``, the output
pre-activation of a candidate is ``b_out + sum_k w_out[k] * act(z_k(c_k))`` where ``c_k`` is
child ``k``'s parent subset; ``z_k(c)`` is precomputed for every subset. Ablation adds, per
unit, ``sum_j W[k, j] * v[j]`` over the parents ``j`` outside ``c`` to ``z_k(c)``, and
``sum_k w_out[k] * v[k]`` over the removed children to ``b_out``: the cost is unchanged.

Example
-------
>>> sub = _subsets(2)
>>> sub.tolist()
[[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ._bitmask import count_bitmask
from ._zspace import _Classes, _judge_z
from ._blocks import _block_array, _n_blocks
from .space import _Combo

if TYPE_CHECKING:
    from ._engine import _Engine

__all__: list[str] = []  # private: see census()


def _subsets(m: int) -> np.ndarray:
    """Parent subsets by code ``1 .. 2**m - 1`` (first parent most significant), ``(K, m)``."""
    codes = np.arange(1, 1 << m)
    return ((codes[:, None] >> np.arange(m - 1, -1, -1)) & 1).astype(np.float64)


def _terms(engine: "_Engine", combo: _Combo, H: np.ndarray):
    """Per prefix, child, parent subset and unit: the child's term of the output pre-activation
    ``(P, n, K, U)``, and the output's constant per unit ``(U,)``."""
    net, L = engine.net, len(engine.ws) - 2
    prev, last = list(combo.active[L - 1]), list(combo.active[L])
    W, b = net.weights[L - 1]
    w_out, b_out = net.weights[L][0][0], float(net.weights[L][1][0])
    sub = _subsets(len(prev))
    Wsub = W[np.ix_(last, prev)]
    zc = np.einsum("cj,kj,prj->pkcr", sub, Wsub, H[:, :, prev]) + b[last][None, :, None, None]
    v = net.values[L - 1]
    if v is not None:  # removed edges into the children carry the ablation values
        carried = (v @ W[last].T).T[:, None, :] - np.einsum("cj,kj,rj->kcr", sub, Wsub, v[:, prev])
        zc = zc + carried[None]
    const = np.full(len(net.units), b_out)
    v = net.values[L]
    if v is not None:  # removed last-layer neurons feed the output their ablation values
        gone = [k for k in range(engine.ws[L]) if k not in last]
        const = const + (v[:, gone] @ w_out[gone]) * np.ones(len(net.units))
    return w_out[last][None, :, None, None] * net.act(zc, False), const


def _fast(engine: "_Engine", combo: _Combo, base: int, cl: _Classes) -> None:
    """Every candidate of one node mask, prefix block by prefix block."""
    net, L, tuning = engine.net, len(engine.ws) - 2, engine.tuning
    prev, last = combo.active[L - 1], combo.active[L]
    m, n = len(prev), len(last)
    n_last = _n_blocks(n, m)
    masks, words, radices = engine.prefix(combo, L - 1)
    n_pre, nodes = math.prod(radices), engine.node_masks(combo)
    child_words = []
    for o in last:
        cm = np.zeros(((1 << m) - 1, engine.ws[L], engine.ws[L - 1]))
        cm[:, o, list(prev)] = _subsets(m)
        child_words.append(engine.layer_words(L - 1, cm))
    out_mask = np.zeros((1, 1, engine.ws[L]))
    out_mask[0, 0, list(last)] = 1
    node_w, out_w = engine.node_words(combo), engine.layer_words(L, out_mask)[0]
    direct = n_last <= tuning.direct_max
    last_codes = _block_array(n, m) if direct else None
    step = max(1, tuning.chunk // max(1, n_last * len(net.units))) if direct else 256
    for p0 in range(0, n_pre, step):
        pidx = np.arange(p0, min(n_pre, p0 + step), dtype=np.int64)
        digits = np.stack(np.unravel_index(pidx, radices), axis=1) if radices else np.zeros((len(pidx), 0), int)
        H = net.forward(nodes, [mk[digits[:, i]] for i, mk in enumerate(masks)], n_layers=L - 1) \
            if L > 1 else net.units[None]
        contrib, const = _terms(engine, combo, H)
        pre_bits = np.zeros((len(pidx), len(out_w)), np.uint64) | out_w
        for i, wd in enumerate(words):
            pre_bits |= wd[digits[:, i]]
        block_base = base + pidx * n_last
        if direct:
            _direct(engine, cl, contrib, const, last_codes, block_base, pre_bits, child_words, node_w)
        else:
            for j in range(len(pidx)):
                res = count_bitmask(cl, contrib[j], const, child_words, pre_bits[j], engine.rec.room,
                                    (tuning.inner_max, tuning.chunk))
                engine.rec.n_valid += res.n_valid
                for pos, eb, k in res.records:
                    engine.rec.add(block_base[j] + pos, np.repeat(node_w[None], len(pos), 0), eb, k)
                for pos in res.borderline:
                    engine.add_rechecked((block_base[j] + pos).tolist())
        engine.rec.flush()
        engine.rec.n_evaluated += len(pidx) * n_last
        engine.bar.update(len(pidx) * n_last)


def _direct(engine, cl, contrib, const, last_codes, block_base, pre_bits, child_words, node_w) -> None:
    """Broadcast every last-layer edge pattern of a block of prefixes."""
    P, n = contrib.shape[:2]
    z = np.zeros((P, len(last_codes), contrib.shape[-1])) + const
    for k in range(n):
        z += contrib[:, k, last_codes[:, k] - 1, :]
    correct, border, maybe = _judge_z(engine.net, cl, z)
    ok = (correct >= engine.net.data.min_correct) & ~border
    engine.rec.n_valid += int(ok.sum())
    if ok.any() and engine.rec.room > 0:
        pi, ti = np.nonzero(ok)
        eb = pre_bits[pi].copy()
        for k in range(n):
            eb |= child_words[k][last_codes[ti, k] - 1]
        engine.rec.add(block_base[pi] + ti, np.repeat(node_w[None], len(pi), 0), eb, correct[pi, ti])
    if maybe.any():
        pi, ti = np.nonzero(maybe)
        engine.add_rechecked((block_base[pi] + ti).tolist())
