#!/usr/bin/env bash
# Reproduce the shipped sweep results in notebooks/data/ (see notebooks/data/README.md).
#
#   scripts/run_paper_sweeps.sh [GRID ...]     # default: every grid in notebooks/data/grids/
#
# Each grid GRID.toml runs into $RESULTS/GRID/ (one JSON file per run; resumable: kill it and
# start it again, only missing runs are computed) and writes notebooks/data/GRID.csv.
# WORKERS (default: every core) sets the local Dask cluster's worker processes.
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=${RESULTS:-results}
PY=${PY:-.venv/bin/python}
grids=("$@")
if [ ${#grids[@]} -eq 0 ]; then grids=(paper_width multitask noise loss_target); fi
mkdir -p "$RESULTS"
for grid in "${grids[@]}"; do
  start=$(date +%s)
  "$PY" -m mi_ident.cli sweep "notebooks/data/grids/$grid.toml" "$RESULTS/$grid" \
      ${WORKERS:+--workers "$WORKERS"} --csv "notebooks/data/$grid.csv" > "$RESULTS/$grid.log" 2>&1 \
      || { echo "$grid: failed, see $RESULTS/$grid.log"; exit 1; }
  echo "$grid: $(( $(date +%s) - start )) s -> notebooks/data/$grid.csv"
done
