"""``sightline extract-file``: the facts of one document (docs/formats.md, facts of one document)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sightline.cli.errors import CommandError


@click.command("extract-file")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the facts as JSON (docs/formats.md, facts of one document).",
)
@click.option("--no-ocr", is_flag=True, help="Do not run OCR on scanned pages and images.")
def extract_file_command(path: Path, as_json: bool, no_ocr: bool) -> None:
    """Extract what one FOI reply discloses from PATH (.eml, .msg, .pdf, .docx, .xlsx, .ods,
    .csv, .txt, .html): reply status, vendors owned with counts and device types, facial
    recognition, exemptions and replacement plans, each fact with its quote and location.
    """
    from sightline.documents import Limits, read_file
    from sightline.facts import contract_json, extract

    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        document = read_file(path, cache=False, limits=Limits(ocr=not no_ocr))
    except OSError as error:
        raise CommandError(f"{path}: cannot be read: {error.strerror or error}") from None
    if not document.blocks and not document.tables:
        reason = document.errors[0].message if document.errors else "no text found"
        raise CommandError(f"{path}: cannot be read: {reason}")
    result = contract_json(extract(document), str(path))
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    _print_summary(result)


def _print_summary(result: dict[str, object]) -> None:
    click.echo(f"{result['file']}: {result['status']}")
    vendors = result["vendors"]
    assert isinstance(vendors, dict)
    for vendor, facts in vendors.items():
        count = f", {facts['count']} devices" if facts["count"] is not None else ""
        types = f" ({', '.join(facts['device_types'])})" if facts["device_types"] else ""
        click.echo(f"  {vendor}: {facts['owned']}{count}{types}")
        for item in facts["evidence"]:
            click.echo(f"      [{item['location']}] {item['quote']}")
    if result["hikvision_or_dahua_unspecified"]:
        click.echo("  Hikvision or Dahua, not saying which")
    click.echo(f"  facial recognition: {result['facial_recognition']}")
    exemptions = result["exemptions"]
    assert isinstance(exemptions, list)
    click.echo(f"  exemptions: {', '.join(exemptions) or 'none'}")
    click.echo(f"  replacement plan: {result['replacement_plan']}")
