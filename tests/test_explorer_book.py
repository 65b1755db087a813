"""The static book's explorer page: the explorer's views as plain images, no scripts, linked from the index."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import build_book  # noqa: E402


def test_explorer_page_is_images_only():
    page = build_book.explorer_page(("XOR", "MAJ3 (majority)"))
    assert "<script" not in page and "http" not in page.split("</style>")[1]  # nothing to fetch
    xor, maj = page.split("<h2>")[1:]
    assert xor.count("<img") == 5  # four views and the training dynamics
    assert maj.count("<img") >= 1 and "3-3-3-1" in maj
    assert 'href="explorer.html"' in build_book.index_page([], quick=True, explorer=True)
    assert "explorer.html" not in build_book.index_page([], quick=True, explorer=False)
