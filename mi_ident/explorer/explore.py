"""Everything the explorer shows for one setting, computed by plain functions.

:func:`explore_data` trains (cached), then computes the four views for the chosen seed,
circuit, formula and checkpoint; :func:`training_dynamics` counts valid circuits and
aligned formulas at every checkpoint. A setting that cannot be explained (a constant
output, a network too wide to enumerate, a network that did not learn) gives an
:class:`Exploration` whose ``message`` says why, never an exception.

Example
-------
>>> from mi_ident.explorer.settings import Settings
>>> ex = explore_data(Settings.from_preset("AND", width=2, depth=1, formula_depth=2))
>>> ex.message is None, ex.circuits.n_valid > 0
(True, True)
>>> explore_data(Settings(table=[[1], [1], [1], [1]])).message[:27]
'the truth table is constant'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..circuits import count_candidates
from ..errors import MIIdentError
from .circuits import CircuitView, circuit_view
from .settings import Settings
from .training import SeedRun, TrainingRun, train_with_checkpoints
from .views import (MAX_ALIGN_NEURONS, AlgorithmView, InterpretationView, MappingView, algorithm_view,
                    interpretation_view, mapping_view)

__all__ = ["Exploration", "Dynamics", "explore_data", "training_dynamics", "check_tractable",
           "MAX_CENSUS_CANDIDATES", "MAX_CHECKPOINTS"]

#: Largest candidate list the explorer counts (2-4-4-1 has 4.3 million, 2-5-5-1 7.3 billion).
MAX_CENSUS_CANDIDATES = 5_000_000
#: At most this many checkpoints are analysed (evenly spread, first and last kept).
MAX_CHECKPOINTS = 20


@dataclass(frozen=True)
class Exploration:
    """The explorer's data for one setting; ``message`` explains any view left out."""

    settings: Settings
    run: TrainingRun | None = None
    seed_run: SeedRun | None = None
    checkpoint: int = -1  # index into seed_run.checkpoints (non-negative once trained)
    message: str | None = None
    circuits: CircuitView | None = None
    interpretations: InterpretationView | None = None
    algorithms: AlgorithmView | None = None
    mappings: MappingView | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def epoch(self) -> int | None:
        return None if self.seed_run is None else self.seed_run.checkpoints[self.checkpoint].epoch


def check_tractable(settings: Settings) -> str | None:
    """Why ``settings`` cannot be explored (a sentence), or ``None``; checked before any work."""
    constant = settings.constant_outputs()
    if len(constant) == settings.n_outputs:
        return ("the truth table is constant: every output is the same on every row, so there is "
                "nothing to compute and every circuit would explain it; flip a cell")
    n = count_candidates(settings.widths)
    if n > MAX_CENSUS_CANDIDATES:
        return (f"a {'-'.join(map(str, settings.widths))} network has {n:,} candidate circuits, past the "
                f"{MAX_CENSUS_CANDIDATES:,} the explorer enumerates; choose a smaller width or depth")
    return None


def _alignment_problem(settings: Settings) -> str | None:
    if settings.n_inputs == 3 and settings.formula_depth == 3:
        return ("3-input formulas of depth 3 number in the tens of thousands (over a minute to list): "
                "algorithms are aligned at formula depth <= 2 for 3 inputs")
    if settings.width * settings.depth > MAX_ALIGN_NEURONS:
        return (f"alignment tries every set of the {settings.width * settings.depth} hidden neurons; "
                f"at most {MAX_ALIGN_NEURONS} are tractable here")
    if settings.output in settings.constant_outputs():
        return f"output {settings.output} is constant: no algorithm to align"
    return None


