"""Figures of faithfulness scores: one strip of dots per criterion, one dot per explanation.

Example
-------
>>> import matplotlib.pyplot as plt
>>> fig = plot_faithfulness_scores({"corners": [1.0, 1.0, 1.0], "noise": [0.8, 0.95, 1.0]})
>>> [ax.get_title() for ax in fig.axes]
['corners\\n3 of 3 at 1.0', 'noise\\n1 of 3 at 1.0']
>>> plt.close(fig)
"""

from __future__ import annotations

import numpy as np

from .._validation import as_array, check_fraction
from ..errors import ParameterError

__all__ = ["plot_faithfulness_scores"]

#: Tolerance of "at the threshold", as in :func:`mi_ident.faithfulness.count_faithful`.
_TOL = 1e-9


def _checked(scores) -> dict[str, np.ndarray]:
    if not isinstance(scores, dict) or not scores:
        raise ParameterError("scores must be a non-empty dict {criterion: one score per explanation}, "
                             "e.g. circuit_scores(model, circuits)")
    out = {}
    for name, values in scores.items():
        arr = as_array(f"scores[{name!r}]", values, ndim=1, dtype=np.float64)
        if len(arr) == 0 or arr.min() < 0 or arr.max() > 1:
            raise ParameterError(f"scores[{name!r}] must hold at least one score, each in [0, 1]")
        out[str(name)] = arr
    return out


def plot_faithfulness_scores(scores, threshold: float = 1.0, ncols: int | None = None, title: str | None = None,
                             what: str = ""):
    """One panel per criterion: every explanation's score as a dot (jittered vertically so that
    equal scores stay visible), the threshold as a dotted line, and in the panel's title how
    many explanations reach it (``score >= threshold``). Returns the figure.

    ``scores``: ``{criterion: scores}`` as :func:`mi_ident.faithfulness.circuit_scores` returns,
    one score in [0, 1] per explanation; ``what`` names the explanations in the x label
    (e.g. ``"circuit"``). The jitter is drawn from a fixed seed, so the figure is reproducible.
    """
    import matplotlib.pyplot as plt

    scores = _checked(scores)
    threshold = check_fraction("threshold", threshold)
    n = len(scores)
    ncols = n if ncols is None else max(1, min(int(ncols), n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols, 2.1 * nrows), squeeze=False, sharex=True)
    low = min(float(v.min()) for v in scores.values())
    rng = np.random.default_rng(0)
    for ax, (name, values) in zip(axes.flat, scores.items()):
        passing = values >= threshold - _TOL
        ax.scatter(values, rng.uniform(-0.4, 0.4, len(values)), s=14, alpha=0.7,
                   c=np.where(passing, "tab:green", "tab:grey"), edgecolors="none")
        ax.axvline(threshold, color="black", lw=0.8, ls=":")
        ax.set_title(f"{name}\n{int(passing.sum())} of {len(values)} at {threshold!r}", fontsize=9)
        ax.set_yticks([])
        ax.set_ylim(-0.6, 0.6)
        ax.set_xlim(min(low, threshold) - 0.03, 1.03)
        ax.set_xlabel(f"score{' of each ' + what if what else ''}", fontsize=8)
        ax.spines[["top", "right", "left"]].set_visible(False)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
