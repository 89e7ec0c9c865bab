"""The figures: money paid to, and contracts awarded to, suppliers linked to vendor families, per
authority, supplier, family and financial year, with and without the uncertain matches; and the
contracts that concern cameras or CCTV whoever the supplier.

Payments and contract awards are never added together: a payment is money that left the
authority; an award value is what a contract was expected to be worth when it was let.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sightline.procurement.buyers import BuyerMatch, BuyerMatcher
from sightline.procurement.cctv import cpv_concerns_cameras, text_concerns_cameras
from sightline.procurement.knowledge import KnowledgeBase
from sightline.procurement.matching import REJECTED, SupplierMatch, SupplierMatcher
from sightline.procurement.model import (
    CONTRACT,
    PAYMENT,
    REDACTED,
    ImportedFile,
    ReadProblem,
    SpendRecord,
)
from sightline.procurement.names import canonical_name
from sightline.procurement.values import financial_year

ZERO = Decimal(0)

CAVEATS = (
    "Payments are those the authorities published (councils publish payments over £500), net of"
    " credits; a payment to a distributor or integrator is not all spent on one maker's equipment.",
    "Contract values are award values as published (an estimate when the contract was let), not"
    " payments; an award shared by several suppliers (a framework) is not counted for any of them.",
    "Uncertain figures add supplier matches that a person has not confirmed, and links to a vendor"
    " family that the knowledge base rates below high confidence.",
)


@dataclass(frozen=True)
class CountedRecord:
    """A record with how it counts towards the figures, and why."""

    record: SpendRecord
    authority: str
    authority_name: str
    match: SupplierMatch
    linked: bool  # counts towards a vendor family (certainly or not)
    certain: bool  # counts towards the certain figures too
    reason: str
    cctv: str  # why it concerns cameras ("CPV 35125300", "text 'CCTV'"), or ""
    duplicate: bool = False  # the same payment or award from another imported file
    buyer: BuyerMatch | None = None  # how a national file's row was put on its authority

    @property
    def family(self) -> str:
        return self.match.known.family if self.match.known and self.linked else ""


@dataclass
class Pair:
    """A sum with and without the uncertain part."""

    certain: Decimal = ZERO
    with_uncertain: Decimal = ZERO

    def add(self, amount: Decimal, certain: bool) -> None:
        self.with_uncertain += amount
        if certain:
            self.certain += amount

    def as_json(self) -> dict[str, str]:
        return {"certain": str(self.certain), "with_uncertain": str(self.with_uncertain)}


@dataclass
class Bucket:
    payments: Pair = field(default_factory=Pair)
    contracts: Pair = field(default_factory=Pair)

    def add(self, row: CountedRecord) -> None:
        pair = self.payments if row.record.kind == PAYMENT else self.contracts
        pair.add(row.record.amount, row.certain)

    def as_json(self) -> dict[str, Any]:
        return {"payments": self.payments.as_json(), "contracts": self.contracts.as_json()}


@dataclass
class SpendReport:
    rows: list[CountedRecord]
    imports: list[ImportedFile]
    knowledge: KnowledgeBase
    problems: list[ReadProblem]

    def linked_rows(self) -> list[CountedRecord]:
        return [row for row in self.rows if row.linked]

    def needing_review(self) -> list[SupplierMatch]:
        seen: dict[str, SupplierMatch] = {}
        for row in self.rows:
            if row.match.needs_review and row.match.key not in seen:
                seen[row.match.key] = row.match
        return list(seen.values())

    def totals(self) -> Bucket:
        bucket = Bucket()
        for row in self.linked_rows():
            bucket.add(row)
        return bucket

    def by_authority(self) -> dict[str, Bucket]:
        """Per authority; rows of a buyer that matched no authority are left out (see
        ``buyer_matches``)."""
        buckets: dict[str, Bucket] = {
            item.authority: Bucket() for item in self.imports if item.authority
        }
        for row in self.linked_rows():
            if row.authority:
                buckets.setdefault(row.authority, Bucket()).add(row)
        return buckets

    def authority_names(self) -> dict[str, str]:
        names = {item.authority: item.authority_name for item in self.imports if item.authority}
        for row in self.rows:
            if row.authority and row.buyer is not None:
                names.setdefault(row.authority, row.authority_name)
        return names

    def buyer_matches(self) -> list[tuple[BuyerMatch, int]]:
        """Every buyer of the national files, with how many rows it has."""
        found: dict[tuple[str, str], tuple[BuyerMatch, int]] = {}
        for row in self.rows:
            if row.buyer is None:
                continue
            key = (row.buyer.buyer, row.buyer.entry.code if row.buyer.entry else "")
            match, count = found.get(key, (row.buyer, 0))
            found[key] = (match, count + 1)
        return sorted(found.values(), key=lambda item: (item[0].buyer.casefold(), item[0].key))

    def by_supplier(self) -> dict[str, Bucket]:
        buckets: dict[str, Bucket] = {}
        for row in self.linked_rows():
            assert row.match.known is not None
            buckets.setdefault(row.match.known.id, Bucket()).add(row)
        return dict(sorted(buckets.items()))

    def by_family(self) -> dict[str, Bucket]:
        buckets: dict[str, Bucket] = {family: Bucket() for family in self.knowledge.families}
        for row in self.linked_rows():
            buckets[row.family].add(row)
        return buckets

    def by_financial_year(self) -> dict[str, Bucket]:
        buckets: dict[str, Bucket] = {}
        for row in self.linked_rows():
            year = financial_year(row.record.date) if row.record.date else "undated"
            buckets.setdefault(year, Bucket()).add(row)
        return dict(sorted(buckets.items()))

    def cctv_contracts(self) -> list[CountedRecord]:
        """One row per camera or CCTV award (the first supplier of a shared award stands for it)."""
        seen: set[tuple[str, str, str]] = set()
        rows: list[CountedRecord] = []
        for row in self.rows:
            record = row.record
            key = (row.authority, record.source, record.reference)
            if record.kind != CONTRACT or not row.cctv or row.duplicate or key in seen:
                continue
            seen.add(key)
            rows.append(row)
        return rows

    def cctv_contract_value(self, authority: str | None = None) -> tuple[int, Decimal]:
        """Awards standing (active, in pounds) that concern cameras: how many and their value."""
        counted = [
            row
            for row in self.cctv_contracts()
            if _award_stands(row.record) and (authority is None or row.authority == authority)
        ]
        return len(counted), sum((row.record.amount for row in counted), ZERO)

    def all_payments(self, authority: str | None = None) -> Decimal:
        return sum(
            (
                row.record.amount
                for row in self.rows
                if row.record.kind == PAYMENT
                and not row.duplicate
                and row.record.currency == "GBP"
                and (authority is None or row.authority == authority)
            ),
            ZERO,
        )


def _award_stands(record: SpendRecord) -> bool:
    return record.status == "active" and record.currency == "GBP"


def count_record(
    record: SpendRecord, authority: str, authority_name: str, matcher: SupplierMatcher
) -> CountedRecord:
    cpv = cpv_concerns_cameras(record.cpv)
    word = text_concerns_cameras(
        record.title, record.description, record.expense_type, record.service_area
    )
    cctv = f"CPV {', '.join(cpv)}" if cpv else (f"text {word!r}" if word else "")
    if record.kind == PAYMENT and record.status == REDACTED:
        match = SupplierMatch(record.supplier, None, "", 0.0, False)
        return CountedRecord(
            record,
            authority,
            authority_name,
            match,
            False,
            False,
            "payee redacted by the authority",
            cctv,
        )
    match = matcher.match(record.supplier, record.company_number)

    def result(linked: bool, certain: bool, reason: str) -> CountedRecord:
        return CountedRecord(
            record, authority, authority_name, match, linked, certain, reason, cctv
        )

    if match.known is None:
        return result(False, False, match.note or "supplier not linked to a vendor family")
    known = match.known
    described = f"{match.method} {match.score:g} to {known.name} ({known.role} of {known.family})"
    if match.review == REJECTED:
        return result(False, False, f"{described}: rejected by a reviewer")
    if record.currency != "GBP":
        return result(False, False, f"{described}; in {record.currency}, not converted to GBP")
    if record.kind == CONTRACT:
        if record.status != "active":
            status = (
                record.status if record.status.startswith("tender") else "award " + record.status
            )
            return result(False, False, f"{described}; {status}: not counted")
        if record.supplier_count > 1:
            return result(
                False,
                False,
                f"{described}; award shared by {record.supplier_count} suppliers: its value is"
                " not this supplier's",
            )
    doubts = []
    if not match.certain:
        doubts.append("match awaits review")
    if known.confidence != "high":
        doubts.append(f"link confidence {known.confidence}")
    if match.review:
        described += f", {match.review} by a reviewer"
    if doubts:
        return result(True, False, f"{described}; uncertain: {', '.join(doubts)}")
    return result(True, True, described)


def compute_report(
    imports: Sequence[ImportedFile],
    knowledge: KnowledgeBase,
    matcher: SupplierMatcher,
    buyers: BuyerMatcher | None = None,
) -> SpendReport:
    """Every row counted; a national file's rows (no authority of their own) go to the authority
    their buyer matches, uncertainly while that match awaits review."""
    buyers = buyers or BuyerMatcher([])
    rows: list[CountedRecord] = []
    for item in imports:
        for record in item.records:
            if item.authority:
                rows.append(count_record(record, item.authority, item.authority_name, matcher))
            else:
                rows.append(_on_buyer(record, matcher, buyers))
    rows = _without_duplicates(rows)
    problems = [problem for item in imports for problem in item.problems]
    return SpendReport(rows=rows, imports=list(imports), knowledge=knowledge, problems=problems)


def _on_buyer(record: SpendRecord, matcher: SupplierMatcher, buyers: BuyerMatcher) -> CountedRecord:
    match = buyers.match(record.buyer, record.buyer_identifiers)
    entry = match.attributed
    if entry is None:
        row = count_record(record, "", record.buyer, matcher)
        return replace(
            row,
            buyer=match,
            linked=False,
            certain=False,
            reason=(f"{row.reason}; buyer {record.buyer!r} matches no authority"),
        )
    row = count_record(record, entry.code, entry.name, matcher)
    if row.linked and not match.certain:
        return replace(
            row,
            buyer=match,
            certain=False,
            reason=(f"{row.reason}; buyer match to {entry.name} awaits review"),
        )
    return replace(row, buyer=match)


def _without_duplicates(rows: list[CountedRecord]) -> list[CountedRecord]:
    """Count once what two imported files both hold (an annual file over quarterly ones, a fresh
    OCDS download over an old one): a payment from the first file that has it, an award from the
    last (the newer data). Within one file equal rows are separate payments, so the n-th equal
    row of a file is a duplicate only when another file has n or more of them."""
    files: dict[str, set[str]] = {}
    for row in rows:
        files.setdefault(row.authority, set()).add(row.record.source)
    if all(len(sources) == 1 for sources in files.values()):
        return rows  # one file per authority: nothing can be in two files
    occurrences: dict[tuple[object, ...], dict[str, list[CountedRecord]]] = {}
    keyed: list[tuple[tuple[object, ...], int]] = []
    for row in rows:
        record = row.record
        name = canonical_name(record.supplier)
        key: tuple[object, ...] = (
            (PAYMENT, row.authority, name, record.amount, record.date, record.reference)
            if record.kind == PAYMENT
            else (CONTRACT, row.authority, record.reference, name)
        )
        by_source = occurrences.setdefault(key, {})
        same_file = by_source.setdefault(record.source, [])
        keyed.append((key, len(same_file)))
        same_file.append(row)
    result: list[CountedRecord] = []
    for row, (key, index) in zip(rows, keyed, strict=True):
        sources = list(occurrences[key])  # in import order
        if key[0] == CONTRACT:
            sources.reverse()  # the newest file wins
        kept = next(
            (occurrences[key][s][index] for s in sources if len(occurrences[key][s]) > index),
            row,
        )
        if kept is row or kept.record.source == row.record.source:
            result.append(row)
            continue
        why = "counted from" if key[0] == PAYMENT else "superseded by"
        reason = f"same {row.record.kind} also in another file: {why} {kept.record.source}"
        reason += f" {kept.record.where}"
        result.append(replace(row, linked=False, certain=False, reason=reason, duplicate=True))
    return result


def report_json(report: SpendReport) -> dict[str, Any]:
    """``sightline spend report --json``: amounts as exact decimal strings (pounds)."""
    names = report.authority_names()
    count, value = report.cctv_contract_value()
    document: dict[str, Any] = {
        "totals": {
            **report.totals().as_json(),
            "all_payments": str(report.all_payments()),
            "cctv_contracts": {"count": count, "value": str(value)},
            "payments_read": sum(1 for r in report.rows if r.record.kind == PAYMENT),
            "contract_rows_read": sum(1 for r in report.rows if r.record.kind == CONTRACT),
            "rows_skipped": len(report.problems),
        },
        "authorities": [],
        "suppliers": [],
        "families": [],
        "financial_years": [
            {"year": year, **bucket.as_json()}
            for year, bucket in report.by_financial_year().items()
        ],
        "matches": match_summary(report),
        "uncertain": [
            {
                "key": m.key,
                "supplier": m.supplier,
                "candidate": m.known.name if m.known else "",
                "method": m.method,
                "score": m.score,
                "note": m.note,
            }
            for m in report.needing_review()
        ],
        "cctv_contracts": [
            {
                "authority": row.authority,
                "source": row.record.source,
                "where": row.record.where,
                "reference": row.record.reference,
                "supplier": row.record.supplier,
                "suppliers": row.record.supplier_count,
                "title": row.record.title,
                "value": str(row.record.amount),
                "currency": row.record.currency,
                "date": row.record.date.isoformat() if row.record.date else None,
                "status": row.record.status,
                "counted": _award_stands(row.record),
                "why": row.cctv,
            }
            for row in report.cctv_contracts()
        ],
        "skipped": [problem.as_json() for problem in report.problems],
        "buyers": [buyer_json(match, rows) for match, rows in report.buyer_matches()],
        "unmatched_buyers": [
            {"buyer": match.buyer, "rows": rows}
            for match, rows in report.buyer_matches()
            if match.attributed is None
        ],
        "imports": [
            {
                "id": item.import_id,
                "authority": item.authority,
                "source": item.source,
                "kind": item.kind,
                "rows": len(item.records),
                "skipped": len(item.problems),
                "notes": list(item.notes),
            }
            for item in report.imports
        ],
        "caveats": list(CAVEATS),
    }
    for code, bucket in sorted(report.by_authority().items()):
        count, value = report.cctv_contract_value(code)
        document["authorities"].append(
            {
                "gss_code": code,
                "name": names.get(code, ""),
                **bucket.as_json(),
                "all_payments": str(report.all_payments(code)),
                "cctv_contracts": {"count": count, "value": str(value)},
            }
        )
    for supplier_id, bucket in report.by_supplier().items():
        known = report.knowledge.supplier(supplier_id)
        document["suppliers"].append(
            {
                "id": known.id,
                "name": known.name,
                "family": known.family,
                "role": known.role,
                "confidence": known.confidence,
                "source": known.source,
                **bucket.as_json(),
            }
        )
    for family, bucket in report.by_family().items():
        display = report.knowledge.families[family].display
        document["families"].append({"family": family, "display": display, **bucket.as_json()})
    return document


def buyer_json(match: BuyerMatch, rows: int) -> dict[str, Any]:
    entry = match.entry
    return {
        "key": match.key,
        "buyer": match.buyer,
        "gss_code": entry.code if entry else "",
        "authority": entry.name if entry else "",
        "method": match.method,
        "score": match.score,
        "certain": match.certain,
        "review": match.review,
        "note": match.note,
        "rows": rows,
    }


def match_summary(report: SpendReport) -> list[dict[str, Any]]:
    """Every distinct supplier name that matched something, with method, score and the rows."""
    summary: dict[str, dict[str, Any]] = {}
    for row in report.rows:
        match = row.match
        if match.known is None:
            continue
        entry = summary.setdefault(
            match.key,
            {
                "key": match.key,
                "supplier": match.supplier,
                "company_number": row.record.company_number,
                "known_supplier": match.known.id,
                "family": match.known.family,
                "method": match.method,
                "score": match.score,
                "certain": match.certain,
                "review": match.review,
                "note": match.note,
                "rows": 0,
            },
        )
        entry["rows"] += 1
    return sorted(summary.values(), key=lambda e: (e["supplier"].casefold(), e["known_supplier"]))