def explore_data(settings: Settings, circuit: int = 0, formula: int = 0, checkpoint: int = -1,
                 progress: bool = False, on_epoch: Callable[[int, int], None] | None = None) -> Exploration:
    """Train (cached) and compute the four views for ``settings``.

    ``circuit`` picks the gallery circuit whose interpretations are shown, ``formula`` the
    aligned formula whose mappings are drawn, ``checkpoint`` the training checkpoint (-1:
    the final network).
    """
    problem = check_tractable(settings)
    if problem:
        return Exploration(settings, message=problem)
    run = train_with_checkpoints(settings, progress=progress, on_epoch=on_epoch)
    seed_run = run.run_for(settings.seed)
    n_ckpt = len(seed_run.checkpoints)
    checkpoint = min(max(int(checkpoint), -n_ckpt), n_ckpt - 1) % n_ckpt  # one index per checkpoint
    base = dict(settings=settings, run=run, seed_run=seed_run, checkpoint=checkpoint)
    final = checkpoint == n_ckpt - 1
    if final and not seed_run.accepted:
        return Exploration(**base, message=(
            f"seed {seed_run.seed} did not reach the target (final loss {seed_run.losses[-1]:.3g}, "
            f"loss target {settings.loss_target:g}, validation accuracy {seed_run.val_accuracy:.0%}, "
            f"stopped: {seed_run.stop_reason}); try another seed, a larger network or learning rate"))
    model = seed_run.checkpoints[checkpoint].model()
    try:
        circuits = circuit_view(model, settings)
    except MIIdentError as exc:
        return Exploration(**base, message=str(exc))
    notes = []
    interpretations = None
    if circuits.gallery:
        interpretations = interpretation_view(model, circuits.gallery[min(circuit, len(circuits.gallery) - 1)])
    else:
        notes.append("no valid circuit: nothing to interpret")
    algorithms = mappings = None
    problem = _alignment_problem(settings)
    if problem:
        notes.append(problem)
    else:
        column = [row[settings.output] for row in settings.table]
        algorithms = algorithm_view(model, column, settings.formula_depth, settings.criterion, settings.output)
        mappings = mapping_view(algorithms, formula)
    return Exploration(**base, circuits=circuits, interpretations=interpretations, algorithms=algorithms,
                       mappings=mappings, notes=tuple(notes))


@dataclass(frozen=True)
class Dynamics:
    """Counts at every analysed checkpoint of one seed's training."""

    epochs: tuple[int, ...]
    losses: tuple[float, ...]
    n_valid: tuple[int, ...]
    n_edge_minimal: tuple[int | None, ...]
    n_aligned: tuple[int | None, ...]  # None where alignment is not tractable


def _spread(n: int, k: int) -> list[int]:
    if n <= k:
        return list(range(n))
    return sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})


def training_dynamics(settings: Settings, progress: bool = False,
                      on_step: Callable[[int, int], None] | None = None) -> Dynamics:
    """Valid circuits (raw, edge-minimal) and aligned formulas at each checkpoint of ``settings.seed``.

    Aligned formulas are counted among the paper's candidate list (56 formulas for XOR at depth 3,
    against 4,488 in the algorithms view, which would take minutes per run), with the same search
    and criterion as the algorithms view.
    """
    problem = check_tractable(settings)
    if problem:
        raise MIIdentError(problem)
    key = (settings.training_key(), settings.seed, settings.ablation, settings.min_margin, settings.criterion,
           settings.formula_depth, settings.output)
    if key not in _DYNAMICS:
        _DYNAMICS[key] = _dynamics(settings, progress, on_step)
    return _DYNAMICS[key]


_DYNAMICS: dict = {}
_COUNTS: dict = {}  # (network, ablation, margin) -> circuit counts per checkpoint
_ALIGNED: dict = {}  # (network, criterion, depth, output) -> aligned formulas per checkpoint


def _dynamics(settings: Settings, progress: bool, on_step) -> Dynamics:
    """Circuit counts and alignment counts are cached apart: a new margin or ablation changes
    only the former, a new criterion only the latter (each half takes up to a second)."""
    seed_run = train_with_checkpoints(settings, progress=progress).run_for(settings.seed)
    picks = _spread(len(seed_run.checkpoints), MAX_CHECKPOINTS)
    net = (settings.training_key(), settings.seed)
    ckey = (net, settings.ablation, settings.min_margin)
    akey = (net, settings.criterion, settings.formula_depth, settings.output)
    align = _alignment_problem(settings) is None
    column = [row[settings.output] for row in settings.table]
    counts = _COUNTS.get(ckey, [])
    aligned = _ALIGNED.get(akey, [])
    for step, k in enumerate(picks):
        model = seed_run.checkpoints[k].model()
        if ckey not in _COUNTS:
            view = circuit_view(model, settings, n_gallery=0)
            counts.append((view.n_valid, view.n_edge_minimal))
        if akey not in _ALIGNED:
            aligned.append(algorithm_view(model, column, settings.formula_depth, settings.criterion,
                                          settings.output, candidates="paper").n_formulas if align else None)
        if on_step is not None:
            on_step(step + 1, len(picks))
    for cache in (_COUNTS, _ALIGNED):
        if len(cache) > 256:
            cache.clear()
    _COUNTS[ckey], _ALIGNED[akey] = counts, aligned
    ckpts = [seed_run.checkpoints[k] for k in picks]
    return Dynamics(tuple(c.epoch for c in ckpts), tuple(c.loss for c in ckpts), tuple(v for v, _ in counts),
                    tuple(m for _, m in counts), tuple(aligned))
