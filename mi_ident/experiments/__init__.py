"""Experiments: sweeps over many runs, and the one-network summaries the chapters show."""

from .summary import circuit_summary
from .sweep import RunConfig, load_results, run_one, run_sweep, sweep_grid

__all__ = ["RunConfig", "sweep_grid", "run_one", "run_sweep", "load_results", "circuit_summary"]
