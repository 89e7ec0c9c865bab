"""``sightline extract``, ``review``, ``decide`` and ``code``: from replies to coded answers."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from sightline.cli.database import open_database
from sightline.cli.errors import CommandError


def _campaign(slug: str) -> Any:
    from sightline.campaigns.service import get_campaign

    return get_campaign(slug)


def configured_reviewer() -> str | None:
    from sightline.config import settings

    return settings().reviewer or None


@click.command("extract")
@click.argument("slug")
def extract_command(slug: str) -> None:
    """Read every new reply of campaign SLUG and store its facts for review.

    Each reply and its attachments are read once; the facts start as pending suggestions.
    """
    open_database()
    from rich.console import Console
    from rich.progress import Progress

    from sightline.review.service import extract_campaign

    campaign = _campaign(slug)
    with Progress(transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task("Reading replies", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = extract_campaign(campaign, advance)
    for error in report.errors:
        click.echo(f"problem: {error}", err=True)
    click.echo(f"{report.messages} messages read, {report.facts} facts waiting for review")


def _fact_record(fact: Any) -> dict[str, Any]:
    return {
        "id": fact.pk,
        "reference": fact.request.reference,
        "authority": fact.request.authority.name,
        "field": fact.field,
        "vendor": fact.vendor or None,
        "value": fact.value,
        "final_value": fact.final_value,
        "status": fact.status,
        "rule": fact.rule,
        "confidence": fact.confidence,
        "document": fact.document,
        "evidence": [{"quote": e.quote, "location": e.location} for e in fact.evidence.all()],
    }


@click.command("review")
@click.argument("slug")
@click.option("--list", "list_only", is_flag=True, help="Only list the pending facts.")
@click.option("--json", "as_json", is_flag=True, help="List the pending facts as JSON.")
@click.option(
    "--confirm-reply",
    "confirm_reference",
    metavar="REFERENCE",
    help="Confirm every waiting fact of request REFERENCE's reply at once.",
)
@click.option(
    "--message",
    "message_id",
    type=int,
    help="With --confirm-reply: the message, when the request has several replies waiting.",
)
@click.option(
    "--reviewer",
    default=configured_reviewer,
    help="Your name, kept with each decision (default: SIGHTLINE_REVIEWER).",
)
def review_command(
    slug: str,
    list_only: bool,
    as_json: bool,
    confirm_reference: str | None,
    message_id: int | None,
    reviewer: str | None,
) -> None:
    """Go through the pending facts of campaign SLUG, one at a time, with their quotes.

    The most doubtful come first: facts whose reviewers disagree, then the least certain. For
    each fact answer c (confirm), x (correct: type the right value), r (reject), a (confirm
    every waiting fact of this reply), s (skip) or q (quit). Use --list or --json to see the
    queue without deciding, and --confirm-reply REFERENCE to confirm a whole reply at once.
    """
    open_database()
    from sightline.review.service import ReviewError
    from sightline.review.workflow import pending_queue, review

    campaign = _campaign(slug)
    if confirm_reference:
        if not reviewer:
            raise CommandError("--confirm-reply needs --reviewer NAME (or SIGHTLINE_REVIEWER)")
        _confirm_reply(campaign, confirm_reference, message_id, reviewer)
        return
    if message_id is not None:
        raise CommandError("--message goes with --confirm-reply")
    facts = list(pending_queue(campaign))
    if as_json:
        click.echo(json.dumps([_fact_record(f) for f in facts], indent=2, ensure_ascii=False))
        return
    if list_only or not facts:
        for fact in facts:
            _show(fact)
        click.echo(f"{len(facts)} facts waiting for review", err=True)
        return
    if not reviewer:
        reviewer = click.prompt("Your name (kept with each decision)")
    assert reviewer is not None
    decided = 0
    done: set[int] = set()
    for fact in facts:
        if fact.pk in done:
            continue  # confirmed with the rest of its reply
        _show(fact)
        choice = click.prompt(
            "[c]onfirm, corre[x]t, [r]eject, confirm [a]ll of this reply, [s]kip, [q]uit",
            type=click.Choice(["c", "x", "r", "a", "s", "q"]),
            show_choices=False,
        )
        if choice == "q":
            break
        if choice == "s":
            continue
        try:
            if choice == "a":
                outcome = _confirm_key(fact.request_id, fact.message_id, reviewer)
                done.update(made.fact_id for made in outcome.made)
                decided += len(outcome.made)
                continue
            if choice == "x":
                value = click.prompt("Right value")
                note = click.prompt("Note (optional)", default="", show_default=False)
                _, dispute = review(fact, "correct", reviewer, value, note)
            else:
                _, dispute = review(fact, "confirm" if choice == "c" else "reject", reviewer)
        except ReviewError as error:
            click.echo(f"Not recorded: {error}", err=True)
            continue
        if dispute is not None:
            click.echo(_disputed(fact.pk, dispute.parties), err=True)
        decided += 1
    click.echo(f"{decided} decisions recorded")


def _confirm_key(request_id: int, message_id: int | None, reviewer: str) -> Any:
    from sightline.review.replies import ReplyKey, confirm_reply

    outcome = confirm_reply(ReplyKey(request_id, message_id), reviewer)
    for fact_id, dispute in outcome.disputed.items():
        click.echo(_disputed(fact_id, dispute.parties), err=True)
    return outcome


def _confirm_reply(campaign: Any, reference: str, message_id: int | None, reviewer: str) -> None:
    """Confirm every waiting fact of one reply of request REFERENCE, in one transaction."""
    from sightline.campaigns.service import get_request
    from sightline.review.replies import pending_replies

    request = get_request(reference)
    if request.campaign_id != campaign.pk:
        raise CommandError(f"{request.reference} is not a request of campaign {campaign.slug}")
    keys = pending_replies(request)
    if message_id is not None:
        keys = [key for key in keys if key.message_id == message_id]
    if not keys:
        which = f"message {message_id} of " if message_id is not None else ""
        raise CommandError(f"no fact of {which}{request.reference} waits for review")
    if len(keys) > 1:
        numbers = ", ".join(str(key.message_id) for key in keys)
        raise CommandError(
            f"{request.reference} has {len(keys)} replies waiting (messages {numbers}): "
            "give one with --message"
        )
    outcome = _confirm_key(keys[0].request_id, keys[0].message_id, reviewer)
    click.echo(
        f"{request.reference}: {len(outcome.made)} fact{'' if len(outcome.made) == 1 else 's'}"
        " confirmed" + (f", {outcome.skipped} left to a third reviewer" if outcome.skipped else "")
    )


def _show(fact: Any) -> None:
    what = f"{fact.field} [{fact.vendor}]" if fact.vendor else fact.field
    click.echo(
        f"#{fact.pk} {fact.request.reference} {fact.request.authority.name}: {what} = "
        f"{json.dumps(fact.value)} (rule {fact.rule}, confidence {fact.confidence:.2f})"
    )
    for evidence in fact.evidence.all():
        click.echo(f"    {evidence.location}: \u201c{evidence.quote}\u201d")


@click.command("decide")
@click.argument("fact_id", type=int)
@click.argument("decision", type=click.Choice(["confirm", "correct", "reject"]))
@click.option("--value", help="The right value, for a correction.")
@click.option("--note", default="", help="Why; a note becomes a footnote in the findings.")
@click.option(
    "--reviewer",
    default=configured_reviewer,
    required=True,
    help="Your name (default: SIGHTLINE_REVIEWER).",
)
def decide_command(
    fact_id: int, decision: str, value: str | None, note: str, reviewer: str
) -> None:
    """Confirm, correct or reject one fact by its number (as `review --list` shows it)."""
    open_database()
    from sightline.review.models import StoredFact
    from sightline.review.workflow import review

    fact = StoredFact.objects.filter(pk=fact_id).first()
    if fact is None:
        raise CommandError(f"no fact #{fact_id}")
    _, dispute = review(fact, decision, reviewer, value, note)
    fact.refresh_from_db()
    click.echo(f"#{fact_id} {fact.status}: {json.dumps(fact.final_value)}")
    if dispute is not None:
        click.echo(_disputed(fact_id, dispute.parties), err=True)


def _disputed(fact_id: int, parties: tuple[str, ...]) -> str:
    return f"#{fact_id} is disputed: {' and '.join(parties)} disagree; a third reviewer decides it"


@click.command("code")
@click.argument("slug")
@click.option("--csv", "as_csv", is_flag=True, required=True, help="Write the coded CSV.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: standard output).",
)
def code_command(slug: str, as_csv: bool, out: Path | None) -> None:
    """Export each authority's coded answer, from reviewed facts, as CSV (docs/formats.md, coded answers)."""
    open_database()
    from sightline.findings.coded import REQUIRED_COLUMNS
    from sightline.review.service import coded_responses

    responses = coded_responses(_campaign(slug))
    handle = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REQUIRED_COLUMNS)
        for response in responses:
            writer.writerow([response.value(column) for column in REQUIRED_COLUMNS])
    finally:
        if out:
            handle.close()
    if out:
        click.echo(f"{len(responses)} coded responses written to {out}", err=True)
