"""Every chapter follows the course standard, checked on the committed ``notebooks/*.ipynb``.

Learning goals first; a setup cell that imports ``mi_ident`` in Binder and from a plain checkout;
a ``QUICK = True`` switch; an exercise with a folded solution; a closing "What we saw"; outputs
committed from one clean top-to-bottom run (no errors, no timings, no progress bars).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))

_QUICK_LINE = re.compile(r"^QUICK\s*=\s*True\b", re.MULTILINE)
_WHAT_WE_SAW = re.compile(r"^#+\s*What we saw", re.IGNORECASE | re.MULTILINE)
_SOLUTION = re.compile(r"<details>\s*<summary>[^<]*solution[^<]*</summary>.*?</details>", re.IGNORECASE | re.DOTALL)
_PROGRESS_BAR = re.compile(r"\d+/\d+ \[[\d:<?]+|it/s\]|s/it\]")
_MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,}")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _text(cell: dict) -> str:
    return "".join(cell["source"])


def _code_cells(cells: list[dict]) -> list[dict]:
    return [cell for cell in cells if cell["cell_type"] == "code" and _text(cell).strip()]


def _output_texts(cell: dict) -> list[str]:
    texts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            texts.append("".join(output["text"]))
        elif "data" in output:
            texts.append("".join(output["data"].get("text/plain", "")))
    return texts


def test_there_are_chapters():
    assert CHAPTERS, f"no chapters in {ROOT / 'notebooks'}"


def test_readme_lists_every_chapter():
    readme = (ROOT / "README.md").read_text()
    missing = [path.stem for path in CHAPTERS if path.stem not in readme]
    assert not missing, f"README.md's chapter list misses {missing}"


@pytest.fixture(params=CHAPTERS, ids=[path.stem for path in CHAPTERS])
def chapter(request) -> Path:
    return request.param


def test_chapter_file_name_and_kernel(chapter: Path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", chapter.name), "chapters are named NN_topic.ipynb"
    kernel = json.loads(chapter.read_text())["metadata"].get("kernelspec", {}).get("name")
    assert kernel == "python3", f"kernelspec name is {kernel!r}; use 'python3' so it runs everywhere"


def test_chapter_opens_with_learning_goals(chapter: Path):
    cells = _cells(chapter)
    first_code = cells.index(_code_cells(cells)[0])
    intro = " ".join(_text(cell) for cell in cells[:first_code] if cell["cell_type"] == "markdown")
    assert re.search(r"learning goals?|goals?\b", intro, re.IGNORECASE), (
        "state the learning goals in a markdown cell before the first code cell"
    )


def test_setup_cell_imports_mi_ident_in_binder_and_from_a_checkout(chapter: Path):
    setup = _text(_code_cells(_cells(chapter))[0])
    assert re.search(r"^\s*(import mi_ident|from mi_ident\b)", setup, re.MULTILINE), "first code cell: import mi_ident"
    assert "except ImportError" in setup and "sys.path.insert" in setup, (
        "first code cell: fall back to the repository root on sys.path when mi_ident is not installed"
    )


def test_quick_switch_is_set_up_front(chapter: Path):
    first_two = "\n".join(_text(cell) for cell in _code_cells(_cells(chapter))[:2])
    assert _QUICK_LINE.search(first_two), (
        "the setup or the next code cell sets `QUICK = True  # False: full-size runs` (committed in quick mode)"
    )


def test_exercise_has_a_folded_solution(chapter: Path):
    markdown = "\n".join(_text(cell) for cell in _cells(chapter) if cell["cell_type"] == "markdown")
    assert re.search(r"exercise", markdown, re.IGNORECASE), "every chapter has an exercise"
    assert _SOLUTION.search(markdown), "fold the exercise's solution in <details><summary>Solution</summary>...</details>"


def test_chapter_closes_with_what_we_saw(chapter: Path):
    cells = _cells(chapter)
    summaries = [i for i, cell in enumerate(cells) if cell["cell_type"] == "markdown" and _WHAT_WE_SAW.search(_text(cell))]
    assert summaries, "close the chapter with a '## What we saw' section"
    after = _code_cells(cells[summaries[-1] + 1 :])
    assert not after, "'What we saw' closes the chapter: no code cells after it"


def test_outputs_come_from_one_clean_run(chapter: Path):
    code = _code_cells(_cells(chapter))
    counts = [cell["execution_count"] for cell in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"execution counts {counts}: re-run top to bottom "
        f"(jupyter nbconvert --to notebook --execute --inplace {chapter.relative_to(ROOT)})"
    )
    for index, cell in enumerate(code, start=1):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"code cell {index} has a stored error: {output.get('ename')}"
        for text in _output_texts(cell):
            assert "Traceback" not in text, f"code cell {index} has a traceback in its output"
            assert not _PROGRESS_BAR.search(text), f"code cell {index} stores a progress bar: pass progress=False"
            assert not _MEMORY_ADDRESS.search(text), f"code cell {index} prints a memory address: {text[:200]!r}"
        assert "execution" not in cell["metadata"], f"code cell {index} stores execution timings: strip them"
