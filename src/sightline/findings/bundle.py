"""The published bundle: one folder holding the report and the data behind it.

    index.html      self-contained report (headlines, chart, table with footnotes, method, updates)
    chart.svg       the chart as a static image
    findings.csv    one row per figure
    findings.json   the findings (the shape in docs/formats.md) plus title, dates, totals, updates
    evidence.csv    every fact with its quote and location
    sightline.db    SQLite for Datasette; metadata.json describes its tables and columns
    responsiveness.csv, responsiveness.svg  (from a campaign) how promptly each authority answered
    requests/       a page per request (letter, replies, attachments as text, timeline, facts)

Everything written passes through the accepted redactions first (``redactor``): the quotes, the
notes, the correspondence. Only original attachment files, published solely when the builder asks
for them, are as received.

``build_bundle`` takes coded rows, report information and evidence rows, not a file path, so that a
campaign's reviewed facts and a plain coded CSV are published the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sightline.errors import SightlineError
from sightline.findings.chart import chart_spec, chart_svg
from sightline.findings.coded import CodedResponse
from sightline.findings.database import (
    RESPONSIVENESS_COLUMNS,
    TABLES,
    ExtraTable,
    datasette_metadata,
    write_database,
)
from sightline.findings.engine import Findings, compute_findings
from sightline.findings.method import MethodInfo
from sightline.findings.pages import (
    PAGES_FOLDER,
    RequestRecord,
    redact_record,
    render_request_page,
)
from sightline.findings.report import render_report
from sightline.findings.responsiveness import (
    RequestHistory,
    Responsiveness,
    compute_responsiveness,
)
from sightline.findings.spec import FindingsSpec, default_spec
from sightline.findings.updates import Update, late_reply_updates
from sightline.findings.words import FactWords
from sightline.redaction import Redactor

BUNDLE_FILES = (
    "index.html",
    "chart.svg",
    "findings.csv",
    "findings.json",
    "evidence.csv",
    "sightline.db",
    "metadata.json",
)
EVIDENCE_COLUMNS = tuple(TABLES["evidence"][1])
FINDINGS_COLUMNS = tuple(TABLES["findings"][1])


class BundleError(SightlineError, ValueError):
    """The bundle cannot be written where asked."""


@dataclass(frozen=True)
class EvidenceRow:
    """One fact behind a coded response, with the words that state it and where they are."""

    authority: str
    fact: str
    value: str
    quote: str
    location: str
    document: str = ""
    status: str = "confirmed"
    statement: str = ""  # the fact in words: "Owns Hikvision equipment: yes"
    reference: str = ""  # the request it comes from (its page in the bundle)

    def as_record(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in EVIDENCE_COLUMNS}


@dataclass(frozen=True)
class ReportInfo:
    """What the report says about itself beyond the figures."""

    title: str
    as_of: dt.date | None = None
    built_on: dt.date = field(default_factory=dt.date.today)
    updates: tuple[Update, ...] = ()
    method: MethodInfo | None = None
    # When the report first went out: later replies become dated updates, and the figures as
    # first published are shown beside the current ones.
    first_published: dt.date | None = None

    def all_updates(self, responses: Sequence[CodedResponse]) -> tuple[Update, ...]:
        if self.first_published is None:
            return self.updates
        return tuple(late_reply_updates(responses, self.first_published, self.as_of, self.updates))


@dataclass(frozen=True)
class SpendAttachment:
    """Spending beside the FOI answers, built by ``sightline.procurement.publish``: a cell per
    authority name for the table, a headline sentence with its caveats, spend.csv's text, the
    money per authority and financial year (for findings.json), and the spend tables of
    sightline.db (name -> description, columns with their meanings, rows, integer columns)."""

    column: Mapping[str, str]
    headline: str
    csv_text: str
    by_year: Sequence[Mapping[str, Any]] = ()
    tables: Mapping[str, ExtraTable] = field(default_factory=dict)


@dataclass(frozen=True)
class BundleResult:
    folder: Path
    files: list[str]
    findings: Findings


def build_bundle(
    folder: Path,
    responses: Sequence[CodedResponse],
    info: ReportInfo,
    evidence: Sequence[EvidenceRow] = (),
    spec: FindingsSpec | None = None,
    spend: SpendAttachment | None = None,
    histories: Sequence[RequestHistory] | None = None,
    requests: Sequence[RequestRecord] = (),
    redactor: Redactor | None = None,
    words: FactWords | None = None,
    originals: bool = False,
) -> BundleResult:
    """Compute the findings and write every bundle file into ``folder`` (created if needed).

    With ``histories`` (a campaign's request logs), how promptly the authorities answered;
    ``requests`` become a page each; ``redactor`` is applied to every text before it is written;
    ``originals`` publishes the original attachment files (as received, not redacted)."""
    spec = spec or default_spec()
    redactor = redactor or Redactor()
    words = words or FactWords()
    responses = [replace(r, note=redactor.redact(r.note)) for r in responses]
    evidence = [_worded(row, redactor, words) for row in evidence]
    records = [redact_record(record, redactor) for record in requests]
    pages: dict[str, str] = {}
    for record in records:
        pages.setdefault(record.authority, record.page)
    findings = compute_findings(responses, spec, as_of=info.as_of)
    earlier = None
    if info.first_published is not None:
        if info.as_of is not None and info.first_published > info.as_of:
            raise BundleError(
                f"the first publication date {info.first_published.isoformat()} is after the"
                f" findings date {info.as_of.isoformat()}"
            )
        earlier = compute_findings(responses, spec, as_of=info.first_published)
    updates = info.all_updates(responses)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BundleError(f"{folder}: cannot create the folder ({error.strerror})") from None
    if not folder.is_dir():
        raise BundleError(f"{folder}: not a folder")

    method = info.method or MethodInfo()
    spec_dict = chart_spec(findings)
    svg = chart_svg(spec_dict)
    figure_rows = findings_records(findings)
    evidence_records = [row.as_record() for row in evidence]
    responsiveness = (
        compute_responsiveness(histories, info.as_of or info.built_on)
        if histories is not None
        else None
    )
    timeliness = _responsiveness_parts(responsiveness, responses)
    html = render_report(
        findings,
        spec,
        title=info.title,
        built_on=info.built_on,
        method=method,
        updates=updates,
        earlier=earlier,
        chart_spec=spec_dict,
        chart_svg=svg,
        evidence_count=len(evidence_records),
        spend_column=spend.column if spend else None,
        spend_headline=spend.headline if spend else "",
        evidence=evidence_records,
        responsiveness_section=timeliness.section,
        pages=pages,
    )
    document = findings_document(findings, info, method, updates, earlier)
    if responsiveness is not None:
        document["responsiveness"] = responsiveness.as_json()
    if spend:
        document["spend"] = {
            "headline": spend.headline,
            "by_authority": dict(spend.column),
            "by_year": [dict(entry) for entry in spend.by_year],
        }
    _write_text(folder / "index.html", html)
    _write_text(folder / "chart.svg", svg)
    _write_text(
        folder / "findings.csv", _csv_text(FINDINGS_COLUMNS, figure_rows + timeliness.figures)
    )
    _write_text(folder / "findings.json", json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    _write_text(folder / "evidence.csv", _csv_text(EVIDENCE_COLUMNS, evidence_records))
    page_files = _write_pages(folder, records, info.title, words, originals)
    document["requests"] = [
        {"reference": r.reference, "authority": r.authority, "page": r.page} for r in records
    ]
    if spend:
        _write_text(folder / "spend.csv", spend.csv_text)
    if responsiveness is not None:
        _write_text(folder / "responsiveness.csv", timeliness.csv_text)
        _write_text(folder / "responsiveness.svg", timeliness.svg)
    description = (
        f"{findings.sent} requests, {findings.successful} answered."
        + (f" Findings as they stood on {info.as_of.isoformat()}." if info.as_of else "")
        + " Built by Sightline."
    )
    extra = dict(spend.tables) if spend else {}
    metadata = datasette_metadata(info.title, description, extra)
    _write_text(folder / "metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    database_rows: dict[str, list[dict[str, Any]]] = {
        "coded_responses": coded_records(responses, findings, timeliness.by_authority),
        "findings": figure_rows + timeliness.figures,
        "footnotes": [
            {"number": row.footnote, "authority": row.authority, "text": row.response.note}
            for row in findings.table
            if row.footnote
        ],
        "evidence": evidence_records,
        "updates": [{"date": u.date.isoformat(), "text": u.text} for u in updates],
        "requests": [_request_row(r) for r in records],
        "correspondence": [row for r in records for row in _correspondence_rows(r)],
    }
    temporary = folder / ".sightline.db.tmp"
    write_database(temporary, database_rows, extra)
    os.replace(temporary, folder / "sightline.db")
    files = list(BUNDLE_FILES) + (["spend.csv"] if spend else []) + page_files
    if responsiveness is not None:
        files += ["responsiveness.csv", "responsiveness.svg"]
    return BundleResult(folder=folder, files=files, findings=findings)


def _worded(row: EvidenceRow, redactor: Redactor, words: FactWords) -> EvidenceRow:
    field_name, vendor = words.split_key(row.fact)
    statement = row.statement or words.statement(field_name, vendor, row.value)
    return replace(
        row,
        quote=redactor.redact(row.quote),
        location=redactor.redact(row.location),
        document=redactor.redact(row.document),
        statement=statement,
    )


def _write_pages(
    folder: Path, records: Sequence[RequestRecord], title: str, words: FactWords, originals: bool
) -> list[str]:
    """Write requests/REF.html for every record (and, if allowed, the original attachments);
    stale pages from an earlier build are removed."""
    if not records:
        return []
    pages_folder = folder / PAGES_FOLDER
    try:
        pages_folder.mkdir(exist_ok=True)
        for old in sorted(pages_folder.rglob("*"), reverse=True):  # files before folders
            if old.is_dir():
                old.rmdir()
            else:
                old.unlink()
    except OSError as error:
        raise BundleError(f"{pages_folder}: cannot be prepared ({error.strerror})") from None
    written: list[str] = []
    for record in records:
        stem = record.page.rsplit("/", 1)[1].removesuffix(".html")

        def original(
            message: int, index: int, record: RequestRecord = record, stem: str = stem
        ) -> str | None:
            attachment = record.messages[message - 1].attachments[index - 1]
            if not originals or attachment.content is None:
                return None
            name = _safe_file_name(attachment.name)
            relative = f"{stem}-files/{message}-{index}-{name}"
            target = pages_folder / relative
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(attachment.content)
            written.append(f"{PAGES_FOLDER}/{relative}")
            return relative

        html = render_request_page(record, title=title, words=words, originals=original)
        _write_text(folder / record.page, html)
        written.append(record.page)
    return written


def _safe_file_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "._-" else "-" for c in name).strip(".-")
    return cleaned[:100] or "attachment"


def _request_row(record: RequestRecord) -> dict[str, Any]:
    return {
        "reference": record.reference,
        "authority": record.authority,
        "law": record.law,
        "state": record.state,
        "received_on": record.received_on.isoformat() if record.received_on else None,
        "page": record.page,
    }


def _correspondence_rows(record: RequestRecord) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for number, message in enumerate(record.messages, start=1):
        blocks = [(b.location, b.text) for b in message.blocks]
        blocks += [(b.location, b.text) for a in message.attachments for b in a.blocks]
        for location, text in blocks:
            rows.append(
                {
                    "reference": record.reference,
                    "number": number,
                    "direction": message.direction,
                    "kind": message.kind,
                    "date": message.when.isoformat() if message.when else None,
                    "subject": message.subject,
                    "location": location,
                    "text": text,
                }
            )
    return rows


def findings_records(findings: Findings) -> list[dict[str, Any]]:
    """One record per figure: the request counts, each metric, each device total."""
    overview = findings.headlines[0]
    records: list[dict[str, Any]] = [
        _figure("requests", "sent", "Requests sent", findings.sent, None, None, "", overview),
        _figure(
            "requests",
            "successful",
            "Requests answered",
            findings.successful,
            None,
            None,
            "",
            overview,
        ),
        _figure(
            "requests",
            "unsuccessful",
            "Requests not answered (refused, not held, not delivered, awaiting or no reply)",
            findings.unsuccessful,
            None,
            None,
            "",
            overview,
        ),
    ]
    for metric in findings.metrics:
        records.append(
            _figure(
                "metric",
                metric.id,
                metric.label,
                metric.count,
                metric.of,
                metric.percent,
                "; ".join(metric.authorities),
                metric.sentence,
            )
        )
    for total in findings.totals:
        records.append(
            _figure(
                "total",
                total.id,
                total.label,
                total.total,
                None,
                None,
                "; ".join(total.max_authorities),
                total.sentence or "",
            )
        )
    return records


def coded_records(
    responses: Sequence[CodedResponse],
    findings: Findings,
    responsiveness: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The coded rows as coded (later answers kept), with how each counted, its footnote and,
    from a campaign, how promptly it answered (``responsiveness``: authority -> record)."""
    counted = {response.authority: response.outcome for response in findings.responses}
    footnotes = {row.authority: row.footnote for row in findings.table}
    records: list[dict[str, Any]] = []
    for response in responses:
        record: dict[str, Any] = {
            "authority": response.authority,
            "group": response.group,
            "outcome": response.outcome,
            "responded_on": response.value("responded_on") or None,
            "hikvision": response.hikvision,
            "dahua": response.dahua,
            "hikvision_or_dahua_unspecified": response.value("hikvision_or_dahua_unspecified"),
            "facial_recognition": response.facial_recognition,
            "hikvision_devices": response.hikvision_devices,
            "dahua_devices": response.dahua_devices,
            "note": response.note,
            "counted_as": counted[response.authority],
            "footnote": footnotes[response.authority],
        }
        timely = (responsiveness or {}).get(response.authority, {})
        record.update({name: timely.get(name) for name in RESPONSIVENESS_COLUMNS})
        records.append(record)
    return records


def findings_document(
    findings: Findings,
    info: ReportInfo,
    method: MethodInfo,
    updates: Sequence[Update] = (),
    earlier: Findings | None = None,
) -> dict[str, Any]:
    """findings.json: the contract's findings, then what the report adds around them."""
    document = findings.as_contract_json()
    document["totals"] = {total.id: total.as_json() for total in findings.totals}
    # How every request ended (answered, refused, not held, not delivered, awaiting, no reply),
    # in total and per authority, in table order (the table itself keeps the contract's shape).
    document["outcomes"] = dict(findings.outcomes)
    document["outcome_by_authority"] = {
        row.authority: row.response.outcome for row in findings.table
    }
    document["title"] = info.title
    document["as_of"] = info.as_of.isoformat() if info.as_of else None
    document["built_on"] = info.built_on.isoformat()
    document["updates"] = [{"date": u.date.isoformat(), "text": u.text} for u in updates]
    document["first_published"] = None
    if earlier is not None and info.first_published is not None:
        then = earlier.as_contract_json()
        document["first_published"] = {
            "date": info.first_published.isoformat(),
            **{key: then[key] for key in ("sent", "successful", "unsuccessful", "metrics")},
        }
    document["method"] = {
        "asked": method.asked,
        "sent_on": method.sent_on.isoformat() if method.sent_on else None,
        "law": method.law,
        "questions": list(method.questions),
    }
    return document


def _figure(
    kind: str,
    figure_id: str,
    label: str,
    count: int,
    of: int | None,
    percent: int | None,
    authorities: str,
    sentence: str,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": figure_id,
        "label": label,
        "count": count,
        "of": of,
        "percent": percent,
        "authorities": authorities,
        "sentence": sentence,
    }


def _csv_text(columns: Sequence[str], records: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(["" if record.get(c) is None else record.get(c) for c in columns])
    return buffer.getvalue()


def _write_text(path: Path, text: str) -> None:
    """Write through a temporary file so a reader never sees half a file."""
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=path.parent, delete=False, suffix=".tmp"
        ) as handle:
            handle.write(text)
        os.chmod(handle.name, 0o644)  # published files are for everyone to read
        os.replace(handle.name, path)
    except OSError as error:
        raise BundleError(f"{path}: cannot be written ({error.strerror})") from None


@dataclass(frozen=True)
class _Timeliness:
    """What the responsiveness adds to each file of the bundle (nothing without a campaign)."""

    section: str = ""
    svg: str = ""
    csv_text: str = ""
    figures: list[dict[str, Any]] = field(default_factory=list)
    by_authority: dict[str, dict[str, Any]] = field(default_factory=dict)


def _responsiveness_parts(
    result: Responsiveness | None, responses: Sequence[CodedResponse]
) -> _Timeliness:
    if result is None:
        return _Timeliness()
    from sightline.findings.responsiveness_report import (
        render_responsiveness,
        responsiveness_csv,
        responsiveness_figures,
        responsiveness_svg,
    )

    groups = {response.authority: response.group for response in responses}
    svg = responsiveness_svg(result, groups)
    records = [row.as_record() for row in result.requests]
    by_authority: dict[str, dict[str, Any]] = {}
    for record in records:  # an authority asked twice (re-filed) shows its latest request
        by_authority[record["authority"]] = record
    return _Timeliness(
        section=render_responsiveness(result, groups, svg),
        svg=svg,
        csv_text=responsiveness_csv(records),
        figures=responsiveness_figures(result),
        by_authority=by_authority,
    )
