"""``sightline authorities`` and ``sightline contacts``: the registry of public authorities."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from sightline.authorities.records import (
    PLAIN_COLUMNS,
    RowProblem,
    read_contacts,
    read_mysociety,
    read_plain,
    read_text,
)
from sightline.cli.database import open_database
from sightline.cli.errors import CommandError


def _report_problems(problems: list[RowProblem], path: Path) -> None:
    """Name every skipped row; any skipped row makes the exit status non-zero (the rest stays)."""
    for problem in problems:
        click.echo(f"{path}: {problem} (skipped)", err=True)


def _fail_if_skipped(problems: list[RowProblem], path: Path) -> None:
    if problems:
        raise CommandError(f"{path}: {len(problems)} row(s) skipped, the rest imported")


@click.group("authorities")
def authorities_group() -> None:
    """The registry of public authorities: list, import, show."""


@authorities_group.command("list")
@click.option("--set", "set_slug", metavar="SET", help="Only this named set, e.g. seed-52.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(set_slug: str | None, as_json: bool) -> None:
    """List authorities (all, or one named set: london-boroughs, largest-cities, seed-52...)."""
    open_database()
    from sightline.authorities.models import Authority
    from sightline.authorities.registry import set_members

    everyone = Authority.objects.order_by("name")
    authorities = set_members(set_slug) if set_slug else list(everyone)
    if as_json:
        rows = [
            {"gss_code": a.gss_code, "name": a.name, "nation": a.nation, "law": a.law}
            for a in authorities
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for a in authorities:
        click.echo(f"{a.gss_code}  {a.law.upper():5}  {a.nation:16}  {a.name}")
    click.echo(f"{len(authorities)} authorities", err=True)


@authorities_group.command("sets")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sets_command(as_json: bool) -> None:
    """List the named sets of authorities and their sizes."""
    open_database()
    from django.db.models import Count

    from sightline.authorities.models import AuthoritySet

    sets = AuthoritySet.objects.annotate(size=Count("members")).order_by("slug")
    if as_json:
        click.echo(json.dumps([{"slug": s.slug, "title": s.title, "size": s.size} for s in sets]))
        return
    for s in sets:
        click.echo(f"{s.slug:20} {s.size:4}  {s.title}")


@authorities_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["mysociety", "csv"]),
    default="csv",
    show_default=True,
    help=f"mysociety: uk_local_authorities.csv; csv: columns {PLAIN_COLUMNS}.",
)
@click.option("--set", "set_slug", metavar="SET", help="Also add every imported body to this set.")
def import_command(path: Path, file_format: str, set_slug: str | None) -> None:
    """Import or update authorities from a CSV file; re-importing never duplicates."""
    text = read_text(path)
    reader = read_mysociety if file_format == "mysociety" else read_plain
    result = reader(text, origin=str(path))
    open_database()
    from sightline.authorities.registry import add_to_set, upsert_authorities

    summary = upsert_authorities(result.records, source=file_format)
    if set_slug:
        add_to_set(set_slug, [r.gss_code for r in result.records])
    _report_problems(result.problems, path)
    click.echo(
        f"{len(result.records)} authorities read: {summary.created} added, {summary.updated} "
        f"updated, {summary.unchanged} unchanged; {len(result.problems)} rows skipped"
    )
    _fail_if_skipped(result.problems, path)


@authorities_group.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_command(code: str, as_json: bool) -> None:
    """Show one authority by its code, with its FOI contact and sets."""
    open_database()
    from sightline.authorities.models import Authority

    authority = Authority.objects.filter(gss_code=code).first()
    if authority is None:
        raise CommandError(f"no authority with code {code}")
    data = {
        "gss_code": authority.gss_code,
        "name": authority.name,
        "short_name": authority.short_name,
        "nation": authority.nation,
        "type": authority.type_name or authority.authority_type,
        "region": authority.region,
        "population": authority.population,
        "website_domain": authority.website_domain,
        "law": authority.law,
        "foi_email": authority.foi_email,
        "sets": list(authority.sets.values_list("slug", flat=True)),
    }
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        click.echo(f"{key:15} {value if value not in (None, '') else '-'}")


@click.group("contacts")
def contacts_group() -> None:
    """FOI contact addresses of authorities."""


@contacts_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--checked-on", metavar="YYYY-MM-DD", help="When the addresses were checked (default today)."
)
def contacts_import_command(path: Path, checked_on: str | None) -> None:
    """Import FOI addresses from a CSV with columns gss_code,email.

    Invalid addresses and unknown codes are reported with their line number and skipped.
    """
    from sightline.cli.deadline import parse_iso_date

    checked = parse_iso_date(checked_on, "--checked-on") if checked_on else date.today()
    result = read_contacts(read_text(path), origin=str(path))
    open_database()
    from sightline.authorities.registry import import_contacts

    summary = import_contacts(result.records, source=str(path), checked_on=checked)
    problems = sorted(result.problems + summary.problems, key=lambda p: p.line)
    _report_problems(problems, path)
    click.echo(
        f"{summary.created} contacts added, {summary.updated} updated, {summary.unchanged} "
        f"unchanged; {len(problems)} rows skipped"
    )
    _fail_if_skipped(problems, path)
