"""``sightline demo``: the whole investigation, end to end, on invented councils.

It runs in a new temporary data folder with SQLite, starts its own mail server on loopback and
never reaches any other network.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import click
from rich.console import Console


@click.command("demo")
@click.option(
    "--home",
    type=click.Path(path_type=Path, file_okay=False),
    help="Data folder to use (default: a new temporary folder).",
)
def demo_command(home: Path | None) -> None:
    """Run a whole investigation of twelve invented councils, offline, in about a minute.

    Sends the built-in CCTV request by SMTP to a mail server on loopback; the invented councils
    answer in the forms real ones use (e-mails, PDF letters, a scanned letter, an asset register,
    a refusal, a bounce, silence, a late answer); Sightline imports and matches the replies, reads
    every attachment, extracts the facts with their evidence, confirms the high-confidence ones
    (the demo only: a real team reviews them), computes the findings and publishes the report.
    """
    home = home or Path(tempfile.mkdtemp(prefix="sightline-demo-"))
    if home.exists() and any(home.iterdir()):
        from sightline.cli.errors import CommandError

        raise CommandError(f"{home} is not empty; the demo needs a new folder")
    home.mkdir(parents=True, exist_ok=True)
    os.environ["SIGHTLINE_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)  # the demo always runs on the embedded SQLite
    from sightline.config import reload_settings

    reload_settings()  # the settings of this run are the demo's folder's

    from sightline.cli.database import open_database

    open_database(require_init=False)
    from django.core.management import call_command

    from sightline.demo.run import run_demo

    console = Console(stderr=True)
    started = time.monotonic()
    with console.status("Creating the database") as status:
        call_command("migrate", interactive=False, verbosity=0)

        def step(text: str) -> None:
            console.log(text)
            status.update(text)

        result = run_demo(home, step)
    findings = result.final.findings
    first = result.first.findings
    click.echo("")
    click.echo(f"Findings ({findings.successful} of {findings.sent} councils answered):")
    for sentence in findings.headlines:
        click.echo(f"  - {sentence}")
    click.echo(
        f"First publication: {first.successful} answers; the late answer is listed as an update."
    )
    states = ", ".join(f"{state} {n}" for state, n in result.statuses.items())
    click.echo(f"Requests: {states}. Facts left for a person to review: {result.pending}.")
    click.echo(f"Finished in {time.monotonic() - started:.0f} s. Data folder: {home}")
    click.echo(f"Report: {result.report}")
