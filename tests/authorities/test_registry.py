from datetime import date

import pytest

from sightline.authorities.models import Authority, AuthoritySet, Contact
from sightline.authorities.records import ContactRecord, read_mysociety
from sightline.authorities.registry import (
    UnknownSetError,
    import_contacts,
    load_builtin,
    set_members,
    union_set,
    upsert_authorities,
)

pytestmark = pytest.mark.django_db


def test_load_builtin_creates_sets_and_is_idempotent():
    first = load_builtin()
    second = load_builtin()
    assert (first.created, second.created, second.updated, second.unchanged) == (53, 0, 0, 53)
    assert Authority.objects.count() == 53
    sizes = {s.slug: s.members.count() for s in AuthoritySet.objects.all()}
    assert sizes == {"largest-cities": 20, "london": 33, "london-boroughs": 32, "seed-52": 52}


def test_set_members_and_unknown_set():
    load_builtin()
    names = [a.short_name for a in set_members("largest-cities")]
    assert "Glasgow City" in names and "Camden" not in names
    with pytest.raises(UnknownSetError) as error:
        set_members("nope")
    assert str(error.value) == (
        "no authority set 'nope' (known sets: largest-cities, london, london-boroughs, seed-52)"
    )


def test_full_register_import_updates_without_duplicating(shared_dir):
    load_builtin()
    text = (shared_dir / "data" / "uk_local_authorities.csv").read_text(encoding="utf-8")
    result = read_mysociety(text)
    assert result.problems == []
    assert len(result.records) == 397  # every current council in the register
    first = upsert_authorities(result.records, "mysociety")
    second = upsert_authorities(result.records, "mysociety")
    assert Authority.objects.count() == 397
    assert (first.created, second.created, second.updated) == (344, 0, 0)
    hackney = Authority.objects.get(gss_code="E09000012")
    assert hackney.website_domain == "hackney.gov.uk"  # the built-in detail survives
    assert hackney.register_code == "HCK"


def test_contacts_import_sets_updates_and_reports_unknown_codes():
    load_builtin()
    rows = [
        ContactRecord("E09000012", "foi@hackney.gov.uk", 2),
        ContactRecord("E99999999", "foi@nowhere.gov.uk", 3),
    ]
    summary = import_contacts(rows, "c.csv", date(2026, 11, 1))
    assert (summary.created, [str(p) for p in summary.problems]) == (
        1,
        ["line 3: no authority with code E99999999"],
    )
    again = import_contacts(
        [ContactRecord("E09000012", "information@hackney.gov.uk", 2)], "c2.csv", date(2026, 11, 2)
    )
    assert (again.created, again.updated) == (0, 1)
    contact = Contact.objects.get()
    assert (contact.email, contact.source, contact.checked_on) == (
        "information@hackney.gov.uk",
        "c2.csv",
        date(2026, 11, 2),
    )
    assert Authority.objects.get(gss_code="E09000012").foi_email == "information@hackney.gov.uk"


def test_union_sets_remember_their_parts():
    load_builtin()
    seed = AuthoritySet.objects.get(slug="seed-52")
    assert sorted(seed.parts.values_list("slug", flat=True)) == [
        "largest-cities",
        "london-boroughs",
    ]
    union = union_set("mixed", ["london", "largest-cities"], "Mixed")
    assert union.members.count() == 53
    assert sorted(union.parts.values_list("slug", flat=True)) == ["largest-cities", "london"]
