"""``sightline read``: the located text of a file or message, as the fact extractor sees it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sightline.cli.errors import CommandError


@click.command("read")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@click.option("--no-cache", is_flag=True, help="Read again even if this content was read before.")
@click.option("--no-ocr", is_flag=True, help="Do not run OCR on scanned pages and images.")
def read_command(file: Path, as_json: bool, no_cache: bool, no_ocr: bool) -> None:
    """Print the text blocks of FILE (a message, PDF, Word file, spreadsheet, archive...) with
    where each came from: `body`, `page 2`, `sheet Assets row 14`, `reply.pdf page 1`.

    Files that cannot be read (encrypted, damaged, over a limit) are listed as errors; the rest is
    still read. Each distinct file is read once and remembered in SIGHTLINE_HOME.
    """
    from sightline.documents import Limits, read_file
    from sightline.documents.serialize import document_to_dict

    if not file.is_file():
        raise CommandError(f"{file}: no such file")
    try:
        document = read_file(file, cache=not no_cache, limits=Limits(ocr=not no_ocr))
    except OSError as error:
        raise CommandError(f"{file}: cannot be read: {error.strerror or error}") from None
    if as_json:
        click.echo(json.dumps(document_to_dict(document), indent=2, ensure_ascii=False))
        return
    click.echo(f"{document.source} ({document.kind})")
    for key, value in document.meta.items():
        click.echo(f"  {key}: {value}")
    for block in document.blocks:
        marker = " [OCR]" if block.ocr else ""
        click.echo(f"\n--- {block.location}{marker}")
        click.echo(block.text)
    for table in document.tables:
        hidden = ", hidden sheet" if table.hidden else ""
        header = f", header row {table.header + 1}" if table.header is not None else ""
        click.echo(f"\n=== table at {table.location}: {len(table.rows)} rows{header}{hidden}")
    for error in document.errors:
        click.echo(f"\n!!! {error.location}: {error.message}")
