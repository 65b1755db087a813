"""The ``mi-ident`` command: ``census`` and ``align`` for one weights file, ``sweep`` for many runs.

Bad input (any :class:`~mi_ident.errors.MIIdentError`, or an operating-system error on a
file the user named) becomes one line on stderr and exit status 2. Anything else is a bug
and shows its traceback. Each subcommand lives in its own module and registers itself
with :func:`subcommand`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from ..errors import MIIdentError
from ._common import CLIError

__all__ = ["main", "build_parser", "CLIError"]


def build_parser() -> argparse.ArgumentParser:
    from . import align, census, plot, sweep

    parser = argparse.ArgumentParser(
        prog="mi-ident",
        description="Enumerate every explanation of a tiny MLP trained on a Boolean function.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (census, align, sweep, plot):
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    command = "mi-ident"
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        command = f"mi-ident {args.command}"
        return int(args.run(args) or 0)
    except MIIdentError as exc:
        print(f"{command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder the user named: missing, a folder, read-only, full disk
        where = f" {exc.filename}:" if getattr(exc, "filename", None) else ""
        print(f"{command}: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # also during start-up (imports) and argument parsing
        print(f"{command}: interrupted; finished work is kept, run the same command to resume",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
