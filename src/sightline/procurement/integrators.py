"""Candidate integrators: the companies that won the authorities' camera and CCTV contracts.

Councils rarely buy cameras from the maker: they buy through a system integrator that designs and
installs the system. Every contract (and payment) that concerns cameras, by its CPV codes or its
words (``cctv``), is grouped by supplier: by Companies House number where the notice gives one
(a ``GB-COH`` identifier), else by name once legal forms are set aside. The makers and their
subsidiaries are left out; the rest are candidates, with the contracts and sums that make each one
a candidate, for a person to review. A candidate becomes a supplier linked to a vendor family only
through ``link_integrator``, which requires a public source for the link (a contract notice or FOI
reply naming the equipment, the company's own statement); until then no money paid to it counts
towards any family.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sightline.errors import SightlineError
from sightline.procurement.figures import CountedRecord, SpendReport
from sightline.procurement.knowledge import KnownSupplier
from sightline.procurement.model import CONTRACT, PAYMENT, REDACTED
from sightline.procurement.names import core_name

MAKER_ROLES = frozenset({"vendor", "subsidiary"})
LINK_ROLES = ("integrator", "distributor")
ZERO = Decimal(0)
LOCAL_KNOWLEDGE = "suppliers.local.toml"  # under SIGHTLINE_HOME/spend/: links people added
_SOURCE = re.compile(r"^https?://\S+\.\S+")


class IntegratorError(SightlineError, ValueError):
    """A link that cannot be made (no public source, unknown family or candidate)."""


@dataclass
class Candidate:
    key: str
    name: str
    company_number: str
    rows: list[CountedRecord] = field(default_factory=list)
    known: KnownSupplier | None = None  # already in the knowledge base as an integrator

    @property
    def contracts(self) -> list[CountedRecord]:
        return [row for row in self.rows if row.record.kind == CONTRACT]

    @property
    def payments(self) -> list[CountedRecord]:
        return [row for row in self.rows if row.record.kind == PAYMENT]

    @property
    def contract_value(self) -> Decimal:
        """Awards that stand (active, in pounds) and are this supplier's alone."""
        return sum(
            (
                row.record.amount
                for row in self.contracts
                if _stands(row) and row.record.supplier_count == 1
            ),
            ZERO,
        )

    @property
    def shared_value(self) -> Decimal:
        """Awards that stand but are shared with other suppliers (a framework): not its own."""
        return sum(
            (
                row.record.amount
                for row in self.contracts
                if _stands(row) and row.record.supplier_count > 1
            ),
            ZERO,
        )

    @property
    def paid(self) -> Decimal:
        return sum(
            (row.record.amount for row in self.payments if row.record.currency == "GBP"), ZERO
        )

    @property
    def authorities(self) -> list[str]:
        return sorted({row.authority_name or row.authority for row in self.rows if row.authority})


def _stands(row: CountedRecord) -> bool:
    return row.record.status == "active" and row.record.currency == "GBP"


def candidate_key(company_number: str, name: str) -> str:
    basis = f"ch:{company_number}" if company_number else f"name:{core_name(name)}"
    return "i" + hashlib.sha256(basis.encode()).hexdigest()[:9]


def find_integrators(report: SpendReport) -> list[Candidate]:
    """Every supplier of a camera or CCTV contract or payment other than the makers, most money
    first."""
    by_number: dict[str, Candidate] = {}
    by_name: dict[str, Candidate] = {}
    for row in report.rows:
        record = row.record
        if not row.cctv or row.duplicate or record.status == REDACTED or not record.supplier:
            continue
        known = row.match.known
        if known is not None and known.role in MAKER_ROLES and row.match.review != "rejected":
            continue  # the maker or its own company (however spelt): not an integrator
        core = core_name(record.supplier)
        candidate = by_number.get(record.company_number) if record.company_number else None
        if candidate is None:
            candidate = by_name.get(core)
        if candidate is None:
            candidate = Candidate(
                key=candidate_key(record.company_number, record.supplier),
                name=record.supplier,
                company_number=record.company_number,
            )
        if record.company_number and not candidate.company_number:
            candidate.company_number = record.company_number
        if record.company_number:
            by_number.setdefault(record.company_number, candidate)
        by_name.setdefault(core, candidate)
        if known is not None and known.role in LINK_ROLES and row.match.certain:
            candidate.known = known
        candidate.rows.append(row)
    unique = {id(c): c for c in [*by_number.values(), *by_name.values()]}.values()
    return sorted(unique, key=lambda c: (-(c.contract_value + c.paid), c.name.casefold(), c.key))


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    known = candidate.known
    return {
        "key": candidate.key,
        "supplier": candidate.name,
        "company_number": candidate.company_number,
        "contracts": len(candidate.contracts),
        "contract_value": str(candidate.contract_value),
        "shared_contract_value": str(candidate.shared_value),
        "payments": len(candidate.payments),
        "paid": str(candidate.paid),
        "authorities": candidate.authorities,
        "linked_to": known.family if known else "",
        "link_source": known.source if known else "",
        "rows": [
            {
                "authority": row.authority,
                "authority_name": row.authority_name,
                "kind": row.record.kind,
                "source": row.record.source,
                "where": row.record.where,
                "reference": row.record.reference,
                "title": row.record.title or row.record.description or row.record.expense_type,
                "amount": str(row.record.amount),
                "currency": row.record.currency,
                "date": row.record.date.isoformat() if row.record.date else None,
                "status": row.record.status,
                "suppliers": row.record.supplier_count,
                "why": row.cctv,
            }
            for row in candidate.rows
        ],
    }


def link_integrator(
    path: Path,
    candidate: Candidate,
    family: str,
    source: str,
    relation: str,
    families: dict[str, Any],
    role: str = "integrator",
) -> str:
    """Add the candidate to the local knowledge file as an integrator (or distributor) of
    ``family``, on ``source``: a public web address. Returns the new supplier id."""
    if family not in families:
        raise IntegratorError(
            f"unknown vendor family {family!r}: one of {', '.join(sorted(families))}"
        )
    if role not in LINK_ROLES:
        raise IntegratorError(f"role {role!r} is not one of {', '.join(LINK_ROLES)}")
    if not _SOURCE.match(source.strip()):
        raise IntegratorError(
            "a link needs its public source: the web address of a notice, reply or statement"
            " that says this company supplied or installed the family's equipment"
        )
    existing = _read_local(path)
    supplier_id = f"{role}-{candidate.key}"
    if any(entry.get("id") == supplier_id for entry in existing):
        raise IntegratorError(f"{candidate.name} is already linked (supplier {supplier_id})")
    lines = [
        "",
        "[[supplier]]",
        f"id = {_quote(supplier_id)}",
        f"family = {_quote(family)}",
        f"role = {_quote(role)}",
        f"names = [{_quote(candidate.name)}]",
        f"company_number = {_quote(candidate.company_number)}",
        f"relation = {_quote(relation.strip() or f'{role} of {family} equipment')}",
        f"source = {_quote(source.strip())}",
        'confidence = "medium"',  # one source, checked by one person: counted as uncertain
        "",
    ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            if not existing and path.stat().st_size == 0:
                handle.write(
                    "# Suppliers linked to vendor families by this team, each on a source.\n"
                )
            handle.write("\n".join(lines))
    except OSError as error:
        raise IntegratorError(
            f"{path}: cannot be written", detail=str(error.strerror or "")
        ) from None
    return supplier_id


def _read_local(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise IntegratorError(f"{path}: cannot be read as TOML", detail=str(error)) from None
    return [entry for entry in data.get("supplier", []) if isinstance(entry, dict)]


def _quote(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
