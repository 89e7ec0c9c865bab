"""Open Contracting Data Standard (OCDS 1.1) files as the UK publishers put them out (Contracts
Finder, Find a Tender, Public Contracts Scotland, Sell2Wales): release packages, record packages
(full releases or a compiled release per record), single releases, compiled releases and JSON
lines of any of these, gzip-compressed or not, read a release at a time (``sightline.jsonstream``).

Field names follow the OCDS 1.1 schema: ``ocid``, ``date``, ``tag``, ``buyer`` {id, name},
``parties`` [{id, name, identifier {scheme, id}, additionalIdentifiers, roles}], ``tender``
{title, description, status, classification, additionalClassifications, items}, ``awards``
[{id, title, description, status, date, value {amount, currency}, suppliers [{id, name}], items}],
``contracts`` [{id, awardID, value}] (an award without a value takes its one contract's value).

A later release of the same ``ocid`` supersedes an earlier one: releases are applied in date order
and each award is merged field by field over its earlier version (a simplified form of the OCDS
merge routine), so an amendment that changes an award's value or status wins. Releases of one
process may be anywhere in a national file, so they are first set aside in a temporary SQLite file
and read back grouped by ``ocid``: memory holds one process at a time, whatever the file's size.

Each award row carries its buyer (``buyer`` and the buyer party's identifiers, such as
``GB-LAE-HAV``), so a file with thousands of buyers can be put on each of them (``buyers``).
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import msgspec

from sightline.jsonstream import JsonStream, JsonStreamError, open_binary
from sightline.procurement.model import CONTRACT, ReadResult, SpendFileError, SpendRecord
from sightline.procurement.values import (
    ValueProblem,
    company_number,
    parse_amount,
    parse_currency,
    parse_date,
)

COMPANIES_HOUSE = "GB-COH"  # org-id.guide scheme for Companies House
STREAMED = frozenset({"releases", "records"})
# What a release keeps once set aside: the rest of it (documents, milestones...) is not read.
KEPT_FIELDS = ("ocid", "date", "buyer", "parties", "tender", "awards", "contracts")
_encode = msgspec.json.encode
_decode = msgspec.json.decode


@dataclass
class _Release:
    data: dict[str, Any]
    top: int  # which top-level JSON value of the file (a JSON line) holds it
    line: int  # the line that value starts on
    inner: str  # where inside that value ("release 3", "record 2 compiledRelease"), or ""


@dataclass
class _Compiled:
    """One contracting process as its latest releases leave it."""

    ocid: str
    where: str = ""
    date: str = ""
    buyer: str = ""
    buyer_id: str = ""
    tender: dict[str, Any] = field(default_factory=dict)
    parties: dict[str, dict[str, Any]] = field(default_factory=dict)
    awards: dict[str, dict[str, Any]] = field(default_factory=dict)
    award_where: dict[str, str] = field(default_factory=dict)
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    releases: int = 0


@dataclass
class _Deferred:
    top: int
    line: int
    inner: str
    message: str


class OcdsReader:
    """Reads one OCDS file: ``records(handle)`` yields its award rows one at a time; once it is
    exhausted, ``result`` holds the problems and notes (``result.records`` stays empty)."""

    def __init__(self, source: str) -> None:
        self.result = ReadResult(source=source, kind=CONTRACT)
        self.buyers: set[str] = set()
        self._tops = 0
        self._deferred: list[_Deferred] = []

    def _where(self, top: int, line: int, inner: str) -> str:
        if inner.startswith("line "):  # where the file broke off: a line of the file
            return inner
        if self._tops > 1:  # JSON lines, or several documents one after another
            return f"line {line}, {inner}" if inner else f"line {line}"
        return inner or "release 1"

    def records(self, handle: IO[bytes]) -> Iterator[SpendRecord]:
        with tempfile.TemporaryDirectory(prefix="sightline-ocds-") as folder:
            spill = sqlite3.connect(Path(folder) / "releases.sqlite3")
            try:
                spill.execute(
                    "CREATE TABLE release (ocid TEXT, moment TEXT, seq INTEGER, top INTEGER,"
                    " line INTEGER, inner TEXT, data BLOB)"
                )
                spill.execute("CREATE TABLE process (ocid TEXT PRIMARY KEY, first INTEGER)")
                try:
                    count = self._set_aside(handle, spill)
                except JsonStreamError as error:  # the file failed between two values
                    raise SpendFileError(f"{self.result.source}: {error.message}") from None
                for item in self._deferred:
                    self.result.problem(self._where(item.top, item.line, item.inner), item.message)
                processes = 0
                for process in self._processes(spill):
                    processes += 1
                    self.buyers.add(process.buyer)
                    yield from _records(process, self.result)
            finally:
                spill.close()
        named = sorted(name for name in self.buyers if name)
        if len(named) > 1:
            self.result.notes.append(f"{len(named)} buyers in the file")
        if count > processes:
            self.result.notes.append(
                f"{count} releases of {processes} contracting processes"
                " (later releases supersede earlier ones)"
            )

    def _problem(self, release: _Release | tuple[int, int, str], message: str) -> None:
        top, line, inner = (
            (release.top, release.line, release.inner) if isinstance(release, _Release) else release
        )
        self._deferred.append(_Deferred(top, line, inner, message))

    def _set_aside(self, handle: IO[bytes], spill: sqlite3.Connection) -> int:
        batch: list[tuple[object, ...]] = []
        first: dict[str, int] = {}
        count = 0

        def flush() -> None:
            spill.executemany("INSERT INTO release VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
            spill.executemany("INSERT OR IGNORE INTO process VALUES (?, ?)", list(first.items()))
            batch.clear()
            first.clear()

        for release in self._releases(handle):
            ocid = release.data.get("ocid")
            if not isinstance(ocid, str) or not ocid:
                self._problem(release, "release has no ocid")
                continue
            count += 1
            first.setdefault(ocid, count)
            kept = {key: release.data[key] for key in KEPT_FIELDS if key in release.data}
            moment = _release_moment(release.data).astimezone(dt.UTC).isoformat()
            batch.append(
                (ocid, moment, count, release.top, release.line, release.inner, _encode(kept))
            )
            if len(batch) >= 500:  # a batch of set-aside releases is all that memory holds
                flush()
        flush()
        spill.commit()
        return count

    def _processes(self, spill: sqlite3.Connection) -> Iterator[_Compiled]:
        rows = spill.execute(
            "SELECT r.ocid, r.top, r.line, r.inner, r.data FROM release r"
            " JOIN process p ON p.ocid = r.ocid ORDER BY p.first, r.moment, r.seq"
        )
        process: _Compiled | None = None
        for ocid, top, line, inner, data in rows:
            if process is None or process.ocid != ocid:
                if process is not None:
                    yield process
                process = _Compiled(ocid=ocid)
            _apply(process, _decode(data), self._where(top, line, inner))
        if process is not None:
            yield process

    # -- the shapes of an OCDS file ---------------------------------------------------------

    def _releases(self, handle: IO[bytes]) -> Iterator[_Release]:
        stream = JsonStream(open_binary(handle))
        source = self.result.source
        good = 0
        bad: list[JsonStreamError] = []
        yielded = 0
        while True:
            try:
                char = stream.peek()
            except JsonStreamError as error:
                if yielded == 0:
                    raise SpendFileError(f"{source}: {error.message}") from None
                self._problem(
                    (self._tops, error.line, f"line {error.line}"),
                    f"{error.message}: the rest of the file was not read",
                )
                break
            if char == "":
                break
            self._tops += 1
            top = self._tops
            start, _ = stream.position()
            before = yielded
            try:
                stream.mark()  # a bad JSON line is skipped from its start
                if char == "{":
                    for release in self._object(stream, top, start):
                        yielded += 1
                        stream.unmark()
                        yield release
                elif char == "[":
                    for index, item in enumerate(stream.elements(), start=1):
                        for release in self._document(item, top, start, f"item {index}"):
                            yielded += 1
                            stream.unmark()
                            yield release
                else:
                    stream.value()
                    self._problem((top, start, ""), "not an OCDS release or package")
                stream.unmark()
                good += 1
            except JsonStreamError as error:
                if stream.failed and yielded:
                    self._problem(
                        (top, error.line, f"line {error.line}"),
                        f"{error.message}: the rest of the file was not read",
                    )
                    break
                if yielded == before and not stream.failed and stream.rewind():  # a bad line
                    bad.append(error)
                    column = f" (column {error.column})" if error.line == start else ""
                    self._problem((top, start, ""), f"not JSON{column}")
                    stream.skip_line()
                    continue
                if yielded == 0:
                    raise SpendFileError(
                        f"{source}: {error.message} at line {error.line} column {error.column}"
                    ) from None
                self._problem(
                    (top, error.line, f"line {error.line}"),
                    f"{error.message} at column {error.column}: the rest of the file was not read",
                )
                break
        if good == 0 and yielded == 0:
            if not bad:
                raise SpendFileError(f"{source}: the file is empty")
            if len(bad) == 1:
                only = bad[0]
                raise SpendFileError(
                    f"{source}: {only.message} at line {only.line} column {only.column}"
                )
            raise SpendFileError(f"{source}: no line of the file is JSON")

    def _object(self, stream: JsonStream, top: int, line: int) -> Iterator[_Release]:
        """A package streamed release by release, or a release or record read whole."""
        meta: dict[str, Any] = {}
        counts = {"releases": 0, "records": 0}
        without_ocid: list[int] = []
        for key, value, streamed in stream.members(STREAMED):
            if not streamed:
                meta[key] = value
                continue
            counts[key] += 1
            number = counts[key]
            if key == "records":
                yield from self._record(value, top, line, f"record {number}")
            elif not isinstance(value, dict):
                self._problem((top, line, f"release {number}"), "release is not a JSON object")
            elif "ocid" in value:
                yield _Release(value, top, line, f"release {number}")
            else:
                without_ocid.append(number)  # a record's linked release, or a broken release
        if counts["records"] or (counts["releases"] and "ocid" not in meta):
            for number in without_ocid:
                self._problem((top, line, f"release {number}"), "release has no ocid")
            return
        if counts["releases"] > len(without_ocid):
            return  # a record with its full releases
        if "ocid" in meta and isinstance(meta.get("compiledRelease"), dict):
            yield _Release(meta["compiledRelease"], top, line, "compiledRelease")
        elif "ocid" in meta and counts["releases"]:
            self._problem((top, line, ""), "record has neither full releases nor a compiled one")
        else:
            yield from self._document(meta, top, line, "")

    def _document(self, document: Any, top: int, line: int, where: str) -> Iterator[_Release]:
        prefix = f"{where}, " if where else ""
        if not isinstance(document, dict):
            self._problem((top, line, where), "not an OCDS release or package (a JSON object)")
            return
        if isinstance(document.get("releases"), list) and "ocid" not in document:
            for index, release in enumerate(document["releases"], start=1):
                inner = f"{prefix}release {index}"
                if isinstance(release, dict):
                    yield _Release(release, top, line, inner)
                else:
                    self._problem((top, line, inner), "release is not a JSON object")
            return
        if isinstance(document.get("records"), list):
            for index, record in enumerate(document["records"], start=1):
                yield from self._record(record, top, line, f"{prefix}record {index}")
            return
        if isinstance(document.get("releases"), list):  # a record
            yield from self._record(document, top, line, where)
            return
        if "ocid" in document:
            yield _Release(document, top, line, where)
            return
        self._problem((top, line, where), "not an OCDS release or package (no ocid or releases)")

    def _record(self, record: Any, top: int, line: int, where: str) -> Iterator[_Release]:
        if not isinstance(record, dict):
            self._problem((top, line, where), "record is not a JSON object")
            return
        releases = record.get("releases")
        compiled = record.get("compiledRelease")
        prefix = f"{where} " if where else ""
        if (
            isinstance(releases, list)
            and releases
            and all(isinstance(r, dict) and "ocid" in r for r in releases)
        ):
            for number, release in enumerate(releases, start=1):
                yield _Release(release, top, line, f"{prefix}release {number}")
        elif isinstance(compiled, dict):
            yield _Release(compiled, top, line, f"{prefix}compiledRelease")
        else:
            self._problem((top, line, where), "record has neither full releases nor a compiled one")


def read_ocds_file(path: Path, source: str | None = None) -> ReadResult:
    name = source or path.name
    try:
        with path.open("rb") as handle:
            return _collect(handle, name)
    except OSError as error:
        raise SpendFileError(f"{name}: cannot be read", detail=str(error.strerror or "")) from None


def read_ocds_bytes(data: bytes, source: str) -> ReadResult:
    return _collect(io.BytesIO(data), source)


def _collect(handle: IO[bytes], source: str) -> ReadResult:
    reader = OcdsReader(source)
    records = list(reader.records(handle))
    reader.result.records.extend(records)
    return reader.result


def each_record(handle: IO[bytes], source: str, take: Callable[[SpendRecord], None]) -> ReadResult:
    """Hand every award row to ``take`` as it is read; return the problems and notes."""
    reader = OcdsReader(source)
    for record in reader.records(handle):
        take(record)
    return reader.result


def _release_date(release: dict[str, Any]) -> str:
    value = release.get("date")
    return value if isinstance(value, str) else ""


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _release_moment(release: dict[str, Any]) -> dt.datetime:
    """When a release was made, for ordering (``Z`` and ``+01:00`` compared as instants); an
    undated release sorts first, so any dated release supersedes it."""
    try:
        moment = dt.datetime.fromisoformat(_release_date(release))
    except ValueError:
        return _EARLIEST
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _apply(process: _Compiled, data: dict[str, Any], where: str) -> None:
    process.releases += 1
    process.where = where
    process.date = _release_date(data) or process.date
    buyer = data.get("buyer")
    if isinstance(buyer, dict):
        if buyer.get("name"):
            process.buyer = str(buyer["name"])
        if buyer.get("id"):
            process.buyer_id = str(buyer["id"])
    for party in _dicts(data.get("parties")):
        key = str(party.get("id", ""))
        process.parties[key] = {**process.parties.get(key, {}), **party}
        if "buyer" in (party.get("roles") or []):
            process.buyer = process.buyer or str(party.get("name", ""))
            process.buyer_id = process.buyer_id or key
    tender = data.get("tender")
    if isinstance(tender, dict):
        process.tender = {**process.tender, **tender}
    for index, award in enumerate(_dicts(data.get("awards")), start=1):
        key = str(award.get("id") or f"#{index}")
        process.awards[key] = {**process.awards.get(key, {}), **award}
        process.award_where[key] = f"{where} award {key}"
    for index, contract in enumerate(_dicts(data.get("contracts")), start=1):
        key = str(contract.get("id") or f"#{index}")
        process.contracts[key] = {**process.contracts.get(key, {}), **contract}


def _cpv_codes(*holders: dict[str, Any]) -> tuple[str, ...]:
    """CPV codes from classification, additionalClassifications and items, check digit dropped."""
    codes: list[str] = []

    def add(classification: Any) -> None:
        if not isinstance(classification, dict):
            return
        if str(classification.get("scheme", "")).upper() != "CPV":
            return
        code = str(classification.get("id", "")).strip().split("-")[0]
        if code and code not in codes:
            codes.append(code)

    for holder in holders:
        add(holder.get("classification"))
        for extra in _dicts(holder.get("additionalClassifications")):
            add(extra)
        for item in _dicts(holder.get("items")):
            add(item.get("classification"))
            for extra in _dicts(item.get("additionalClassifications")):
                add(extra)
    return tuple(codes)


def _supplier_number(reference: dict[str, Any], party: dict[str, Any]) -> str:
    identifiers = [party.get("identifier"), *_dicts(party.get("additionalIdentifiers"))]
    for identifier in identifiers:
        if isinstance(identifier, dict) and identifier.get("scheme") == COMPANIES_HOUSE:
            number = company_number(identifier.get("id"))
            if number:
                return number
    for text in (reference.get("id"), party.get("id")):
        if isinstance(text, str) and text.startswith(COMPANIES_HOUSE + "-"):
            number = company_number(text[len(COMPANIES_HOUSE) + 1 :])
            if number:
                return number
    return ""


def _buyer_identifiers(process: _Compiled) -> tuple[str, ...]:
    """The buyer's organisation identifiers in org-id form (``GB-LAE-HAV``, ``GB-GOR-PB188``):
    its party id when it is one, its ``identifier`` and its ``additionalIdentifiers``."""
    party = process.parties.get(process.buyer_id, {})
    found: list[str] = []
    if "-" in process.buyer_id:
        found.append(process.buyer_id.strip())
    for identifier in [party.get("identifier"), *_dicts(party.get("additionalIdentifiers"))]:
        if isinstance(identifier, dict) and identifier.get("id"):
            scheme = str(identifier.get("scheme") or "").strip()
            number = str(identifier["id"]).strip()
            text = f"{scheme}-{number}" if scheme and not number.startswith(scheme) else number
            if text not in found:
                found.append(text)
    return tuple(found)


def _records(process: _Compiled, result: ReadResult) -> Iterator[SpendRecord]:
    tender = process.tender
    buyer_identifiers = _buyer_identifiers(process)
    tender_status = str(tender.get("status", ""))
    for key, award in process.awards.items():
        where = process.award_where[key]
        suppliers = _dicts(award.get("suppliers"))
        value = award.get("value") if isinstance(award.get("value"), dict) else {}
        assert isinstance(value, dict)
        notes: list[str] = []
        if value.get("amount") is None:
            # Some notices give the value only on the contract signed for the award.
            signed = [
                contract
                for contract in process.contracts.values()
                if str(contract.get("awardID", "")) == key
                and isinstance(contract.get("value"), dict)
            ]
            if len(signed) == 1:
                value = signed[0]["value"]
                notes.append(f"value of contract {signed[0].get('id', '')}")
        if not suppliers:
            result.problem(where, f"award in {process.ocid} names no supplier")
            continue
        try:
            if value.get("amount") is None:
                raise ValueProblem("award has no value")
            amount = parse_amount(value.get("amount"))
            if value.get("currency") in (None, ""):
                raise ValueProblem("award value has no currency")
            currency = parse_currency(value.get("currency"))
        except ValueProblem as problem:
            result.problem(where, f"{problem} ({process.ocid})")
            continue
        date: dt.date | None = None
        for text in (award.get("date"), process.date):
            if isinstance(text, str) and text:
                try:
                    date = parse_date(text)
                    break
                except ValueProblem:
                    continue
        status = str(award.get("status") or "")
        if not status:
            notes.append("award status not given: read as active")
            status = "active"
        if tender_status in ("cancelled", "withdrawn") and status == "active":
            status = f"tender {tender_status}"  # the process ended without this award standing
        if process.releases > 1:
            notes.append(f"as of the latest of {process.releases} releases")
        cpv = _cpv_codes(tender, award)
        for reference in suppliers:
            party = process.parties.get(str(reference.get("id", "")), {})
            name = str(reference.get("name") or party.get("name") or "").strip()
            yield SpendRecord(
                kind=CONTRACT,
                source=result.source,
                where=where,
                supplier=name,
                amount=amount,
                currency=currency,
                date=date,
                company_number=_supplier_number(reference, party),
                status=status,
                title=str(award.get("title") or tender.get("title") or ""),
                description=str(award.get("description") or tender.get("description") or ""),
                reference=f"{process.ocid} {key}",
                cpv=cpv,
                buyer=process.buyer,
                buyer_identifiers=buyer_identifiers,
                supplier_count=len(suppliers),
                notes=tuple(notes),
            )
