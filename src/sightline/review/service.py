"""Extracting facts from a campaign's replies, reviewing them, and coding each authority's answer.

Facts start as suggestions (``pending``). A person confirms, corrects or rejects each; only
confirmed and corrected facts feed the coded responses (docs/formats.md, coded answers) that findings are
computed from.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sightline import __version__
from sightline.authorities.models import AuthoritySet
from sightline.campaigns.models import Campaign, Request
from sightline.campaigns.service import record_event, request_status
from sightline.errors import SightlineError
from sightline.findings.coded import NO_REPLY_OUTCOMES, CodedResponse
from sightline.findings.method import MethodInfo
from sightline.law import rules_for
from sightline.lifecycle import (
    RESPONSE_STATES,
    STATUS_VALUES,
    UNCLEAR_STATUS,
    EventKind,
    State,
    TransitionError,
)
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage
from sightline.review.models import FactEvidence, ReviewDecision, StoredFact

if TYPE_CHECKING:  # the readers, the rules and the bundle load only when they are needed:
    # a decision on a fact needs none of them (and they are most of a command's start-up)
    from sightline.facts import Extraction
    from sightline.findings.bundle import EvidenceRow

EXTRACTOR_VERSION = f"sightline-{__version__}"
ACCEPTED = (StoredFact.Status.CONFIRMED, StoredFact.Status.CORRECTED)
# Messages worth reading for facts; bounces and out-of-office notes say nothing about the request.
READABLE_KINDS = (IncomingMessage.Kind.REPLY, IncomingMessage.Kind.AUTO_REPLY)

# What a person may set each field to (docs/formats.md, facts of one document).
VOCABULARY: dict[str, tuple[str, ...]] = {
    "status": STATUS_VALUES,
    "owned": ("yes", "no", "unknown", "unstated"),
    "facial_recognition": ("yes", "past", "no", "unstated"),
    "replacement_plan": ("yes", "no", "unstated"),
}
DEVICE_TYPES = ("camera", "dvr", "nvr", "thermal", "other")


def field_choices(field: str) -> tuple[str, ...]:
    """What a person may set ``field`` to, for a choice in a form (empty: free text)."""
    if field in VOCABULARY:
        return VOCABULARY[field]
    if field == "hikvision_or_dahua_unspecified":
        return ("true", "false")
    return ()


class ReviewError(SightlineError, ValueError):
    pass


def parse_value(field_name: str, text: str) -> Any:
    """A person's correction typed as text, checked against the field's vocabulary."""
    text = text.strip()
    if field_name in VOCABULARY:
        if text not in VOCABULARY[field_name]:
            raise ReviewError(
                f"{field_name} must be one of {', '.join(VOCABULARY[field_name])}, not {text!r}"
            )
        return text
    if field_name == "count":
        if text in ("", "none", "null"):
            return None
        if not text.replace(",", "").isdigit():
            raise ReviewError(f"count must be a whole number or 'none', not {text!r}")
        return int(text.replace(",", ""))
    if field_name == "hikvision_or_dahua_unspecified":
        if text not in ("true", "false"):
            raise ReviewError(f"{field_name} must be true or false, not {text!r}")
        return text == "true"
    if field_name == "device_types":
        types = [t.strip() for t in text.split(",") if t.strip()]
        unknown = [t for t in types if t not in DEVICE_TYPES]
        if unknown:
            raise ReviewError(f"device types must be among {', '.join(DEVICE_TYPES)}")
        return types
    return text  # exemption and other free-text facts


@dataclass
class ExtractReport:
    messages: int = 0
    facts: int = 0
    errors: list[str] = field(default_factory=list)


def messages_to_extract(campaign: Campaign) -> list[tuple[IncomingMessage, list[Request]]]:
    """Readable messages linked to the campaign's requests that have no facts yet."""
    done = set(
        StoredFact.objects.filter(request__campaign=campaign).values_list(
            "message_id", "request_id"
        )
    )
    found: dict[int, tuple[IncomingMessage, list[Request]]] = {}
    messages = IncomingMessage.objects.filter(
        links__request__campaign=campaign, kind__in=READABLE_KINDS
    ).prefetch_related("links__request")
    for message in messages.order_by("id"):
        requests = [
            link.request
            for link in message.links.all()
            if link.request.campaign_id == campaign.pk and (message.pk, link.request.pk) not in done
        ]
        if requests:
            found[message.pk] = (message, requests)
    return list(found.values())


