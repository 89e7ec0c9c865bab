"""How commands report bad input: one line on stderr (``Error: ...``) and exit status 1.

The core raises :class:`sightline.errors.SightlineError` (or a subclass); the top-level group in
``sightline.cli.main`` turns every one of them into a :class:`CommandError`, so commands do not
catch the core's errors one by one.
"""

from __future__ import annotations

import click


class CommandError(click.ClickException):
    """A user-facing error: printed as ``Error: <message>`` on one line, exit status 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:  # one line, no usage block
        click.echo(f"Error: {self.format_message()}", err=True)
