"""Open Contracting Data Standard (OCDS 1.1) releases: release packages, record packages, single
releases and JSON lines, as published by Contracts Finder, Find a Tender, Public Contracts Scotland
and Sell2Wales.

Field names follow the OCDS 1.1 schema: ``ocid``, ``date``, ``tag``, ``buyer`` {id, name},
``parties`` [{id, name, identifier {scheme, id}, additionalIdentifiers, roles}], ``tender``
{title, description, status, classification, additionalClassifications, items}, ``awards``
[{id, title, description, status, date, value {amount, currency}, suppliers [{id, name}], items}],
``contracts`` [{id, awardID, value}] (an award without a value takes its one contract's value).

A later release of the same ``ocid`` supersedes an earlier one: releases are applied in date order
and each award is merged field by field over its earlier version (a simplified form of the OCDS
merge routine), so an amendment that changes an award's value or status wins.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sightline.procurement.model import CONTRACT, ReadResult, SpendFileError, SpendRecord
from sightline.procurement.values import (
    ValueProblem,
    company_number,
    parse_amount,
    parse_currency,
    parse_date,
)

COMPANIES_HOUSE = "GB-COH"  # org-id.guide scheme for Companies House


@dataclass
class _Release:
    data: dict[str, Any]
    where: str
    order: int


@dataclass
class _Compiled:
    """One contracting process as its latest releases leave it."""

    ocid: str
    where: str = ""
    date: str = ""
    buyer: str = ""
    tender: dict[str, Any] = field(default_factory=dict)
    parties: dict[str, dict[str, Any]] = field(default_factory=dict)
    awards: dict[str, dict[str, Any]] = field(default_factory=dict)
    award_where: dict[str, str] = field(default_factory=dict)
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    releases: int = 0


def read_ocds_file(path: Path, source: str | None = None) -> ReadResult:
    name = source or path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SpendFileError(f"{name}: cannot be read ({error.strerror})") from None
    return read_ocds_bytes(data, name)


def read_ocds_bytes(data: bytes, source: str) -> ReadResult:
    result = ReadResult(source=source, kind=CONTRACT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpendFileError(f"{source}: not UTF-8 JSON (byte {error.start})") from None
    releases = list(_releases(text, result))
    processes: dict[str, _Compiled] = {}
    for release in sorted(releases, key=lambda r: (_release_moment(r.data), r.order)):
        ocid = str(release.data.get("ocid") or "")
        if not ocid:
            result.problem(release.where, "release has no ocid")
            continue
        process = processes.setdefault(ocid, _Compiled(ocid=ocid))
        _apply(process, release)
    buyers: set[str] = set()
    for process in processes.values():
        buyers.add(process.buyer)
        _records(process, result)
    named = sorted(name for name in buyers if name)
    if len(named) > 1:
        result.notes.append(f"{len(named)} buyers in the file: {'; '.join(named)}")
    superseded = len(releases) - len(processes)
    if superseded > 0:
        result.notes.append(
            f"{len(releases)} releases of {len(processes)} contracting processes"
            " (later releases supersede earlier ones)"
        )
    return result


def _releases(text: str, result: ReadResult) -> Iterator[_Release]:
    """Every release in the file, whatever the packaging, with where it is."""
    stripped = text.strip()
    if not stripped:
        raise SpendFileError(f"{result.source}: the file is empty")
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError as error:
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) < 2:
            raise SpendFileError(
                f"{result.source}: malformed JSON at line {error.lineno} column {error.colno}"
                f" ({error.msg})"
            ) from None
        yield from _json_lines(text, result)
        return
    yield from _unpack(document, "", result, counter=[0])


def _json_lines(text: str, result: ReadResult) -> Iterator[_Release]:
    counter = [0]
    good = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            document = json.loads(line)
        except json.JSONDecodeError as error:
            result.problem(
                f"line {number}", f"malformed JSON ({error.msg} at column {error.colno})"
            )
            continue
        good += 1
        yield from _unpack(document, f"line {number}", result, counter)
    if good == 0:
        raise SpendFileError(f"{result.source}: no line of the file is JSON")


def _unpack(
    document: Any, where: str, result: ReadResult, counter: list[int]
) -> Iterator[_Release]:
    prefix = f"{where}, " if where else ""
    if isinstance(document, list):
        for index, item in enumerate(document, start=1):
            yield from _unpack(item, f"{prefix}item {index}", result, counter)
        return
    if not isinstance(document, dict):
        result.problem(where or "top level", "not an OCDS release or package (a JSON object)")
        return
    if isinstance(document.get("releases"), list):  # release package, or a record's releases
        for index, release in enumerate(document["releases"], start=1):
            yield from _one(release, f"{prefix}release {index}", result, counter)
        return
    if isinstance(document.get("records"), list):  # record package: use each record's releases
        for index, record in enumerate(document["records"], start=1):
            record_where = f"{prefix}record {index}"
            if not isinstance(record, dict):
                result.problem(record_where, "record is not a JSON object")
                continue
            compiled = record.get("compiledRelease")
            if isinstance(record.get("releases"), list) and all(
                isinstance(r, dict) and "ocid" in r for r in record["releases"]
            ):
                for number, release in enumerate(record["releases"], start=1):
                    yield from _one(release, f"{record_where} release {number}", result, counter)
            elif isinstance(compiled, dict):
                yield from _one(compiled, f"{record_where} compiledRelease", result, counter)
            else:
                result.problem(record_where, "record has neither full releases nor a compiled one")
        return
    if "ocid" in document:
        yield from _one(document, where or "release 1", result, counter)
        return
    result.problem(where or "top level", "not an OCDS release or package (no ocid or releases)")


def _one(release: Any, where: str, result: ReadResult, counter: list[int]) -> Iterator[_Release]:
    if not isinstance(release, dict):
        result.problem(where, "release is not a JSON object")
        return
    counter[0] += 1
    yield _Release(release, where, counter[0])


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


def _apply(process: _Compiled, release: _Release) -> None:
    data = release.data
    process.releases += 1
    process.where = release.where
    process.date = _release_date(data) or process.date
    buyer = data.get("buyer")
    if isinstance(buyer, dict) and buyer.get("name"):
        process.buyer = str(buyer["name"])
    for party in _dicts(data.get("parties")):
        key = str(party.get("id", ""))
        process.parties[key] = {**process.parties.get(key, {}), **party}
        if not process.buyer and "buyer" in (party.get("roles") or []):
            process.buyer = str(party.get("name", ""))
    tender = data.get("tender")
    if isinstance(tender, dict):
        process.tender = {**process.tender, **tender}
    for index, award in enumerate(_dicts(data.get("awards")), start=1):
        key = str(award.get("id") or f"#{index}")
        process.awards[key] = {**process.awards.get(key, {}), **award}
        process.award_where[key] = f"{release.where} award {key}"
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


def _records(process: _Compiled, result: ReadResult) -> None:
    tender = process.tender
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
            result.records.append(
                SpendRecord(
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
                    supplier_count=len(suppliers),
                    notes=tuple(notes),
                )
            )
