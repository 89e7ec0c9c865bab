"""Coded responses: one row per authority asked, as a reviewer coded its answer.

The CSV columns are fixed by docs/formats.md (coded answers). Other columns are kept in ``extra`` so that a
campaign's own findings specification can filter on them (another vendor, another question).
Every bad row is reported with its line number; nothing is computed from a file with bad rows,
because figures from a partly read file would silently mislead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sightline.errors import SightlineError

# answered: the question was answered (yes or no); refused: withheld (an exemption, the cost
# limit, neither confirm nor deny); not_held: the authority says it holds none of it;
# not_delivered: the request never reached it (a bounce); awaiting: no answer yet, still within
# the time limit; no_response: no answer, and the time limit has passed.
OUTCOMES = ("answered", "refused", "not_held", "not_delivered", "awaiting", "no_response")
# Outcomes with no reply from the authority (what ``as_of`` makes of a later answer, too).
NO_REPLY_OUTCOMES = frozenset({"not_delivered", "awaiting", "no_response"})
OWNERSHIP = ("yes", "no", "unknown")
FACIAL_RECOGNITION = ("yes", "past", "no", "unknown")
BOOLEANS = ("true", "false")

REQUIRED_COLUMNS = (
    "authority",
    "group",
    "outcome",
    "responded_on",
    "hikvision",
    "dahua",
    "hikvision_or_dahua_unspecified",
    "facial_recognition",
    "hikvision_devices",
    "dahua_devices",
    "note",
)

# The closed vocabulary of each coded column (docs/formats.md, coded answers).
VOCABULARY: dict[str, tuple[str, ...]] = {
    "outcome": OUTCOMES,
    "hikvision": OWNERSHIP,
    "dahua": OWNERSHIP,
    "hikvision_or_dahua_unspecified": BOOLEANS,
    "facial_recognition": FACIAL_RECOGNITION,
}

_COUNT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CodedResponse:
    """One authority's coded answer."""

    authority: str
    group: str
    outcome: str
    responded_on: dt.date | None
    hikvision: str
    dahua: str
    hikvision_or_dahua_unspecified: bool
    facial_recognition: str
    hikvision_devices: int | None
    dahua_devices: int | None
    note: str
    line: int = 0  # line of the CSV it came from; 0 when built in code
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        return self.outcome == "answered"

    def value(self, column: str) -> str:
        """The coded value of ``column`` as text, the way a specification filter compares it."""
        if column == "hikvision_or_dahua_unspecified":
            return "true" if self.hikvision_or_dahua_unspecified else "false"
        if column == "responded_on":
            return self.responded_on.isoformat() if self.responded_on else ""
        if column in ("hikvision_devices", "dahua_devices"):
            count = getattr(self, column)
            return "" if count is None else str(count)
        if column in REQUIRED_COLUMNS:
            return str(getattr(self, column))
        return self.extra.get(column, "")

    def count(self, column: str) -> int | None:
        """A device count column; extra columns are parsed the same way as the fixed ones."""
        if column in ("hikvision_devices", "dahua_devices"):
            return getattr(self, column)  # type: ignore[no-any-return]
        text = self.extra.get(column, "").strip()
        return _parse_count(text) if text else None

    def as_of(self, date: dt.date | None) -> CodedResponse:
        """This response as it stood on ``date``: an answer given later becomes ``no_response``.

        docs/formats.md (coded answers): ``--as-of`` treats any answer with ``responded_on`` after that date
        as ``no_response``. What the later answer said is not known on ``date``, so the coded values
        fall back to ``unknown``; the editorial note stays.
        """
        if date is None or self.responded_on is None or self.responded_on <= date:
            return self
        if self.outcome in NO_REPLY_OUTCOMES:
            return self
        return replace(
            self,
            outcome="no_response",
            responded_on=None,
            hikvision="unknown",
            dahua="unknown",
            hikvision_or_dahua_unspecified=False,
            facial_recognition="unknown",
            hikvision_devices=None,
            dahua_devices=None,
        )


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


# what Python's csv module refuses: an unclosed quote, a NUL byte, a field over its size limit
MALFORMED_CSV = "malformed CSV (an unclosed quote, a NUL byte or an oversized field)"


