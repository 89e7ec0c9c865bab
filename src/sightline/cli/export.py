"""``sightline export``: a campaign's correspondence as one zip archive (``sightline.export``),
and ``sightline export verify`` to check an archive against its manifest."""

from __future__ import annotations

from pathlib import Path

import click

from sightline.cli.errors import CommandError


class _ExportGroup(click.Group):
    """``export SLUG ...`` runs the hidden ``campaign`` command; ``export verify ZIP`` checks.

    (A campaign named ``verify`` is exported with ``sightline export campaign verify ...``.)"""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["campaign", *args]
        return super().parse_args(ctx, args)


@click.group("export", cls=_ExportGroup)
def export_group() -> None:
    """The correspondence as evidence: `sightline export SLUG [--request REF] --zip OUT.zip`.

    Every message exactly as sent and as received (raw .eml), their attachments, each request's
    timeline with its statutory dates (timeline.json), an index (index.csv) and a manifest of
    the SHA-256 of every file; `sightline export verify OUT.zip` checks an archive against it.
    """


@export_group.command("campaign")
@click.argument("slug")
@click.option("--request", "reference", metavar="REF", help="Only this request of the campaign.")
@click.option(
    "--zip", "out", required=True, metavar="OUT.zip", help="The archive to write.", type=str
)
@click.option("--force", is_flag=True, help="Replace OUT.zip if it exists.")
def campaign_command(slug: str, reference: str | None, out: str, force: bool) -> None:
    """Write campaign SLUG's correspondence to OUT.zip."""
    from sightline.cli.database import open_database

    open_database()
    from sightline.export.correspondence import export_correspondence

    result = export_correspondence(slug, Path(out), reference=reference, force=force)
    click.echo(
        f"Wrote {result.path}: {result.messages} message(s), {result.attachments} attachment(s), "
        f"{result.files} files with their SHA-256 in manifest.json"
    )


@export_group.command("verify")
@click.argument("archive", metavar="OUT.zip")
def verify_command(archive: str) -> None:
    """Check every file of OUT.zip against its manifest (changed, missing or extra files)."""
    from sightline.export.archive import verify_export

    result = verify_export(Path(archive))
    if result.ok:
        click.echo(f"{archive}: all {result.checked} files match the manifest")
        return
    for problem in result.problems:
        click.echo(problem)
    count = len(result.problems)
    raise CommandError(
        f"{archive} does not match its manifest ({count} problem{'s' if count != 1 else ''})"
    )
