"""The ``mi-ident`` command: ``mi-ident census WEIGHTS.npz`` and ``mi-ident align WEIGHTS.npz``.

Every subcommand turns bad input into a one-line message and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable, Sequence

#: Each section registers a function that adds its subparser and sets ``run`` on it.
_SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


class CLIError(Exception):
    """Bad input from the command line; printed as one line, exit status 2."""


# == census (where-then-what) ==

# == align (what-then-where) ==


def _emit(obj: dict, as_json: bool, lines: Callable[[dict], list[str]]) -> None:
    if as_json:
        print(json.dumps(obj))
    else:
        print("\n".join(lines(obj)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mi-ident",
        description="Enumerate every explanation of a tiny MLP trained on a Boolean function.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in _SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (CLIError, ValueError, FileNotFoundError) as exc:
        print(f"mi-ident {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
