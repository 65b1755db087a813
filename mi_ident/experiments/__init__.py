"""Experiments: sweeps over many runs, and the one-network summaries the chapters show."""

from .grid import RunConfig, expand_grid, parse_seeds, read_grid
from .run import run_one
from .storage import load_records, load_results
from .summary import circuit_summary
from .sweep import run_sweep, sweep_grid

__all__ = ["RunConfig", "sweep_grid", "expand_grid", "read_grid", "parse_seeds", "run_one", "run_sweep",
           "load_results", "load_records", "circuit_summary"]
