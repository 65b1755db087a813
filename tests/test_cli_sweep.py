"""``mi-ident sweep`` and ``mi-ident plot``: bad input is one line and exit status 2, never a traceback."""

from __future__ import annotations

from mi_ident.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_out_that_is_a_file(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    code, _, err = _run(capsys, "sweep", str(tmp_path / "f"), "--workers", "1", "--quiet")
    assert code == 2 and "is a file" in _one_line_error(err)


def test_seed_range_too_large_is_refused_before_work(tmp_path, capsys):
    code, _, err = _run(capsys, "sweep", str(tmp_path / "out"), "--seeds", "0-1000000", "--workers", "1")
    assert code == 2 and "0-29" in _one_line_error(err)
    assert not (tmp_path / "out").exists()


def test_unknown_grid_key(tmp_path, capsys):
    grid = tmp_path / "g.toml"
    grid.write_text('gates = ["XOR"]\ncolour = "red"\n')
    code, _, err = _run(capsys, "sweep", str(grid), str(tmp_path / "out"), "--workers", "1")
    assert code == 2 and "unknown grid key 'colour'" in _one_line_error(err)


def test_unreachable_scheduler_is_one_line(tmp_path, capsys):
    code, _, err = _run(capsys, "sweep", str(tmp_path / "out"), "--seeds", "0", "--widths", "2",
                        "--scheduler", "tcp://127.0.0.1:1", "--quiet")
    assert code == 2 and "cannot reach the Dask scheduler" in _one_line_error(err)


def test_plot_on_an_empty_or_missing_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, _, err = _run(capsys, "plot", str(tmp_path / "empty"), str(tmp_path / "f.png"))
    assert code == 2 and "no run records" in _one_line_error(err)
    code, _, err = _run(capsys, "plot", str(tmp_path / "missing"), str(tmp_path / "f.png"))
    assert code == 2 and "does not exist" in _one_line_error(err)


def test_sweep_then_plot_end_to_end(tmp_path, capsys):
    out = str(tmp_path / "out")
    code, stdout, _ = _run(capsys, "sweep", out, "--gates", "and", "AND", "--widths", "2", "--seeds", "0-1",
                           "--stages", "train", "census", "--workers", "1", "--quiet",
                           "--csv", str(tmp_path / "r.csv"))
    assert code == 0 and stdout.count("AND") == 2  # "and" and "AND" are one gate: 2 seeds, 2 runs
    (tmp_path / "out" / "notes.json").write_text("{}")
    code, stdout, err = _run(capsys, "plot", out, str(tmp_path / "f.png"), "--by", "seed")
    assert code == 0 and (tmp_path / "f.png").stat().st_size > 0
    assert "warning" in err and "notes.json" in err
    (tmp_path / "out" / "notes.json").unlink()
    code, _, err = _run(capsys, "plot", out, str(tmp_path / "g.png"), "--by", "colour")
    assert code == 2 and "by='colour'" in _one_line_error(err)


def test_ctrl_c_while_the_cluster_starts_is_one_line(tmp_path, capsys, monkeypatch):
    from mi_ident.experiments import sweep as sweep_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep_module, "_start_client", interrupted)
    code, _, err = _run(capsys, "sweep", str(tmp_path / "out"), "--seeds", "0", "--widths", "2", "--workers", "2",
                        "--quiet")
    assert code == 130 and "interrupted" in _one_line_error(err)
