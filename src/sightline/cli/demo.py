"""``sightline demo``: a first look at Sightline on the embedded defaults.

It runs in a temporary data folder with SQLite and never touches the network.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table


@click.command("demo")
@click.option(
    "--home",
    type=click.Path(path_type=Path, file_okay=False),
    help="Data folder to use (default: a new temporary folder).",
)
def demo_command(home: Path | None) -> None:
    """Create a campaign for the 52 councils of the model investigation and show its deadlines.

    Loads the built-in registry, creates a campaign from the built-in CCTV request letter for the
    seed-52 set (32 London boroughs and the 20 largest city councils) and prints each request with
    the law it falls under and its due date if it were sent today.
    """
    home = home or Path(tempfile.mkdtemp(prefix="sightline-demo-"))
    os.environ["SIGHTLINE_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)  # the demo always runs on the embedded SQLite

    from sightline.cli.database import open_database

    open_database(require_init=False)
    from django.core.management import call_command

    from sightline.authorities.registry import load_builtin
    from sightline.campaigns.service import create_campaign
    from sightline.law import due_date

    console = Console(width=None if os.isatty(1) else 100)
    with console.status("Setting up the database"):
        call_command("migrate", interactive=False, verbosity=0)
        load_builtin()
    letter = resources.files("sightline.campaigns").joinpath("letters/cctv_vendors.txt")
    campaign = create_campaign(
        "demo-cctv",
        "seed-52",
        letter.read_text(encoding="utf-8"),
        "Hikvision and Dahua CCTV in 52 UK councils",
        requester_name="A. Researcher",
    )
    today = date.today()
    table = Table(title=f"{campaign.title}: due dates if sent today ({today.isoformat()})")
    table.add_column("Reference", no_wrap=True)
    table.add_column("Authority")
    table.add_column("Law", no_wrap=True)
    table.add_column("Due", no_wrap=True)
    table.add_column("Holidays skipped", justify="right")
    requests = campaign.requests.select_related("authority").order_by("reference")
    for request in requests:
        computed = due_date(request.law, today)
        table.add_row(
            request.reference,
            request.authority.name,
            request.law.upper(),
            computed.due.isoformat(),
            str(len(computed.skipped)),
        )
    console.print(table)
    click.echo(
        f"{requests.count()} requests created in campaign {campaign.slug}; data folder {home}"
    )
