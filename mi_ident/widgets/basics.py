"""Widgets of chapters 1-2: linear separability, hidden activations."""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ['linear_fit_html', 'linear_fit_widget', 'activations_html', 'activations_widget']

def _truth_table_html(task) -> str:
    head = "".join(f"<th>{n}</th>" for n in (*task.input_names, *task.output_names))
    rows = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in (*x, *y)) + "</tr>" for x, y in zip(task.inputs, task.table)
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def linear_fit_html(task) -> str:
    """The truth table and whether one linear threshold unit can compute it (HTML)."""
    from ..boolean import gate_name, make_task
    from ..training import fit_linear

    task = make_task(task)
    fit = fit_linear(task)
    parts = [_truth_table_html(task)]
    for j, name in enumerate(task.output_names):
        (w1, w2), b = fit.weights[j], fit.bias[j]
        unit = f"1 iff {w1:+g}·A {w2:+g}·B {b:+g} &gt; 0"
        n_right = int(round(fit.accuracy[j] * len(task.table)))
        if fit.accuracy[j] == 1.0:
            parts.append(f"<p><b>{name}: linearly separable.</b> One neuron computes it: output {unit}.</p>")
        else:
            computes = gate_name(fit.predict()[:, j]) if task.n_inputs == 2 else "another function"
            parts.append(
                f"<p><b>{name}: not linearly separable.</b> No straight line puts the 1s on one side and "
                f"the 0s on the other: the best single neuron ({unit}, which computes {computes}) gets "
                f"{n_right}/{len(task.table)} rows right. A hidden layer is needed.</p>"
            )
    return "".join(parts)


def linear_fit_widget(gate: str = "XOR"):
    """Pick a 2-input function (or click its outputs) and see whether a single neuron can compute it.

    Returns a ``VBox`` with attributes ``control`` (a ``Dropdown`` of the 16
    two-input functions, CSS class ``mi-ident-control``), ``bits`` (four
    ``ToggleButton``: the outputs on 00, 01, 10, 11) and ``result`` (an ``HTML``
    with class ``mi-ident-result``: the truth table and the verdict).

    >>> w = linear_fit_widget("AND")
    >>> "linearly separable" in w.result.value
    True
    >>> w.control.value = "XOR"; "not linearly separable" in w.result.value
    True
    """
    import ipywidgets as widgets

    from ..boolean import GATES, TWO_INPUT_NAMES, gate_name

    aliases = {"IMP": "A_IMPLY_B", "NIMP": "A_NIMPLY_B"}
    gate = aliases.get(str(gate).upper(), str(gate).upper())
    if gate not in TWO_INPUT_NAMES:
        raise ParameterError(f"gate must be one of {list(TWO_INPUT_NAMES)} (or {list(GATES)}); got {gate!r}")
    control = widgets.Dropdown(options=list(TWO_INPUT_NAMES), value=gate, description="function")
    control.add_class("mi-ident-control")
    table = TWO_INPUT_NAMES.index(gate)
    bits = [
        widgets.ToggleButton(value=bool(table >> (3 - i) & 1), description=f"{r} → {table >> (3 - i) & 1}",
                             layout=widgets.Layout(width="80px"))
        for i, r in enumerate(("00", "01", "10", "11"))
    ]
    result = widgets.HTML(linear_fit_html([int(b.value) for b in bits]))
    result.add_class("mi-ident-result")
    syncing = False  # the dropdown and the toggles update each other; apply each change once

    def from_dropdown(_=None) -> None:
        nonlocal syncing
        if syncing:
            return
        syncing = True
        index = TWO_INPUT_NAMES.index(control.value)
        for i, b in enumerate(bits):
            b.value = bool(index >> (3 - i) & 1)
        syncing = False
        show()

    def from_toggles(_=None) -> None:
        nonlocal syncing
        if syncing:
            return
        syncing = True
        control.value = gate_name([int(b.value) for b in bits])
        syncing = False
        show()

    def show() -> None:
        outputs = [int(b.value) for b in bits]
        for b, r, v in zip(bits, ("00", "01", "10", "11"), outputs):
            b.description = f"{r} → {v}"
        result.value = linear_fit_html(outputs)

    control.observe(from_dropdown, names="value")
    for b in bits:
        b.observe(from_toggles, names="value")
    box = widgets.VBox([control, widgets.HBox([widgets.Label("outputs on AB ="), *bits]), result])
    box.control, box.bits, box.result = control, bits, result
    return box


