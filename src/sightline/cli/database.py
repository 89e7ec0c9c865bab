"""Opening the database from a command."""

from __future__ import annotations

from sightline.cli.errors import CommandError
from sightline.web.bootstrap import setup_django


def open_database(require_init: bool = True) -> None:
    """Start Django; unless ``require_init`` is False, refuse a database `init` has not set up."""
    setup_django()
    if not require_init:
        return
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError:
        raise CommandError(
            "cannot open the database: check DATABASE_URL (or SIGHTLINE_HOME) and that the server"
            " is running"
        ) from None
    if pending:
        raise CommandError("the database is not set up or is out of date: run `sightline init`")
