"""``sightline.db``: the published data as SQLite for Datasette, and ``metadata.json`` for it.

Tables: ``coded_responses`` (every coded row as coded, plus how it counted on the report's date),
``findings`` (one row per figure), ``footnotes``, ``evidence`` and ``updates``. Every table and
column carries a description in ``metadata.json``, which Datasette shows beside the data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

DATABASE_NAME = "sightline"  # Datasette names a database after its file stem
INTEGER_COLUMNS = frozenset(
    {"hikvision_devices", "dahua_devices", "footnote", "count", "of", "percent", "number"}
    | {"working_days_to_answer", "internal_reviews"}
)
# How promptly each authority answered (sightline.findings.responsiveness); empty when the
# bundle was built from a coded CSV rather than a campaign.
RESPONSIVENESS_COLUMNS: dict[str, str] = {
    "reference": "The request's reference.",
    "law": "The law the request was made under: foia, eir, foisa or eisr.",
    "received_on": "The day the authority received the request (YYYY-MM-DD): the day it was"
    " sent by e-mail, or the day a clarification started the clock again.",
    "due_20_working_days": "The 20th working day after receipt (YYYY-MM-DD).",
    "extended": "true if the authority extended the time limit.",
    "due": "The last day of the time limit, the extension included (YYYY-MM-DD).",
    "answered_on": "The day of the first substantive answer (answered, partly answered,"
    " refused or not held); empty if none.",
    "working_days_to_answer": "Working days from receipt to that answer.",
    "answered_within_20_working_days": "true or false; empty while the 20 working days have"
    " not passed, the clock is stopped or the request never arrived.",
    "answered_in_time": "Within the time limit, the extension included: true or false; empty"
    " while not yet known.",
    "responsiveness_status": "answered, awaiting (within 20 working days), no_answer (past"
    " them), clock_stopped (a clarification asked for) or not_received.",
    "internal_reviews": "Number of internal reviews requested.",
    "internal_review_requested_on": "The day the latest internal review was asked for.",
    "internal_review_due": "The last day for its decision (YYYY-MM-DD).",
    "internal_review_answered_on": "The day it was decided; empty if not yet.",
    "internal_review_outcome": "Its outcome: answered, partially_answered, refused, not_held,"
    " or awaiting.",
    "internal_review_in_time": "true if decided within its time limit, false if not; empty"
    " while undecided and in time.",
}

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "coded_responses": (
        "One row per authority asked: its answer as a reviewer coded it.",
        {
            "authority": "Name of the public authority that was asked.",
            "group": "The group it was asked in (e.g. London boroughs, largest cities).",
            "outcome": "answered (the question was answered, yes or no), refused, or no_response.",
            "responded_on": "Date of the answer or refusal (YYYY-MM-DD); empty if none.",
            "hikvision": "Owns Hikvision equipment (sub-brands included): yes, no or unknown.",
            "dahua": "Owns Dahua equipment (sub-brands included): yes, no or unknown.",
            "hikvision_or_dahua_unspecified": "true if it said 'Hikvision or Dahua' without"
            " saying which.",
            "facial_recognition": "Facial recognition: yes (uses it), past (used or trialled it),"
            " no, or unknown.",
            "hikvision_devices": "Number of Hikvision devices it reported; empty if not given.",
            "dahua_devices": "Number of Dahua devices it reported; empty if not given.",
            "note": "Editorial note, published as a numbered footnote.",
            "counted_as": "The outcome used for these findings: an answer dated after the"
            " findings date counts as no_response.",
            "footnote": "Number of the footnote that carries the note; empty if no note.",
            **RESPONSIVENESS_COLUMNS,
        },
    ),
    "findings": (
        "The published figures, one row per figure, with the sentence that reports it.",
        {
            "kind": "requests (how many were sent and answered), metric (a share of the answers)"
            " or total (a sum of reported device counts).",
            "id": "Identifier of the figure in the findings specification.",
            "label": "Name of the figure.",
            "count": "The figure: requests, authorities counted, or devices summed.",
            "of": "For a metric, the number of successful requests it is a share of.",
            "percent": "count as a percentage of 'of', rounded half up to a whole number.",
            "authorities": "The authorities counted, sorted by name, separated by '; '.",
            "sentence": "The headline sentence that reports this figure.",
        },
    ),
    "footnotes": (
        "The numbered footnotes of the per-authority table.",
        {
            "number": "Footnote number as printed in the report.",
            "authority": "The authority the footnote is about.",
            "text": "Text of the footnote.",
        },
    ),
    "evidence": (
        "Every confirmed fact behind the coded responses, with the quote and where it was found.",
        {
            "authority": "The authority whose reply holds the fact.",
            "fact": "Which coded field the fact supports (e.g. hikvision, facial_recognition).",
            "value": "The value of the fact (e.g. yes, 1790).",
            "quote": "The words of the reply that state the fact, as written.",
            "location": "Where the quote is: body, page 2, sheet Assets!C14, reply.pdf page 1.",
            "document": "The reply document or message the quote comes from.",
            "status": "How the fact was reviewed: confirmed or corrected by a person.",
            "statement": "The fact in words, e.g. 'Owns Hikvision equipment: yes'.",
            "reference": "Reference of the request the reply answers (its page is"
            " requests/REFERENCE.html).",
        },
    ),
    "updates": (
        "Dated updates to the report since it was first published.",
        {
            "date": "Date of the update (YYYY-MM-DD).",
            "text": "What changed.",
        },
    ),
    "requests": (
        "One row per request published with a page of its own.",
        {
            "reference": "The request's reference.",
            "authority": "The authority asked.",
            "law": "The law it was made under: foia, eir, foisa or eisr.",
            "state": "Where the request stands (answered, refused, overdue...).",
            "received_on": "The day the authority received it (YYYY-MM-DD).",
            "page": "Its page in the bundle.",
        },
    ),
    "correspondence": (
        "Every letter sent and every reply received, as text with personal data removed.",
        {
            "reference": "The request's reference.",
            "number": "Position of the message in the request's correspondence, from 1.",
            "direction": "sent (by the requester) or received (from the authority).",
            "kind": "request, reminder, internal-review, complaint, reply, auto_reply...",
            "date": "When it was sent or written (ISO 8601).",
            "subject": "The message's subject line.",
            "location": "Which part: body, or an attachment and its page or cell.",
            "text": "The text, with personal data removed.",
        },
    ),
}


class ExtraTable(Protocol):
    """A table added beside ``TABLES`` (the spend tables): its own description, columns, rows."""

    @property
    def description(self) -> str: ...
    @property
    def columns(self) -> Mapping[str, str]: ...
    @property
    def rows(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def integers(self) -> frozenset[str]: ...


def write_database(
    path: Path,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    extra: Mapping[str, ExtraTable] | None = None,
) -> None:
    """Write a fresh SQLite file with every table in ``TABLES`` (columns in their order), and the
    ``extra`` tables after them."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    tables: list[tuple[str, list[str], Sequence[Mapping[str, Any]], frozenset[str]]] = [
        (table, list(columns), rows.get(table, ()), INTEGER_COLUMNS)
        for table, (_, columns) in TABLES.items()
    ]
    tables += [
        (table, list(spec.columns), spec.rows, spec.integers)
        for table, spec in (extra or {}).items()
    ]
    try:
        with connection:
            for table, names, records, integers in tables:
                quoted = ", ".join(f'"{name}"' for name in names)
                typed = ", ".join(
                    f'"{name}" {"INTEGER" if name in integers else "TEXT"}' for name in names
                )
                connection.execute(f'CREATE TABLE "{table}" ({typed})')
                marks = ", ".join("?" for _ in names)
                connection.executemany(
                    f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',
                    ([record.get(name) for name in names] for record in records),
                )
    finally:
        connection.close()


def datasette_metadata(
    title: str, description: str, extra: Mapping[str, ExtraTable] | None = None
) -> dict[str, Any]:
    """Datasette's metadata.json: title, description and every table's and column's meaning."""
    return {
        "title": title,
        "description": description,
        "databases": {
            DATABASE_NAME: {
                "tables": {
                    **{
                        table: {"description": about, "columns": dict(columns)}
                        for table, (about, columns) in TABLES.items()
                    },
                    **{
                        table: {"description": spec.description, "columns": dict(spec.columns)}
                        for table, spec in (extra or {}).items()
                    },
                }
            }
        },
    }
