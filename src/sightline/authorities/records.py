"""Reading authority and contact lists from CSV files (plain Python: no database here).

Each reader yields the good rows and a list of problems, one per bad row with its line number, so
an import reports what it skipped and still loads the rest.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Generic, TypeVar

from sightline.errors import SightlineError
from sightline.law import Law, law_for_nation, parse_law
from sightline.law.laws import UnknownLawError

NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")
# Nine-character GSS codes: a letter for the nation, two digits for the entity type, six digits.
GSS_CODE = re.compile(r"^[ENSWK]\d{8}$")
# A deliberately plain address check: one @, no spaces, a dotted domain. Django's validator is
# used on top of it by the database layer; this one keeps the reader free of Django.
T = TypeVar("T")

EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class AuthorityRecord:
    gss_code: str
    name: str
    nation: str
    law: Law
    short_name: str = ""
    authority_type: str = ""
    type_name: str = ""
    region: str = ""
    population: int | None = None
    website_domain: str = ""
    register_code: str = ""
    current: bool = True
    sets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactRecord:
    gss_code: str
    email: str
    line: int


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ReadResult(Generic[T]):
    records: list[T] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


class FileFormatError(SightlineError, ValueError):
    """The file as a whole cannot be read (wrong columns, not CSV, not UTF-8)."""


def _open_rows(
    text: str, required: set[str], origin: str, problems: list[RowProblem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as stripped dicts with their line numbers; a row with extra cells is a problem."""
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or [])
    missing = sorted(required - columns)
    if missing:
        found = ", ".join(reader.fieldnames or []) or "none"
        raise FileFormatError(f"{origin}: missing column(s) {', '.join(missing)} (found: {found})")
    for row in reader:
        if None in row:  # more cells than headers
            problems.append(RowProblem(reader.line_num, "more cells than the header has columns"))
            continue
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileFormatError(f"cannot read {path}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileFormatError(
            f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8 CSV"
        ) from None


def _population(value: str) -> int | None:
    if not value:
        return None
    return int(float(value.replace(",", "")))


def read_mysociety(text: str, origin: str = "file") -> ReadResult[AuthorityRecord]:
    """mySociety's uk_local_authorities.csv: every council, current ones marked."""
    result: ReadResult[AuthorityRecord] = ReadResult()
    required = {"local-authority-code", "official-name", "nice-name", "gss-code", "nation"}
    required |= {"current-authority", "local-authority-type", "region", "pop-2020"}
    for line, row in _open_rows(text, required, origin, result.problems):
        if row["current-authority"] != "True":
            continue  # abolished councils stay out of the registry
        problem = _check_common(row["gss-code"], row["official-name"], row["nation"])
        if problem:
            result.problems.append(RowProblem(line, problem))
            continue
        try:
            population = _population(row["pop-2020"])
        except ValueError:
            result.problems.append(
                RowProblem(line, f"pop-2020 {row['pop-2020']!r} is not a number")
            )
            continue
        result.records.append(
            AuthorityRecord(
                gss_code=row["gss-code"],
                name=row["official-name"],
                short_name=row["nice-name"],
                nation=row["nation"],
                law=law_for_nation(row["nation"]),
                authority_type=row["local-authority-type"],
                type_name=row.get("local-authority-type-name", ""),
                region=row["region"],
                population=population,
                register_code=row["local-authority-code"],
            )
        )
    return result


def _check_common(code: str, name: str, nation: str) -> str | None:
    if not code:
        return "no code"
    if not name:
        return f"{code}: no name"
    if nation not in NATIONS:
        return f"{code}: nation {nation!r} is not one of {', '.join(NATIONS)}"
    return None


PLAIN_COLUMNS = "code,name,nation[,short_name,type,region,population,website_domain,law,email]"


def read_plain(text: str, origin: str = "file") -> ReadResult[AuthorityRecord]:
    """Any other bodies (police forces, NHS trusts, schools) in a simple CSV layout.

    Columns: code, name, nation; optionally short_name, type, region, population, website_domain,
    law (defaults to FOISA in Scotland, FOIA elsewhere).
    """
    result: ReadResult[AuthorityRecord] = ReadResult()
    for line, row in _open_rows(text, {"code", "name", "nation"}, origin, result.problems):
        problem = _check_common(row["code"], row["name"], row["nation"])
        if problem:
            result.problems.append(RowProblem(line, problem))
            continue
        try:
            law = parse_law(row["law"]) if row.get("law") else law_for_nation(row["nation"])
            population = _population(row.get("population", ""))
        except UnknownLawError as error:
            result.problems.append(RowProblem(line, str(error)))
            continue
        except ValueError:
            result.problems.append(
                RowProblem(line, f"population {row.get('population')!r} is not a number")
            )
            continue
        result.records.append(
            AuthorityRecord(
                gss_code=row["code"],
                name=row["name"],
                short_name=row.get("short_name", ""),
                nation=row["nation"],
                law=law,
                authority_type=row.get("type", ""),
                region=row.get("region", ""),
                population=population,
                website_domain=row.get("website_domain", ""),
            )
        )
    return result


def read_contacts(text: str, origin: str = "file") -> ReadResult[ContactRecord]:
    """``gss_code,email`` rows; an address that is not plausibly deliverable is refused."""
    result: ReadResult[ContactRecord] = ReadResult()
    for line, row in _open_rows(text, {"gss_code", "email"}, origin, result.problems):
        if not row["gss_code"]:
            result.problems.append(RowProblem(line, "no gss_code"))
            continue
        email = row["email"]
        if not EMAIL.match(email):
            result.problems.append(RowProblem(line, f"{email!r} is not a valid e-mail address"))
            continue
        result.records.append(ContactRecord(row["gss_code"], email, line))
    return result


def read_builtin() -> list[AuthorityRecord]:
    """The authorities Sightline ships with (see docs/authorities.md for how they were chosen)."""
    text = resources.files("sightline.authorities").joinpath("builtin_authorities.csv").read_text()
    records = []
    for row in csv.DictReader(io.StringIO(text)):
        records.append(
            AuthorityRecord(
                gss_code=row["gss_code"],
                name=row["name"],
                short_name=row["short_name"],
                nation=row["nation"],
                law=law_for_nation(row["nation"]),
                authority_type=row["type"],
                type_name=row["type_name"],
                region=row["region"],
                population=int(row["population"]),
                website_domain=row["website_domain"],
                sets=tuple(row["sets"].split()),
            )
        )
    return records
