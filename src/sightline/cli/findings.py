"""``sightline findings`` (compute, build) and ``sightline publish``: thin shells over
``sightline.findings``. ``findings compute --json`` follows docs/formats.md (coded answers) exactly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sightline.cli.errors import CommandError
from sightline.cli.review import configured_reviewer

if TYPE_CHECKING:  # the findings package is imported only when a command runs
    from sightline.findings import CodedResponse, Findings, FindingsSpec


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date YYYY-MM-DD") from None


def _load_inputs(coded: str, spec_path: str | None) -> tuple[list[CodedResponse], FindingsSpec]:
    from sightline.findings import load_spec, read_coded_csv

    spec = load_spec(spec_path)
    responses = read_coded_csv(coded)
    return responses, spec


def _compute(
    coded: str, as_of: str | None, spec_path: str | None
) -> tuple[list[CodedResponse], FindingsSpec, Findings]:
    from sightline.findings import FindingsError, compute_findings

    date = _parse_date(as_of, "--as-of")
    responses, spec = _load_inputs(coded, spec_path)
    try:
        return responses, spec, compute_findings(responses, spec, as_of=date)
    except FindingsError as error:
        raise CommandError(f"{coded}: {error}") from None


@click.group("findings")
def findings_group() -> None:
    """Figures, headline sentences and the per-authority table from coded responses."""


@findings_group.command("compute")
@click.argument("coded", metavar="CODED.csv")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Findings as they stood on this date.")
@click.option("--spec", "spec_path", metavar="FILE", help="A findings specification (TOML).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def compute_command(coded: str, as_of: str | None, spec_path: str | None, as_json: bool) -> None:
    """Compute the findings from a coded CSV (columns in docs/formats.md)."""
    _, _, findings = _compute(coded, as_of, spec_path)
    if as_json:
        click.echo(json.dumps(findings.as_contract_json(), ensure_ascii=False))
        return
    for sentence in findings.headlines:
        click.echo(f"- {sentence}")
    click.echo("")
    for row in findings.table:
        mark = f" [{row.footnote}]" if row.footnote else ""
        click.echo(
            f"{row.group}\t{row.authority}{mark}\thikvision={row.hikvision}\tdahua={row.dahua}"
        )
    for number, text in enumerate(findings.footnotes, start=1):
        click.echo(f"[{number}] {text}")


@findings_group.command("build")
@click.argument("slug", required=False)
@click.option(
    "--coded", "coded", metavar="CODED.csv", help="The coded responses (instead of SLUG)."
)
@click.option("--out", "out", required=True, metavar="DIR", help="Folder for the bundle.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Findings as they stood on this date.")
@click.option("--title", default=None, help="Title of the report.")
@click.option("--updates", "updates", metavar="UPDATES.csv", help="Dated updates (date,text).")
@click.option("--spec", "spec_path", metavar="FILE", help="A findings specification (TOML).")
@click.option("--method", "method", metavar="FILE", help="The method: a TOML file (see docs).")
@click.option(
    "--first-published",
    "first_published",
    metavar="YYYY-MM-DD",
    help="When the report first went out: later replies become dated updates.",
)
@click.option("--spend", is_flag=True, help="Add the spending from `sightline spend import`.")
@click.option(
    "--include-original-attachments",
    "originals",
    is_flag=True,
    help="Also publish the attachments as received (NOT redacted) beside the request pages.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the bundle's file list as JSON.")
def build_command(
    slug: str | None,
    coded: str | None,
    out: str,
    as_of: str | None,
    first_published: str | None,
    title: str | None,
    updates: str | None,
    spec_path: str | None,
    method: str | None,
    spend: bool,
    originals: bool,
    as_json: bool,
) -> None:
    """Build the published bundle (report, CSV, JSON, SQLite for Datasette).

    From campaign SLUG's reviewed facts (confirmed and corrected ones only, with their evidence),
    or from a coded CSV given with --coded. From a campaign the bundle has a page per request
    with its correspondence, personal data removed: the build refuses while any redaction
    proposal is unreviewed (see `sightline findings redactions SLUG`).
    """
    from sightline.findings.bundle import ReportInfo, build_bundle
    from sightline.findings.method import MethodInfo, read_method
    from sightline.findings.updates import read_updates

    if (slug is None) == (coded is None):
        raise CommandError("give either a campaign SLUG or --coded CODED.csv, not both or neither")
    date = _parse_date(as_of, "--as-of")
    first = _parse_date(first_published, "--first-published")
    campaign_method: MethodInfo | None = None
    campaign_title = ""
    campaign = None
    if slug is not None:
        campaign, responses, spec, campaign_method = _campaign_inputs(slug, spec_path)
        campaign_title = campaign.title
        # Once a campaign's findings are out, later replies become dated updates by themselves.
        first = first or campaign.first_published_on
    else:
        assert coded is not None
        if originals:
            raise CommandError("--include-original-attachments needs a campaign SLUG")
        responses, spec = _load_inputs(coded, spec_path)
    update_list = read_updates(updates) if updates else []
    method_info = read_method(method) if method else campaign_method
    info = ReportInfo(
        title=title or campaign_title or spec.name,
        as_of=date,
        updates=tuple(update_list),
        method=method_info,
        first_published=first,
    )
    attachment = None
    if spend:
        from sightline.cli.spend import spend_attachment

        attachment = spend_attachment([response.authority for response in responses])
    if campaign is not None:
        from sightline.review.publishing import build_campaign_bundle

        result = build_campaign_bundle(
            campaign,
            Path(out),
            info,
            spec=spec,
            spend=attachment,
            originals=originals,
            responses=responses,
        )
    else:
        result = build_bundle(Path(out), responses, info, spec=spec, spend=attachment)
    # A build is not a publication: `sightline findings publish SLUG --on DATE` says when the
    # findings first went out (a private draft built today must not move that date).
    if as_json:
        click.echo(json.dumps({"out": str(result.folder), "files": result.files}))
        return
    click.echo(f"Wrote {len(result.files)} files to {result.folder}", err=True)
    for sentence in result.findings.headlines:
        click.echo(f"- {sentence}")
    click.echo(str(result.folder / "index.html"))


def _campaign_inputs(slug: str, spec_path: str | None) -> Any:
    """The campaign, its coded responses, specification and method."""
    from sightline.cli.database import open_database

    open_database()
    from sightline.campaigns.service import get_campaign
    from sightline.findings import load_spec
    from sightline.review.service import coded_responses, method_info

    campaign = get_campaign(slug)
    spec = load_spec(spec_path)
    return campaign, coded_responses(campaign), spec, method_info(campaign)


@findings_group.command("publish")
@click.argument("slug")
@click.option("--on", "on", required=True, metavar="YYYY-MM-DD", help="The day they went out.")
def publish_findings_command(slug: str, on: str) -> None:
    """Record that campaign SLUG's findings were first published on a day: replies dated
    later are listed as dated updates in every later build."""
    from sightline.cli.database import open_database

    day = _parse_date(on, "--on")
    assert day is not None
    open_database()
    from django.utils import timezone

    from sightline.campaigns.service import get_campaign
    from sightline.review.service import record_publication

    if day > timezone.localdate():
        raise CommandError(f"{day.isoformat()} is in the future: give the day they went out")
    from sightline.review.publishing import request_records
    from sightline.review.redactions import refusal, scan

    campaign = get_campaign(slug)
    scan(campaign, request_records(campaign))
    reason = refusal(campaign)
    if reason:
        raise CommandError(reason)
    if not record_publication(campaign, day):
        raise CommandError(
            f"campaign {slug}'s findings were already first published on "
            f"{campaign.first_published_on}"
        )
    click.echo(f"Campaign {slug}: findings first published on {day.isoformat()}")


@findings_group.command("redactions")
@click.argument("slug")
@click.option(
    "--status", type=click.Choice(["proposed", "accepted", "removed"]), help="List only these."
)
@click.option(
    "--accept",
    "accept",
    multiple=True,
    type=int,
    metavar="N",
    help="Accept proposal #N (repeatable).",
)
@click.option("--accept-all", is_flag=True, help="Accept every proposal waiting for review.")
@click.option(
    "--remove",
    "remove",
    multiple=True,
    type=int,
    metavar="N",
    help="#N is not personal data: publish it as written (repeatable).",
)
@click.option("--add", "add", metavar="TEXT", help="Redact TEXT wherever it appears.")
@click.option(
    "--kind",
    default="other",
    show_default=True,
    type=click.Choice(["name", "email", "phone", "address", "requester", "other"]),
    help="What --add removes (names the mark shown).",
)
@click.option(
    "--reviewer",
    default=configured_reviewer,
    help="Your name, kept with each decision (default: SIGHTLINE_REVIEWER).",
)
@click.option("--json", "as_json", is_flag=True, help="List the redactions as JSON.")
def redactions_command(
    slug: str,
    status: str | None,
    accept: tuple[int, ...],
    accept_all: bool,
    remove: tuple[int, ...],
    add: str | None,
    kind: str,
    reviewer: str | None,
    as_json: bool,
) -> None:
    """Personal data to remove from campaign SLUG's published correspondence.

    Lists the redactions (finding new proposals in the correspondence first); with --accept,
    --accept-all, --remove or --add records a decision. Publishing waits until no proposal is
    left unreviewed.
    """
    from sightline.cli.database import open_database

    open_database()
    from sightline.campaigns.service import get_campaign
    from sightline.review import redactions as service
    from sightline.review.publishing import request_records

    campaign = get_campaign(slug)
    deciding = bool(accept or accept_all or remove or add)
    if deciding and not (reviewer or "").strip():
        raise CommandError(
            "a decision needs your name: give --reviewer NAME (or SIGHTLINE_REVIEWER)"
        )
    if accept and accept_all:
        raise CommandError("give --accept N or --accept-all, not both")
    overlap = sorted(set(accept) & set(remove))
    if overlap:
        raise CommandError(f"#{overlap[0]} cannot be both accepted and removed")
    found = service.scan(campaign, request_records(campaign))
    if found and not as_json:
        click.echo(f"{found} new proposal{'' if found == 1 else 's'} found", err=True)
    if deciding:
        assert reviewer is not None
        for number in remove:
            service.remove(campaign, number, reviewer)
        if accept or accept_all:
            service.accept(campaign, list(accept) if accept else None, reviewer)
        if add:
            row = service.add(campaign, add, kind, reviewer)
            click.echo(f"#{row.pk} accepted: {row.kind}", err=True)
    rows = list(service.redactions(campaign, status))
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "number": row.pk,
                        "text": row.text,
                        "kind": row.kind,
                        "status": row.status,
                        "reason": row.reason,
                        "where": row.location,
                        "context": row.context,
                        "origin": row.origin,
                        "decided_by": row.decided_by or None,
                    }
                    for row in rows
                ],
                ensure_ascii=False,
            )
        )
        return
    for row in rows:
        click.echo(
            f"#{row.pk}\t{row.status}\t{row.kind}\t{row.text}\t{row.reason}; {row.location}"
            f"\tin: {row.context}"
        )
    waiting = service.unreviewed(campaign)
    click.echo(
        f"{waiting} waiting for review" if waiting else "Nothing waiting for review", err=True
    )


@click.command("publish")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--serve", is_flag=True, help="Serve sightline.db with Datasette on 127.0.0.1.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
def publish_command(folder: str, serve: bool, port: int) -> None:
    """Check a published bundle; with --serve, open its SQLite file with Datasette on loopback."""
    from sightline.findings.serve import check_bundle, serve_bundle

    path = Path(folder)
    check_bundle(path)
    if not serve:
        click.echo(str(path / "index.html"))
        click.echo(f"Serve the data with: sightline publish {folder} --serve", err=True)
        return
    click.echo(f"Datasette on http://127.0.0.1:{port}/ (Ctrl-C to stop)", err=True)
    serve_bundle(path, port)
