"""``explore()``: edit a truth table, train, and watch the four kinds of non-identifiability.

Built on :mod:`mi_ident.explorer` (the data) and :mod:`mi_ident.plotting.explorer` (the
figures). Every control change recomputes in a background thread (the kernel stays
free; a newer change supersedes an older one), with a progress bar while training.
Errors a setting can cause (a constant table, a network too wide, a network that did not
learn) are shown as a message in the widget, never as a traceback.
"""

from __future__ import annotations

import gc
import threading

from ..errors import MIIdentError
from ..explorer import PRESETS, Settings, explore_data, training_dynamics
from ..explorer.circuits import circuit_view
from ..explorer.training import is_trained

__all__ = ["explore"]

_CUSTOM = "(custom table)"
_LOCK = threading.Lock()  # one computation or drawing at a time: matplotlib is not thread-safe


def _prefetch(s: Settings, n_checkpoints: int, current, render) -> None:
    """Compute and draw, while the student looks, what a criterion or checkpoint change shows:
    the other criterion, then every checkpoint under both (aligning 4,488 formulas takes about
    a second per network and criterion, drawing the panels about as long). Stops once
    ``current()`` (the network on show) changes; ``render(ex)`` draws under the widget's lock."""
    other = s.replace(criterion="joint" if s.criterion == "single" else "single")
    net = (s.training_key(), s.seed)
    jobs = [(other, -1)] + [(c, k) for k in range(n_checkpoints - 2, -1, -1) for c in (s, other)]
    for settings, checkpoint in jobs:
        if current() != net or not is_trained(s):  # never train here (see is_trained)
            return
        ex = explore_data(settings, checkpoint=checkpoint)
        if ex.message is None:
            training_dynamics(settings)  # outside the lock: render() then only draws
            render(ex)
    # The caches now hold ~1.5 million objects, and a full collection of them takes ~0.5 s;
    # doing one now, while the student looks, puts off the next one by many updates.
    gc.collect()


def _summary_html(ex, per_seed) -> str:
    from html import escape

    s = ex.settings
    head = f"<b>{escape(s.preset or 'custom table')}</b>, network {'-'.join(map(str, s.widths))}"
    if ex.message is not None:
        return f"{head}<br><span style='color:#b00'>{escape(ex.message)}</span>"
    rows = "".join(
        f"<tr><td>seed {seed}</td><td>{'accepted' if ok else 'did not learn'}</td>"
        f"<td style='text-align:right'>{'' if v is None else f'{v:,}'}</td>"
        f"<td style='text-align:right'>{'' if m is None else f'{m:,}'}</td></tr>"
        for seed, ok, v, m in per_seed)
    notes = "".join(f"<br><i>{escape(n)}</i>" for n in ex.notes)
    return (f"{head}, seed {s.seed}, epoch {ex.epoch}{notes}<table><tr><th></th><th></th>"
            f"<th>valid circuits</th><th>edge-minimal</th></tr>{rows}</table>")


def _per_seed(ex) -> list[tuple]:
    """Valid and edge-minimal circuits of every seed's final network (several seeds at once)."""
    out = []
    for r in ex.run.seeds:
        v = circuit_view(r.model, ex.settings, n_gallery=0) if r.accepted else None
        out.append((r.seed, r.accepted, v and v.n_valid, v and v.n_edge_minimal))
    return out


