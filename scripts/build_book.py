"""Build the static HTML book: execute every chapter in quick mode and write build/book/.

Usage::

    python scripts/build_book.py [NOTEBOOKS] [OUT] [--full] [--timeout SECONDS]

``make book`` runs it with the defaults (``notebooks`` -> ``build/book``). Each chapter is executed
from a temporary copy, so the committed notebooks are never touched, and becomes one HTML page with
its widgets' last state embedded (they show, but need a live kernel to react). ``index.html`` lists the
chapters. The pages load the widget and MathJax scripts from a CDN, as nbconvert's HTML does, so offline
the widgets stay blank: ``explorer.html`` therefore shows the explorer's four views (and its training
dynamics) for several truth tables as plain images, drawn by :mod:`mi_ident.plotting.explorer`, which need
no script and no network (``--no-explorer`` skips it).
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Repository entries not mirrored next to the served or executed notebooks: big, private or rewritten.
_NOT_MIRRORED = {"notebooks", ".git", ".venv", "build", ".pytest_cache"}
_QUICK_LINE = re.compile(r"^QUICK\s*=\s*(True|False)\b", re.MULTILINE)
_NAV_CSS = (
    "<style>.mi-ident-nav{display:flex;gap:1.5em;padding:.6em 1.2em;border-bottom:1px solid #ddd;"
    "font-family:sans-serif;background:#fafafa}.mi-ident-nav a{text-decoration:none}</style>"
)


@dataclass
class Chapter:
    """One chapter of the book: its notebook, page name and title."""

    path: Path
    title: str

    @property
    def page(self) -> str:
        return f"{self.path.stem}.html"


def chapter_title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """The first markdown heading of the notebook, without its ``#`` marks."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s*(.+?)\s*$", cell.source, re.MULTILINE)
            if match:
                return match.group(1)
    return fallback


def set_quick(notebook: nbformat.NotebookNode, quick: bool) -> None:
    """Rewrite the chapter's ``QUICK = ...`` line; fail clearly when a chapter has none."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and _QUICK_LINE.search(cell.source):
            cell.source = _QUICK_LINE.sub(f"QUICK = {quick}", cell.source, count=1)
            return
    raise ValueError("no `QUICK = True` parameter line: every chapter states its quick/full switch")


def mirror_repository(work: Path, notebooks: Path) -> Path:
    """``work/repo``: links to the repository plus a copy of ``notebooks``, so chapters find
    ``mi_ident`` one folder up and anything they write stays out of the repository."""
    mirror = work / "repo"
    mirror.mkdir()
    for entry in REPO_ROOT.iterdir():
        if entry.name not in _NOT_MIRRORED:
            (mirror / entry.name).symlink_to(entry)
    shutil.copytree(notebooks, mirror / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return mirror / "notebooks"


def execute(path: Path, quick: bool, timeout: int) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    set_quick(notebook, quick)
    executor = ExecutePreprocessor(timeout=timeout, kernel_name="python3", store_widget_state=True)
    executor.preprocess(notebook, {"metadata": {"path": str(path.parent)}})
    return notebook


def nav_bar(chapters: list[Chapter], index: int) -> str:
    links = ['<a href="index.html">Contents</a>']
    if index > 0:
        links.insert(0, f'<a href="{chapters[index - 1].page}">&larr; {html.escape(chapters[index - 1].title)}</a>')
    if index + 1 < len(chapters):
        links.append(f'<a href="{chapters[index + 1].page}">{html.escape(chapters[index + 1].title)} &rarr;</a>')
    return f'{_NAV_CSS}<nav class="mi-ident-nav">{"".join(links)}</nav>'


#: Truth tables drawn on the static explorer page (quick mode: the first three).
EXPLORER_PRESETS = ("XOR", "AND", "NOR", "NAND", "IMP", "NIMP", "OR", "MAJ3 (majority)")


def _png_uri(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def explorer_page(presets: tuple[str, ...]) -> str:
    """A static page of the explorer's views (chapter 7) for each preset: plain images, no scripts."""
    sys.path.insert(0, str(REPO_ROOT))
    import matplotlib

    matplotlib.use("Agg")
    from mi_ident.explorer import Settings, explore_data, training_dynamics
    from mi_ident.plotting.explorer import plot_dynamics, plot_exploration

    sections = []
    for name in presets:
        s = Settings.from_preset(name, width=3, seed=0, formula_depth=2 if name.startswith("MAJ") else 3)
        ex = explore_data(s)
        figs = plot_exploration(ex)
        if ex.message is None:
            figs.append(plot_dynamics(training_dynamics(s), epoch=ex.epoch))
        images = "\n".join(f'<p><img src="{_png_uri(fig)}" style="max-width:100%"></p>' for fig in figs)
        table = " ".join("".join(map(str, row)) for row in s.table)
        sections.append(f"<h2>{html.escape(name)}</h2><p>Truth table (outputs per input row, in binary "
                        f"counting order): <code>{table}</code>; network {'-'.join(map(str, s.widths))}, "
                        f"seed {s.seed}.</p>\n{images}")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>mi-ident: the explorer, offline</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto;line-height:1.5}}</style></head><body>