@transaction.atomic
def store_extraction(
    request: Request, message: IncomingMessage | None, extraction: Extraction, document: str
) -> list[StoredFact]:
    stored = []
    for fact in extraction.facts:
        row = StoredFact.objects.create(
            request=request,
            message=message,
            document=document,
            field=fact.field,
            vendor=fact.vendor or "",
            value=fact.value,
            final_value=fact.value,
            rule=fact.rule,
            confidence=fact.confidence,
            extractor_version=EXTRACTOR_VERSION,
        )
        FactEvidence.objects.bulk_create(
            FactEvidence(fact=row, quote=e.quote, location=e.location) for e in fact.evidence
        )
        stored.append(row)
    return stored


def extract_campaign(
    campaign: Campaign, progress: Callable[[int, int], None] | None = None
) -> ExtractReport:
    """Read every new message of the campaign and store its facts as pending suggestions."""
    from sightline.documents import read_message
    from sightline.facts import extract

    report = ExtractReport()
    work = messages_to_extract(campaign)
    store = raw_store()
    for number, (message, requests) in enumerate(work, start=1):
        try:
            document = read_message(store.get(message.sha256))
            extraction = extract(document)
        except SightlineError as error:  # one unreadable message must not stop the rest
            report.errors.append(f"message {message.pk} ({message.subject!r}): {error.message}")
            continue
        except Exception:  # a bug in a reader: say so in our words, keep going
            report.errors.append(
                f"message {message.pk} ({message.subject!r}): it could not be read"
                " (an internal error in Sightline's reader)"
            )
            continue
        for read_error in document.errors:
            report.errors.append(
                f"message {message.pk}: {read_error.location}: {read_error.message}"
            )
        for request in requests:
            report.facts += len(
                store_extraction(request, message, extraction, message.subject or message.sha256)
            )
        report.messages += 1
        if progress:
            progress(number, len(work))
    return report


@transaction.atomic
def decide(
    fact: StoredFact,
    decision: str,
    reviewer: str,
    value_text: str | None = None,
    note: str = "",
) -> ReviewDecision:
    """Record a person's decision on a fact; the fact's status and final value follow it."""
    if not reviewer.strip():
        raise ReviewError("a decision needs the reviewer's name")
    kind = ReviewDecision.Decision(decision)
    value: Any = None
    if kind is ReviewDecision.Decision.CORRECT:
        if value_text is None:
            raise ReviewError("a correction needs the right value")
        value = parse_value(fact.field, value_text)
        fact.final_value = value
        fact.status = StoredFact.Status.CORRECTED
    elif kind is ReviewDecision.Decision.CONFIRM:
        fact.final_value = fact.value
        fact.status = StoredFact.Status.CONFIRMED
    else:
        fact.status = StoredFact.Status.REJECTED
    fact.save(update_fields=["final_value", "status"])
    decision_row = ReviewDecision.objects.create(
        fact=fact, decision=kind, value=value, reviewer=reviewer, note=note, at=timezone.now()
    )
    if fact.field == "status" and fact.status in ACCEPTED:
        _set_request_state(fact, reviewer)
    return decision_row


def _set_request_state(fact: StoredFact, reviewer: str) -> None:
    """A confirmed status of the request's newest reply becomes the request's state, by a person.

    An older reply's status (an acknowledgement confirmed after the answer) moves nothing.
    """
    if fact.final_value == UNCLEAR_STATUS or fact.message is None:
        return
    target = State(fact.final_value)  # a status fact holds a request state's name
    request = fact.request
    newest = (
        IncomingMessage.objects.filter(links__request=request, kind__in=READABLE_KINDS)
        .order_by("-date", "-id")
        .first()
    )
    if newest is None or newest.pk != fact.message_id:
        return
    # A forbidden move (the request was withdrawn meanwhile) leaves the state; the fact stands.
    with contextlib.suppress(TransitionError):
        record_event(
            request,
            EventKind.STATE_SET,
            state=target,
            actor=reviewer,
            note=f"status of the reply confirmed in review (fact #{fact.pk})",
        )


# The order a reviewer sees facts in: the most doubtful first across the whole campaign (a
# fact's confidence is how often its rule is right), then request by request.
REVIEW_ORDER = ("confidence", "request__reference", "id")


def pending_query(campaign: Campaign) -> QuerySet[StoredFact]:
    """Facts waiting for a person (disputed ones included), the least certain first."""
    return (
        StoredFact.objects.filter(request__campaign=campaign, status=StoredFact.Status.PENDING)
        .select_related("request__authority", "message")
        .prefetch_related("evidence")
        .order_by(*REVIEW_ORDER)
    )


def pending_facts(campaign: Campaign) -> list[StoredFact]:
    return list(pending_query(campaign))


def auto_confirm(campaign: Campaign, min_confidence: float, reviewer: str) -> int:
    """Confirm every pending fact at or above ``min_confidence`` (for demonstrations)."""
    count = 0
    for fact in pending_facts(campaign):
        if fact.confidence >= min_confidence:
            decide(fact, "confirm", reviewer, note="")
            count += 1
    return count


