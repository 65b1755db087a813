"""Figures of chapters 1-2: truth tables, linear fits, training curves, activations."""

from __future__ import annotations

from ..errors import InputTypeError, ParameterError

__all__ = ['plot_truth_table', 'plot_linear_fit', 'plot_loss_curves', 'plot_hidden_activations', 'plot_decision_maps']

def _as_models(items):
    """Models from a list of MLPs and/or TrainResults, with default titles."""
    models, titles = [], []
    for i, item in enumerate(items):
        model = getattr(item, "model", item)
        if not hasattr(model, "activations"):
            raise InputTypeError(f"expected MLPs or TrainResults; item {i} is a {type(item).__name__}")
        models.append(model)
        seed = getattr(item, "seed", None)
        titles.append(f"seed {seed}" if seed is not None else f"net {i}")
    if not models:
        raise ParameterError("give at least one model or training result")
    return models, titles


def plot_truth_table(task, ax=None, title: str | None = None):
    """A 2-input task's outputs as coloured points on the corners of the unit square.

    Filled dark markers are 1, light ones 0; with a ``LinearFit`` you can add its
    line with :func:`plot_linear_fit`.

    >>> import matplotlib.pyplot as plt
    >>> ax = plot_truth_table("XOR"); plt.close("all")
    """
    import matplotlib.pyplot as plt

    from ..boolean import make_task

    task = make_task(task)
    if task.n_inputs != 2:
        raise ParameterError(f"plot_truth_table draws 2-input tasks; {task.name} has {task.n_inputs} inputs")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6, 2.6))
    x = task.inputs
    y = task.table[:, 0]
    ax.scatter(x[y == 0, 0], x[y == 0, 1], s=260, c="#f2d7b6", edgecolors="k", label="0", zorder=3)
    ax.scatter(x[y == 1, 0], x[y == 1, 1], s=260, c="#1f4e79", edgecolors="k", label="1", zorder=3)
    for (a, b), v in zip(x, y):
        ax.annotate(str(v), (a, b), ha="center", va="center", color="w" if v else "k", fontsize=9, zorder=4)
    ax.set(xlim=(-0.4, 1.4), ylim=(-0.4, 1.4), xticks=[0, 1], yticks=[0, 1],
           xlabel=task.input_names[0], ylabel=task.input_names[1], aspect="equal")
    ax.set_title(title or task.output_names[0])
    return ax


def plot_linear_fit(fit, output: int = 0, ax=None, title: str | None = None):
    """The truth table with the best linear unit's boundary and its accuracy in the title.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.training import fit_linear
    >>> ax = plot_linear_fit(fit_linear("XOR")); plt.close("all")
    """
    import numpy as np

    from ..boolean import Task

    task = fit.task
    single = Task.from_table(task.table[:, output], output_names=[task.output_names[output]])
    ax = plot_truth_table(single, ax=ax)
    (w1, w2), b = fit.weights[output], fit.bias[output]
    xs = np.linspace(-0.4, 1.4, 50)
    gx, gy = np.meshgrid(xs, xs)
    ax.contourf(gx, gy, (w1 * gx + w2 * gy + b > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=["#f2d7b6", "#1f4e79"], alpha=0.18)
    if w2 != 0:
        ax.plot(xs, -(w1 * xs + b) / w2, "k--", lw=1)
    elif w1 != 0:
        ax.axvline(-b / w1, color="k", ls="--", lw=1)
    acc = fit.accuracy[output]
    ax.set_title(title or f"{task.output_names[output]}: best line gets {round(acc * 4)}/4")
    return ax


def plot_loss_curves(results, ax=None, loss_target: float | None = 0.01, title: str | None = None, log: bool = True):
    """Epoch losses of training runs: accepted runs in blue, rejected in red, the target dashed.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.training import train_many
    >>> ax = plot_loss_curves(train_many("AND", [2, 2, 1], seeds=2, progress=False)); plt.close("all")
    """
    import matplotlib.pyplot as plt

    results = list(results)
    if not results:
        raise ParameterError("give at least one TrainResult")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.2))
    for r in results:
        color = "tab:blue" if r.accepted else "tab:red"
        ax.plot(range(1, len(r.losses) + 1), r.losses, color=color, lw=1, alpha=0.7)
    if loss_target is not None:
        ax.axhline(loss_target, color="k", ls="--", lw=1, label=f"loss target {loss_target:g}")
    n_ok = sum(r.accepted for r in results)
    ax.plot([], [], color="tab:blue", label=f"accepted ({n_ok})")
    ax.plot([], [], color="tab:red", label=f"rejected ({len(results) - n_ok})")
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="epoch loss (MSE)", title=title or f"{len(results)} training runs")
    ax.legend(fontsize=8, frameon=False)
    return ax


