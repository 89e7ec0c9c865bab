"""The column-synonym table for councils' "spending over £500" files.

Councils publish under the Local Government Transparency Code 2015 (part 1, "expenditure exceeding
£500"), which names the data but not the column headings, so each council (and sometimes each
quarter) spells them differently. Headings are compared after ``heading_key``: case, punctuation,
"£" and "(GBP)" ignored. Within a field, earlier synonyms win (net amount before gross).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

SUPPLIER = "supplier"
AMOUNT = "amount"
DATE = "date"
REQUIRED_FIELDS = (SUPPLIER, AMOUNT, DATE)

SYNONYMS: dict[str, tuple[str, ...]] = {
    SUPPLIER: (
        "supplier name",
        "supplier",
        "vendor name",
        "vendor",
        "payee name",
        "payee",
        "beneficiary name",
        "beneficiary",
        "creditor name",
        "creditor",
        "merchant name",
        "name of supplier",
        "supplier payee name",
        "paid to",
        "recipient name",
        "recipient",
    ),
    AMOUNT: (
        "net amount",
        "amount net",
        "amount excluding vat",
        "amount excl vat",
        "amount ex vat",
        "net value",
        "net",
        "amount",
        "amount paid",
        "payment amount",
        "transaction amount",
        "line amount",
        "value",
        "total",
        "gross amount",
        "total amount",
    ),
    DATE: (
        "payment date",
        "date paid",
        "paid date",
        "date of payment",
        "transaction date",
        "date",
        "posting date",
        "effective date",
        "invoice date",
    ),
    "expense_type": (
        "expense type",
        "expenses type",
        "expenditure type",
        "expense category",
        "expenditure category",
        "category",
        "subjective description",
        "account description",
        "purpose of expenditure",
    ),
    "service_area": (
        "service area",
        "service area categorisation",
        "expense area",
        "service",
        "service division",
        "directorate",
        "department",
        "division",
        "cost centre description",
        "cost centre name",
    ),
    "description": (
        "description",
        "narrative",
        "transaction description",
        "item description",
        "purpose",
        "details",
    ),
    "reference": (
        "transaction number",
        "transaction no",
        "transaction id",
        "transaction reference",
        "payment reference",
        "reference",
        "document number",
        "invoice number",
    ),
    "company_number": (
        "supplier company number",
        "supplier company no",
        "supplier company registration number",
        "company number",
        "company no",
        "company registration no",
        "company registration number",
        "companies house number",
        "company reg no",
        "ch number",
    ),
    "currency": ("currency",),
}


def heading_key(text: object) -> str:
    """``"Net Amount (£)"`` -> ``"net amount"``; ``"SUPPLIER_NAME"`` -> ``"supplier name"``."""
    lowered = str(text or "").casefold().replace("£", " ")
    lowered = re.sub(r"\(\s*gbp\s*\)|\bgbp\b", " ", lowered)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", lowered).split())


@dataclass(frozen=True)
class ColumnMap:
    """Which column index holds each field, and the heading it was found under."""

    columns: dict[str, int]
    headings: dict[str, str]

    def missing(self) -> list[str]:
        return [name for name in REQUIRED_FIELDS if name not in self.columns]


def map_columns(headings: Sequence[object]) -> ColumnMap:
    keys = [heading_key(heading) for heading in headings]
    columns: dict[str, int] = {}
    found: dict[str, str] = {}
    taken: set[int] = set()
    for field_name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            if synonym in keys and keys.index(synonym) not in taken:
                index = keys.index(synonym)
                columns[field_name] = index
                found[field_name] = str(headings[index]).strip()
                taken.add(index)
                break
    return ColumnMap(columns, found)