# Coding: from accepted facts to one CodedResponse per authority.


def _set_title(campaign: Campaign) -> str:
    """The campaign's set as a reader names it (its title), not by its slug."""
    authority_set = AuthoritySet.objects.filter(slug=campaign.authority_set).first()
    return authority_set.title if authority_set and authority_set.title else campaign.authority_set


def _groups(campaign: Campaign) -> dict[int, str]:
    """Authority id -> group title: the part of a union set it is in, else the set's title."""
    authority_set = AuthoritySet.objects.filter(slug=campaign.authority_set).first()
    if authority_set is None:
        return {}
    group_of: dict[int, str] = {}
    for part in list(authority_set.parts.order_by("slug")) or [authority_set]:
        for authority_id in part.members.values_list("id", flat=True):
            group_of.setdefault(authority_id, part.title)
    return group_of


@dataclass
class _Coding:
    status: str | None = None
    owned: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int | None] = field(default_factory=dict)
    unspecified: bool = False
    facial_recognition: str = "unstated"
    responded_on: dt.date | None = None
    note: str = ""


def _message_day(fact: StoredFact) -> dt.date | None:
    message = fact.message
    if message is None:
        return None
    moment = message.date or message.received_at
    return timezone.localdate(moment) if moment else None


def _written_order(fact: StoredFact) -> tuple[dt.datetime, int]:
    message = fact.message
    moment = (message.date or message.received_at) if message else fact.created_at
    return (moment, fact.pk)


def _code(facts: Iterable[StoredFact]) -> _Coding:
    coding = _Coding()
    for fact in facts:  # in written order: a later message's fact replaces an earlier one's
        value = fact.final_value
        if fact.field == "status" and isinstance(value, str):
            coding.status = value
            if value in RESPONSE_STATES:
                coding.responded_on = _message_day(fact) or coding.responded_on
        elif fact.field == "owned" and fact.vendor and isinstance(value, str):
            coding.owned[fact.vendor] = value
        elif fact.field == "count" and fact.vendor:
            coding.counts[fact.vendor] = value if isinstance(value, int) else None
        elif fact.field == "hikvision_or_dahua_unspecified":
            coding.unspecified = bool(value)
        elif fact.field == "facial_recognition" and isinstance(value, str):
            coding.facial_recognition = value
    return coding


def _outcome(coding: _Coding, request: Request, today: dt.date) -> str:
    """How the request ended (sightline.findings.coded.OUTCOMES): answered (yes or no),
    refused, not held, not delivered (bounced, or never sent), awaiting (no answer, still in
    time or with its clock stopped) or no_response (no answer, past the time limit)."""
    said_yes_or_no = any(coding.owned.get(v) in ("yes", "no") for v in ("hikvision", "dahua"))
    if (
        said_yes_or_no
        or coding.unspecified
        or coding.status in (State.ANSWERED, State.PARTIALLY_ANSWERED)
    ):
        return "answered"
    if coding.status == "not_held" or request.state == "not_held":
        return "not_held"
    if coding.status == "refused" or request.state == "refused":
        return "refused"
    if request.state in ("delivery_failed", "draft", "queued") or request.received_on is None:
        return "not_delivered"
    if request.state == "clarification_requested":
        return "awaiting"  # the clock is stopped until the requester answers
    status = request_status(request, today).deadline
    return "awaiting" if status == "in_time" else "no_response"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _ownership(value: str | None) -> str:
    return value if value in ("yes", "no") else "unknown"


