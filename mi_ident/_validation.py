"""The boundary: every public entry point checks its parameters with these functions.

Each check returns the normalised value or raises one of :mod:`mi_ident.errors`,
with a message that names the parameter and says what to pass instead (as
scikit-learn does). Nothing past this boundary re-checks what was checked here.

Example
-------
>>> check_choice("ablation", "mean", ("zero", "mean", "resample"))
'mean'
>>> check_mode("exact")
'corrected'
>>> check_fraction("accuracy_threshold", 1.5, low_open=True)
Traceback (most recent call last):
...
mi_ident.errors.ParameterError: accuracy_threshold must be a number in (0, 1]; got 1.5
"""

from __future__ import annotations

import math
import numbers
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np

from .errors import InputTypeError, ParameterError, TooLargeError
from .vocabulary import MODE_ALIASES, MODES

if TYPE_CHECKING:
    from .model import MLP

__all__ = [
    "check_choice",
    "check_mode",
    "check_widths",
    "check_fraction",
    "check_int",
    "check_seed",
    "check_number",
    "check_size",
    "check_binary",
    "as_array",
    "as_model",
    "as_model_and_data",
]

#: Widest layer any entry point accepts: far past anything enumerable, small enough that
#: sizes computed from it (2**width, time estimates) never overflow.
MAX_WIDTH = 4096


def check_choice(name: str, value: object, choices: Sequence[str], aliases: dict[str, str] | None = None) -> str:
    """``value`` if it is one of ``choices`` (or an alias of one), else a :class:`ParameterError`."""
    if isinstance(value, str):
        key = value.strip()
        if key in choices:
            return key
        if aliases and key in aliases:
            return aliases[key]
    listed = ", ".join(repr(c) for c in choices)
    raise ParameterError(f"{name} must be one of {listed}; got {value!r}")


def check_mode(value: object, name: str = "mode") -> str:
    """``"paper"`` or ``"corrected"`` (``"exact"`` and ``"extended"`` are accepted synonyms)."""
    return check_choice(name, value, MODES, MODE_ALIASES)


def check_number(name: str, value: object, *, allow_inf: bool = False) -> float:
    """A real number (not a bool, not NaN; infinite only when allowed)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name} must be a number; got {value!r}")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ParameterError(f"{name} must be a finite number; got {value!r}")
    return v


def check_fraction(
    name: str, value: object, *, low: float = 0.0, high: float = 1.0, low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A number in ``[low, high]`` (ends excluded where ``*_open``)."""
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    message = f"{name} must be a number in {left}{low:g}, {high:g}{right}; got {value!r}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(float(value)):
        raise ParameterError(message)
    v = float(value)
    if v < low or v > high or (low_open and v == low) or (high_open and v == high):
        raise ParameterError(message)
    return v


def check_int(name: str, value: object, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer (``3`` or ``3.0``, not ``True`` or ``3.5``) within the bounds given."""
    ok = isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not ok:
        raise ParameterError(f"{name} must be an integer; got {value!r}")
    v = int(value)
    if minimum is not None and v < minimum or maximum is not None and v > maximum:
        bounds = (f">= {minimum}" if maximum is None else f"<= {maximum}" if minimum is None
                  else f"between {minimum} and {maximum}")
        raise ParameterError(f"{name} must be an integer {bounds}; got {v}")
    return v


def check_seed(value: object, name: str = "seed") -> int:
    """A non-negative integer seed below 2**63."""
    try:
        return check_int(name, value, minimum=0, maximum=2**63 - 1)
    except ParameterError:
        raise ParameterError(f"{name} must be a non-negative integer below 2**63; got {value!r}") from None


def check_widths(widths: object, name: str = "widths") -> tuple[int, ...]:
    """Layer sizes from input to output, each between 1 and :data:`MAX_WIDTH`."""
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Iterable):
        raise ParameterError(f"{name} must be a list of layer sizes such as [2, 3, 3, 1]; got {widths!r}")
    items = list(widths)
    if len(items) < 2:
        raise ParameterError(
            f"{name} must list at least the input and output sizes, e.g. [2, 3, 3, 1]; got {items}"
        )
    out = []
    for w in items:
        try:
            out.append(check_int(name, w, minimum=1, maximum=MAX_WIDTH))
        except ParameterError:
            raise ParameterError(
                f"{name} must be layer sizes, each an integer from 1 to {MAX_WIDTH}, e.g. [2, 3, 3, 1]; "
                f"got {items}"
            ) from None
    return tuple(out)


def check_size(what: str, size: float, limit: float, advice: str) -> None:
    """Refuse, before any work, a job whose ``size`` exceeds ``limit``."""
    if size > limit:
        raise TooLargeError(f"{what} ({size:,.0f}) exceeds the limit of {limit:,.0f}; {advice}")


def as_array(name: str, value: Any, *, ndim: int | None = None, dtype=np.float32) -> np.ndarray:
    """A finite real array (from a list, array or tensor), checked for dimension and values."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        raise ParameterError(f"{name} must be a rectangular array of numbers") from None
    if arr.dtype == bool:
        arr = arr.astype(np.int64)
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ParameterError(f"{name} must hold real numbers; got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ParameterError(f"{name} must be a {ndim}-D array; got shape {arr.shape}")
    arr = arr.astype(dtype)
    if not np.isfinite(arr).all():
        raise ParameterError(f"{name} must hold finite numbers (no NaN or infinity)")
    return arr


def check_binary(name: str, arr: np.ndarray) -> np.ndarray:
    """Labels that are all 0 or 1."""
    if not np.isin(arr, (0, 1)).all():
        bad = sorted({float(v) for v in np.unique(arr) if v not in (0, 1)})[:5]
        raise ParameterError(f"{name} must hold 0/1 labels; found {bad}")
    return arr


def as_model(model: object, name: str = "model") -> "MLP":
    """The network, given an :class:`~mi_ident.model.MLP`, a loaded ``WeightsFile`` or a path."""
    return as_model_and_data(model, name)[0]


def as_model_and_data(model: object, name: str = "model") -> tuple["MLP", dict[str, np.ndarray]]:
    """``(MLP, data arrays)`` from an MLP (no data), a ``WeightsFile`` or the path of a ``.npz``.

    The data are whichever of ``X_eval, y_eval, X_ground, y_ground, X_train, y_train``
    the file holds.
    """
    from .model import MLP
    from .weights import WeightsFile, load_weights

    if isinstance(model, (str, Path)):
        model = load_weights(model)
    if isinstance(model, WeightsFile):
        return model.model, dict(model.data)
    if isinstance(model, MLP):
        return model, {}
    raise InputTypeError(
        f"{name} must be a mi_ident MLP, a WeightsFile from load_weights, or the path of a .npz "
        f"weights file; got {type(model).__name__}"
    )

