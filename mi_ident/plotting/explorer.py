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

import io
import threading
from collections import OrderedDict
from contextlib import contextmanager

from ..errors import ParameterError
from .algorithms import plot_mapping
from .circuits import draw_circuit
from .ladder import plot_ladder

__all__ = ["plot_circuit_view", "plot_interpretation_view", "plot_algorithm_view", "plot_mapping_view",
           "plot_dynamics", "move_epoch_marker", "plot_message", "plot_exploration", "exploration_panels",
           "PngCache"]


_OFFSCREEN = threading.local()


@contextmanager
def _offscreen():
    """Figures made inside (this thread only) are plain ``Figure`` objects unknown to pyplot: a
    widget drawing in a background thread then never touches pyplot's registry, which is not
    thread-safe and which a notebook shows at the end of whatever cell is running."""
    _OFFSCREEN.on = True
    try:
        yield
    finally:
        _OFFSCREEN.on = False


def _figure(**kwargs):
    if getattr(_OFFSCREEN, "on", False):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(**kwargs)
        FigureCanvasAgg(fig)  # an Agg canvas keeps one renderer (the base canvas makes one per text)
        return fig
    import matplotlib.pyplot as plt

    return plt.figure(**kwargs)


def _panel(n_drawings: int, ncols: int, title: str, size=(2.1, 1.7)):
    """A figure with a ladder axis on the left and ``n_drawings`` small axes on the right."""
    ncols = max(1, min(ncols, n_drawings))
    nrows = max(1, -(-n_drawings // ncols))
    fig = _figure(figsize=(5.6 + size[0] * ncols, max(2.4, size[1] * nrows + 0.6)))
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

    fig = _figure(figsize=(7, 1.3))
    ax = fig.subplots()
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
    head = title or (f"(3) algorithms: {view.n_formulas} of {view.n_candidates:,} candidate formulas "
                     f"align ({view.criterion} interventions), {len(view.classes)} classes up to NOT")
    classes = view.classes[:8]
    fig = _figure(figsize=(10, max(2.4, 0.45 * len(classes) + 1.2)))
    ax_l, ax_r = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.2]})
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
    if view is None or not view.mappings:
        return plot_message("no aligned formula: nothing to map", title="(4) mappings")
    shown = view.mappings[:max_mappings]
    ncols = min(3, len(shown))
    nrows = -(-len(shown) // ncols)
    fig = _figure(figsize=(3.2 * ncols, 2.6 * nrows + 0.5))
    axes = fig.subplots(nrows, ncols, squeeze=False)
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
    import numpy as np

    if not dynamics.epochs:
        raise ParameterError("no checkpoints to plot")
    fig = _figure(figsize=(10, 2.8))
    ax1, ax2 = fig.subplots(1, 2)
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
            ax.axvline(epoch, color="tab:red", lw=1.5, ls="--", gid="epoch")
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title or "training dynamics: when do circuits and alignments appear?", fontsize=10,
                 x=0.01, ha="left")
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.18, top=0.86, wspace=0.22)  # tight_layout: +0.1 s
    return fig


def move_epoch_marker(fig, epoch: int) -> None:
    """Move the slider's mark of a :func:`plot_dynamics` figure to ``epoch``: a new checkpoint
    then costs one re-render of the same figure instead of drawing the curves again.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.explorer import Dynamics
    >>> d = Dynamics((0, 2, 4), (float("nan"), 0.2, 0.01), (0, 5, 9), (0, 1, 2), (0, 0, 1))
    >>> fig = plot_dynamics(d, epoch=2); move_epoch_marker(fig, 4)
    >>> [line.get_xdata()[0] for ax in fig.axes for line in ax.lines if line.get_gid() == "epoch"]
    [4, 4]
    >>> plt.close(fig)
    """
    for ax in fig.axes:
        for line in ax.lines:
            if line.get_gid() == "epoch":
                line.set_xdata([epoch, epoch])


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


class PngCache:
    """PNGs of figures by the key of the data they show: a hit returns the same bytes without
    calling ``draw`` again (an explorer update redraws only the panels whose data changed).
    ``draw`` runs with this module's figures made as plain ``Figure`` objects, without pyplot.

    :meth:`marked` keeps the last few figures alive, so that a figure that differs only by a
    moved mark (:func:`move_epoch_marker`) is re-rendered, not rebuilt.

    >>> import matplotlib.pyplot as plt
    >>> cache = PngCache(dpi=30)
    >>> png = cache.png(("msg", 1), lambda: plot_message("hello"))
    >>> cache.png(("msg", 1), lambda: 1 / 0) is png
    True
    """

    def __init__(self, dpi: int = 60, size: int = 200, live: int = 4):
        self.dpi, self.size, self.live = dpi, size, live
        self._pngs: OrderedDict = OrderedDict()
        self._figs: OrderedDict = OrderedDict()

    def _render(self, fig) -> bytes:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=self.dpi)
        return buf.getvalue()

    @staticmethod
    def _draw(draw):
        with _offscreen():  # a plain Figure: nothing to close, pyplot never involved
            return draw()

    def _put(self, key, png: bytes) -> bytes:
        self._pngs[key] = png
        while len(self._pngs) > self.size:
            self._pngs.popitem(last=False)
        return png

    def png(self, key, draw) -> bytes:
        """The PNG of ``draw()`` (a new figure, closed once rendered), cached by ``key``."""
        if key in self._pngs:
            self._pngs.move_to_end(key)
            return self._pngs[key]
        fig = self._draw(draw)
        png = self._render(fig)
        fig.clear()  # frees its artists now: left to the cyclic collector, they cost pauses later
        return self._put(key, png)

    def marked(self, key, epoch: int, draw) -> bytes:
        """The PNG of ``draw()`` (a :func:`plot_dynamics` figure) with its mark at ``epoch``,
        cached by ``(key, epoch)``; the figure of ``key`` is kept to move the mark."""
        if (key, epoch) in self._pngs:
            return self.png((key, epoch), draw)
        fig = self._figs.pop(key, None) or self._draw(draw)
        move_epoch_marker(fig, epoch)
        self._figs[key] = fig
        while len(self._figs) > self.live:
            self._figs.popitem(last=False)[1].clear()
        return self._put((key, epoch), self._render(fig))
