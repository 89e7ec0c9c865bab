"""``sightline init``: create or migrate the database and load the built-in registry."""

from __future__ import annotations

import click

from sightline.cli.database import open_database
from sightline.cli.errors import CommandError
from sightline.config import SettingsError, secret_key, settings, sightline_home


@click.command("init")
def init_command() -> None:
    """Create or migrate the database and load the built-in authorities and sets.

    Safe to run again: it applies new migrations, refreshes the built-in registry and recomputes
    the due dates of open requests if the bank-holiday calendar changed.
    """
    current = settings()
    made_key = not current.secret_key and not current.secret_key_file.exists()
    try:
        secret_key(current, create=True)  # before Django starts: production settings need it
    except SettingsError as error:
        raise CommandError(error.message) from None
    open_database(require_init=False)
    from django.conf import settings as django_settings
    from django.core.management import call_command

    from sightline.authorities.registry import load_builtin
    from sightline.campaigns.service import recompute_stale_due_dates

    call_command("migrate", interactive=False, verbosity=0)
    summary = load_builtin()
    recomputed = recompute_stale_due_dates()
    engine = django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    where = django_settings.DATABASES["default"]["NAME"] if engine == "sqlite3" else "DATABASE_URL"
    click.echo(f"Database ready ({engine}: {where}); data folder {sightline_home()}")
    click.echo(
        f"Built-in authorities: {summary.created} added, {summary.updated} updated, "
        f"{summary.unchanged} unchanged"
    )
    if made_key:
        click.echo(f"Secret key created in {current.secret_key_file} (owner-only)")
    if recomputed:
        click.echo(f"Recomputed {recomputed} due dates after a bank-holiday calendar change")