<p><a href="index.html">Contents</a></p>
<h1>The explorer, offline</h1>
<p>Chapter 7's explorer, for several truth tables: the valid circuits, the interpretations of one circuit,
the aligned algorithms in classes and the mappings of one algorithm, each with its ladder of counts, then the
counts along training. Drawn by the same plain functions as the chapter; open the notebook to change
the settings.</p>
{"".join(sections)}
</body></html>
"""


def index_page(chapters: list[Chapter], quick: bool, explorer: bool = False) -> str:
    items = "\n".join(
        f'  <li><a href="{c.page}">{html.escape(c.title)}</a> <code>{html.escape(c.path.name)}</code></li>'
        for c in chapters
    )
    mode = "quick mode (small runs)" if quick else "full mode (paper-size runs)"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>mi-ident: the book</title>
<style>body{{font-family:sans-serif;max-width:46em;margin:3em auto;line-height:1.5}}li{{margin:.4em 0}}</style>
</head><body>
<h1>mi-ident</h1>
<p>Is mechanistic interpretability identifiable? Tiny MLPs trained on Boolean gates, and every circuit,
interpretation, algorithm and alignment that explains them. Chapters executed in {mode}; open the
notebooks in JupyterLab (<code>make lab</code>) to move the widgets.</p>
<ol>
{items}
</ol>
{'<p><a href="explorer.html">The explorer, offline</a>: its views for several truth tables, as images.</p>'
 if explorer else ''}
</body></html>
"""


def build(notebooks: Path, out: Path, quick: bool, timeout: int, explorer: bool = True) -> int:
    paths = sorted(notebooks.glob("*.ipynb"))
    if not paths:
        print(f"build_book: no notebooks (*.ipynb) in {notebooks}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    executed: list[tuple[Chapter, nbformat.NotebookNode]] = []
    failed = []
    with tempfile.TemporaryDirectory(prefix="mi-ident-book-") as tmp:
        copies = mirror_repository(Path(tmp), notebooks)
        for number, path in enumerate(paths, start=1):
            print(f"[{number}/{len(paths)}] executing {path.name} ...", flush=True)
            start = time.monotonic()
            try:
                notebook = execute(copies / path.name, quick, timeout)
            except (CellExecutionError, ValueError) as exc:
                # CellExecutionError's message already holds the failing cell and its traceback.
                print(f"    FAILED: {path.name}\n{exc}", file=sys.stderr)
                failed.append(path.name)
                continue
            print(f"    done in {time.monotonic() - start:.0f} s")
            executed.append((Chapter(path, chapter_title(notebook, path.stem)), notebook))
    chapters = [chapter for chapter, _ in executed]
    for index, (chapter, notebook) in enumerate(executed):
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": chapter.title}})
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav_bar(chapters, index), body, count=1)
        (out / chapter.page).write_text(body, encoding="utf-8")
    if explorer:
        print("drawing the explorer's views for the offline page ...", flush=True)
        presets = EXPLORER_PRESETS[:3] if quick else EXPLORER_PRESETS
        (out / "explorer.html").write_text(explorer_page(presets), encoding="utf-8")
    (out / "index.html").write_text(index_page(chapters, quick, explorer), encoding="utf-8")
    if failed:
        print(f"build_book: {len(failed)} chapter(s) failed to execute: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"book written to {out / 'index.html'} ({len(chapters)} chapters)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="?", type=Path, default=REPO_ROOT / "notebooks")
    parser.add_argument("out", nargs="?", type=Path, default=REPO_ROOT / "build" / "book")
    parser.add_argument("--full", action="store_true", help="execute with QUICK = False (paper-size runs)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    parser.add_argument("--no-explorer", action="store_true", help="skip the static explorer page")
    args = parser.parse_args(argv)
    if not args.notebooks.is_dir():
        parser.error(f"{args.notebooks} is not a folder of notebooks")
    return build(args.notebooks.resolve(), args.out.resolve(), quick=not args.full, timeout=args.timeout,
                 explorer=not args.no_explorer)


if __name__ == "__main__":
    sys.exit(main())
