"""The supplier knowledge base (``suppliers.toml``): which companies belong to which vendor family,
with the public source and confidence of each link."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sightline.errors import SightlineError
from sightline.procurement.values import company_number

ROLES = ("vendor", "subsidiary", "distributor", "integrator")
CONFIDENCES = ("high", "medium", "low")
RESOURCE = "suppliers.toml"


class KnowledgeBaseError(SightlineError, ValueError):
    """A knowledge-base file that breaks its own rules (no source, unknown family...)."""


@dataclass(frozen=True)
class Family:
    id: str
    display: str
    maker: str


@dataclass(frozen=True)
class KnownSupplier:
    id: str
    family: str
    role: str
    names: tuple[str, ...]
    company_number: str
    relation: str
    source: str
    confidence: str

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class KnowledgeBase:
    families: dict[str, Family]
    suppliers: tuple[KnownSupplier, ...]
    origin: str

    def supplier(self, supplier_id: str) -> KnownSupplier:
        for supplier in self.suppliers:
            if supplier.id == supplier_id:
                return supplier
        raise KeyError(supplier_id)


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: {key} is missing or empty")
    return value.strip()


def parse_knowledge_base(
    text: str, origin: str, families: dict[str, Family] | None = None
) -> KnowledgeBase:
    """Parse one knowledge file; ``families`` are those of a base file it adds suppliers to."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeBaseError(f"{origin}: not TOML", detail=str(error)) from None
    families = dict(families or {})
    for index, entry in enumerate(data.get("family", []), start=1):
        where = f"{origin} family {index}"
        family_id, display = _text(entry, "id", where), _text(entry, "display", where)
        families[family_id] = Family(family_id, display, str(entry.get("maker", "")))
    suppliers: list[KnownSupplier] = []
    seen: set[str] = set()
    for index, entry in enumerate(data.get("supplier", []), start=1):
        where = f"{origin} supplier {index}"
        supplier_id = _text(entry, "id", where)
        where = f"{origin} supplier {supplier_id!r}"
        if supplier_id in seen:
            raise KnowledgeBaseError(f"{where}: the id is used twice")
        seen.add(supplier_id)
        family = _text(entry, "family", where)
        if family not in families:
            raise KnowledgeBaseError(f"{where}: family {family!r} is not a [[family]]")
        role = _text(entry, "role", where)
        if role not in ROLES:
            raise KnowledgeBaseError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        confidence = _text(entry, "confidence", where)
        if confidence not in CONFIDENCES:
            raise KnowledgeBaseError(
                f"{where}: confidence {confidence!r} is not one of {', '.join(CONFIDENCES)}"
            )
        names = entry.get("names")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise KnowledgeBaseError(f"{where}: names must be a non-empty list of text")
        number_text = str(entry.get("company_number", "") or "")
        number = company_number(number_text)
        if number_text and not number:
            raise KnowledgeBaseError(f"{where}: {number_text!r} is not a Companies House number")
        suppliers.append(
            KnownSupplier(
                id=supplier_id,
                family=family,
                role=role,
                names=tuple(names),
                company_number=number,
                relation=_text(entry, "relation", where),
                source=_text(entry, "source", where),  # every link cites a public source
                confidence=confidence,
            )
        )
    return KnowledgeBase(families, tuple(suppliers), origin)


def with_local_links(base: KnowledgeBase, path: Path) -> KnowledgeBase:
    """``base`` with the suppliers a team linked in its own file (``spend integrators --link``),
    if that file exists."""
    if not path.exists():
        return base
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KnowledgeBaseError(
            f"{path}: cannot be read", detail=str(error.strerror or "")
        ) from None
    local = parse_knowledge_base(text, str(path), base.families)
    taken = {supplier.id for supplier in base.suppliers}
    for supplier in local.suppliers:
        if supplier.id in taken:
            raise KnowledgeBaseError(f"{path} supplier {supplier.id!r}: the id is used twice")
    return KnowledgeBase(base.families, base.suppliers + local.suppliers, base.origin)


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """The given file, or the one shipped with Sightline."""
    if path is None:
        text = resources.files("sightline.procurement").joinpath(RESOURCE).read_text("utf-8")
        return parse_knowledge_base(text, RESOURCE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KnowledgeBaseError(
            f"{path}: cannot be read", detail=str(error.strerror or "")
        ) from None
    return parse_knowledge_base(text, str(path))
