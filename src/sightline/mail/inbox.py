"""Taking in received mail: store raw, de-duplicate, parse, match, and add to each timeline.

Work is done in batches: a batch's raw bytes are stored in one transaction of the raw store
(durable when it returns), then each message is parsed once and the batch's rows are written in
one database transaction. A crash loses at most one batch of database rows; their raw bytes are
already on disk, and importing again fills the gap because de-duplication is by content hash.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from sightline.authorities.models import Contact
from sightline.campaigns.models import Request, RequestEvent
from sightline.campaigns.service import record_event, record_events
from sightline.config import sightline_home
from sightline.errors import SightlineError
from sightline.lifecycle import DerivedState, NewEvent, State, TransitionError, apply
from sightline.mail.matching import Match, ReplyMatcher
from sightline.mail.models import IncomingMessage, MessageLink, OutgoingMessage
from sightline.mail.rawstore import RawStore
from sightline.mail.tracking import message_kind, plan
from sightline.replies import MalformedMessage, Reply, read_reply

RAW_BATCH_BYTES = 64 * 1024 * 1024  # store the raw batch early when its messages are this big


class SourceError(SightlineError, ValueError):
    pass


_STORES: dict[Path, RawStore] = {}


def raw_store() -> RawStore:
    """The raw store of the current data folder (one per folder, so one connection per thread)."""
    root = sightline_home() / "mail" / "raw"
    store = _STORES.get(root)
    if store is None:
        store = _STORES[root] = RawStore(root)
    return store


# Sources: each yields (label, raw bytes) so a report can say where a bad message came from.


def maildir_messages(path: Path) -> Iterator[tuple[str, bytes]]:
    if not all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
        raise SourceError(f"{path} is not a maildir (it needs cur, new and tmp folders)")
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.iterkeys()):
        yield f"{path}:{key}", box.get_bytes(key)


def mbox_messages(path: Path) -> Iterator[tuple[str, bytes]]:
    if not path.is_file():
        raise SourceError(f"{path} is not a file")
    with path.open("rb") as handle:
        if handle.read(5) != b"From ":
            raise SourceError(f"{path} is not an mbox file (it does not start with 'From ')")
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            yield f"{path}#{number}", box.get_bytes(key)
    finally:
        box.close()


def file_messages(paths: list[Path]) -> Iterator[tuple[str, bytes]]:
    for path in paths:
        yield str(path), path.read_bytes()


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0  # already stored: same content
    copies: int = 0  # same Message-ID, other content (another delivery of one message)
    matched: int = 0
    unmatched: int = 0
    bounces: int = 0
    delays: int = 0  # delivery delay notices: neither a bounce nor an answer
    auto_replies: int = 0
    own: int = 0  # copies of messages we sent, found among the received mail
    malformed: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "copies": self.copies,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "bounces": self.bounces,
            "delays": self.delays,
            "auto_replies": self.auto_replies,
            "own_messages": self.own,
            "malformed": self.malformed,
        }


@dataclass
class _Item:
    sha256: str
    source: str
    size: int
    mail: Reply | None
    problem: str = ""


def build_matcher() -> ReplyMatcher:
    """A snapshot of what replies can match: references, their secrets, sent Message-IDs."""
    secrets = dict(Request.objects.values_list("reference", "campaign__secret"))
    sent = dict(OutgoingMessage.objects.values_list("message_id", "request__reference"))
    domains: dict[str, list[str]] = {}
    by_authority: dict[int, list[str]] = {}
    for authority_id, reference in Request.objects.values_list("authority_id", "reference"):
        by_authority.setdefault(authority_id, []).append(reference)
    for authority_id, email in Contact.objects.values_list("authority_id", "email"):
        domain = email.rsplit("@", 1)[-1].lower()
        domains.setdefault(domain, []).extend(by_authority.get(authority_id, []))
    from sightline.authorities.models import Authority

    for authority_id, website in Authority.objects.exclude(website_domain="").values_list(
        "id", "website_domain"
    ):
        domain = website.lower().removeprefix("www.")
        domains.setdefault(domain, []).extend(by_authority.get(authority_id, []))
    return ReplyMatcher(secrets, sent, {d: sorted(set(r)) for d, r in domains.items()})


def message_data(message: IncomingMessage | _Row, mail: Reply, method: str) -> dict[str, Any]:
    return {
        "message": message.pk,
        "sha256": message.sha256,
        "from": mail.from_address,
        "subject": mail.subject,
        "date": mail.date.isoformat() if mail.date else None,
        "kind": message.kind,
        "match": method,
        "attachments": list(mail.attachment_names),
    }


def follow_up_bounced(mail: Reply, follow_up_ids: set[str]) -> bool:
    return bool(mail.bounce and mail.bounce.original_message_id in follow_up_ids)


def event_time(mail: Reply, last: datetime | None, now: datetime) -> datetime:
    """The message's own date, kept after the request's last event and not in the future."""
    at = mail.date or now
    if last is not None and at < last:
        at = last
    return min(at, now)


class Importer:
    """Add raw messages one by one; ``close()`` (or a full batch) writes them to the database."""

    def __init__(self, store: RawStore | None = None, batch_size: int = 500) -> None:
        self.store = store or raw_store()
        self.batch_size = batch_size
        self.report = ImportReport()
        self.matcher = build_matcher()
        self.request_ids = dict(Request.objects.values_list("reference", "id"))
        self.follow_up_ids = set(
            OutgoingMessage.objects.exclude(kind=OutgoingMessage.Kind.REQUEST).values_list(
                "message_id", flat=True
            )
        )
        self.known_hashes = set(IncomingMessage.objects.values_list("sha256", flat=True))
        self.first_by_message_id: dict[str, int] = dict(
            IncomingMessage.objects.filter(copy_of=None)
            .exclude(message_id="")
            .values_list("message_id", "id")
        )
        self.pending: list[_Item] = []
        self.pending_ids: set[str] = set()
        self._pending_bytes = 0  # parsed messages held for the next write cost about this much
        self._unstored: list[tuple[bytes, str]] = []  # (raw, source) not yet in the raw store
        self._unstored_bytes = 0

    def add(self, raw: bytes, source: str) -> None:
        self._unstored.append((raw, source))
        self._unstored_bytes += len(raw)
        if len(self._unstored) >= self.batch_size or self._unstored_bytes >= RAW_BATCH_BYTES:
            self._store_and_parse()

    def _store_and_parse(self) -> None:
        """Store the waiting raw messages (on disk when this returns), then parse each once."""
        batch, self._unstored, self._unstored_bytes = self._unstored, [], 0
        if not batch:
            return
        hashes = self.store.put_many([raw for raw, _ in batch])
        for (raw, source), sha256 in zip(batch, hashes, strict=True):
            self._take(sha256, raw, source)

    def _take(self, sha256: str, raw: bytes, source: str) -> None:
        if sha256 in self.known_hashes:
            self.report.duplicates += 1
            return
        self.known_hashes.add(sha256)
        try:
            item = _Item(sha256, source, len(raw), read_reply(raw))
        except MalformedMessage as error:
            item = _Item(sha256, source, len(raw), None, str(error))
        if item.mail and item.mail.message_id in self.pending_ids:
            self._write_pending()  # a second copy in one batch: its original needs an id first
        self.pending.append(item)
        self._pending_bytes += item.size
        if item.mail and item.mail.message_id:
            self.pending_ids.add(item.mail.message_id)
        if len(self.pending) >= self.batch_size or self._pending_bytes >= RAW_BATCH_BYTES:
            self._write_pending()  # (a batch of large parsed messages would hold gigabytes)

    def close(self) -> ImportReport:
        try:
            self.flush()
        finally:
            self.store.close()
        return self.report

    def flush(self) -> None:
        """Store, parse and write to the database everything added so far."""
        self._store_and_parse()
        self._write_pending()

    def _write_pending(self) -> None:
        if not self.pending:
            return
        items, self.pending, self.pending_ids = self.pending, [], set()
        self._pending_bytes = 0
        with transaction.atomic():
            self._write(items)

    def _write(self, items: list[_Item]) -> None:
        now = timezone.now()
        rows = [self._row(item, now) for item in items]
        results = [self.matcher.match(item.mail) if item.mail else None for item in items]
        for row, result in zip(rows, results, strict=True):
            if result is not None and not result.matches and not row.copy_of_id:
                row.suggestions = list(result.suggestions)
        _insert(IncomingMessage, _MESSAGE_COLUMNS, [row.values() for row in rows])
        ids = _ids_by_hash([row.sha256 for row in rows])
        for row in rows:
            row.pk = ids[row.sha256]
            if row.copy_of_id is None and row.message_id:
                self.first_by_message_id.setdefault(row.message_id, row.pk)
        # Which requests each message belongs to (a copy adds only requests its original lacks).
        originals = [row.copy_of_id for row in rows if row.copy_of_id]
        linked: dict[int, set[int]] = {}
        if originals:
            for message_id, request_id in MessageLink.objects.filter(
                message_id__in=originals
            ).values_list("message_id", "request_id"):
                linked.setdefault(message_id, set()).add(request_id)
        links: list[tuple[_Row, Reply, int, Match]] = []
        for item, row, result in zip(items, rows, results, strict=True):
            if item.mail is None or result is None:
                self.report.malformed.append(
                    {"source": item.source, "sha256": item.sha256, "problem": item.problem}
                )
                continue
            self.report.imported += 1
            kind = row.kind
            if kind == IncomingMessage.Kind.OWN:
                self.report.own += 1  # kept, but it is not a reply to anything
                continue
            self.report.bounces += kind == "bounce"
            self.report.delays += kind == "delay"
            self.report.auto_replies += kind in ("auto_reply", "out_of_office")
            already = linked.get(row.copy_of_id or 0, set())
            new = [
                (self.request_ids[m.reference], m)
                for m in result.matches
                if m.reference in self.request_ids and self.request_ids[m.reference] not in already
            ]
            if row.copy_of_id:
                self.report.copies += 1
            elif new:
                self.report.matched += 1
            else:
                self.report.unmatched += 1
            links.extend((row, item.mail, request_id, m) for request_id, m in new)
        _insert(
            MessageLink,
            ("message_id", "request_id", "method", "actor", "created_at"),
            [(row.pk, rid, m.method, "system", now) for row, _, rid, m in links],
        )
        self._track(links, now)

    def _row(self, item: _Item, now: datetime) -> _Row:
        if item.mail is None:
            return _Row(
                item.sha256,
                kind=IncomingMessage.Kind.MALFORMED,
                source=item.source[:500],
                size=item.size,
                problem=item.problem,
                received_at=now,
            )
        mail = item.mail
        return _Row(
            item.sha256,
            message_id=mail.message_id[:255],
            copy_of_id=self.first_by_message_id.get(mail.message_id) if mail.message_id else None,
            kind=(
                IncomingMessage.Kind.OWN
                if mail.message_id in self.matcher.sent_message_ids
                else message_kind(mail)
            ),
            source=item.source[:500],
            size=item.size,
            from_address=mail.from_address[:255],
            subject=mail.subject[:500],
            date=mail.date,
            received_at=now,
        )

    def _track(self, links: list[tuple[_Row, Reply, int, Match]], now: datetime) -> None:
        """Add every linked message's events, request by request, in one go."""
        if not links:
            return
        request_ids = sorted({rid for _, _, rid, _ in links})
        states = {
            pk: DerivedState(State(state), guess)
            for pk, state, guess in Request.objects.select_for_update()
            .filter(pk__in=request_ids)
            .values_list("pk", "state", "state_is_guess")
        }
        last_at = dict(
            RequestEvent.objects.filter(request_id__in=request_ids)
            .values("request_id")
            .annotate(last=Max("at"))
            .values_list("request_id", "last")
        )
        # Planned here (each message sees the state the one before left); written by the
        # campaigns module's one writer of request timelines.
        events: list[tuple[int, NewEvent]] = []
        for row, mail, request_id, match in links:
            current = states[request_id]
            at = event_time(mail, last_at.get(request_id), now)
            bounced = follow_up_bounced(mail, self.follow_up_ids)
            for planned in plan(mail, message_data(row, mail, match.method), current, bounced):
                current = apply(current, planned.logged)
                events.append((request_id, replace(planned, at=at)))
            states[request_id] = current
            last_at[request_id] = at
        record_events(events)


