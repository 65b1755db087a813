"""Bad input, tried as a hostile user would: one clear line and exit status 2 from the CLI, a
package error from the API, within seconds, and nothing changed on disk.

One test (or parametrised case) per class of bad input; the stages' own test files hold the
cases specific to them (sizes of a census, an alignment or a sweep).
"""

from __future__ import annotations

import os
import zipfile

import numpy as np
import pytest

from mi_ident.cli import main
from mi_ident.errors import InputTypeError, MIIdentError, ParameterError, WeightsFileError
from mi_ident.model import MLP
from mi_ident.weights import MAX_MEMBER_BYTES, load_weights, save_weights

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code: int, out: str, err: str) -> None:
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("mi-ident ")


def _weights(**extra) -> dict[str, np.ndarray]:
    arrays = {}
    for i, (W, b) in enumerate(MLP([2, 2, 1], seed=0).numpy_weights()):
        arrays[f"W{i}"], arrays[f"b{i}"] = W, b
    arrays.update(extra)
    return arrays


# -- weights files: data checks -----------------------------------------------------------
BAD_FILES = {
    "NaN slope": (_weights(negative_slope=np.float64("nan")), "negative_slope"),
    "slope of the wrong type": (_weights(negative_slope=np.array(["x"])), "not a readable .npz"),
    "labels that are not 0/1": (_weights(X_eval=CORNERS, y_eval=np.array([0, 2, 1, 0], np.float32)), "0/1 labels"),
    "a scalar X_eval": (_weights(X_eval=np.float32(1.0)), "X_eval"),
    "a gap in the W keys": ({**_weights(), "W3": np.zeros((1, 1)), "b3": np.zeros(1)}, "without gaps"),
    "complex weights": (_weights(W0=np.ones((2, 2), np.complex64)), "not a readable .npz"),
    "an empty weight matrix": (_weights(W0=np.zeros((0, 2), np.float32), b0=np.zeros(0, np.float32)), "non-empty"),
    "infinite data": (_weights(X_eval=np.full((4, 2), np.inf, np.float32),
                               y_eval=np.zeros(4, np.float32)), "finite"),
}


@pytest.mark.parametrize("arrays, message", BAD_FILES.values(), ids=list(BAD_FILES))
def test_a_bad_weights_file_gets_one_line(tmp_path, capsys, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(WeightsFileError, match=message):
        load_weights(path)
    for command in ("census", "align"):
        _one_line_error(*_cli(capsys, command, str(path)))


def test_a_member_that_would_unpack_to_gigabytes_is_refused_before_reading(tmp_path, capsys):
    # a small file whose header claims a huge array: the size check must come before np.load
    path = tmp_path / "bomb.npz"
    np.savez(path, **_weights())
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("X_train.npy", "w", force_zip64=True) as fh:
            header = np.lib.format.header_data_from_array_1_0(np.zeros((1, 2), np.float32))
            header["shape"] = (MAX_MEMBER_BYTES // 8 + 1, 2)
            np.lib.format.write_array_header_1_0(fh, header)
            chunk = bytes(1 << 20)
            for _ in range(MAX_MEMBER_BYTES // len(chunk) + 1):
                fh.write(chunk)
    assert path.stat().st_size < 2 * 2**20  # zeros compress to almost nothing
    with pytest.raises(WeightsFileError, match="would unpack"):
        load_weights(path)
    _one_line_error(*_cli(capsys, "census", str(path)))


# -- weights files: the operating system ----------------------------------------------------
def test_paths_that_are_not_weights_files(tmp_path, capsys):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)  # reading it would block forever
    cases = [tmp_path / "missing.npz", tmp_path, fifo, tmp_path / ("x" * 300 + ".npz")]
    for path in cases:
        _one_line_error(*_cli(capsys, "census", str(path)))
        _one_line_error(*_cli(capsys, "align", str(path)))


def test_a_failed_save_leaves_the_old_file_and_no_temporary(tmp_path):
    path = save_weights(MLP([2, 2, 1], seed=0), tmp_path / "net.npz")
    before = path.read_bytes()

    class Unsaveable(MLP):
        def numpy_weights(self):
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        save_weights(Unsaveable([2, 2, 1], seed=1), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


# -- the API: package errors that name the parameter ----------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: MLP([2, 0, 1]), ParameterError, "widths"),
    (lambda: MLP([2, 3, 1], negative_slope=float("nan")), ParameterError, "negative_slope"),
    (lambda: MLP([2, 3, 1], output_activation="relu"), ParameterError, "output_activation"),
    (lambda: MLP([2, 10**9, 1]), ParameterError, "widths"),
])
def test_api_errors_name_the_parameter(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_model_of_the_wrong_type_is_a_package_error():
    from mi_ident.circuits import census

    with pytest.raises(InputTypeError, match="model must be"):
        census(42, "XOR", progress=False)
    assert issubclass(InputTypeError, MIIdentError) and issubclass(InputTypeError, TypeError)


def test_a_gate_that_contradicts_the_files_data_is_refused_by_census_too(tmp_path, capsys):
    y = np.array([0, 1, 1, 0], np.float32)
    path = save_weights(MLP([2, 2, 1], seed=0), tmp_path / "xor.npz", X_eval=CORNERS, y_eval=y)
    code, out, err = _cli(capsys, "census", str(path), "--gate", "AND", "--quiet")
    _one_line_error(code, out, err)
    assert "does not match" in err


def test_a_real_bug_still_shows_its_traceback(monkeypatch, tmp_path):
    import mi_ident.cli.census as census_cli

    path = save_weights(MLP([2, 2, 1], seed=0), tmp_path / "net.npz")
    monkeypatch.setattr(census_cli, "load_weights", lambda *_: 1 / 0, raising=False)

    def broken(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(census_cli, "_run_census", broken)
    parser_args = ["census", str(path)]
    from mi_ident import cli

    original = cli.build_parser

    def patched():
        parser = original()
        sub = next(a for a in parser._actions if a.dest == "command")
        sub.choices["census"].set_defaults(run=broken)
        return parser

    monkeypatch.setattr(cli, "build_parser", patched)
    with pytest.raises(ZeroDivisionError):
        main(parser_args)


def test_atomic_writes_get_the_usual_permissions(tmp_path):
    from mi_ident._io import atomic_write_text

    path = atomic_write_text(tmp_path / "results.csv", "a,b\n")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
