"""The honest ladder: one count of explanations, rung by rung, from the paper's to the strictest.

Every kind of non-identifiability (circuits, interpretations, algorithms, mappings)
is shown the same way: the paper's count, then the count once counting artefacts
are removed, then the count under stricter criteria. A rung is ``(label, count)``,
optionally with a ``kind`` (``"paper"``, ``"artefact-free"``, ``"strict"``) that sets
its colour. Counts are drawn on a log scale, since they span orders of magnitude,
and a count of 1 (identifiable) is marked.
"""

from __future__ import annotations

from typing import Sequence

from ..errors import ParameterError

__all__ = ["plot_ladder", "plot_ladders", "RUNG_COLOURS"]

#: Colour of each kind of rung.
RUNG_COLOURS = {"paper": "tab:grey", "artefact-free": "tab:blue", "strict": "tab:green"}


def _rungs(rungs: Sequence) -> list[tuple[str, float, str]]:
    out = []
    for k, rung in enumerate(rungs):
        if len(rung) == 2:
            label, count = rung
            kind = "paper" if k == 0 else "artefact-free"
        elif len(rung) == 3:
            label, count, kind = rung
        else:
            raise ParameterError(f"a rung is (label, count) or (label, count, kind); got {rung!r}")
        if kind not in RUNG_COLOURS:
            raise ParameterError(f"a rung's kind is one of {sorted(RUNG_COLOURS)}; got {kind!r}")
        if count is None or count < 0:
            raise ParameterError(f"rung {label!r} needs a count >= 0; got {count!r}")
        out.append((str(label), float(count), kind))
    if not out:
        raise ParameterError("a ladder needs at least one rung")
    return out


def plot_ladder(rungs: Sequence, ax=None, title: str | None = None):
    """Draw one ladder: a horizontal bar per rung, top to bottom, counts written beside them.

    >>> import matplotlib.pyplot as plt
    >>> ax = plot_ladder([("paper: valid circuits", 120), ("silent neurons merged", 15),
    ...                   ("edge-minimal", 4, "strict")], title="circuits"); plt.close("all")
    """
    import matplotlib.pyplot as plt

    items = _rungs(rungs)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.45 * len(items) + 0.9))
    ys = list(range(len(items)))[::-1]
    values = [max(c, 0.8) for _, c, _ in items]  # a zero still shows as a sliver on the log axis
    ax.barh(ys, values, color=[RUNG_COLOURS[k] for _, _, k in items], height=0.6)
    for y, (label, count, _) in zip(ys, items):
        text = f"{count:,.0f}" if count < 1e6 else f"{count:.3g}"
        ax.text(max(count, 0.8) * 1.15, y, text + ("  (unique)" if count == 1 else ""), va="center", fontsize=9)
    ax.set_yticks(ys, [label for label, _, _ in items], fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(0.7, max(values) * 30)
    ax.axvline(1, color="black", lw=0.8, ls=":")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or "", fontsize=10, loc="left")
    return ax


def plot_ladders(ladders: dict, ncols: int = 2, title: str | None = None):
    """Several ladders side by side, ``{title: rungs}``; returns the figure.

    >>> import matplotlib.pyplot as plt
    >>> fig = plot_ladders({"circuits": [("paper", 15), ("all node masks", 120)],
    ...                     "algorithms": [("paper", 10), ("classes", 1, "strict")]}); plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if not ladders:
        raise ParameterError("give at least one ladder, e.g. {'circuits': [('paper', 15), ...]}")
    n = len(ladders)
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    height = max(len(r) for r in ladders.values()) * 0.45 + 1.0
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, height * nrows), squeeze=False)
    for ax, (name, rungs) in zip(axes.flat, ladders.items()):
        plot_ladder(rungs, ax=ax, title=name)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig
