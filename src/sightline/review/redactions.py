"""Redaction decisions of a campaign: the one writer of ``Redaction`` rows.

The finder (``sightline.redaction``) proposes; a person accepts, removes or adds, from the command
line (``sightline findings redactions``) or the web interface. Publishing refuses while any
proposal waits for a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.utils import getaddresses

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sightline.campaigns.models import Campaign, Request
from sightline.errors import SightlineError
from sightline.findings.pages import RequestRecord
from sightline.redaction import KINDS, Context, Redaction, Redactor, find_personal_data
from sightline.review.models import Redaction as StoredRedaction

MAX_TEXT = 500


class RedactionError(SightlineError, ValueError):
    pass


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()[:MAX_TEXT]


def requester_details(campaign: Campaign) -> list[str]:
    """The requester's name and the addresses the letters were sent from and asked replies to."""
    details = [campaign.requester_name] if campaign.requester_name.strip() else []
    seen = {_key(d) for d in details}
    letters = campaign.requests.all().prefetch_related("outgoing")
    for request in letters:
        for message in request.outgoing.all():
            parsed = message_from_bytes(bytes(message.raw), policy=policy.compat32)
            pairs = getaddresses(
                [str(parsed.get(h, "")) for h in ("From", "Reply-To", "Sender")]
                + [message.envelope_from]
            )
            for name, address in pairs:
                for piece in (name, address):
                    if piece.strip() and _key(piece) not in seen:
                        seen.add(_key(piece))
                        details.append(piece.strip())
    return details


def _context(campaign: Campaign, requests: dict[str, Request]) -> dict[str, Context]:
    requester = requester_details(campaign)
    contexts = {}
    for reference, request in requests.items():
        authority = request.authority
        # The authority's published FOI address and its own names are not personal data
        # ("Dear Leeds," in a letter names the council, not a person).
        keep = [authority.foi_email or "", authority.name, authority.short_name]
        contexts[reference] = Context.of(keep=keep, requester=requester)
    return contexts


@transaction.atomic
def scan(campaign: Campaign, records: Sequence[RequestRecord]) -> int:
    """Propose every piece of personal data in ``records`` not yet decided; the number new."""
    requests = {
        r.reference: r
        for r in campaign.requests.select_related("authority").prefetch_related(
            "authority__contacts"
        )
    }
    contexts = _context(campaign, requests)
    known = set(StoredRedaction.objects.filter(campaign=campaign).values_list("key", flat=True))
    new = 0
    for record in records:
        context = contexts.get(record.reference, Context())
        for location, text in _texts(record):
            for proposal in find_personal_data(text, context, location):
                key = _key(proposal.text)
                if key in known or len(proposal.text) > MAX_TEXT:
                    continue
                known.add(key)
                StoredRedaction.objects.create(
                    campaign=campaign,
                    request=requests.get(record.reference),
                    text=proposal.text,
                    key=key,
                    kind=proposal.kind,
                    reason=proposal.reason,
                    location=location[:500],
                    context=proposal.context,
                )
                new += 1
    return new


def _texts(record: RequestRecord) -> Iterable[tuple[str, str]]:
    for number, message in enumerate(record.messages, start=1):
        where = f"{record.reference} message {number}"
        yield f"{where} subject", message.subject
        for block in message.blocks:
            yield f"{where} {block.location}", block.text
        for attachment in message.attachments:
            yield f"{where} attachment name", attachment.name
            for block in attachment.blocks:
                yield f"{where} {block.location}", block.text
    for fact in record.facts:
        for quote, location in fact.quotes:
            yield f"{record.reference} quote ({location})", quote


def redactions(campaign: Campaign, status: str | None = None) -> QuerySet[StoredRedaction]:
    rows = StoredRedaction.objects.filter(campaign=campaign).select_related("request")
    if status is not None:
        if status not in StoredRedaction.Status.values:
            raise RedactionError(
                f"unknown status {status!r}: choose one of "
                f"{', '.join(StoredRedaction.Status.values)}"
            )
        rows = rows.filter(status=status)
    return rows.order_by("id")