def plot_hidden_activations(items, inputs=None, titles=None, layers=None, annotate: bool = True, cmap: str = "RdBu_r"):
    """Heatmaps of hidden activations, one row per network, one column per hidden layer.

    Each heatmap has one row per input (default: the truth-table corners 00, 01,
    10, 11) and one column per neuron; colours share one symmetric scale per
    figure so networks can be compared side by side.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.model import MLP
    >>> fig = plot_hidden_activations([MLP([2, 3, 3, 1], seed=s) for s in range(2)]); plt.close("all")
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    from ..boolean import input_rows

    models, default_titles = _as_models(items)
    titles = default_titles if titles is None else list(titles)
    n_in = models[0].widths[0]
    x = input_rows(n_in) if inputs is None else np.asarray(inputs)
    layers = list(range(1, len(models[0].widths) - 1)) if layers is None else list(layers)
    if not layers:
        raise ParameterError("these networks have no hidden layer; pass layers=[...] to show the output layer")
    with torch.no_grad():
        acts = [[a.numpy() for a in m.activations(torch.as_tensor(x, dtype=torch.float32))] for m in models]
    vmax = max(float(np.abs(a[layer]).max()) for a in acts for layer in layers) or 1.0
    fig, axes = plt.subplots(len(models), len(layers), squeeze=False,
                             figsize=(1.0 + 1.3 * len(layers) * max(m.widths[1] for m in models) / 3 * 1.6,
                                      0.4 + 1.35 * len(models)))
    row_labels = ["".join(str(int(v)) for v in row) for row in x]
    for i, (a, title) in enumerate(zip(acts, titles)):
        for j, layer in enumerate(layers):
            ax = axes[i, j]
            im = ax.imshow(a[layer], cmap=cmap, vmin=-vmax, vmax=vmax, aspect="auto")
            if annotate:
                for (r, c), v in np.ndenumerate(a[layer]):
                    label = f"{v:.1f}"
                    ax.text(c, r, "0.0" if label == "-0.0" else label, ha="center", va="center", fontsize=7,
                            color="w" if abs(v) > 0.6 * vmax else "k")
            ax.set_xticks(range(a[layer].shape[1]), [f"n{k}" for k in range(a[layer].shape[1])], fontsize=7)
            ax.set_yticks(range(len(row_labels)), row_labels if j == 0 else [], fontsize=7)
            if i == 0:
                ax.set_title(f"layer {layer}", fontsize=9)
            if j == 0:
                ax.set_ylabel(title, fontsize=9)
    fig.colorbar(im, ax=axes, shrink=0.8, label="activation")
    return fig


def plot_decision_maps(items, titles=None, resolution: int = 81, lim: tuple[float, float] = (-0.25, 1.25)):
    """Each network's output over the input square, with the 0.5 contour and the four corners.

    Two networks can draw very different maps between the corners and still agree
    on all four corners — the behaviour on the task is identical.

    >>> import matplotlib.pyplot as plt
    >>> from mi_ident.model import MLP
    >>> fig = plot_decision_maps([MLP([2, 3, 1], seed=0)]); plt.close("all")
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    models, default_titles = _as_models(items)
    titles = default_titles if titles is None else list(titles)
    if any(m.widths[0] != 2 for m in models):
        raise ParameterError("decision maps need networks with 2 inputs")
    xs = np.linspace(lim[0], lim[1], resolution)
    gx, gy = np.meshgrid(xs, xs)
    grid = torch.tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=torch.float32)
    n = len(models)
    rows = -(-n // 5)
    cols = -(-n // rows)
    fig, axes = plt.subplots(rows, cols, squeeze=False, figsize=(2.3 * cols, 2.3 * rows))
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    for ax, model, title in zip(axes.ravel(), models, titles):
        with torch.no_grad():
            z = model(grid)[:, 0].numpy().reshape(gx.shape)
        ax.imshow(z, origin="lower", extent=(*lim, *lim), cmap="PuOr", vmin=-0.5, vmax=1.5)
        ax.contour(gx, gy, z, levels=[0.5], colors="k", linewidths=1)
        corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        with torch.no_grad():
            out = model(torch.tensor(corners, dtype=torch.float32))[:, 0].numpy()
        ax.scatter(corners[:, 0], corners[:, 1], c=np.round(out), cmap="PuOr", vmin=-0.5, vmax=1.5,
                   edgecolors="k", s=60)
        ax.set(xticks=[0, 1], yticks=[0, 1], title=title)
    return fig
