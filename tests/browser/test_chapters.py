"""Every chapter, as a student meets it: open in JupyterLab, Run All, no errors, the main widget responds.

Convention shared by all chapters: the main widget's control is an ipywidgets ``Dropdown`` with CSS
class ``mi-ident-control`` and the widget showing its result has class ``mi-ident-result``. The test
picks another option and waits for the result to change; where the chapter has an editable truth table
(buttons of class ``mi-ident-cell``, chapter 7's explorer) it also flips a cell and waits for the drawing
(the result's images) to change. A screenshot of each chapter lands in
``build/screenshots/<chapter>.png``, also when the test fails.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 120_000  # two busy cores: page load, kernel start and widget updates are slow
KERNEL_READY_TIMEOUT_S = 120
RUN_ALL_TIMEOUT_S = 300  # chapters take < 60 s in quick mode; this only bounds a hang
POLL_S = 0.5

# One entry per cell of the page, in notebook order (windowingMode "none" keeps them all rendered).
_CELLS_JS = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')).map(cell => ({
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {textContent: ''}).textContent.trim(),
    stderr: Array.from(cell.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')).map(o => o.innerText),
    outputs: Array.from(cell.querySelectorAll('.jp-OutputArea-output')).map(o => o.innerText),
}))"""

# What the reader sees of the result widgets: their text and their images.
# An ``Image`` widget is itself the <img> carrying the class; other results contain their images.
_RESULT_JS = """() => Array.from(document.querySelectorAll('.mi-ident-result')).map(el =>
    el.innerText + '|' + (el.tagName === 'IMG' ? el.src : '') + '|'
    + Array.from(el.querySelectorAll('img')).map(img => img.src).join(',')).join('\\n')"""

# The explorer's drawing: the images of its result widgets.
_IMAGES_JS = """() => Array.from(document.querySelectorAll('.mi-ident-result img')).map(img => img.src).join(',')"""

# Messages JupyterLab prints in place of an output or widget it failed to render.
_RENDER_FAILURES = ("Error displaying widget", "Error rendering output", "Javascript Error")
# An exception shown without a traceback (e.g. `%xmode Minimal`); warnings do not match.
_EXCEPTION_LINE = re.compile(r"^\s*[A-Za-z_.]*(Error|Exception)\b", re.MULTILINE)


def _expected_cells(path: Path) -> tuple[int, list[int], set[int]]:
    """Number of cells, indices of non-empty code cells, indices of cells allowed to raise."""
    cells = json.loads(path.read_text())["cells"]
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    may_raise = {i for i, c in enumerate(cells) if "raises-exception" in c.get("metadata", {}).get("tags", [])}
    return len(cells), code, may_raise


def _wait_for_one_idle_kernel(server, chapter: str) -> None:
    deadline = time.monotonic() + KERNEL_READY_TIMEOUT_S
    kernels: list[dict] = []
    while time.monotonic() < deadline:
        kernels = server.kernels()
        if len(kernels) == 1 and kernels[0]["execution_state"] == "idle" and kernels[0]["connections"] >= 1:
            return
        time.sleep(POLL_S)
    pytest.fail(
        f"{chapter}: no single idle, connected kernel after {KERNEL_READY_TIMEOUT_S} s (kernels: {kernels}). "
        f"Server log tail:\n{server.log_tail()}",
        pytrace=False,
    )


def _kernel_idle(server) -> bool:
    return all(k["execution_state"] == "idle" for k in server.kernels())


def _errors(cells: list[dict], may_raise: set[int]) -> list[str]:
    found = []
    for index, cell in enumerate(cells):
        if index in may_raise:
            continue
        for text in cell["stderr"]:
            if "Traceback" in text or _EXCEPTION_LINE.search(text):
                found.append(f"cell {index}:\n{text.strip()[-1500:]}")
        for text in cell["outputs"]:
            if any(marker in text for marker in _RENDER_FAILURES):
                found.append(f"cell {index}: {text.strip()[:500]}")
    return found


def _run_all_and_wait(page, server, chapter: str, code_cells: list[int], may_raise: set[int]) -> list[dict]:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    deadline = time.monotonic() + RUN_ALL_TIMEOUT_S
    settled = 0
    while time.monotonic() < deadline:
        cells = page.evaluate(_CELLS_JS)
        prompts = [cells[i]["prompt"] for i in code_cells]
        pending = any("*" in p for p in prompts)
        executed = sum(p.strip("[]:").isdigit() for p in prompts)
        finished = executed == len(code_cells) or _errors(cells, may_raise)
        # Two quiet polls in a row: the kernel is briefly idle between cells.
        settled = settled + 1 if (finished and not pending and _kernel_idle(server)) else 0
        if settled >= 2:
            return cells
        time.sleep(POLL_S)
    waiting = [i for i in code_cells if not cells[i]["prompt"].strip("[]:").isdigit()]
    pytest.fail(
        f"{chapter}: Run All did not finish within {RUN_ALL_TIMEOUT_S} s; cells still not executed: {waiting}",
        pytrace=False,
    )


