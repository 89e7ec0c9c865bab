"""The one base of every error Sightline reports to a person.

Every exception that carries a message meant for a user derives from :class:`SightlineError`, so
the shells (the command line, the web interface, the worker) catch one type and show
``message``: a sentence in Sightline's own words that says what went wrong and where. When the
failure came from a library, its own text goes in ``detail``, for a bug report, and is never
shown as the message: a library's wording changes between releases, Sightline's does not.
"""

from __future__ import annotations

import re


class SightlineError(Exception):
    """A failure Sightline explains to the user: ``message`` is shown, ``detail`` kept aside."""

    def __init__(self, message: object = "", *args: object, detail: str = "") -> None:
        super().__init__(message, *args)
        self.message = str(message)
        self.detail = detail

    def __str__(self) -> str:
        return self.message


def toml_problem(error: Exception) -> str:
    """``not valid TOML`` and, where the parser gave one, ``at line L, column C``.

    Only the numbers are taken from the parser's message (its wording differs between Python
    releases); where there are none, the sentence stands without them.
    """
    match = _AT_LINE.search(str(error))
    return f"not valid TOML at line {match[1]}, column {match[2]}" if match else "not valid TOML"


_AT_LINE = re.compile(r"line (\d+), column (\d+)")
