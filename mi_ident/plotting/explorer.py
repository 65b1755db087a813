"""The explorer's four views and its training dynamics as figures (book, nbval, scripts).

Each function takes the plain data of :mod:`mi_ident.explorer` and returns a matplotlib
figure: one kind of non-identifiability per figure, its honest ladder of counts on the
left and drawings of genuinely different explanations on the right.

Example
-------
>>> import matplotlib.pyplot as plt
>>> fig = plot_message("the truth table is constant"); plt.close(fig)
"""

from __future__ import annotations

from ..errors import ParameterError
from .algorithms import plot_mapping
from .circuits import draw_circuit
from .ladder import plot_ladder

__all__ = ["plot_circuit_view", "plot_interpretation_view", "plot_algorithm_view", "plot_mapping_view",
           "plot_dynamics", "plot_message", "plot_exploration", "exploration_panels"]


def _panel(n_drawings: int, ncols: int, title: str, size=(2.1, 1.7)):
    """A figure with a ladder axis on the left and ``n_drawings`` small axes on the right."""
    import matplotlib.pyplot as plt

    ncols = max(1, min(ncols, n_drawings))
    nrows = max(1, -(-n_drawings // ncols))
    fig = plt.figure(figsize=(5.6 + size[0] * ncols, max(2.4, size[1] * nrows + 0.6)))
    left, right = fig.subfigures(1, 2, width_ratios=[5.6, size[0] * ncols])
    ladder_ax = left.subplots()
    left.subplots_adjust(left=0.5, right=0.95, top=0.8, bottom=0.2)  # room for the rung labels
    axes = right.subplots(nrows, ncols, squeeze=False).ravel() if n_drawings else []
    fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    return fig, ladder_ax, list(axes)


def plot_message(text: str, title: str | None = None):
    """A figure that says why a view is empty (no traceback, no blank space).

    >>> import matplotlib.pyplot as plt
    >>> fig = plot_message("nothing aligned", title="algorithms"); plt.close(fig)
    """
    import textwrap

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 1.3))
    ax.text(0.01, 0.5, "\n".join(textwrap.wrap(str(text), 95)), va="center", fontsize=9)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return fig


def plot_circuit_view(view, title: str | None = None):
    """View 1: valid circuits counted raw, silent-merged and edge-minimal; the gallery drawn."""
    n = len(view.gallery)
    kind = "edge-minimal circuits" if view.n_edge_minimal is not None else "one per silent-merged class"
    head = title or (f"(1) circuits: {view.n_valid:,} valid of {view.n_candidates:,} candidates "
                     f"({view.ablation} ablation, margin {view.min_margin:g}); right: {kind}")
    fig, ladder_ax, axes = _panel(n, 4, head)
    plot_ladder(view.rungs(), ax=ladder_ax)
    for k, (ax, c) in enumerate(zip(axes, view.gallery)):
        draw_circuit(c, ax=ax, title=f"#{k + 1}: {int(sum(e.sum() for e in c.edge_masks))} edges",
                     node_size=220, font_size=6)
    if not n:
        ladder_ax.set_title("no valid circuit", fontsize=9, loc="left")
    return fig


def plot_interpretation_view(view, title: str | None = None):
    """View 2: one circuit's interpretations counted; its distinct readings side by side."""
    n = len(view.gallery)
    head = title or (f"(2) interpretations of the chosen circuit: {view.n_interpretations:,}, "
                     f"{view.n_readings:,} distinct readings, {view.n_gap_readings:,} with clear thresholds")
    fig, ladder_ax, axes = _panel(n, 3, head, size=(2.4, 1.9))
    plot_ladder(view.rungs(), ax=ladder_ax)
    for k, (ax, interp) in enumerate(zip(axes, view.gallery)):
        draw_circuit(view.circuit, interpretation=interp, ax=ax, title=f"reading {k + 1}",
                     node_size=320, font_size=6)
    return fig


def plot_algorithm_view(view, title: str | None = None):
    """View 3: aligned formulas grouped into classes (same node tables up to NOT), as bars."""
    import matplotlib.pyplot as plt

    head = title or (f"(3) algorithms: {view.n_formulas} of {view.n_candidates:,} candidate formulas "
                     f"align ({view.criterion} interventions), {len(view.classes)} classes up to NOT")
    classes = view.classes[:8]
    fig, (ax_l, ax_r) = plt.subplots(1, 2, figsize=(10, max(2.4, 0.45 * len(classes) + 1.2)),
                                     gridspec_kw={"width_ratios": [1, 1.2]})
    plot_ladder(view.rungs(), ax=ax_l)
    if classes:
        ys = range(len(classes))
        ax_r.barh(ys, [len(c.formulas) for c in classes], color="tab:blue")
        labels = [f"{c.label}\n(e.g. {c.formulas[0]})" for c in classes]  # paper strings
        ax_r.set_yticks(list(ys), labels, fontsize=7)
        ax_r.invert_yaxis()
        ax_r.set_xlabel("aligned formulas in the class")
    else:
        ax_r.text(0.5, 0.5, "no formula aligns", ha="center", va="center")
        ax_r.set_axis_off()
    fig.suptitle(head, fontsize=10, x=0.01, ha="left")
    fig.tight_layout()
    return fig


