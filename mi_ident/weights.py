"""The ``.npz`` weights format of the paper's reference models: load and save.

A file holds ``W0, b0, W1, b1, ...`` (PyTorch's out x in layout), optionally
``negative_slope`` and data arrays (:data:`DATA_KEYS`). Loading reads only those
members, refuses a member that would unpack to more than :data:`MAX_MEMBER_BYTES`
before reading it, and checks every array (shapes, finite real values, 0/1 labels).

Example
-------
>>> import tempfile, pathlib
>>> from mi_ident.model import MLP
>>> path = pathlib.Path(tempfile.mkdtemp()) / "net.npz"
>>> _ = save_weights(MLP([2, 3, 3, 1], seed=0), path, X_eval=np.zeros((4, 2), np.float32))
>>> wf = load_weights(path)
>>> wf.model.widths, sorted(wf.data)
([2, 3, 3, 1], ['X_eval'])
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._io import atomic_write
from .errors import ParameterError, WeightsFileError
from .model import DEFAULT_NEGATIVE_SLOPE, MLP, OutputActivation

__all__ = ["WeightsFile", "load_weights", "save_weights", "DATA_KEYS", "MAX_MEMBER_BYTES"]

DATA_KEYS = ("X_eval", "y_eval", "X_ground", "y_ground", "X_train", "y_train")
#: Largest array member read from a weights file (uncompressed): far above any network or
#: data set of this course, far below what would exhaust memory.
MAX_MEMBER_BYTES = 256 * 2**20
_LAYER_KEY = re.compile(r"^[Wb](\d+)$")


@dataclass
class WeightsFile:
    """A network loaded from ``.npz`` together with any data arrays stored beside it.

    ``data`` holds whichever of ``X_eval, y_eval, X_ground, y_ground, X_train,
    y_train`` the file has.
    """

    model: MLP
    data: dict[str, np.ndarray] = field(default_factory=dict)
    path: Path | None = None


def _read_members(path: Path) -> dict[str, np.ndarray]:
    """The members we use, each checked for size before it is decompressed."""
    if not path.exists():
        raise WeightsFileError(f"no weights file at {path}")
    if path.is_dir():
        raise WeightsFileError(f"{path} is a folder; give the path of a .npz weights file")
    if not path.is_file():
        raise WeightsFileError(f"{path} is not a regular file (a pipe or device?); give a .npz weights file")
    wanted = {"negative_slope", *DATA_KEYS}
    try:
        with zipfile.ZipFile(path) as zf:
            infos = {i.filename.removesuffix(".npy"): i for i in zf.infolist()}
            keys = [k for k in infos if k in wanted or _LAYER_KEY.match(k)]
            for k in keys:
                if infos[k].file_size > MAX_MEMBER_BYTES:
                    raise WeightsFileError(
                        f"{path}: member {k} would unpack to {infos[k].file_size:,} bytes "
                        f"(limit {MAX_MEMBER_BYTES:,}); this is not a weights file of a tiny MLP"
                    )
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in keys}
        odd = [k for k, v in arrays.items() if not isinstance(v, np.ndarray) or v.dtype.kind not in "biuf"]
        if odd:
            raise ValueError(f"members {odd} are not arrays of real numbers")
        return arrays
    except WeightsFileError:
        raise
    except Exception as exc:  # zip/pickle/format errors say nothing useful to a reader
        raise WeightsFileError(
            f"{path} is not a readable .npz weights file ({type(exc).__name__}: {exc}); "
            f"save one with mi_ident.weights.save_weights"
        ) from None


def _check_data(path: Path, data: dict[str, np.ndarray], n_in: int, n_out: int) -> None:
    for x_key, y_key in (("X_eval", "y_eval"), ("X_ground", "y_ground"), ("X_train", "y_train")):
        if x_key in data:
            X = data[x_key]
            if X.ndim != 2 or X.shape[1] != n_in or len(X) == 0:
                raise WeightsFileError(
                    f"{path}: {x_key} must be a non-empty array with one row per sample and {n_in} "
                    f"columns (one per network input); got shape {X.shape}"
                )
        if y_key in data:
            y = data[y_key]
            if y.ndim not in (1, 2) or (y.ndim == 2 and y.shape[1] != n_out) or (y.ndim == 1 and n_out != 1):
                raise WeightsFileError(
                    f"{path}: {y_key} must have one column per output ({n_out}); got shape {y.shape}"
                )
            if not np.isin(y, (0, 1)).all():
                raise WeightsFileError(f"{path}: {y_key} must hold 0/1 labels")
        if x_key in data and y_key in data and len(data[x_key]) != len(data[y_key]):
            raise WeightsFileError(f"{path}: {x_key} and {y_key} have different lengths")
    for k, arr in data.items():
        if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)
                or arr.dtype == bool) or not np.isfinite(arr.astype(np.float64)).all():
            raise WeightsFileError(f"{path}: {k} must hold finite real numbers")


def load_weights(path: str | Path, output_activation: OutputActivation = "leaky_relu") -> WeightsFile:
    """Load a network saved in the reference ``.npz`` format (see the module docstring)."""
    path = Path(path)
    arrays = _read_members(path)
    layer_ids = sorted({int(m.group(1)) for k in arrays if (m := _LAYER_KEY.match(k))})
    n = 0
    while f"W{n}" in arrays and f"b{n}" in arrays:
        n += 1
    if n == 0 or layer_ids != list(range(n)):
        raise WeightsFileError(
            f"{path} lacks the arrays of an MLP: expected W0, b0, W1, b1, ... without gaps; "
            f"found {sorted(k for k in arrays if _LAYER_KEY.match(k))}"
        )
    slope = arrays.get("negative_slope", np.float64(DEFAULT_NEGATIVE_SLOPE))
    if slope.size != 1 or not np.issubdtype(slope.dtype, np.floating) and not np.issubdtype(slope.dtype, np.integer) \
            or not np.isfinite(slope).all():
        raise WeightsFileError(f"{path}: negative_slope must be one finite real number; got {slope!r}")
    try:
        model = MLP.from_weights([(arrays[f"W{i}"], arrays[f"b{i}"]) for i in range(n)],
                                 negative_slope=float(slope.reshape(())), output_activation=output_activation)
    except WeightsFileError as exc:
        raise WeightsFileError(f"{path}: {exc}") from None
    data = {k: arrays[k] for k in DATA_KEYS if k in arrays}
    _check_data(path, data, model.widths[0], model.widths[-1])
    return WeightsFile(model=model, data=data, path=path)


def save_weights(model: MLP, path: str | Path, **data: np.ndarray) -> Path:
    """Save ``model`` (and data arrays such as ``X_eval=...``) in the reference format.

    The file is written under a unique temporary name and then moved into place, so an
    interrupted save never leaves a damaged file and concurrent saves never collide.
    """
    path = Path(path)
    unknown = set(data) - set(DATA_KEYS)
    if unknown:
        raise ParameterError(f"unknown data keys {sorted(unknown)}; allowed: {list(DATA_KEYS)}")
    arrays: dict[str, np.ndarray] = {"negative_slope": np.float64(model.negative_slope)}
    for i, (W, b) in enumerate(model.numpy_weights()):
        arrays[f"W{i}"], arrays[f"b{i}"] = W, b
    arrays.update({k: np.asarray(v) for k, v in data.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, lambda fh: np.savez(fh, **arrays))
