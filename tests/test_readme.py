"""The README's Python example runs as written and prints what it promises."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "README.md should show how to use mi_ident from Python"
    script = tmp_path / "example.py"
    script.write_text(blocks[0])
    monkeypatch.chdir(tmp_path)  # the example saves a weights file
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    found = re.search(r"^9625 candidate circuits, (\d+) compute XOR, (\d+) up to the wiring of silent neurons, "
                      r"(\d+) edge-minimal$", out, re.M)
    assert found, out
    valid, classes, minimal = map(int, found.groups())
    assert valid >= classes >= 1 and valid >= minimal >= 1
    assert re.search(r"^\d+ minimal mappings onto the hidden neurons$", out, re.M)
    assert (tmp_path / "xor.npz").exists()