def plot_mapping_view(model, view, max_mappings: int = 6, title: str | None = None):
    """View 4: the minimal aligned mappings of one formula, drawn on the network."""
    import matplotlib.pyplot as plt

    if view is None or not view.mappings:
        return plot_message("no aligned formula: nothing to map", title="(4) mappings")
    shown = view.mappings[:max_mappings]
    ncols = min(3, len(shown))
    nrows = -(-len(shown) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.6 * nrows + 0.5), squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k < len(shown):
            plot_mapping(model, shown[k], ax=ax, title=f"mapping {k + 1}")
        else:
            ax.set_axis_off()
    more = f" (first {len(shown)} drawn)" if len(view.mappings) > len(shown) else ""
    fig.suptitle(title or f"(4) {view.formula}: {view.n_mappings} minimal mappings{more}", fontsize=10,
                 x=0.01, ha="left")
    fig.tight_layout()
    return fig


def plot_dynamics(dynamics, epoch: int | None = None, title: str | None = None):
    """Valid circuits, edge-minimal ones and aligned formulas per checkpoint; ``epoch`` marked.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.explorer import Dynamics
    >>> d = Dynamics((0, 2, 4), (float("nan"), 0.2, 0.01), (0, 5, 9), (0, 1, 2), (0, 0, 1))
    >>> fig = plot_dynamics(d, epoch=2); plt.close(fig)
    """
    import matplotlib.pyplot as plt
    import numpy as np

    if not dynamics.epochs:
        raise ParameterError("no checkpoints to plot")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 2.8))
    x = np.array(dynamics.epochs)
    ax1.plot(x, dynamics.n_valid, "o-", color="tab:grey", label="valid circuits")
    if all(v is not None for v in dynamics.n_edge_minimal):
        ax1.plot(x, dynamics.n_edge_minimal, "s-", color="tab:green", label="edge-minimal")
    if all(v is not None for v in dynamics.n_aligned):
        ax1.plot(x, dynamics.n_aligned, "^-", color="tab:purple", label="aligned formulas (paper's list)")
    ax1.set_yscale("symlog")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("count")
    ax1.legend(fontsize=7)
    ax2.plot(x[1:], dynamics.losses[1:], "o-", color="tab:blue")
    ax2.set_yscale("log")
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("training loss")
    for ax in (ax1, ax2):
        if epoch is not None:
            ax.axvline(epoch, color="tab:red", lw=1.5, ls="--")
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title or "training dynamics: when do circuits and alignments appear?", fontsize=10,
                 x=0.01, ha="left")
    fig.tight_layout()
    return fig


def plot_exploration(exploration) -> list:
    """The four views of an :class:`~mi_ident.explorer.Exploration` (messages where a view is empty)."""
    return [draw() for _, draw in exploration_panels(exploration)]


def exploration_panels(ex) -> list[tuple[tuple, object]]:
    """``(key, draw)`` per panel of :func:`plot_exploration`: ``draw()`` makes the figure, and
    ``key`` changes exactly when the panel's content does, so that a caller (the widget) can
    redraw only what changed; drawing costs more than computing once the network is trained."""
    s = ex.settings
    if ex.message is not None:
        return [(("message", ex.message), lambda: plot_message(ex.message, title="the explorer"))]
    net = (s.training_key(), s.seed, ex.checkpoint)
    crit = (s.ablation, s.min_margin)
    notes = " ".join(ex.notes)
    model = ex.seed_run.checkpoints[ex.checkpoint].model
    alg = (s.criterion, s.formula_depth, s.output)
    return [
        (("circuits", net, crit), lambda: plot_circuit_view(ex.circuits)),
        (("interpretations", net, crit, ex.interpretations and ex.interpretations.circuit),
         lambda: plot_interpretation_view(ex.interpretations) if ex.interpretations is not None
         else plot_message(notes or "no valid circuit", title="(2) interpretations")),
        (("algorithms", net, alg, notes), lambda: plot_algorithm_view(ex.algorithms)
         if ex.algorithms is not None else plot_message(notes, title="(3) algorithms")),
        (("mappings", net, alg, notes, ex.mappings and ex.mappings.formula.paper),
         lambda: plot_mapping_view(model(), ex.mappings) if ex.algorithms is not None
         else plot_message(notes, title="(4) mappings")),
    ]
