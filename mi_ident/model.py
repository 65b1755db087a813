"""Tiny multilayer perceptrons, their activations, and the ``.npz`` weight format.

The paper's networks are ``Linear`` layers each followed by a LeakyReLU. In the
original code the output layer gets a LeakyReLU too (its author meant an
identity there, but the condition that would pick it is always true); we keep
that as the default so that trained reference models behave exactly as they did,
and offer ``output_activation="identity"`` for the corrected network.

Example
-------
>>> model = MLP([2, 3, 3, 1], seed=0)
>>> [tuple(a.shape) for a in model.activations(torch.zeros(4, 2))]
[(4, 2), (4, 3), (4, 3), (4, 1)]
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal, Sequence

import numpy as np
import torch
from torch import nn

OutputActivation = Literal["leaky_relu", "identity"]
OUTPUT_ACTIVATIONS = ("leaky_relu", "identity")
DEFAULT_NEGATIVE_SLOPE = 0.01
DATA_KEYS = ("X_eval", "y_eval", "X_ground", "y_ground", "X_train", "y_train")


class WeightsFileError(ValueError):
    """A weights file that cannot be read as an MLP (wrong keys, shapes or values)."""


def _check_widths(widths: Sequence[int]) -> list[int]:
    widths = [int(w) for w in widths]
    if len(widths) < 2:
        raise ValueError(
            f"widths must list at least the input and output sizes, e.g. [2, 3, 3, 1]; got {widths}"
        )
    if any(w < 1 for w in widths):
        raise ValueError(f"every layer needs at least one neuron; got widths {widths}")
    return widths


class MLP(nn.Module):
    """A fully connected network: ``Linear`` then LeakyReLU, layer after layer.

    Parameters
    ----------
    widths:
        Layer sizes from input to output, e.g. ``[2, 3, 3, 1]``.
    negative_slope:
        Slope of the LeakyReLU for negative inputs.
    output_activation:
        ``"leaky_relu"`` (the paper's code) or ``"identity"``.
    seed:
        If given, initialise with ``torch.manual_seed(seed)`` (PyTorch's default
        initialisation), without touching the global generator's later state.

    Example
    -------
    >>> MLP([2, 2, 1], seed=1).widths
    [2, 2, 1]
    """

    def __init__(
        self,
        widths: Sequence[int],
        negative_slope: float = DEFAULT_NEGATIVE_SLOPE,
        output_activation: OutputActivation = "leaky_relu",
        seed: int | None = None,
    ) -> None:
        super().__init__()
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(
                f"output_activation must be one of {OUTPUT_ACTIVATIONS}; got {output_activation!r}"
            )
        self.widths = _check_widths(widths)
        self.negative_slope = float(negative_slope)
        self.output_activation = output_activation
        if seed is None:
            self.layers = self._make_layers()
        else:
            with torch.random.fork_rng():
                torch.manual_seed(seed)
                self.layers = self._make_layers()

    def _make_layers(self) -> nn.ModuleList:
        return nn.ModuleList(
            nn.Linear(n_in, n_out) for n_in, n_out in zip(self.widths[:-1], self.widths[1:])
        )

    @property
    def n_layers(self) -> int:
        """Number of ``Linear`` layers."""
        return len(self.layers)

    def activate(self, i: int, z: torch.Tensor) -> torch.Tensor:
        """The activation that follows ``Linear`` layer ``i`` (for masked or patched forwards)."""
        if i == self.n_layers - 1 and self.output_activation == "identity":
            return z
        return nn.functional.leaky_relu(z, self.negative_slope)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, layer in enumerate(self.layers):
            x = self.activate(i, layer(x))
        return x

    def activations(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Post-activation values of every layer, the input first and the output last."""
        out = [x]
        for i, layer in enumerate(self.layers):
            out.append(self.activate(i, layer(out[-1])))
        return out

    def numpy_weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(W0, b0), (W1, b1), ...]`` as float32 arrays, each ``W`` out x in."""
        return [
            (layer.weight.detach().cpu().numpy().copy(), layer.bias.detach().cpu().numpy().copy())
            for layer in self.layers
        ]

    def predict(self, x: torch.Tensor | np.ndarray) -> np.ndarray:
        """Rounded outputs (0/1 for a well-trained net) as an integer array."""
        with torch.no_grad():
            out = self(torch.as_tensor(np.asarray(x), dtype=torch.float32))
        return torch.round(out).to(torch.int64).numpy()

    @classmethod
    def from_weights(
        cls,
        weights: Sequence[tuple[np.ndarray, np.ndarray]],
        negative_slope: float = DEFAULT_NEGATIVE_SLOPE,
        output_activation: OutputActivation = "leaky_relu",
    ) -> "MLP":
        """Build a network from ``[(W0, b0), ...]`` (each ``W`` out x in)."""
        weights = [(np.asarray(W, dtype=np.float32), np.asarray(b, dtype=np.float32)) for W, b in weights]
        widths = _widths_from_weights(weights)
        model = cls(widths, negative_slope=negative_slope, output_activation=output_activation, seed=0)
        with torch.no_grad():
            for layer, (W, b) in zip(model.layers, weights):
                layer.weight.copy_(torch.from_numpy(W))
                layer.bias.copy_(torch.from_numpy(b))
        return model


def _widths_from_weights(weights: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[int]:
    if not weights:
        raise WeightsFileError("no layers found: expected arrays W0, b0, W1, b1, ...")
    widths = [weights[0][0].shape[1] if weights[0][0].ndim == 2 else -1]
    for i, (W, b) in enumerate(weights):
        if W.ndim != 2:
            raise WeightsFileError(f"W{i} must be a 2-D (out x in) matrix; got shape {W.shape}")
        if W.shape[1] != widths[-1]:
            raise WeightsFileError(
                f"W{i} has shape {W.shape} (out x in) but the previous layer has {widths[-1]} "
                f"outputs: each W must be out x in, as in PyTorch"
            )
        if b.shape != (W.shape[0],):
            raise WeightsFileError(f"b{i} must have shape ({W.shape[0]},) to match W{i}; got {b.shape}")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise WeightsFileError(f"W{i} or b{i} contains NaN or infinite values")
        widths.append(W.shape[0])
    return widths


@dataclass
class WeightsFile:
    """A network loaded from ``.npz`` together with any data arrays stored beside it.

    ``data`` holds whichever of ``X_eval, y_eval, X_ground, y_ground, X_train,
    y_train`` the file has.
    """

    model: MLP
    data: dict[str, np.ndarray] = field(default_factory=dict)
    path: Path | None = None


def load_weights(
    path: str | Path, output_activation: OutputActivation = "leaky_relu"
) -> WeightsFile:
    """Load a network saved in the reference ``.npz`` format.

    The file holds ``W0, b0, W1, b1, ...`` (PyTorch's out x in layout), optionally
    ``negative_slope`` and the data arrays listed in :class:`WeightsFile`.

    Example
    -------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "net.npz"
    >>> _ = save_weights(MLP([2, 3, 3, 1], seed=0), path, X_eval=np.zeros((4, 2), np.float32))
    >>> wf = load_weights(path)
    >>> wf.model.widths, sorted(wf.data)
    ([2, 3, 3, 1], ['X_eval'])
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no weights file at {path}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        # np.load hands back raw bytes for a member without an .npy header
        bad = [k for k, v in arrays.items() if not isinstance(v, np.ndarray)]
        if bad:
            raise ValueError(f"members {bad} are not .npy arrays")
    except Exception as exc:  # zipfile/pickle errors say nothing useful to a reader
        raise WeightsFileError(
            f"{path} is not a readable .npz weights file ({type(exc).__name__}: {exc}); "
            f"save one with mi_ident.model.save_weights"
        ) from None
    n = 0
    while f"W{n}" in arrays:
        n += 1
    missing = [f"b{i}" for i in range(n) if f"b{i}" not in arrays]
    if n == 0 or missing:
        raise WeightsFileError(
            f"{path} lacks the arrays of an MLP: expected W0, b0, W1, b1, ...; "
            f"found keys {sorted(arrays)}"
        )
    weights = [(arrays[f"W{i}"], arrays[f"b{i}"]) for i in range(n)]
    slope = float(arrays.get("negative_slope", DEFAULT_NEGATIVE_SLOPE))
    try:
        model = MLP.from_weights(weights, negative_slope=slope, output_activation=output_activation)
    except WeightsFileError as exc:
        raise WeightsFileError(f"{path}: {exc}") from None
    data = {k: arrays[k] for k in DATA_KEYS if k in arrays}
    for x_key, y_key in (("X_eval", "y_eval"), ("X_ground", "y_ground"), ("X_train", "y_train")):
        if x_key in data and data[x_key].shape[-1] != model.widths[0]:
            raise WeightsFileError(
                f"{path}: {x_key} has {data[x_key].shape[-1]} columns but the network has "
                f"{model.widths[0]} inputs"
            )
        if x_key in data and y_key in data and len(data[x_key]) != len(data[y_key]):
            raise WeightsFileError(f"{path}: {x_key} and {y_key} have different lengths")
    return WeightsFile(model=model, data=data, path=path)


def save_weights(model: MLP, path: str | Path, **data: np.ndarray) -> Path:
    """Save ``model`` (and data arrays such as ``X_eval=...``) in the reference format.

    The file is written to a temporary name first and then moved into place, so
    an interrupted save never leaves a damaged file behind.
    """
    path = Path(path)
    unknown = set(data) - set(DATA_KEYS)
    if unknown:
        raise ValueError(f"unknown data keys {sorted(unknown)}; allowed: {list(DATA_KEYS)}")
    arrays: dict[str, np.ndarray] = {"negative_slope": np.float64(model.negative_slope)}
    for i, (W, b) in enumerate(model.numpy_weights()):
        arrays[f"W{i}"], arrays[f"b{i}"] = W, b
    arrays.update({k: np.asarray(v) for k, v in data.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    tmp.replace(path)
    return path


def as_mlp(model: "MLP | WeightsFile") -> MLP:
    """The network itself, given an :class:`MLP` or a :class:`WeightsFile` from :func:`load_weights`."""
    if isinstance(model, WeightsFile):
        return model.model
    if not isinstance(model, MLP):
        raise TypeError(
            f"model must be a mi_ident.model.MLP (or a WeightsFile from load_weights); "
            f"got {type(model).__name__}"
        )
    return model


@contextmanager
def single_thread() -> Iterator[None]:
    """Run torch on one thread, then restore the caller's setting.

    The networks here are tiny: waking a thread pool costs milliseconds per call on a
    busy machine (training was several times slower on two threads), and per-row
    float32 results do not depend on the thread count.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
