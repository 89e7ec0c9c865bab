"""The authority registry in the database: built-in councils, imports, contacts and sets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from sightline.authorities.models import Authority, AuthoritySet, Contact
from sightline.authorities.records import AuthorityRecord, ContactRecord, RowProblem, read_builtin
from sightline.errors import SightlineError

# slug -> (title, description, the sets whose members it unites)
BUILTIN_SETS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "london-boroughs": ("London borough councils", "The 32 London borough councils.", ()),
    "london": (
        "London councils",
        "The 32 London borough councils and the City of London Corporation.",
        (),
    ),
    "largest-cities": (
        "Largest city councils outside London",
        "The 20 UK city councils outside London with the most residents (ONS mid-2020 "
        "estimates); see docs/authorities.md for the rule and the list.",
        (),
    ),
    "seed-52": (
        "London boroughs and largest cities",
        "The 52 councils of the model investigation: the 32 London boroughs and the 20 largest "
        "city councils outside London.",
        ("london-boroughs", "largest-cities"),
    ),
}


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


class UnknownSetError(SightlineError, LookupError):
    pass


_FIELDS = (
    "name",
    "short_name",
    "nation",
    "authority_type",
    "type_name",
    "region",
    "population",
    "website_domain",
    "register_code",
    "current",
)


@transaction.atomic
def upsert_authorities(records: Iterable[AuthorityRecord], source: str) -> ImportSummary:
    """Create or update authorities by code; importing the same file twice changes nothing."""
    summary = ImportSummary()
    existing = {a.gss_code: a for a in Authority.objects.all()}
    for record in records:
        values = {name: getattr(record, name) for name in _FIELDS}
        values["law"] = record.law.value
        authority = existing.get(record.gss_code)
        if authority is None:
            authority = Authority.objects.create(gss_code=record.gss_code, source=source, **values)
            existing[record.gss_code] = authority
            summary.created += 1
            continue
        # A richer built-in row is not thinned out by a register import that lacks a field.
        changed = {
            k: v for k, v in values.items() if getattr(authority, k) != v and v not in ("", None)
        }
        if changed:
            for key, value in changed.items():
                setattr(authority, key, value)
            authority.save()
            summary.updated += 1
        else:
            summary.unchanged += 1
    return summary


@transaction.atomic
def load_builtin() -> ImportSummary:
    """Load the built-in councils and named sets (idempotent)."""
    records = read_builtin()
    summary = upsert_authorities(records, source="builtin")
    by_code = {
        a.gss_code: a for a in Authority.objects.filter(gss_code__in=[r.gss_code for r in records])
    }
    members: dict[str, set[str]] = {slug: set() for slug in BUILTIN_SETS}
    for record in records:
        for slug in record.sets:
            members[slug].add(record.gss_code)
    for slug, (_title, _description, parts) in BUILTIN_SETS.items():
        for part in parts:
            members[slug] |= members[part]
    for slug, (title, description, _parts) in BUILTIN_SETS.items():
        authority_set, _ = AuthoritySet.objects.update_or_create(
            slug=slug, defaults={"title": title, "description": description, "builtin": True}
        )
        authority_set.members.set([by_code[code] for code in sorted(members[slug])])
    for slug, (_title, _description, parts) in BUILTIN_SETS.items():
        AuthoritySet.objects.get(slug=slug).parts.set(AuthoritySet.objects.filter(slug__in=parts))
    return summary


def set_members(slug: str) -> list[Authority]:
    try:
        authority_set = AuthoritySet.objects.get(slug=slug)
    except AuthoritySet.DoesNotExist:
        known = ", ".join(AuthoritySet.objects.values_list("slug", flat=True)) or "none"
        raise UnknownSetError(f"no authority set {slug!r} (known sets: {known})") from None
    return list(authority_set.members.order_by("name"))


@transaction.atomic
def add_to_set(
    slug: str, codes: Sequence[str], title: str = "", description: str = ""
) -> AuthoritySet:
    authority_set, _ = AuthoritySet.objects.get_or_create(
        slug=slug, defaults={"title": title or slug, "description": description}
    )
    authority_set.members.add(*Authority.objects.filter(gss_code__in=codes))
    return authority_set


@transaction.atomic
def union_set(
    slug: str, part_slugs: Sequence[str], title: str, description: str = ""
) -> AuthoritySet:
    """A set holding every member of ``part_slugs``, remembering its parts for grouping."""
    parts = [AuthoritySet.objects.get(slug=part) for part in part_slugs]
    union, _ = AuthoritySet.objects.update_or_create(
        slug=slug, defaults={"title": title, "description": description}
    )
    union.parts.set(parts)
    union.members.set([m for part in parts for m in part.members.all()])
    return union


@transaction.atomic
def import_contacts(
    records: Iterable[ContactRecord], source: str, checked_on: date
) -> ImportSummary:
    """Set each authority's FOI address; a row for an unknown code is a problem, not a crash."""
    summary = ImportSummary()
    authorities = {a.gss_code: a for a in Authority.objects.all()}
    for record in records:
        authority = authorities.get(record.gss_code)
        if authority is None:
            summary.problems.append(
                RowProblem(record.line, f"no authority with code {record.gss_code}")
            )
            continue
        try:
            validate_email(record.email)
        except ValidationError:
            summary.problems.append(
                RowProblem(record.line, f"{record.email!r} is not a valid e-mail address")
            )
            continue
        contact = Contact.objects.filter(authority=authority, kind=Contact.Kind.FOI).first()
        if contact is None:
            Contact.objects.create(
                authority=authority, email=record.email, source=source, checked_on=checked_on
            )
            summary.created += 1
        elif contact.email != record.email:
            contact.email, contact.source, contact.checked_on = record.email, source, checked_on
            contact.save()
            summary.updated += 1
        else:
            summary.unchanged += 1
    return summary