def explore(settings: Settings | None = None, background: bool = True, dpi: int = 60,
            prefetch: bool | None = None):
    """The explorer widget. Returns a ``VBox`` with attributes ``control`` (preset ``Dropdown``,
    class ``mi-ident-control``), ``cells`` (truth-table buttons, class ``mi-ident-cell``),
    ``result`` (class ``mi-ident-result``: summary and figures), ``controls`` (the other
    controls by name), ``settings()``, ``refresh(sync=False)`` and ``prefetched`` (a
    ``threading.Event`` set once the shown network's alignments are all computed).
    ``prefetch`` (default: ``background``) computes and draws them in a background thread
    once the student uses a control (not at first display: a notebook's next cells run
    undisturbed), so that criterion and checkpoint changes find them cached.

    One function of closures on purpose (longer than the house's 50 lines): every control
    reads and writes the same small state (the table, the current computation), and the
    drawing itself lives in :mod:`mi_ident.plotting.explorer`.

    >>> w = explore(Settings.from_preset("AND", width=2, depth=1, formula_depth=2), background=False)
    >>> w.cells[0].description
    '0'
    >>> w.cells[0].click(); w.settings().table[0]
    (1,)
    """
    import ipywidgets as W

    from ..plotting.explorer import PngCache, exploration_panels, plot_dynamics

    s0 = settings or Settings.from_preset("XOR")
    state = {"table": s0.table, "generation": 0, "busy": False, "net": None, "prefetching": None,
             "live": False}
    drawn = PngCache(dpi)  # panel key -> PNG, so that an update redraws only what changed
    prefetched = threading.Event()
    prefetch = background if prefetch is None else prefetch
    control = W.Dropdown(options=list(PRESETS) + [_CUSTOM], value=s0.preset or _CUSTOM, description="task")
    control.add_class("mi-ident-control")
    table_box = W.VBox()
    width = W.IntSlider(s0.width, 1, 6, description="width")
    depth = W.IntSlider(s0.depth, 1, 3, description="depth")
    seed = W.BoundedIntText(s0.seed, min=0, max=10_000, description="seed", layout=W.Layout(width="160px"))
    several = W.Checkbox(s0.n_seeds > 1, description="4 seeds at once")
    noise = W.FloatSlider(s0.noise_std, min=0, max=0.5, step=0.05, description="input noise")
    loss = W.Dropdown(options=[0.05, 0.02, 0.01, 0.005], value=s0.loss_target, description="loss target")
    lr = W.Dropdown(options=[1e-3, 3e-3, 1e-2, 3e-2], value=s0.lr, description="learning rate")
    ablation = W.ToggleButtons(options=["zero", "mean", "resample"], value=s0.ablation, description="ablation")
    margin = W.FloatSlider(s0.min_margin, min=0, max=0.45, step=0.05, description="margin")
    criterion = W.ToggleButtons(options=["single", "joint"], value=s0.criterion, description="alignment")
    fdepth = W.Dropdown(options=[2, 3], value=s0.formula_depth, description="formula depth")
    n_inputs = W.ToggleButtons(options=[2, 3], value=s0.n_inputs, description="inputs")
    n_outputs = W.ToggleButtons(options=[1, 2, 3], value=s0.n_outputs, description="outputs")
    output = W.Dropdown(options=list(range(s0.n_outputs)), value=s0.output, description="aligned output")
    circuit = W.Dropdown(options=[("circuit 1", 0)], value=0, description="circuit")
    formula = W.Dropdown(options=[("formula 1", 0)], value=0, description="formula")
    checkpoint = W.IntSlider(0, 0, 0, description="checkpoint", continuous_update=False, readout=False)
    progress = W.IntProgress(0, 0, 100, description="epochs")
    status = W.HTML()
    summary = W.HTML()
    images = [W.Image(format="png") for _ in range(5)]
    result = W.VBox([summary, *images])
    result.add_class("mi-ident-result")
    cells: list = []

    def settings_now() -> Settings:
        return Settings(table=state["table"], width=width.value, depth=depth.value, seed=seed.value,
                        n_seeds=4 if several.value else 1, noise_std=noise.value, loss_target=loss.value,
                        lr=lr.value, ablation=ablation.value, min_margin=margin.value,
                        criterion=criterion.value, formula_depth=fdepth.value,
                        output=min(output.value or 0, len(state["table"][0]) - 1))

    def build_table() -> None:
        cells.clear()
        n_in = len(state["table"]).bit_length() - 1
        rows = []
        for r, values in enumerate(state["table"]):
            bits = format(r, f"0{n_in}b")
            buttons = []
            for c, v in enumerate(values):
                b = W.Button(description=str(v), layout=W.Layout(width="36px"),
                             tooltip=f"row {bits}, output {c}: click to flip")
                b.add_class("mi-ident-cell")
                b.on_click(lambda _b, r=r, c=c: flip(r, c))
                buttons.append(b)
                cells.append(b)
            rows.append(W.HBox([W.Label(" ".join(bits), layout=W.Layout(width="60px")), *buttons]))
        table_box.children = rows

    def set_table(table) -> None:
        """Show a new table: controls follow its shape, the preset menu its name."""
        state["table"] = table
        state["busy"] = True  # these updates must not trigger a computation each
        n_inputs.value, n_outputs.value = len(table).bit_length() - 1, len(table[0])
        output.options = list(range(len(table[0])))
        control.value = Settings(table=table).preset or _CUSTOM
        state["busy"] = False
        build_table()

    def reshape(_=None) -> None:
        if state["busy"]:
            return
        set_table(settings_now().resize(n_inputs.value, n_outputs.value).table)
        refresh()

    def flip(r: int, c: int) -> None:
        set_table(settings_now().flip(r, c).table)
        refresh()

    def on_preset(_=None) -> None:
        if state["busy"] or control.value == _CUSTOM:
            return
        state["busy"] = True
        fdepth.value = 2 if len(PRESETS[control.value]) == 8 else fdepth.value
        state["busy"] = False
        set_table(PRESETS[control.value])
        refresh()

    def compute(generation: int, keep_choices: bool) -> None:
        with _LOCK:
            if generation == state["generation"]:  # else a newer change supersedes this one
                _compute(generation, keep_choices)

    def _compute(generation: int, keep_choices: bool) -> None:
        try:
            s = settings_now()
            progress.value = 0
            ex = explore_data(s, circuit=circuit.value if keep_choices else 0,
                              formula=formula.value if keep_choices else 0,
                              checkpoint=checkpoint.value if keep_choices else -1,
                              on_epoch=lambda e, n: setattr(progress, "value", min(99, e)))
            progress.value = 100
            if generation != state["generation"]:
                return  # a newer change is being computed
            pngs = render(ex)
            if generation != state["generation"]:
                return
            summary.value = _summary_html(ex, _per_seed(ex) if ex.message is None else [])
            for img, png in zip(images, pngs + [b""] * (len(images) - len(pngs))):
                img.value = png
                img.layout.display = None if png else "none"
            sync_choices(ex, keep_choices)
            status.value = ""
            start_prefetch(ex)
        except MIIdentError as exc:
            summary.value = f"<span style='color:#b00'>{exc}</span>"
        except Exception as exc:  # a bug must not freeze the widget: say so in one line
            summary.value = f"<span style='color:#b00'>internal error ({type(exc).__name__}): {exc}</span>"

    def render(ex) -> list[bytes]:
        """Every panel's PNG (cached by the data each shows); call with ``_LOCK`` held."""
        s = ex.settings
        pngs = [drawn.png(key, draw) for key, draw in exploration_panels(ex)]
        if ex.message is None:
            dyn = ("dynamics", s.training_key(), s.seed, s.ablation, s.min_margin, s.criterion,
                   s.formula_depth, s.output)
            pngs.append(drawn.marked(dyn, ex.epoch, lambda: plot_dynamics(training_dynamics(s), epoch=ex.epoch)))
        return pngs

    def render_aside(ex) -> None:
        with _LOCK:
            if state["net"] == (ex.settings.training_key(), ex.settings.seed):
                render(ex)

    def start_prefetch(ex) -> None:
        s = ex.settings
        state["net"] = (s.training_key(), s.seed) if ex.message is None else None
        if not (prefetch and state["live"]) or state["net"] is None or state["prefetching"] == state["net"]:
            return
        state["prefetching"] = net = state["net"]
        prefetched.clear()

        def run():
            try:
                _prefetch(s, len(ex.seed_run.checkpoints), lambda: state["net"], render_aside)
            except MIIdentError:
                pass  # the same error shows when the student picks that setting
            finally:
                if state["net"] != net and state["prefetching"] == net:
                    state["prefetching"] = None  # interrupted: start again if this network returns
                prefetched.set()

        threading.Thread(target=run, daemon=True).start()

    def sync_choices(ex, keep: bool) -> None:
        state["busy"] = True
        if ex.circuits is not None and ex.circuits.gallery:
            circuit.options = [(f"circuit {k + 1}", k) for k in range(len(ex.circuits.gallery))]
        if ex.algorithms is not None and ex.algorithms.alignments:
            formula.options = [(str(a.formula), k) for k, a in enumerate(ex.algorithms.alignments)]
        if ex.seed_run is not None:
            checkpoint.max = len(ex.seed_run.checkpoints) - 1
            if not keep:
                checkpoint.value = checkpoint.max
            checkpoint.description = f"epoch {ex.epoch}"
        state["busy"] = False

    def refresh(_=None, sync: bool = False, keep_choices: bool = False) -> None:
        if state["busy"]:
            return
        state["generation"] += 1
        status.value = "<i>computing…</i>"
        if background and not sync:
            threading.Thread(target=compute, args=(state["generation"], keep_choices), daemon=True).start()
        else:
            compute(state["generation"], keep_choices)

    control.observe(on_preset, names="value")
    n_inputs.observe(reshape, names="value")
    n_outputs.observe(reshape, names="value")
    for w in (width, depth, seed, several, noise, loss, lr, ablation, margin, criterion, fdepth, output):
        w.observe(refresh, names="value")
    for w in (circuit, formula, checkpoint):
        w.observe(lambda _c: refresh(keep_choices=True), names="value")
    build_table()
    controls = W.VBox([
        W.HBox([control, W.VBox([W.Label("truth table: click an output to flip it"), table_box])]),
        W.HBox([width, depth, seed, several]), W.HBox([noise, loss, lr]),
        W.HBox([n_inputs, n_outputs]), W.HBox([ablation, margin]), W.HBox([criterion, fdepth, output]),
        W.HBox([circuit, formula, checkpoint]), W.HBox([progress, status]),
    ])
    box = W.VBox([controls, result])
    box.control, box.cells, box.result, box.summary, box.images = control, cells, result, summary, images
    box.checkpoint, box.circuit, box.formula = checkpoint, circuit, formula
    box.n_inputs, box.n_outputs, box.output = n_inputs, n_outputs, output
    box.controls = dict(width=width, depth=depth, seed=seed, several=several, noise=noise, loss_target=loss,
                        lr=lr, ablation=ablation, margin=margin, criterion=criterion, formula_depth=fdepth)
    box.settings, box.refresh, box.prefetched = settings_now, refresh, prefetched
    refresh(sync=True)
    state["live"] = True  # from now on a recomputation starts the prefetch
    return box