_MESSAGE_COLUMNS = (
    "sha256",
    "message_id",
    "copy_of_id",
    "kind",
    "source",
    "size",
    "from_address",
    "subject",
    "date",
    "received_at",
    "problem",
    "suggestions",
)


class _Row:
    """One received message's row, before it is written and after (with its ``pk``): plain
    attributes, as a model instance per message costs more than writing it."""

    __slots__ = ("pk", *_MESSAGE_COLUMNS)

    def __init__(
        self,
        sha256: str,
        *,
        kind: str,
        source: str,
        size: int,
        received_at: datetime,
        message_id: str = "",
        copy_of_id: int | None = None,
        from_address: str = "",
        subject: str = "",
        date: datetime | None = None,
        problem: str = "",
    ) -> None:
        self.pk = 0
        self.sha256, self.message_id, self.copy_of_id = sha256, message_id, copy_of_id
        self.kind, self.source, self.size = kind, source, size
        self.from_address, self.subject, self.date = from_address, subject, date
        self.received_at, self.problem = received_at, problem
        self.suggestions: list[str] = []

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, column) for column in _MESSAGE_COLUMNS)


def _ids_by_hash(hashes: list[str]) -> dict[str, int]:
    """The ids of messages just written, by hash (one query, no model objects)."""
    table = connection.ops.quote_name(IncomingMessage._meta.db_table)
    marks = ", ".join(["%s"] * len(hashes))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sha256, id FROM {table} WHERE sha256 IN ({marks})", hashes)
        return dict(cursor.fetchall())


