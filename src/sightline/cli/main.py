"""Entry point of the ``sightline`` command.

Commands are imported only when used, so ``sightline deadline`` does not pay for Django or Dask.
Add a command by naming its module and attribute in ``COMMANDS``.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from sightline import __version__
from sightline.cli.errors import CommandError
from sightline.errors import SightlineError

# command name -> "module:attribute" of a click command or group
COMMANDS: dict[str, str] = {
    "init": "sightline.cli.setup:init_command",
    "demo": "sightline.cli.demo:demo_command",
    "deadline": "sightline.cli.deadline:deadline_command",
    "authorities": "sightline.cli.authorities:authorities_group",
    "contacts": "sightline.cli.authorities:contacts_group",
    "campaign": "sightline.cli.campaign:campaign_group",
    "mail": "sightline.cli.mail:mail_group",
    "chase": "sightline.cli.requests:chase_command",
    "followup": "sightline.cli.requests:followup_command",
    "refile": "sightline.cli.requests:refile_command",
    "template": "sightline.cli.template:template_group",
    "worker": "sightline.cli.worker:worker_command",
    "census": "sightline.cli.census:census_group",
    "findings": "sightline.cli.findings:findings_group",
    "publish": "sightline.cli.findings:publish_command",
    "export": "sightline.cli.export:export_group",
    "spend": "sightline.cli.spend:spend_group",
    "read": "sightline.cli.read:read_command",
    "extract": "sightline.cli.review:extract_command",
    "extract-file": "sightline.cli.extract:extract_file_command",
    "review": "sightline.cli.review:review_command",
    "decide": "sightline.cli.review:decide_command",
    "code": "sightline.cli.review:code_command",
    "serve": "sightline.cli.web:serve_command",
    "createuser": "sightline.cli.web:createuser_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def __init__(self, *args: object, lazy: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module_name, attribute = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; any error Sightline explains is shown as one line, exit status 1."""
        try:
            return super().invoke(ctx)
        except SightlineError as error:
            raise CommandError(error.message) from None


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sightline")
def cli() -> None:
    """Sightline: FOI campaigns about surveillance technology, from request to published findings.

    Data lives in SIGHTLINE_HOME (default ./sightline-data); set DATABASE_URL to use PostgreSQL.
    """
    from sightline.config import reload_settings

    reload_settings()  # this command's settings: read from the environment as it starts


def main() -> None:
    try:
        cli(prog_name="sightline")
    except Exception:  # a bug in Sightline: no traceback for the user, the details in a file
        import traceback

        report = _crash_report(traceback.format_exc())
        where = f"the details are in {report}" if report else "the details could not be saved"
        click.echo(
            f"Error: Sightline stopped on an internal error; {where}. Please report it.", err=True
        )
        sys.exit(2)


def _crash_report(text: str) -> Path | None:
    """Write the traceback to SIGHTLINE_HOME/crashes/ and return its path (None if impossible)."""
    import datetime as dt

    from sightline.config import sightline_home

    try:
        folder = sightline_home() / "crashes"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"crash-{stamp}.txt"
        # owner-only: the command line may hold a URL with a password in it
        with os.fdopen(
            os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8"
        ) as out:
            out.write(f"sightline {__version__}\n{' '.join(sys.argv)}\n\n{text}")
    except OSError:
        return None
    return path
