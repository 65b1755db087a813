"""What every subcommand shares: the error type, task resolution and output."""

from __future__ import annotations

import json
from typing import Callable

from ..errors import MIIdentError

__all__ = ["CLIError", "resolve_task", "emit", "eval_data"]


class CLIError(MIIdentError):
    """Bad input from the command line; printed as one line, exit status 2."""


def resolve_task(gate: str | None, data: dict, path: str):
    """``--gate`` if given (checked against the file's labelled samples), else the gate those
    samples follow, else XOR."""
    from ..boolean import Task, make_task

    inferred = None
    if "X_eval" in data and "y_eval" in data:
        inferred = Task.from_samples(data["X_eval"], data["y_eval"])
    if gate is None:
        if "X_eval" in data and inferred is None:
            raise CLIError(f"{path}: X_eval/y_eval do not fix a truth table (a row is missing or "
                           f"labelled both ways); pass --gate")
        return inferred if inferred is not None else make_task("XOR")
    task = make_task(gate.strip())
    if inferred is not None and task != inferred:
        raise CLIError(f"--gate {gate} does not match {path}, whose X_eval/y_eval follow "
                       f"{inferred.name} ({''.join(map(str, inferred.table[:, 0]))}); "
                       f"drop --gate or pass the right one")
    return task


def eval_data(gate: str | None, data: dict, path: str):
    """``(data, description)`` to evaluate circuits on: the file's X_eval/y_eval (after checking
    that ``--gate``, if given, agrees with them), else the truth table of ``--gate``."""
    task = resolve_task(gate, data, path)
    if "X_eval" in data and "y_eval" in data:
        return (data["X_eval"], data["y_eval"]), "X_eval/y_eval"
    return task, f"truth table of {task.name}"


def emit(obj: dict, as_json: bool, lines: Callable[[dict], list[str]]) -> None:
    if as_json:
        print(json.dumps(obj, ensure_ascii=False))
    else:
        print("\n".join(lines(obj)))
