"""Circuits packed into 64-bit words: hidden node bits and edge bits, as the census stores them.

Bit ``i`` of the node words is hidden neuron ``i`` (layer 1 first); bit ``i`` of the edge
words is entry ``i`` of the row-major edge masks (layer 0 first), little-endian words.

Example
-------
>>> words = _pack(np.array([[True, False, True]]))
>>> int(words[0, 0]), _unpack(words, 3).tolist()
(5, [[True, False, True]])
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .circuit import Circuit

__all__: list[str] = []  # private helpers of the census


def _n_edges(ws: Sequence[int]) -> int:
    return sum(i * o for i, o in zip(ws[:-1], ws[1:]))


def _n_words(nbits: int) -> int:
    return max(1, -(-nbits // 64))


def _pack(bits: np.ndarray, nbits: int | None = None) -> np.ndarray:
    """Pack a boolean array along its last axis into little-endian uint64 words."""
    bits = np.asarray(bits, dtype=bool)
    nbits = bits.shape[-1] if nbits is None else nbits
    pad = _n_words(nbits) * 64 - bits.shape[-1]
    if pad:
        bits = np.concatenate([bits, np.zeros(bits.shape[:-1] + (pad,), dtype=bool)], axis=-1)
    packed = np.packbits(bits, axis=-1, bitorder="little")
    return np.ascontiguousarray(packed).view("<u8").astype(np.uint64)


def _unpack(words: np.ndarray, nbits: int) -> np.ndarray:
    w = np.ascontiguousarray(words.astype("<u8"))
    return np.unpackbits(w.view(np.uint8), axis=-1, bitorder="little")[..., :nbits].astype(bool)


def _circuit_bits(ws: Sequence[int], circuits: Sequence[Circuit]) -> tuple[np.ndarray, np.ndarray]:
    """``(node words, edge words)`` of circuits, one row each."""
    n_hidden = sum(ws[1:-1])
    nodes = np.zeros((len(circuits), n_hidden), dtype=bool)
    edges = np.zeros((len(circuits), _n_edges(ws)), dtype=bool)
    for k, c in enumerate(circuits):
        if n_hidden:
            nodes[k] = np.concatenate([np.array(m, bool) for m in c.node_masks[1:-1]])
        edges[k] = np.concatenate([e.ravel().astype(bool) for e in c.edge_masks])
    return _pack(nodes, n_hidden), _pack(edges, _n_edges(ws))


def _bits_masks(ws: Sequence[int], node_bits: np.ndarray, edge_bits: np.ndarray):
    """Full masks of packed circuits: node masks per layer ``(C, width)`` (input and output all
    ones) and edge masks per Linear layer ``(C, out, in)``, as ``uint8`` arrays."""
    C = len(node_bits)
    nb, eb = _unpack(node_bits, sum(ws[1:-1])), _unpack(edge_bits, _n_edges(ws))
    nodes, pos = [np.ones((C, ws[0]), np.uint8)], 0
    for w in ws[1:-1]:
        nodes.append(nb[:, pos : pos + w].astype(np.uint8))
        pos += w
    nodes.append(np.ones((C, ws[-1]), np.uint8))
    edges, pos = [], 0
    for i, o in zip(ws[:-1], ws[1:]):
        edges.append(eb[:, pos : pos + o * i].reshape(C, o, i).astype(np.uint8))
        pos += o * i
    return nodes, edges


def _bits_circuits(ws: Sequence[int], node_bits: np.ndarray, edge_bits: np.ndarray) -> list[Circuit]:
    """Packed circuits back as :class:`Circuit` objects."""
    nodes, edges = _bits_masks(ws, node_bits, edge_bits)
    return [
        Circuit._trusted(tuple(tuple(int(v) for v in m[k]) for m in nodes), tuple(e[k] for e in edges))
        for k in range(len(node_bits))
    ]
