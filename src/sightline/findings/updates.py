"""Dated updates to a published report ("Updated on DATE: ...").

A late answer or a correction after publication produces a new build with a new entry; the earlier
figures stay reproducible with ``--as-of`` the first publication date. The updates file is a CSV
with the columns ``date`` (YYYY-MM-DD) and ``text``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sightline.errors import SightlineError
from sightline.findings.coded import MALFORMED_CSV, NO_REPLY_OUTCOMES, CodedResponse

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UpdatesError(SightlineError, ValueError):
    """An updates file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Update:
    date: dt.date
    text: str

    def __str__(self) -> str:
        return f"Updated on {self.date.isoformat()}: {self.text}"


def read_updates(path: Path | str) -> list[Update]:
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise UpdatesError(f"{path}: cannot be read ({reason})") from None
    return parse_updates(text, source=str(path))


def parse_updates(text: str, source: str = "updates") -> list[Update]:
    """Updates in date order (oldest first); every bad line is named."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    updates: list[Update] = []
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        if "date" not in header or "text" not in header:
            raise UpdatesError(f"{source}: line 1: the header must have the columns date,text")
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            record = dict(zip(header, cells, strict=False))
            date_text = record.get("date", "").strip()
            body = " ".join(record.get("text", "").split())
            try:
                if not _DATE.match(date_text):
                    raise ValueError(date_text)
                date = dt.date.fromisoformat(date_text)
            except ValueError:
                problems.append(f"line {line}: date {date_text!r} is not a date YYYY-MM-DD")
                continue
            if not body:
                problems.append(f"line {line}: text is empty")
                continue
            updates.append(Update(date, body))
    except csv.Error:
        problems.append(f"line {reader.line_num}: {MALFORMED_CSV}")
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UpdatesError(f"{source}: {problems[0]}{more}")
    return sorted(updates, key=lambda update: update.date)


def late_reply_updates(
    responses: Sequence[CodedResponse],
    first_published: dt.date,
    as_of: dt.date | None = None,
    written: Sequence[Update] = (),
) -> list[Update]:
    """Every written update plus one for each reply dated after first publication.

    A late reply already described by a written update (naming the authority, dated on or after
    the reply) is not repeated.
    """
    entries = list(written)
    for response in responses:
        date = response.responded_on
        if date is None or date <= first_published or response.outcome in NO_REPLY_OUTCOMES:
            continue
        if as_of is not None and date > as_of:
            continue
        if any(u.date >= date and response.authority in u.text for u in written):
            continue
        what = {
            "answered": "answered",
            "not_held": "said it holds none of the information",
        }.get(response.outcome, "refused the request")
        entries.append(
            Update(date, f"{response.authority} {what} after publication; the figures include it.")
        )
    return sorted(entries, key=lambda update: update.date)
