"""Meet-in-the-middle count for the factorised last hidden layer (wide nets).

The output pre-activation is ``b_out + sum_k contrib[k, c_k]`` over the children ``k`` of
the last hidden layer, each choosing a non-empty parent subset ``c_k``; the children's
subsets must together cover every parent. Split the children in an outer and an inner
group: for each outer choice, the inner choices that put every unit in the right interval
are a bitmask, looked up by the rank of the outer partial sum among sorted thresholds.
Pure: it returns counts, records and borderline positions, and calls nothing back.

Example
-------
>>> import numpy as np
>>> from mi_ident.circuits._zspace import _Classes
>>> cl = _Classes(np.array([[0.0]]), np.array([[np.inf]]), np.array([[1e-9]]), np.array([[1e-9]]),
...               np.array([[1]]), [((0,), 1)])
>>> contrib = np.array([[[1.0]], [[-2.0]]])            # 2 children, 1 parent subset, 1 unit
>>> words = [np.array([[1]], np.uint64), np.array([[2]], np.uint64)]
>>> out = count_bitmask(cl, contrib, np.zeros(1), words, np.zeros(1, np.uint64), 10, (8, 4))
>>> out.n_valid                                      # 0 + 1 - 2 < 0: not valid
0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._packing import _pack, _unpack
from ._zspace import _Classes
from ._blocks import _digits

__all__ = ["count_bitmask", "MitmResult"]


@dataclass
class MitmResult:
    """Valid count, kept records ``(position, edge words, correct samples)`` and borderline
    positions; positions count candidates of the block in enumeration order."""

    n_valid: int = 0
    records: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    borderline: list[np.ndarray] = field(default_factory=list)


def _inner(contrib: np.ndarray, g_out: int, g_in: int, child_words, nwords: int):
    """Every inner choice: partial sums ``(M, U)``, parent unions and edge words."""
    _, K, U = contrib.shape
    M = K**g_in
    dig = _digits(np.arange(M, dtype=np.int64), K, g_in)
    s_in, u_in = np.zeros((M, U)), np.zeros(M, np.int64)
    words = np.zeros((M, nwords), np.uint64)
    for j in range(g_in):
        s_in += contrib[g_out + j, dig[:, j]]
        u_in |= dig[:, j] + 1
        words |= child_words[g_out + j][dig[:, j]]
    return s_in, u_in, words


def count_bitmask(cl: _Classes, contrib: np.ndarray, b_out: np.ndarray, child_words, pre_bits: np.ndarray,
                  room: int, tuning: tuple[int, int]) -> MitmResult:
    """Count the valid completions of one prefix. ``contrib`` ``(n, K, U)``: child ``k``'s term
    for parent subset code ``c + 1``; ``b_out`` ``(U,)`` the constant part; ``child_words[k][c]``
    the edge words of that choice; ``pre_bits`` the prefix's edge words; ``room`` how many
    records to return at most; ``tuning`` = (inner bitmask width, outer rows per chunk)."""
    inner_max, chunk = tuning
    n, K, U = contrib.shape
    g_in = max(1, n // 2)
    while g_in > 1 and K**g_in > inner_max:
        g_in -= 1
    g_out, M = n - g_in, K**g_in
    s_in, u_in, in_words = _inner(contrib, g_out, g_in, child_words, len(pre_bits))
    Q = np.arange(K + 1)
    cover = _pack((u_in[None, :] & Q[:, None]) == Q[:, None], M)  # (2^m, words)
    tables = [_row_tables(cl, r, s_in[:, r], cover.shape[1]) for r in range(U)]
    out, done, kept, O = MitmResult(), 0, 0, K**g_out
    for o0 in range(0, O, chunk):
        dig = _digits(np.arange(o0, min(O, o0 + chunk), dtype=np.int64), K, g_out)
        s_out, u_out = np.zeros((len(dig), U)) + b_out, np.zeros(len(dig), np.int64)
        for j in range(g_out):
            s_out += contrib[j, dig[:, j]]
            u_out |= dig[:, j] + 1
        cov = cover[K & ~u_out]
        hits, bc = _chunk_hits(cl, tables, s_out, cov)
        out.n_valid += sum(int(np.bitwise_count(v).sum()) for v, _ in hits)
        want = hits and kept < room  # later chunks only hold later positions
        if want or bc.any():
            row_cover = np.bitwise_count(cov).sum(axis=1).astype(np.int64)
            before = done + np.cumsum(row_cover) - row_cover
            if want:
                for v, k in hits:
                    oi, mi, pos = _positions(v, cov, before, M)
                    eb = in_words[mi] | pre_bits
                    for j in range(g_out):
                        eb |= child_words[j][dig[oi, j]]
                    out.records.append((pos, eb, np.full(len(pos), k)))
                    kept += len(pos)
            if bc.any():
                out.borderline.append(_positions(bc, cov, before, M)[2])
        done += int(np.bitwise_count(cov).sum())
    return out


def _chunk_hits(cl: _Classes, tables, s_out: np.ndarray, cov: np.ndarray):
    """Bitmasks of the valid inner choices per pattern, and of the borderline ones."""
    borders, ins = [], []
    for vals, btabs, itabs in tables:
        rank = np.searchsorted(vals, s_out[:, len(borders)], side="right")
        b = np.zeros_like(cov)
        for btab in btabs:
            b |= btab[rank]
        borders.append(b)
        ins.append([t[rank] for t in itabs])
    border = np.bitwise_or.reduce(borders) if borders else np.zeros_like(cov)
    ok = cov & ~border
    some = np.flatnonzero((cov & border).any(axis=1))  # outer rows with borderline choices
    bc, hits = np.zeros_like(cov), []
    for pattern, k in cl.patterns:
        v, maybe = ok.copy(), cov[some] & border[some]
        for r, j in enumerate(pattern):
            cls = ins[r][j] if j >= 0 else (~np.bitwise_or.reduce(ins[r]) if ins[r] else ~np.zeros_like(cov))
            v &= cls
            maybe &= cls[some] | borders[r][some]
        bc[some] |= maybe
        if v.any():
            hits.append((v, k))
    return hits, bc


def _positions(mask: np.ndarray, cov: np.ndarray, before: np.ndarray, M: int):
    """``(outer row, inner choice, position in the block)`` of each set bit of ``mask``."""
    oi, mi = np.nonzero(_unpack(mask, M))
    wi, bi = mi >> 6, (mi & 63).astype(np.uint64)
    pc = np.bitwise_count(cov[oi]).astype(np.int64)
    full_words = np.cumsum(pc, axis=1) - pc
    low = cov[oi, wi] & ((np.uint64(1) << bi) - np.uint64(1))
    rank = full_words[np.arange(len(oi)), wi] + np.bitwise_count(low).astype(np.int64)
    return oi, mi, before[oi] + rank


def _row_tables(cl: _Classes, r: int, s_in: np.ndarray, Wd: int):
    """Sorted thresholds on the outer partial sum, and for each rank the inner choices that are
    borderline / inside each target's interval (cumulative XOR of one-bit toggles)."""
    M = len(s_in)
    vals, ms, kinds, owner = [], [], [], []  # kind j >= 0: toggles class j's "inside" state
    for j in range(cl.lo.shape[1]):
        lo, hi = cl.lo[r, j], cl.hi[r, j]
        if np.isnan(lo):
            continue
        lo, hi = max(lo, -1e300), min(hi, 1e300)
        for bound, e, inner in ((lo, cl.elo[r, j], +1), (hi, cl.ehi[r, j], -1)):
            vals += [bound - e - s_in, bound + e - s_in]
            ms += [np.arange(M), np.arange(M)]
            kinds += [np.full(M, j if inner < 0 else -1), np.full(M, j if inner > 0 else -1)]
            owner += [np.full(M, j), np.full(M, j)]
    if not vals:
        return np.zeros(0), [], [np.zeros((1, Wd), np.uint64)] * cl.lo.shape[1]
    v, mm, kk, cls = (np.concatenate(a) for a in (vals, ms, kinds, owner))
    order = np.argsort(v, kind="stable")
    v, mm, kk, cls = v[order], mm[order], kk[order], cls[order]
    one = np.uint64(1) << (mm & 63).astype(np.uint64)
    e_idx = np.arange(len(v)) + 1

    def table(sel: np.ndarray) -> np.ndarray:
        tog = np.zeros((len(v) + 1, Wd), np.uint64)
        tog[e_idx[sel], mm[sel] >> 6] = one[sel]
        return np.bitwise_xor.accumulate(tog, axis=0)

    # one border table per class: adjacent classes share a boundary, and XOR would cancel them
    itabs, btabs = [], []
    for j in range(cl.lo.shape[1]):
        if np.isnan(cl.lo[r, j]):
            itabs.append(np.zeros((len(v) + 1, Wd), np.uint64))
        else:
            itabs.append(table(kk == j))
            btabs.append(table(cls == j))
    return v, btabs, itabs