def _check_no_errors(page, chapter: str, may_raise: set[int], when: str) -> None:
    errors = _errors(page.evaluate(_CELLS_JS), may_raise)
    if errors:
        pytest.fail(f"{chapter}: error output {when}:\n" + "\n\n".join(errors), pytrace=False)


def _move_main_control(page, server, chapter: str) -> None:
    controls = page.locator(".mi-ident-control select")
    if controls.count() == 0:
        pytest.fail(
            f"{chapter}: no main widget control found. Every chapter shows an ipywidgets Dropdown with "
            "CSS class 'mi-ident-control' (rendered as '.mi-ident-control select') and a result widget "
            "with class 'mi-ident-result'.",
            pytrace=False,
        )
    if page.locator(".mi-ident-result").count() == 0:
        pytest.fail(f"{chapter}: the control exists but no widget has class 'mi-ident-result'.", pytrace=False)
    control = controls.first
    control.scroll_into_view_if_needed()
    selected, n_options = control.evaluate("s => [s.selectedIndex, s.options.length]")
    assert n_options >= 2, f"{chapter}: the main control offers {n_options} option(s); the reader needs a choice"
    before = page.evaluate(_RESULT_JS)
    control.select_option(index=(selected + 1) % n_options)
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(
            f"before => {{ const now = ({_RESULT_JS})(); return now !== before && now.trim() !== '|'; }}",
            arg=before,
            timeout=PAGE_TIMEOUT_MS,
        )
        changed = True
    except PlaywrightTimeoutError:
        changed = False
    if not changed:
        pytest.fail(
            f"{chapter}: selecting another option in '.mi-ident-control' did not change '.mi-ident-result' "
            f"within {PAGE_TIMEOUT_MS // 1000} s (result text: {before[:300]!r})",
            pytrace=False,
        )
    # The result may be redrawn in steps (cleared, then filled): judge it once the kernel is done.
    deadline = time.monotonic() + KERNEL_READY_TIMEOUT_S
    while not _kernel_idle(server) and time.monotonic() < deadline:
        time.sleep(POLL_S)
    time.sleep(2 * POLL_S)
    after = page.evaluate(_RESULT_JS)
    assert after != before, f"{chapter}: '.mi-ident-result' went back to its old content after the update"


def _wait_until_idle(server) -> None:
    deadline = time.monotonic() + KERNEL_READY_TIMEOUT_S
    while not _kernel_idle(server) and time.monotonic() < deadline:
        time.sleep(POLL_S)
    time.sleep(2 * POLL_S)


def _flip_truth_table_cell(page, server, chapter: str) -> None:
    """Chapters with an editable truth table (buttons of class ``mi-ident-cell``, the explorer):
    click the first output cell and wait for the drawing (the result's images) to change."""
    cells = page.locator(".mi-ident-cell")
    if cells.count() == 0:
        return
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    before = page.evaluate(_IMAGES_JS)
    assert before, f"{chapter}: the truth table shows no drawing in '.mi-ident-result' before the flip"
    cells.first.scroll_into_view_if_needed()
    cells.first.click()
    try:
        page.wait_for_function(
            f"before => {{ const now = ({_IMAGES_JS})(); return now !== before && now !== ''; }}",
            arg=before, timeout=PAGE_TIMEOUT_MS,
        )
    except PlaywrightTimeoutError:
        pytest.fail(f"{chapter}: flipping a truth-table cell did not change the drawing within "
                    f"{PAGE_TIMEOUT_MS // 1000} s", pytrace=False)
    _wait_until_idle(server)
    assert page.evaluate(_IMAGES_JS) != before, f"{chapter}: the drawing went back after flipping a cell"


def test_chapter_runs_in_jupyterlab(chapter_path: Path, page, lab_server, screenshot_dir: Path) -> None:
    """``chapter_path`` runs over every notebook found (see ``pytest_generate_tests`` in conftest)."""
    chapter = chapter_path.name
    n_cells, code_cells, may_raise = _expected_cells(chapter_path)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(f"{lab_server.url}/lab/tree/{quote(chapter)}?reset&token={lab_server.token}")
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length === n",
            arg=n_cells,
        )
        _wait_for_one_idle_kernel(lab_server, chapter)
        _run_all_and_wait(page, lab_server, chapter, code_cells, may_raise)
        _check_no_errors(page, chapter, may_raise, "after Run All")
        _move_main_control(page, lab_server, chapter)
        _check_no_errors(page, chapter, may_raise, "after moving the main control")
        _flip_truth_table_cell(page, lab_server, chapter)
        _check_no_errors(page, chapter, may_raise, "after flipping a truth-table cell")
    finally:
        page.screenshot(path=str(screenshot_dir / f"{chapter_path.stem}.png"))
