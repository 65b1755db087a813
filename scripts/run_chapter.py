"""Execute chapters top to bottom in place, as committed: outputs kept, execution timings stripped.

Usage: ``.venv/bin/python scripts/run_chapter.py notebooks/03_circuits.ipynb [...]``. Run from
anywhere; each notebook runs with ``notebooks/`` as its working directory, as in JupyterLab.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timings would differ on every run
    nbformat.write(nb, path)
    return seconds


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {run(Path(name).resolve()):.1f} s")
