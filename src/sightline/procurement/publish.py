"""Spending beside the FOI answers in the published bundle: a cell per authority for the table, a
headline sentence with the total and its caveats, and ``spend.csv`` with every payment and contract
counted and why (and every row that could not be read)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sightline.procurement.buyers import AUTHORITY_WORDS
from sightline.procurement.figures import ZERO, Bucket, CountedRecord, Pair, SpendReport
from sightline.procurement.model import CONTRACT, ReadProblem
from sightline.procurement.names import loose_name
from sightline.procurement.values import financial_year, format_pounds

SPEND_COLUMNS = (
    "authority",
    "authority_code",
    "kind",
    "source",
    "where",
    "date",
    "financial_year",
    "supplier",
    "company_number",
    "amount",
    "currency",
    "status",
    "counted",
    "reason",
    "known_supplier",
    "family",
    "role",
    "link_confidence",
    "link_source",
    "method",
    "score",
    "cctv",
    "title",
    "reference",
)
NOT_IMPORTED = "no data"


@dataclass(frozen=True)
class BundleSpend:
    column: dict[str, str]  # authority name as in the table -> cell text
    headline: str
    csv_text: str
    authorities: tuple[str, ...]  # table names that had spending imported


def _authority_keys(*names: str) -> set[str]:
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        loose = loose_name(name)
        keys.add(loose)
        short = " ".join(word for word in loose.split() if word not in AUTHORITY_WORDS)
        if short:
            keys.add(short)
    return keys


def _pair_text(pair: Pair) -> str:
    text = format_pounds(pair.certain)
    if pair.with_uncertain != pair.certain:
        text += f" ({format_pounds(pair.with_uncertain)} with uncertain matches)"
    return text


def _cell(bucket: Bucket) -> str:
    text = _pair_text(bucket.payments)
    if bucket.contracts.with_uncertain != ZERO:
        text += f"; contracts {_pair_text(bucket.contracts)}"
    return text


def bundle_spend(report: SpendReport, table_authorities: Sequence[str]) -> BundleSpend:
    """The spend parts of the bundle for the authorities in the findings table."""
    codes_by_key: dict[str, str] = {}
    for item in report.imports:
        if item.authority:
            for key in _authority_keys(item.authority_name, item.short_name, item.authority):
                codes_by_key.setdefault(key, item.authority)
    for code, name in report.authority_names().items():  # national files' buyers too
        for key in _authority_keys(name, code):
            codes_by_key.setdefault(key, code)
    table_codes: dict[str, str] = {}
    for name in table_authorities:
        for key in _authority_keys(name):
            if key in codes_by_key:
                table_codes[name] = codes_by_key[key]
                break
    wanted = set(table_codes.values())
    order = {code: index for index, code in enumerate(dict.fromkeys(table_codes.values()))}
    rows = sorted(  # table order; within an authority, as imported
        (row for row in report.rows if row.authority in wanted), key=lambda r: order[r.authority]
    )
    buckets: dict[str, Bucket] = {code: Bucket() for code in wanted}
    total = Bucket()
    for row in rows:
        if row.linked:
            buckets[row.authority].add(row)
            total.add(row)
    column = {
        name: _cell(buckets[table_codes[name]]) if name in table_codes else NOT_IMPORTED
        for name in table_authorities
    }
    families = [family.display for family in report.knowledge.families.values()]
    headline = _headline(total, len(table_codes), len(table_authorities), families)
    problems = [
        problem
        for item in sorted(report.imports, key=lambda i: order.get(i.authority, len(order)))
        if item.authority in wanted
        for problem in item.problems
    ]
    return BundleSpend(
        column=column,
        headline=headline,
        csv_text=_csv(rows, problems, {code: name for name, code in table_codes.items()}),
        authorities=tuple(table_codes),
    )


def _headline(total: Bucket, with_data: int, asked: int, families: Sequence[str]) -> str:
    makers = " or ".join(families)
    if with_data == 0:
        return f"No spending records were imported for these {asked} authorities."
    return (
        f"Spending records imported for {with_data} of the {asked} authorities show"
        f" {_pair_text(total.payments)} paid to suppliers linked to {makers}, and contracts worth"
        f" {_pair_text(total.contracts)} awarded to them. Payments are as published (councils"
        " publish those over £500), contract values are award values rather than payments, and"
        " money paid to a distributor or integrator is not all spent on these makers' equipment."
    )


def _csv(
    rows: Sequence[CountedRecord], problems: Sequence[ReadProblem], names: dict[str, str]
) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=SPEND_COLUMNS, lineterminator="\r\n", restval="")
    writer.writeheader()
    for row in rows:
        if row.match.known is None and not (row.cctv and row.record.kind == CONTRACT):
            continue  # neither linked to a vendor family nor a camera contract
        record, known = row.record, row.match.known
        line: dict[str, str] = {
            "authority": names.get(row.authority, row.authority_name),
            "authority_code": row.authority,
            "kind": record.kind,
            "source": record.source,
            "where": record.where,
            "date": record.date.isoformat() if record.date else "",
            "financial_year": financial_year(record.date) if record.date else "",
            "supplier": record.supplier,
            "company_number": record.company_number,
            "amount": str(record.amount),
            "currency": record.currency,
            "status": record.status,
            "counted": "certain" if row.certain else ("uncertain" if row.linked else "not counted"),
            "reason": row.reason,
            "method": row.match.method,
            "cctv": row.cctv,
            "title": record.title or record.description or record.expense_type,
            "reference": record.reference,
        }
        if known is not None:
            line.update(
                known_supplier=known.name,
                family=known.family,
                role=known.role,
                link_confidence=known.confidence,
                link_source=known.source,
                score=f"{row.match.score:g}",
            )
        writer.writerow(line)
    for problem in problems:
        writer.writerow(
            {
                "kind": "skipped",
                "source": problem.source,
                "where": problem.where,
                "counted": "not counted",
                "reason": problem.message,
            }
        )
    return buffer.getvalue()