def unreviewed(campaign: Campaign) -> int:
    return StoredRedaction.objects.filter(
        campaign=campaign, status=StoredRedaction.Status.PROPOSED
    ).count()


def refusal(campaign: Campaign) -> str | None:
    """The one-line reason publishing must wait, or None when every proposal is decided."""
    waiting = unreviewed(campaign)
    if not waiting:
        return None
    plural = "proposal is" if waiting == 1 else "proposals are"
    return (
        f"campaign {campaign.slug}: {waiting} redaction {plural} not reviewed yet;"
        f" review them with `sightline findings redactions {campaign.slug}`"
        " (or on the campaign's Redactions page) before publishing"
    )


def _get(campaign: Campaign, number: int) -> StoredRedaction:
    row = StoredRedaction.objects.filter(campaign=campaign, pk=number).first()
    if row is None:
        raise RedactionError(f"campaign {campaign.slug} has no redaction #{number}")
    return row


def _reviewer(name: str) -> str:
    if not name.strip():
        raise RedactionError("a redaction decision needs the reviewer's name")
    return name.strip()[:150]


@transaction.atomic
def accept(campaign: Campaign, numbers: Sequence[int] | None, reviewer: str) -> int:
    """Accept the numbered proposals (all waiting ones when ``numbers`` is None)."""
    who = _reviewer(reviewer)
    if numbers is None:
        rows = list(redactions(campaign, StoredRedaction.Status.PROPOSED))
    else:
        rows = [_get(campaign, number) for number in numbers]
    for row in rows:
        _decide(row, StoredRedaction.Status.ACCEPTED, who)
    return len(rows)


@transaction.atomic
def remove(campaign: Campaign, number: int, reviewer: str) -> StoredRedaction:
    """A person says the text is not personal data: it is published as written."""
    row = _get(campaign, number)
    _decide(row, StoredRedaction.Status.REMOVED, _reviewer(reviewer))
    return row


@transaction.atomic
def add(campaign: Campaign, text: str, kind: str, reviewer: str) -> StoredRedaction:
    """A redaction a person adds (accepted at once); text already known is accepted."""
    who = _reviewer(reviewer)
    text = " ".join(text.split())
    if len(text) < 2:
        raise RedactionError("give the text to redact (at least two characters)")
    if len(text) > MAX_TEXT:
        raise RedactionError(f"the text to redact is longer than {MAX_TEXT} characters")
    if kind not in KINDS:
        raise RedactionError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    existing = StoredRedaction.objects.filter(campaign=campaign, key=_key(text)).first()
    if existing is not None:
        _decide(existing, StoredRedaction.Status.ACCEPTED, who)
        return existing
    try:
        with transaction.atomic():
            return StoredRedaction.objects.create(
                campaign=campaign,
                text=text,
                key=_key(text),
                kind=kind,
                reason="added by a person",
                status=StoredRedaction.Status.ACCEPTED,
                origin="person",
                decided_by=who,
                decided_at=timezone.now(),
            )
    except IntegrityError:  # added at the same moment by someone else
        raise RedactionError(f"{text!r} was just added by someone else") from None


def _decide(row: StoredRedaction, status: str, reviewer: str) -> None:
    row.status = status
    row.decided_by = reviewer
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "decided_by", "decided_at"])


def redactor(campaign: Campaign) -> Redactor:
    """Every accepted redaction of the campaign, ready to apply."""
    rows = StoredRedaction.objects.filter(campaign=campaign, status=StoredRedaction.Status.ACCEPTED)
    return Redactor(Redaction(row.text, row.kind) for row in rows)


@dataclass(frozen=True)
class Publication:
    records: list[RequestRecord]
    redactor: Redactor


def prepare_publication(
    campaign: Campaign, originals: bool = False, records: Sequence[RequestRecord] | None = None
) -> Publication:
    """Read the campaign's correspondence (unless ``records`` are it, read already), propose
    what is new, and refuse while any proposal waits for a person (RedactionError with the
    one-line reason)."""
    from sightline.review.publishing import request_records

    if records is None:
        records = request_records(campaign, originals=originals)
    scan(campaign, records)
    reason = refusal(campaign)
    if reason:
        raise RedactionError(reason)
    return Publication(list(records), redactor(campaign))
