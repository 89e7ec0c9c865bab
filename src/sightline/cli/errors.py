"""How commands report bad input: one line on stderr and a non-zero exit (CONTRACTS.md preamble)."""

from __future__ import annotations

import click


class SightlineError(click.ClickException):
    """A user-facing error: printed as ``Error: <message>`` on one line, exit status 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:  # one line, no usage block
        click.echo(f"Error: {self.format_message()}", err=True)
