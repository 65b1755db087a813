"""Circuits (sub-networks) of an MLP: enumeration, counting and the census of valid ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True, eq=False)
class Circuit:
    """A sub-network: a node mask per layer (input and output included) and an edge mask per
    ``Linear`` layer (out x in, 0/1), in the layout of the reference JSON files.

    Example
    -------
    >>> c = Circuit.from_dict({"node_masks": [[1, 1], [1, 0], [1]],
    ...                        "edge_masks": [[[1, 1], [0, 0]], [[1, 0]]]})
    >>> c.widths
    [2, 2, 1]
    """

    node_masks: tuple[tuple[int, ...], ...]
    edge_masks: tuple[np.ndarray, ...]

    @classmethod
    def from_dict(cls, d: dict) -> "Circuit":
        nodes = tuple(tuple(int(v) for v in m) for m in d["node_masks"])
        edges = tuple(np.asarray(e, dtype=np.uint8) for e in d["edge_masks"])
        return cls(nodes, edges)

    def to_dict(self) -> dict:
        return {
            "node_masks": [list(m) for m in self.node_masks],
            "edge_masks": [e.tolist() for e in self.edge_masks],
        }

    @property
    def widths(self) -> list[int]:
        return [len(m) for m in self.node_masks]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Circuit)
            and self.node_masks == other.node_masks
            and all(np.array_equal(a, b) for a, b in zip(self.edge_masks, other.edge_masks))
        )

    def __hash__(self) -> int:
        return hash((self.node_masks, tuple(e.tobytes() for e in self.edge_masks)))
