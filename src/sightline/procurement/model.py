"""What the readers produce: one ``SpendRecord`` per payment or per supplier of a contract award,
and one ``ReadProblem`` per row that could not be read (nothing is dropped silently)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sightline.errors import SightlineError

PAYMENT = "payment"
CONTRACT = "contract"

# Payment statuses: a payment as published, a credit (negative amount), or a row whose payee the
# council withheld (personal data); contract statuses are OCDS award statuses.
PAID = "paid"
CREDIT = "credit"
REDACTED = "redacted"


class SpendFileError(SightlineError, ValueError):
    """A file that cannot be read at all (unmappable columns, not JSON, unreadable)."""


@dataclass(frozen=True)
class ReadProblem:
    """A row that was not read, and why: ``source`` is the file, ``where`` the row or line."""

    source: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.source} {self.where}: {self.message}"

    def as_json(self) -> dict[str, str]:
        return {"source": self.source, "where": self.where, "message": self.message}


@dataclass(frozen=True)
class SpendRecord:
    """A payment to a supplier, or one supplier's share of a contract award.

    ``amount`` is exact (Decimal, pounds). For an award shared by several suppliers (a framework)
    ``supplier_count`` says how many: the value is the whole award, not this supplier's part.
    """

    kind: str  # PAYMENT or CONTRACT
    source: str  # file name as imported
    where: str  # row or line in the file
    supplier: str  # as written
    amount: Decimal
    currency: str = "GBP"
    date: dt.date | None = None
    company_number: str = ""  # Companies House number, zero-padded to 8 characters
    status: str = PAID
    title: str = ""
    description: str = ""
    expense_type: str = ""
    service_area: str = ""
    reference: str = ""  # transaction number, or ocid and award id
    cpv: tuple[str, ...] = ()
    buyer: str = ""
    buyer_identifiers: tuple[str, ...] = ()  # the buyer's org-ids (GB-LAE-HAV), from OCDS
    supplier_count: int = 1
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "where": self.where,
            "supplier": self.supplier,
            "amount": str(self.amount),
            "currency": self.currency,
            "date": self.date.isoformat() if self.date else None,
            "company_number": self.company_number,
            "status": self.status,
            "title": self.title,
            "description": self.description,
            "expense_type": self.expense_type,
            "service_area": self.service_area,
            "reference": self.reference,
            "cpv": list(self.cpv),
            "buyer": self.buyer,
            "buyer_identifiers": list(self.buyer_identifiers),
            "supplier_count": self.supplier_count,
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpendRecord:
        date = data.get("date")
        return cls(
            kind=str(data["kind"]),
            source=str(data["source"]),
            where=str(data["where"]),
            supplier=str(data["supplier"]),
            amount=Decimal(str(data["amount"])),
            currency=str(data.get("currency", "GBP")),
            date=dt.date.fromisoformat(date) if date else None,
            company_number=str(data.get("company_number", "")),
            status=str(data.get("status", PAID)),
            title=str(data.get("title", "")),
            description=str(data.get("description", "")),
            expense_type=str(data.get("expense_type", "")),
            service_area=str(data.get("service_area", "")),
            reference=str(data.get("reference", "")),
            cpv=tuple(str(code) for code in data.get("cpv", ())),
            buyer=str(data.get("buyer", "")),
            buyer_identifiers=tuple(str(i) for i in data.get("buyer_identifiers", ())),
            supplier_count=int(data.get("supplier_count", 1)),
            notes=tuple(str(note) for note in data.get("notes", ())),
        )


@dataclass
class ReadResult:
    """What a reader got from one file: the records, the rows it could not read, and notes
    (encoding guessed, sheet and header row used) for the import summary."""

    source: str
    kind: str
    records: list[SpendRecord] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(ReadProblem(self.source, where, message))


@dataclass(frozen=True)
class ImportedFile:
    """One imported file as stored: whose spending it is, and what was read from it."""

    import_id: str
    authority: str  # GSS code
    authority_name: str
    source: str  # file name
    kind: str  # PAYMENT (a spending file) or CONTRACT (OCDS)
    imported_at: str
    sha256: str
    records: tuple[SpendRecord, ...]
    problems: tuple[ReadProblem, ...]
    notes: tuple[str, ...] = ()
    short_name: str = ""