def activations_html(result) -> str:
    """A training result's hidden activations on the four corners as HTML heatmap tables."""
    import numpy as np
    import torch

    from ..boolean import input_rows

    model = result.model
    x = input_rows(model.widths[0])
    with torch.no_grad():
        acts = [a.numpy() for a in model.activations(torch.as_tensor(x, dtype=torch.float32))]
    vmax = max(float(np.abs(a).max()) for a in acts[1:]) or 1.0

    def cell(v: float) -> str:
        # red for positive, blue for negative, white near zero
        t = min(abs(v) / vmax, 1.0)
        rgb = (255, int(255 * (1 - t)), int(255 * (1 - t))) if v > 0 else (int(255 * (1 - t)), int(255 * (1 - t)), 255)
        text = f"{v:.2f}"
        return f'<td style="background:rgb{rgb};text-align:right">{"0.00" if text == "-0.00" else text}</td>'

    status = "accepted" if result.accepted else "rejected"
    parts = [f"<p>seed {result.seed}: {status} after {result.epochs} epochs, final loss "
             f"{result.final_loss:.4f}, validation accuracy {result.val_accuracy:.2f}</p><table><tr><th>AB</th>"]
    for layer in range(1, len(acts)):
        name = "output" if layer == len(acts) - 1 else f"layer {layer}"
        parts.append(f'<th colspan="{acts[layer].shape[1]}">{name}</th>')
    parts.append("</tr>")
    for r, row in enumerate(x):
        parts.append("<tr><td>" + "".join(str(v) for v in row) + "</td>")
        parts.extend(cell(float(v)) for layer in range(1, len(acts)) for v in acts[layer][r])
        parts.append("</tr>")
    parts.append("</table>")
    return "".join(parts)


def activations_widget(gates=None, widths=(2, 3, 3, 1), seeds=range(6), gate: str = "XOR", seed: int = 0,
                       precompute: bool = False):
    """Pick a gate and a seed; see the trained network's hidden activations on the four corners.

    All seeds of a gate are trained at once (:func:`~mi_ident.training.train_many`)
    the first time the gate is shown, about a second; later updates are instant.
    Returns a ``VBox`` with attributes ``control`` (the gate ``Dropdown``, class
    ``mi-ident-control``), ``seed`` (the seed ``Dropdown``), ``result`` (an ``HTML``,
    class ``mi-ident-result``) and ``cache`` (training results by gate).

    >>> w = activations_widget(seeds=[0, 1])
    >>> before = w.result.value
    >>> w.control.value = "AND"
    >>> w.result.value != before and "layer 1" in w.result.value
    True
    """
    import ipywidgets as widgets

    from ..boolean import GATES
    from ..training import train_many

    gates = list(GATES) if gates is None else list(gates)
    seeds = [int(s) for s in seeds]
    if gate not in gates or seed not in seeds:
        raise ParameterError(f"gate must be one of {gates} and seed one of {seeds}; got {gate!r}, {seed!r}")
    cache: dict[str, dict[int, object]] = {}

    def results(g: str) -> dict:
        if g not in cache:
            trained = train_many(g, list(widths), seeds, progress=False)
            cache[g] = {r.seed: r for r in trained}
        return cache[g]

    if precompute:
        for g in gates:
            results(g)
    control = widgets.Dropdown(options=gates, value=gate, description="gate")
    control.add_class("mi-ident-control")
    seed_control = widgets.Dropdown(options=seeds, value=seed, description="seed")
    result = widgets.HTML(activations_html(results(gate)[seed]))
    result.add_class("mi-ident-result")

    def update(_=None) -> None:
        result.value = activations_html(results(control.value)[seed_control.value])

    control.observe(update, names="value")
    seed_control.observe(update, names="value")
    box = widgets.VBox([widgets.HBox([control, seed_control]), result])
    box.control, box.seed, box.result, box.cache = control, seed_control, result, cache
    return box
