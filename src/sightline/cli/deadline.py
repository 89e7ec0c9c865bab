"""``sightline deadline``: the statutory due date of a request (docs/formats.md, due dates)."""

from __future__ import annotations

import json
from datetime import date

import click

from sightline.cli.errors import CommandError
from sightline.law import due_date, parse_law


def parse_iso_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option}: {value!r} is not a real date in the form YYYY-MM-DD"
        ) from None


@click.command("deadline")
@click.option("--law", "law_name", required=True, metavar="LAW", help="foia, eir, foisa or eisr.")
@click.option(
    "--received", required=True, metavar="YYYY-MM-DD", help="Date the request was received."
)
@click.option(
    "--days", default=20, show_default=True, help="Working days allowed (40 when extended)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the computation as JSON.")
def deadline_command(law_name: str, received: str, days: int, as_json: bool) -> None:
    """Print the statutory due date of a request received on a date.

    Day one is the first working day after receipt; weekends, Christmas Day and bank holidays are
    skipped (of every UK nation for FOIA and EIR, of Scotland for FOISA and EISR).
    """
    law = parse_law(law_name)
    received_on = parse_iso_date(received, "--received")
    result = due_date(law, received_on, days)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    click.echo(
        f"{law.value.upper()} request received {received_on.isoformat()}: {days} working days"
    )
    for skipped in result.skipped:
        click.echo(f"  skipped {skipped.day.isoformat()} {skipped.reason}")
    click.echo(result.due.isoformat())
