"""``sightline template``: the placeholders a request letter may use, and a preview."""

from __future__ import annotations

import click

from sightline.cli.database import open_database
from sightline.cli.errors import CommandError


@click.group("template")
def template_group() -> None:
    """Request letter templates: fields and preview."""


@template_group.command("fields")
def fields_command() -> None:
    """List the {placeholders} a request template may use."""
    from sightline.letters import FIELDS

    for name, meaning in FIELDS.items():
        click.echo(f"{{{name}}}  {meaning}")


@template_group.command("preview")
@click.argument("slug")
@click.option("--reference", default="", help="Preview this request (default: the first).")
def preview_command(slug: str, reference: str) -> None:
    """Show campaign SLUG's request e-mail as it will be sent to one authority."""
    open_database()
    from sightline.campaigns.service import get_campaign
    from sightline.mail.outbox import request_letter, request_reply_address

    campaign = get_campaign(slug)
    requests = campaign.requests.select_related("authority", "campaign").order_by("reference")
    request = (
        requests.filter(reference=reference.upper()).first() if reference else requests.first()
    )
    if request is None:
        raise CommandError(f"campaign {slug!r} has no request {reference!r}")
    subject, body = request_letter(request)
    address = request_reply_address(request)
    click.echo(f"From: {campaign.requester_name} <{address}>".replace(" <", " <", 1).lstrip())
    click.echo(f"To: {request.authority.foi_email or '(no FOI contact address)'}")
    click.echo(f"Subject: {subject}\n")
    click.echo(body, nl=not body.endswith("\n"))