def coded_responses(campaign: Campaign, today: dt.date | None = None) -> list[CodedResponse]:
    """One coded response per authority asked, from confirmed and corrected facts only; every
    reviewer note goes into the authority's footnote, and a reply dated after ``today`` is
    flagged there."""
    today = today or timezone.localdate()
    groups = _groups(campaign)
    set_title = _set_title(campaign)
    requests = (
        campaign.requests.select_related("authority")
        .filter(replaced_by=None)  # a re-filed request speaks for the one it replaced
        .exclude(state="withdrawn")  # a withdrawn request asked nothing in the end
        .order_by("authority__name")
    )
    accepted: dict[int, list[StoredFact]] = {}
    facts = StoredFact.objects.filter(request__campaign=campaign, status__in=ACCEPTED)
    # Facts are applied in the order their messages were written, so a later answer replaces an
    # earlier acknowledgement whatever order the messages were imported in.
    for fact in sorted(facts.select_related("message"), key=_written_order):
        accepted.setdefault(fact.request_id, []).append(fact)
    notes: dict[int, list[str]] = {}
    decisions = ReviewDecision.objects.filter(fact__request__campaign=campaign).exclude(note="")
    for decision in decisions.select_related("fact").order_by("id"):
        said = notes.setdefault(decision.fact.request_id, [])
        if decision.note.strip() not in said:
            said.append(decision.note.strip())
    responses = []
    for request in requests:
        coding = _code(accepted.get(request.pk, []))
        outcome = _outcome(coding, request, today)
        note_parts = list(notes.get(request.pk, []))
        days = [day for f in accepted.get(request.pk, []) if (day := _message_day(f))]
        latest = max(days, default=None)
        if latest and latest > today:  # a wrong clock or a typed date: flagged, not trusted
            note_parts.append(
                f"The reply is dated {latest.isoformat()}, after {today.isoformat()}: "
                "its date needs checking."
            )
        answered = outcome == "answered"
        facial = coding.facial_recognition if coding.facial_recognition != "unstated" else "unknown"
        responses.append(
            CodedResponse(
                authority=request.authority.name,
                group=groups.get(request.authority_id) or set_title,
                outcome=outcome,
                responded_on=coding.responded_on if outcome not in NO_REPLY_OUTCOMES else None,
                hikvision=_ownership(coding.owned.get("hikvision")) if answered else "unknown",
                dahua=_ownership(coding.owned.get("dahua")) if answered else "unknown",
                hikvision_or_dahua_unspecified=coding.unspecified and answered,
                facial_recognition=facial if answered else "unknown",
                hikvision_devices=coding.counts.get("hikvision") if answered else None,
                dahua_devices=coding.counts.get("dahua") if answered else None,
                note=" ".join(_sentence(part) for part in note_parts),
            )
        )
    return responses


def evidence_rows(campaign: Campaign) -> list[EvidenceRow]:
    """Every accepted fact with its quote and location, for evidence.csv."""
    from sightline.findings.bundle import EvidenceRow

    rows = []
    facts = (
        StoredFact.objects.filter(request__campaign=campaign, status__in=ACCEPTED)
        .select_related("request__authority")
        .prefetch_related("evidence")
        .order_by("request__authority__name", "id")
    )
    from sightline.review.publishing import fact_words

    words = fact_words()
    for fact in facts:
        name = f"{fact.field}:{fact.vendor}" if fact.vendor else fact.field
        value = fact.final_value
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        for evidence in fact.evidence.all():
            rows.append(
                EvidenceRow(
                    authority=fact.request.authority.name,
                    fact=name,
                    value=shown,
                    quote=evidence.quote,
                    location=evidence.location,
                    document=fact.document,
                    status=fact.status,
                    statement=words.statement(fact.field, fact.vendor, value),
                    reference=fact.request.reference,
                )
            )
    return rows


_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+(.*)$")
# How a question reads in the report, where no one authority is meant.
_GENERIC_FIELDS = {
    "authority_name": "the authority",
    "authority_short_name": "the authority",
    "law_name": "the Act",
    "law_short_name": "the Act",
    "law_section": "the relevant section",
    "time_limit_section": "the time limit",
    "reference": "the reference",
    "requester_name": "the requester",
}


def numbered_questions(template: str) -> tuple[str, ...]:
    """The numbered paragraphs of a request letter, each joined onto one line."""
    questions: list[str] = []
    current: list[str] | None = None
    for line in template.splitlines():
        started = _NUMBERED.match(line)
        if started:
            current = [started.group(1).strip()]
            questions.append("")
        elif current is not None and line.strip():
            current.append(line.strip())
        else:
            current = None
        if current is not None:
            questions[-1] = " ".join(current).format_map(_GENERIC_FIELDS)
    return tuple(questions)


def method_info(campaign: Campaign) -> MethodInfo:
    """Who was asked, when, under which laws, and the questions (the request letter itself)."""
    requests = list(campaign.requests.exclude(sent_at=None).order_by("sent_at"))
    laws = sorted({rules_for(r.law).title for r in campaign.requests.all()})
    authority_set = AuthoritySet.objects.filter(slug=campaign.authority_set).first()
    asked = authority_set.description if authority_set else campaign.authority_set
    questions = numbered_questions(campaign.template)
    return MethodInfo(
        asked=f"{asked} ({campaign.requests.count()} requests)",
        sent_on=timezone.localdate(requests[0].sent_at)
        if requests and requests[0].sent_at
        else None,
        law=" and ".join(laws),
        questions=questions,
    )


def record_publication(campaign: Campaign, day: dt.date) -> bool:
    """Remember the first publication of a campaign's findings; False (and nothing changed)
    when they were already first published."""
    if campaign.first_published_on is not None:
        return False
    campaign.first_published_on = day
    campaign.save(update_fields=["first_published_on"])
    return True