def _insert(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows with one prepared statement; values are adapted by their model fields
    (``bulk_create`` spends most of a large import preparing values field by field)."""
    if not rows:
        return
    by_column = {f.column: f for f in model._meta.concrete_fields}
    fields = [by_column[column] for column in columns]
    adapters = []
    for model_field in fields:
        kind = model_field.get_internal_type()
        if kind == "DateTimeField":  # every row of a batch has the same time of receipt
            adapters.append(lru_cache(maxsize=4096)(connection.ops.adapt_datetimefield_value))
        elif kind == "JSONField":
            adapters.append(lambda v, e=model_field.encoder: connection.ops.adapt_json_value(v, e))
        else:
            adapters.append(None)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    prepared = [tuple(a(v) if a else v for a, v in zip(adapters, row, strict=True)) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)


def import_messages(
    messages: Iterator[tuple[str, bytes]], importer: Importer | None = None
) -> ImportReport:
    importer = importer or Importer()
    try:
        for source, raw in messages:
            importer.add(raw, source)
    except BaseException:
        importer.close()  # keep what was read before the failure
        raise
    return importer.close()


# Unmatched mail and assigning it by hand.


def unmatched_query(malformed: bool = False) -> QuerySet[IncomingMessage]:
    """Messages no request claimed (copies and our own sent mail aside), oldest first; with
    ``malformed``, the ones that could not be read. A query, so a page can read just its rows."""
    found = IncomingMessage.objects.filter(copy_of=None, links=None)
    if malformed:
        return found.filter(kind=IncomingMessage.Kind.MALFORMED).order_by("id")
    hidden = [IncomingMessage.Kind.MALFORMED, IncomingMessage.Kind.OWN]
    return found.exclude(kind__in=hidden).order_by("id")


def unmatched_messages(malformed: bool = False) -> list[IncomingMessage]:
    return list(unmatched_query(malformed))


def find_message(identifier: str) -> IncomingMessage:
    """A received message by its number, or by a unique prefix (6+ hex digits) of its hash."""
    if identifier.isdigit():
        message = IncomingMessage.objects.filter(pk=int(identifier)).first()
    elif len(identifier) >= 6:
        matches = list(IncomingMessage.objects.filter(sha256__startswith=identifier.lower())[:2])
        if len(matches) > 1:
            raise LookupError(f"{identifier!r} matches more than one message; give more digits")
        message = matches[0] if matches else None
    else:
        message = None
    if message is None:
        raise LookupError(f"no received message {identifier!r}")
    return message


@transaction.atomic
def assign(message: IncomingMessage, request: Request, actor: str) -> list[RequestEvent]:
    """A person says ``message`` belongs to ``request``: link it and add it to the timeline."""
    if message.kind == IncomingMessage.Kind.MALFORMED:
        raise ValueError(
            f"message {message.pk} could not be read ({message.problem}); "
            f"its raw copy is {raw_store().path_for(message.sha256)}"
        )
    if MessageLink.objects.filter(message=message, request=request).exists():
        raise ValueError(f"message {message.pk} is already linked to {request.reference}")
    mail = read_reply(raw_store().get(message.sha256))
    MessageLink.objects.create(message=message, request=request, method="manual", actor=actor)
    current = DerivedState(State(request.state), request.state_is_guess)
    recorded = []
    follow_ups = set(
        OutgoingMessage.objects.filter(request=request)
        .exclude(kind=OutgoingMessage.Kind.REQUEST)
        .values_list("message_id", flat=True)
    )
    bounced = follow_up_bounced(mail, follow_ups)
    for planned in plan(mail, message_data(message, mail, "manual"), current, bounced):
        try:
            recorded.append(
                record_event(
                    request,
                    planned.kind,
                    state=planned.state,
                    guess=planned.guess,
                    actor=actor if planned.actor == "system" else planned.actor,
                    note=planned.note,
                    data=planned.data,
                )
            )
        except TransitionError:
            continue
    return recorded
