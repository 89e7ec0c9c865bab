"""Spending beside the FOI answers in the published bundle: a cell per authority for the table, a
headline sentence with the total and its caveats, and ``spend.csv`` with every payment and contract
counted and why (and every row that could not be read)."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sightline.procurement.buyers import AUTHORITY_WORDS
from sightline.procurement.figures import ZERO, Bucket, CountedRecord, Pair, SpendReport
from sightline.procurement.integrators import MAKER_ROLES, Candidate, find_integrators
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
SPEND_ROW_MEANINGS = {
    "authority": "The authority, named as in coded_responses.",
    "authority_code": "Its GSS code.",
    "kind": "payment, contract (one supplier of an award), or skipped (a row not read).",
    "source": "The file it was imported from.",
    "where": "Line, row or release of that file.",
    "date": "Payment date, or award date (YYYY-MM-DD).",
    "financial_year": "Financial year (1 April to 31 March), e.g. 2021-22.",
    "supplier": "The supplier as named in the data.",
    "company_number": "Companies House number, if given.",
    "amount": "Amount in pounds, exact (credits negative).",
    "currency": "ISO 4217 currency code.",
    "status": "paid, credit or redacted; for an award, its OCDS status.",
    "counted": "certain, uncertain, or not counted.",
    "reason": "Why it counted as it did.",
    "known_supplier": "The supplier of the knowledge base it matched.",
    "family": "The vendor family of that supplier.",
    "role": "vendor, subsidiary, distributor or integrator.",
    "link_confidence": "How sure the knowledge base is of the link: high, medium or low.",
    "link_source": "The public source of the link.",
    "method": "How the supplier name was matched.",
    "score": "The match score, 0 to 100.",
    "cctv": "Why it concerns cameras (CPV codes or words), if it does.",
    "title": "Title or description.",
    "reference": "Transaction number, or ocid and award id.",
}
NOT_IMPORTED = "no data"


MAKERS = "makers"  # the vendor itself and its subsidiaries
INTEGRATORS = "integrators"  # integrators and distributors linked to a vendor on a source
PARTIES = (MAKERS, INTEGRATORS)
PENCE = Decimal(100)


def party_of(role: str) -> str:
    return MAKERS if role in MAKER_ROLES else INTEGRATORS


@dataclass(frozen=True)
class SpendTable:
    """A table of ``sightline.db``: what it holds, its columns with their meaning, its rows."""

    description: str
    columns: dict[str, str]
    rows: list[dict[str, Any]]
    integers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BundleSpend:
    column: dict[str, str]  # authority name as in the table -> cell text
    headline: str
    csv_text: str
    authorities: tuple[str, ...]  # table names that had spending imported
    by_year: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, SpendTable] = field(default_factory=dict)


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


def _cell(parties: dict[str, Bucket]) -> str:
    """``makers paid £1,000 (£3,000 with uncertain matches); integrators paid £0, contracts
    £40,000``: each party with money linked to it; ``£0`` when nothing is."""
    parts = []
    for party in PARTIES:
        bucket = parties.get(party)
        if bucket is None:
            continue
        text = f"{party} paid {_pair_text(bucket.payments)}"
        if bucket.contracts.with_uncertain != ZERO:
            text += f", contracts {_pair_text(bucket.contracts)}"
        parts.append(text)
    return "; ".join(parts) or "£0"


def _pence(amount: Decimal) -> int:
    return int((amount * PENCE).to_integral_value())


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
    parties: dict[str, dict[str, Bucket]] = {code: {} for code in wanted}
    years: dict[tuple[str, str, str], Bucket] = {}
    total = Bucket()
    for row in rows:
        if row.linked:
            assert row.match.known is not None
            party = party_of(row.match.known.role)
            parties[row.authority].setdefault(party, Bucket()).add(row)
            year = financial_year(row.record.date) if row.record.date else "undated"
            years.setdefault((row.authority, year, party), Bucket()).add(row)
            total.add(row)
    column = {
        name: _cell(parties[table_codes[name]]) if name in table_codes else NOT_IMPORTED
        for name in table_authorities
    }
    table_names = {code: name for name, code in table_codes.items()}
    by_year = [
        {
            "authority": table_names[code],
            "gss_code": code,
            "financial_year": year,
            "suppliers": party,
            "payments": bucket.payments.as_json(),
            "contracts": bucket.contracts.as_json(),
        }
        for (code, year, party), bucket in sorted(
            years.items(), key=lambda item: (order[item[0][0]], item[0][1], item[0][2])
        )
    ]
    families = [family.display for family in report.knowledge.families.values()]
    headline = _headline(total, len(table_codes), len(table_authorities), families)
    problems = [
        problem
        for item in sorted(report.imports, key=lambda i: order.get(i.authority, len(order)))
        if item.authority in wanted
        for problem in item.problems
    ]
    lines = _lines(rows, problems, table_names)
    candidates = find_integrators(dataclasses.replace(report, rows=rows))
    return BundleSpend(
        column=column,
        headline=headline,
        csv_text=_csv(lines),
        authorities=tuple(table_codes),
        by_year=by_year,
        tables=_tables(by_year, lines, candidates),
    )


def _tables(
    by_year: Sequence[dict[str, Any]],
    lines: Sequence[dict[str, str]],
    candidates: Sequence[Candidate],
) -> dict[str, SpendTable]:
    """The spend data as tables of ``sightline.db``: money in whole pence (exact integers)."""
    year_rows = [
        {
            "authority": entry["authority"],
            "gss_code": entry["gss_code"],
            "financial_year": entry["financial_year"],
            "suppliers": entry["suppliers"],
            **{
                f"{kind}_{which}_pence": _pence(Decimal(entry[kind][which]))
                for kind in ("payments", "contracts")
                for which in ("certain", "with_uncertain")
            },
        }
        for entry in by_year
    ]
    money = {
        f"{kind}_{which}_pence": (
            f"{'Paid to' if kind == 'payments' else 'Contracts awarded to'} these suppliers, in"
            f" pence{'' if which == 'certain' else ', uncertain matches and links included'}."
        )
        for kind in ("payments", "contracts")
        for which in ("certain", "with_uncertain")
    }
    return {
        "spend_by_year": SpendTable(
            "Spending per authority and financial year (1 April to 31 March) with the makers"
            " (the vendor and its subsidiaries) and with integrators and distributors linked to"
            " a vendor on a public source. Payments and contract awards are never added"
            " together.",
            {
                "authority": "The authority, named as in coded_responses.",
                "gss_code": "Its GSS code.",
                "financial_year": "Financial year, e.g. 2021-22; 'undated' if no date.",
                "suppliers": "makers, or integrators (integrators and distributors).",
                **money,
            },
            year_rows,
            frozenset(money),
        ),
        "spend_rows": SpendTable(
            "Every payment and contract award linked to a vendor family or concerning cameras,"
            " how it counted and why, and every row of the spending data that could not be read.",
            {
                **{name: SPEND_ROW_MEANINGS[name] for name in SPEND_COLUMNS},
                "amount_pence": "The amount in pence, as an exact integer.",
            },
            [
                {
                    **line,
                    "amount_pence": _pence(Decimal(line["amount"])) if line["amount"] else None,
                }
                for line in lines
            ],
            frozenset({"amount_pence"}),
        ),
        "spend_integrators": SpendTable(
            "Candidate integrators: suppliers of camera and CCTV contracts and payments (by CPV"
            " code or words) other than the makers, for review.",
            {
                "supplier": "The supplier as named in the data.",
                "company_number": "Companies House number, from the notices' GB-COH identifiers.",
                "authorities": "The authorities it supplied, separated by '; '.",
                "contracts": "How many camera or CCTV contract awards it holds.",
                "contract_value_pence": "Value of those awards that stand and are its alone.",
                "shared_contract_value_pence": "Value of awards it shares with other suppliers.",
                "payments": "How many camera or CCTV payments it received.",
                "paid_pence": "Their sum, in pence.",
                "linked_to": "The vendor family it is linked to on a public source, if any.",
                "link_source": "That public source.",
            },
            [
                {
                    "supplier": c.name,
                    "company_number": c.company_number,
                    "authorities": "; ".join(c.authorities),
                    "contracts": len(c.contracts),
                    "contract_value_pence": _pence(c.contract_value),
                    "shared_contract_value_pence": _pence(c.shared_value),
                    "payments": len(c.payments),
                    "paid_pence": _pence(c.paid),
                    "linked_to": c.known.family if c.known else "",
                    "link_source": c.known.source if c.known else "",
                }
                for c in candidates
            ],
            frozenset(
                {
                    "contracts",
                    "contract_value_pence",
                    "shared_contract_value_pence",
                    "payments",
                    "paid_pence",
                }
            ),
        ),
    }


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


def _csv(lines: Sequence[dict[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=SPEND_COLUMNS, lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows(lines)
    return buffer.getvalue()


def _lines(
    rows: Sequence[CountedRecord], problems: Sequence[ReadProblem], names: dict[str, str]
) -> list[dict[str, str]]:
    """The rows of spend.csv (and of the spend_rows table)."""
    lines: list[dict[str, str]] = []
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
        lines.append({name: line.get(name, "") for name in SPEND_COLUMNS})
    for problem in problems:
        skipped = {
            "kind": "skipped",
            "source": problem.source,
            "where": problem.where,
            "counted": "not counted",
            "reason": problem.message,
        }
        lines.append({name: skipped.get(name, "") for name in SPEND_COLUMNS})
    return lines
