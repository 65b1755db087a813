"""What one run of a sweep is, and how grids of runs are written down (flags or a TOML file).

A :class:`RunConfig` states every parameter of one run: the task, the architecture, the
seed, the training recipe and its data, and how each stage is measured. Its
:attr:`~RunConfig.key` is a readable prefix plus a hash of *every* parameter, so two runs
that differ in anything never share a results file. :func:`expand_grid` turns a grid
(each axis a list of values) into runs; :func:`read_grid` reads one from a TOML file.

Example
-------
>>> a = RunConfig("xor", width=3, seed=0)
>>> b = RunConfig("XOR", width=3, seed=0, census_mode="paper")
>>> a.gate, a.key == RunConfig("XOR", width=3, seed=0).key, a.key == b.key
('XOR', True, False)
>>> a.key.startswith("XOR_w3d2_ours_s0_")
True
>>> len(expand_grid({"gates": ["AND", "OR"], "widths": [2, 3], "seeds": "0-2"}))
12
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._validation import (
    check_choice,
    check_fraction,
    check_int,
    check_mode,
    check_number,
    check_seed,
)
from ..boolean import make_task
from ..errors import ParameterError, TooLargeError
from ..vocabulary import ABLATIONS, CRITERIA, DEFAULT_ACCURACY

__all__ = ["AXES", "MAX_RUNS", "RECIPES", "STAGES", "RunConfig", "expand_grid", "parse_seeds", "read_grid"]

STAGES = ("train", "census", "interpretations", "alignment")
RECIPES = ("ours", "paper")
#: A sweep may hold at most this many runs; larger grids are refused before any work.
MAX_RUNS = 20_000


@dataclass(frozen=True)
class RunConfig:
    """Every parameter of one run. Values are checked and normalised on construction.

    ``recipe="paper"`` replays the original code exactly (:func:`~mi_ident.training.train_paper`,
    its own data draws, seed = seed offset), so it takes no input noise, label noise or skew.
    ``recipe="ours"`` trains with :func:`~mi_ident.training.train` on 1000 copies of each
    truth-table row (``skew``: drawn with those row probabilities instead), ``input_noise``
    Gaussian noise on the inputs and a ``label_noise`` fraction of flipped targets; acceptance
    is judged on clean, balanced validation data. ``stages`` and ``allow_large`` say what to
    compute, not how: they are not part of the key.
    """

    gate: str
    width: int = 3
    seed: int = 0
    depth: int = 2
    recipe: str = "ours"
    input_noise: float = 0.0
    label_noise: float = 0.0
    skew: tuple[float, ...] | None = None
    loss_target: float = 0.01
    lr: float = 1e-3
    weight_decay: float = 0.01
    l1: float = 0.0
    dropout: float = 0.0
    max_epochs: int = 1000
    census_mode: str = "corrected"
    interp_mode: str = "corrected"
    align_mode: str = "corrected"
    criterion: str = "single"
    ablation: str = "zero"
    accuracy_threshold: float = DEFAULT_ACCURACY
    formula_depth: int = 3
    stages: tuple[str, ...] = STAGES
    allow_large: bool = False

    def __post_init__(self) -> None:
        put = lambda name, value: object.__setattr__(self, name, value)
        put("gate", make_task(str(self.gate).strip()).name)
        put("width", check_int("width", self.width, minimum=1, maximum=64))
        put("depth", check_int("depth", self.depth, minimum=1, maximum=8))
        put("seed", check_seed(self.seed))
        put("recipe", check_choice("recipe", self.recipe, RECIPES))
        put("input_noise", check_fraction("input_noise", self.input_noise, high=float("inf")))
        put("label_noise", check_fraction("label_noise", self.label_noise))
        put("skew", None if not self.skew else tuple(float(p) for p in self.skew))
        for name in ("loss_target", "weight_decay", "l1"):
            put(name, check_fraction(name, getattr(self, name), high=float("inf")))
        put("dropout", check_fraction("dropout", self.dropout))
        put("lr", check_number("lr", self.lr))
        put("max_epochs", check_int("max_epochs", self.max_epochs, minimum=1, maximum=10**6))
        for name in ("census_mode", "interp_mode", "align_mode"):
            put(name, check_mode(getattr(self, name), name))
        put("criterion", check_choice("criterion", self.criterion, CRITERIA))
        put("ablation", check_choice("ablation", self.ablation, ABLATIONS))
        put("accuracy_threshold", check_fraction("accuracy_threshold", self.accuracy_threshold))
        put("formula_depth", check_int("formula_depth", self.formula_depth, minimum=0, maximum=4))
        put("allow_large", bool(self.allow_large))
        self._check_stages()
        if self.recipe == "paper" and (self.input_noise or self.label_noise or self.skew):
            raise ParameterError(
                "recipe 'paper' replays the original code's noise-free data draws: set input_noise, "
                "label_noise and skew to 0/none, or use recipe 'ours'"
            )

    def _check_stages(self) -> None:
        stages = tuple(dict.fromkeys(str(s).strip().lower() for s in self.stages))
        unknown = sorted(set(stages) - set(STAGES))
        if unknown:
            raise ParameterError(f"unknown stages {unknown}; choose from {list(STAGES)}")
        if "train" not in stages:
            raise ParameterError("every run starts by training its network: include 'train' in stages")
        object.__setattr__(self, "stages", tuple(s for s in STAGES if s in stages))

    @property
    def widths(self) -> tuple[int, ...]:
        """Layer sizes from the 2 inputs to one output per task."""
        return (2, *([self.width] * self.depth), make_task(self.gate).n_outputs)

    @property
    def n_tasks(self) -> int:
        return make_task(self.gate).n_outputs

    def params(self) -> dict[str, Any]:
        """Every parameter that can change a result (all fields but ``stages`` and ``allow_large``)."""
        d = dataclasses.asdict(self)
        del d["stages"], d["allow_large"]
        d["skew"] = list(self.skew) if self.skew else None
        return d

    @property
    def key(self) -> str:
        """``GATE_w{width}d{depth}_{recipe}_s{seed}_{hash}``; the hash covers every parameter."""
        blob = json.dumps(self.params(), sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(blob.encode()).hexdigest()[:12]
        return f"{self.gate}_w{self.width}d{self.depth}_{self.recipe}_s{self.seed}_{digest}"


def parse_seeds(spec: Any) -> list[int]:
    """Seeds from ``"0-29"``, ``"0,3,7"``, an int ``n`` (seeds 0..n-1) or a list; at most :data:`MAX_RUNS`.

    >>> parse_seeds("2-4"), parse_seeds("0,7"), parse_seeds(2)
    ([2, 3, 4], [0, 7], [0, 1])
    """
    if isinstance(spec, bool):
        raise ParameterError(f"seeds: give a range such as 0-9, a list such as 0,3,7 or a count; got {spec!r}")
    if isinstance(spec, int):
        lo, hi = 0, spec - 1
    elif isinstance(spec, str) and "-" in spec.strip().strip("-"):
        try:
            lo, hi = (int(t) for t in spec.split("-", 1))
        except ValueError:
            raise ParameterError(f"seeds: give a range such as 0-9 or a list such as 0,3,7; got {spec!r}") from None
    else:
        items = spec.split(",") if isinstance(spec, str) else spec
        try:
            seeds = [check_seed(int(str(t).strip())) for t in items if str(t).strip()]
        except (TypeError, ValueError):
            raise ParameterError(f"seeds: give a range such as 0-9 or a list such as 0,3,7; got {spec!r}") from None
        lo, hi = 0, len(seeds) - 1
        return _capped(seeds, len(seeds))
    if hi < lo:
        raise ParameterError(f"seeds selects no seed: {spec!r}")
    _capped([], hi - lo + 1)  # refuse before building the list
    return [check_seed(s) for s in range(lo, hi + 1)]


def _capped(seeds: list[int], n: int) -> list[int]:
    if n == 0:
        raise ParameterError("seeds selects no seed; give e.g. 0-9")
    if n > MAX_RUNS:
        raise TooLargeError(
            f"seeds selects {n:,} seeds, more than a sweep may run ({MAX_RUNS:,}); give a smaller "
            f"range such as 0-29, or split the work into several sweeps into the same folder"
        )
    return seeds


#: Grid keys: axis name -> RunConfig field (``gates`` etc. are the plural spellings).
AXES = {"gates": "gate", "gate": "gate", "widths": "width", "width": "width", "depths": "depth",
        "depth": "depth", "seeds": "seed", "seed": "seed", "recipes": "recipe", "recipe": "recipe",
        **{f.name: f.name for f in dataclasses.fields(RunConfig)
           if f.name not in ("gate", "width", "depth", "seed", "recipe", "stages", "allow_large")}}
_SETTINGS = ("stages", "allow_large")
_MODE_FIELDS = ("census_mode", "interp_mode", "align_mode")


def expand_grid(grid: Mapping[str, Any]) -> list[RunConfig]:
    """Every combination of the grid's axes (a scalar is a one-value axis).

    Keys are the names in :data:`AXES`, ``mode`` (sets the three stage modes together),
    ``stages`` and ``allow_large``; ``gates`` is required. The number of runs is checked against :data:`MAX_RUNS` before any is built.
    """
    axes, settings = {}, {}
    grid = dict(grid)
    if "mode" in grid:  # one axis that sets the census, interpretation and alignment modes together
        modes = grid.pop("mode")
        modes = [modes] if isinstance(modes, str) else modes
        if any(m in grid for m in _MODE_FIELDS):
            raise ParameterError(f"grid key 'mode' sets {list(_MODE_FIELDS)}: give either it or those")
        axes["mode"] = list(modes)
    for name, values in grid.items():
        if name in _SETTINGS:
            settings[name] = tuple(values) if name == "stages" and not isinstance(values, str) else values
            if name == "stages" and isinstance(values, str):
                settings[name] = tuple(values.split())
            continue
        if name not in AXES:
            raise ParameterError(f"unknown grid key {name!r}; known keys: "
                                 f"{sorted(set(AXES) | set(_SETTINGS) | {'mode'})}")
        field = AXES[name]
        if field in axes:
            raise ParameterError(f"grid key {name!r} repeats the axis {field!r}")
        if field == "seed":
            values = parse_seeds(values)
        elif field == "skew":  # a list of probability lists; [] means balanced
            values = values if values and isinstance(values[0], (list, tuple)) else [values]
        elif not isinstance(values, (list, tuple)):
            values = [values]
        if len(values) == 0:
            raise ParameterError(f"grid axis {name!r} is empty; give at least one value")
        axes[field] = list(values)
    if "mode" in axes and not axes["mode"]:
        raise ParameterError("grid axis 'mode' is empty; give at least one value")
    if "gate" not in axes:
        raise ParameterError("a grid needs gates, e.g. gates = [\"XOR\"]")
    n = math.prod(len(v) for v in axes.values())
    if n > MAX_RUNS:
        raise TooLargeError(f"the grid has {n:,} runs, more than a sweep may run ({MAX_RUNS:,}); "
                            f"shrink an axis (fewer seeds or widths) or split it into several grids")
    names = list(axes)
    combos = [[]]
    for name in names:
        combos = [c + [v] for c in combos for v in axes[name]]
    configs: dict[str, RunConfig] = {}
    for combo in combos:  # "and" and "AND" (or 0110 and XOR) are one run
        values = dict(zip(names, combo))
        mode = values.pop("mode", None)
        if mode is not None:
            values.update(dict.fromkeys(_MODE_FIELDS, mode))
        config = RunConfig(**values, **settings)
        configs.setdefault(config.key, config)
    return list(configs.values())


def read_grid(path: str | Path) -> list[RunConfig]:
    """Runs of a TOML grid file: axes at top level, or several ``[[grid]]`` tables (their union).

    Example file::

        gates = ["XOR"]
        widths = [2, 3, 4, 5]
        seeds = "0-29"
        census_mode = ["paper", "corrected"]
        stages = ["train", "census", "interpretations", "alignment"]
    """
    import tomllib

    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ParameterError(f"{path} is not a text (TOML) file") from None
    grids = doc.get("grid") if set(doc) == {"grid"} else doc
    if isinstance(grids, dict):
        grids = [grids]
    if not isinstance(grids, list) or not grids:
        raise ParameterError(f"{path}: write the axes at top level or as [[grid]] tables")
    configs: dict[str, RunConfig] = {}
    for grid in grids:
        for config in expand_grid(grid):
            configs.setdefault(config.key, config)
    if len(configs) > MAX_RUNS:
        raise TooLargeError(f"{path} has {len(configs):,} runs, more than a sweep may run ({MAX_RUNS:,})")
    return list(configs.values())
