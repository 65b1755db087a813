"""The package's own exceptions: every error a user can cause is one of these.

They all derive from :class:`MIIdentError`, itself a :class:`ValueError`, so
``except ValueError`` keeps working. The command line catches only
:class:`MIIdentError` (plus operating-system errors on the files it was given):
anything else is a bug in mi-ident and shows its traceback.

Example
-------
>>> from mi_ident.errors import MIIdentError, ParameterError
>>> issubclass(ParameterError, MIIdentError) and issubclass(MIIdentError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "MIIdentError",
    "ParameterError",
    "InputTypeError",
    "TooLargeError",
    "WeightsFileError",
    "ResultsFileError",
    "FormulaSyntaxError",
]


class MIIdentError(ValueError):
    """Base class of every error caused by the caller's input."""


class ParameterError(MIIdentError):
    """A parameter with a value outside what it accepts; the message names the parameter."""


class InputTypeError(MIIdentError, TypeError):
    """A parameter of the wrong type (also a :class:`TypeError`)."""


class TooLargeError(MIIdentError):
    """Work that would take too long or too much memory, refused before it starts."""


class WeightsFileError(MIIdentError):
    """A weights file that cannot be read as an MLP (wrong keys, shapes or values)."""


class ResultsFileError(MIIdentError):
    """A results file or folder that cannot be read back or written."""


class FormulaSyntaxError(MIIdentError):
    """A formula string that cannot be parsed; the message shows where, with a caret."""
