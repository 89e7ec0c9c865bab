"""``sightline mail``: take in replies (import, fetch), see what did not match, assign it."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from sightline.cli.database import open_database
from sightline.cli.errors import CommandError


def smtp_settings(url: str | None):  # type: ignore[no-untyped-def]
    """SMTP settings from --smtp or SIGHTLINE_SMTP_URL; the password only from the settings."""
    from sightline.mail.smtp import configured_smtp

    return configured_smtp(url or "")


def print_send_report(report, as_json: bool, queued: int = 0) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        click.echo(json.dumps({"queued": queued, **report.as_json()}, indent=2))
        return
    click.echo(
        f"Sent {len(report.sent)} message(s); {len(report.deferred)} deferred, "
        f"{len(report.failed)} failed"
    )
    for reference, answer in report.failed:
        click.echo(f"{reference}: delivery failed: {answer}", err=True)
    for reference, answer in report.deferred:
        click.echo(f"{reference}: deferred, will retry: {answer}", err=True)
    for number, reference, answer in report.uncertain:
        click.echo(
            f"{reference}: message {number} may have gone ({answer}); not resent: check the "
            f"relay's log, then `sightline campaign settle {number} --went --on DATE` or "
            "`--send-again`",
            err=True,
        )


@contextlib.contextmanager
def sending_progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr while messages go out (the rate limit can make it long)."""
    from rich.console import Console
    from rich.progress import Progress

    with Progress(
        console=Console(stderr=True), disable=not sys.stderr.isatty(), transient=True
    ) as progress:
        task = progress.add_task("Sending", total=total)
        yield lambda: progress.advance(task)


def progress_over(items: Iterator[tuple[str, bytes]], label: str) -> Iterator[tuple[str, bytes]]:
    """Show a progress bar on stderr for long imports (only on a terminal)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description} {task.completed} messages"),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)
        for item in items:
            yield item
            progress.advance(task)


def print_import_report(report, as_json: bool, label: str) -> None:  # type: ignore[no-untyped-def]
    for bad in report.malformed:
        click.echo(
            f"{bad['source']}: malformed message, stored raw as {bad['sha256'][:12]} and "
            f"skipped: {bad['problem']}",
            err=True,
        )
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
        return
    click.echo(
        f"{label}: {report.imported} new message(s): {report.matched} matched, "
        f"{report.unmatched} unmatched, {report.copies} further copies; "
        f"{report.bounces} bounce(s), {report.auto_replies} automatic repl(ies); "
        f"{report.duplicates} already imported; {len(report.malformed)} malformed"
        + (f"; {report.own} cop(ies) of messages we sent" if report.own else "")
    )


@click.group("mail")
def mail_group() -> None:
    """Received mail: import, fetch over IMAP, unmatched messages, assign by hand."""


@mail_group.command("import")
@click.option("--maildir", type=click.Path(path_type=Path, file_okay=False), help="A maildir.")
@click.option("--mbox", type=click.Path(path_type=Path, dir_okay=False), help="An mbox file.")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def import_command(
    maildir: Path | None, mbox: Path | None, files: tuple[Path, ...], as_json: bool
) -> None:
    """Import replies from a maildir, an mbox file or .eml files; match each to its request.

    Every message is stored raw before it is read; importing the same message twice changes
    nothing; a malformed message is stored, reported on stderr and skipped.
    """
    chosen = [bool(maildir), bool(mbox), bool(files)]
    if sum(chosen) != 1:
        raise CommandError("give exactly one of --maildir DIR, --mbox FILE or FILE.eml ...")
    for path in [p for p in (maildir, mbox, *files) if p is not None]:
        if not path.exists():
            raise CommandError(f"{path} does not exist")
    for path in files:
        if not os.access(path, os.R_OK):
            raise CommandError(f"cannot read {path}")
    open_database()
    from sightline.mail.inbox import (
        SourceError,
        file_messages,
        import_messages,
        maildir_messages,
        mbox_messages,
    )

    if maildir:
        messages, label = maildir_messages(maildir), f"maildir {maildir}"
    elif mbox:
        messages, label = mbox_messages(mbox), f"mbox {mbox}"
    else:
        messages, label = file_messages(list(files)), f"{len(files)} file(s)"
    try:
        report = import_messages(progress_over(messages, "Importing"))
    except (SourceError, OSError) as error:
        raise CommandError(str(error)) from None
    print_import_report(report, as_json, label)


@mail_group.command("fetch")
@click.option(
    "--imap",
    "imap_url",
    help="imaps://user@host[:port]/MAILBOX (or imap://, imap+starttls://); "
    "password in SIGHTLINE_IMAP_PASSWORD. Default: SIGHTLINE_IMAP_URL.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def fetch_command(imap_url: str | None, as_json: bool) -> None:
    """Fetch new messages from an IMAP mailbox (each only once) and import them."""
    from sightline.mail.imap import configured_imap

    settings = configured_imap(imap_url or "")
    open_database()
    from sightline.mail.fetching import fetch_mailbox

    report = fetch_mailbox(settings)
    print_import_report(report, as_json, f"IMAP {settings.key}")


def _message_json(message) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from sightline.mail.inbox import raw_store

    return {
        "id": message.pk,
        "sha256": message.sha256,
        "message_id": message.message_id,
        "kind": message.kind,
        "from": message.from_address,
        "subject": message.subject,
        "date": message.date.isoformat() if message.date else None,
        "received_at": message.received_at.isoformat(),
        "source": message.source,
        "raw_path": str(raw_store().path_for(message.sha256)),
        "suggestions": message.suggestions,
        "problem": message.problem,
    }


@mail_group.command("unmatched")
@click.option("--malformed", is_flag=True, help="List the malformed messages instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def unmatched_command(malformed: bool, as_json: bool) -> None:
    """Messages that matched no request (kept, waiting for `sightline mail assign`)."""
    open_database()
    from sightline.mail.inbox import unmatched_messages

    rows = [_message_json(m) for m in unmatched_messages(malformed=malformed)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No unmatched messages.")
    for row in rows:
        hint = f"  (maybe {', '.join(row['suggestions'])})" if row["suggestions"] else ""  # type: ignore[arg-type]
        click.echo(f"{row['id']:>6}  {row['kind']:13} {row['from']:30} {row['subject']}{hint}")


@mail_group.command("assign")
@click.argument("message")
@click.argument("reference")
@click.option(
    "--by", "actor", default=lambda: os.environ.get("USER", "person"), help="Who decided."
)
def assign_command(message: str, reference: str, actor: str) -> None:
    """Assign received MESSAGE (its number, or a hash prefix) to request REFERENCE."""
    open_database()
    from sightline.campaigns.service import CampaignError, get_request
    from sightline.mail.inbox import assign, find_message

    try:
        found = find_message(message)
        request = get_request(reference)
        events = assign(found, request, actor)
    except (LookupError, ValueError, CampaignError) as error:
        raise CommandError(str(error)) from None
    request.refresh_from_db()
    kinds = ", ".join(e.kind + (f" {e.state} (guess)" if e.guess else "") for e in events)
    click.echo(f"Message {found.pk} assigned to {request.reference} ({request.state}): {kinds}")