class CodedInputError(SightlineError, ValueError):
    """A coded CSV that cannot be used; ``problems`` lists every bad row with its line."""

    def __init__(self, source: str, problems: Sequence[RowProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        first = self.problems[0]
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        super().__init__(f"{source}: {first}{suffix}")


def read_coded_csv(path: Path | str) -> list[CodedResponse]:
    """Read a coded CSV file; raise ``CodedInputError`` naming every bad row."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CodedInputError(str(path), [RowProblem(0, f"cannot be read ({reason})")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = RowProblem(line, f"is not UTF-8 text (byte {error.start})")
        raise CodedInputError(str(path), [problem]) from None
    return parse_coded_csv(text, source=str(path))


def parse_coded_csv(text: str, source: str = "coded CSV") -> list[CodedResponse]:
    """Parse coded CSV text. Values are compared lower-cased and stripped of spaces."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise CodedInputError(
            source, [RowProblem(1, "the file is empty (no header row)")]
        ) from None
    except csv.Error:
        raise CodedInputError(source, [RowProblem(1, MALFORMED_CSV)]) from None
    names = [name.strip().lower() for name in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        problem = RowProblem(1, f"the header lacks column(s) {', '.join(missing)}")
        raise CodedInputError(source, [problem])
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        problem = RowProblem(1, f"the header repeats column(s) {', '.join(duplicated)}")
        raise CodedInputError(source, [problem])

    responses: list[CodedResponse] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(RowProblem(reader.line_num, MALFORMED_CSV))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) > len(names):
            problems.append(
                RowProblem(line, f"has {len(cells)} cells but the header has {len(names)}")
            )
            continue
        record = dict(zip(names, cells + [""] * (len(names) - len(cells)), strict=True))
        row_problems: list[str] = []
        response = _response_from_record(record, line, row_problems)
        if response is not None and response.authority.casefold() in seen:
            first = seen[response.authority.casefold()]
            row_problems.append(f"authority {response.authority!r} already appears on line {first}")
        if row_problems:
            problems.extend(RowProblem(line, message) for message in row_problems)
            continue
        assert response is not None
        seen[response.authority.casefold()] = line
        responses.append(response)
    if problems:
        raise CodedInputError(source, problems)
    return responses


def _response_from_record(
    record: Mapping[str, str], line: int, problems: list[str]
) -> CodedResponse | None:
    authority = " ".join(record["authority"].split())
    if not authority:
        problems.append("authority is empty")

    values: dict[str, str] = {}
    for column, allowed in VOCABULARY.items():
        value = record[column].strip().lower()
        if not value and column != "outcome":
            # An uncoded cell means the answer did not say: unknown (or false for the flag).
            value = "false" if column == "hikvision_or_dahua_unspecified" else "unknown"
        if value not in allowed:
            shown = record[column].strip()
            problems.append(f"{column} {shown!r} is not one of {', '.join(allowed)}")
        values[column] = value

    responded_on: dt.date | None = None
    date_text = record["responded_on"].strip()
    if date_text:
        try:
            if not _DATE.match(date_text):
                raise ValueError(date_text)
            responded_on = dt.date.fromisoformat(date_text)
        except ValueError:
            problems.append(f"responded_on {date_text!r} is not a date YYYY-MM-DD")

    counts: dict[str, int | None] = {}
    for column in ("hikvision_devices", "dahua_devices"):
        text = record[column].strip()
        try:
            counts[column] = _parse_count(text) if text else None
        except ValueError:
            problems.append(f"{column} {text!r} is not a whole number of devices")

    if problems:
        return None
    extra = {name: value for name, value in record.items() if name and name not in REQUIRED_COLUMNS}
    return CodedResponse(
        authority=authority,
        group=" ".join(record["group"].split()),
        outcome=values["outcome"],
        responded_on=responded_on,
        hikvision=values["hikvision"],
        dahua=values["dahua"],
        hikvision_or_dahua_unspecified=values["hikvision_or_dahua_unspecified"] == "true",
        facial_recognition=values["facial_recognition"],
        hikvision_devices=counts["hikvision_devices"],
        dahua_devices=counts["dahua_devices"],
        note=record["note"].strip(),
        line=line,
        extra=extra,
    )


def _parse_count(text: str) -> int:
    """A non-negative whole number, thousands separators allowed ("1,790")."""
    if not _COUNT.match(text):
        raise ValueError(text)
    return int(text.replace(",", ""))


def coded_rows_as_dicts(responses: Iterable[CodedResponse]) -> list[dict[str, str]]:
    """Responses back as CSV-shaped records (the published ``coded_responses`` table)."""
    return [
        {column: response.value(column) for column in REQUIRED_COLUMNS} for response in responses
    ]
