"""Shared fixtures: the reference models of the original code, when ``../shared`` is present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "reference"

#: name -> (gate, seed offset) of every accepted reference model with full counts.
REFERENCE_MODELS = {
    "seed_00": ("XOR", 0),
    "seed_01": ("XOR", 1),
    "seed_02": ("XOR", 2),
    "seed_03": ("XOR", 3),
    "seed_04": ("XOR", 4),
    "AND_h3_seed_00": ("AND", 0),
    "XOR_h2_seed_02": ("XOR", 2),
}


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not (REFERENCE_DIR / "README.md").exists():
        pytest.skip(f"reference data not found at {REFERENCE_DIR} (e.g. a Binder checkout without ../shared)")
    return REFERENCE_DIR


def load_reference(reference_dir: Path, name: str) -> dict:
    return json.loads((reference_dir / f"{name}.json").read_text())
