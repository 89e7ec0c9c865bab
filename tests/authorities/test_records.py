import pytest

from sightline.authorities.records import (
    FileFormatError,
    read_builtin,
    read_contacts,
    read_mysociety,
    read_plain,
)
from sightline.law import Law

MYSOCIETY_HEADER = (
    "local-authority-code,official-name,nice-name,gss-code,nation,region,"
    "local-authority-type,local-authority-type-name,current-authority,pop-2020\n"
)


def test_builtin_sets_have_the_documented_sizes():
    records = read_builtin()
    sizes = {
        slug: sum(1 for r in records if slug in r.sets)
        for slug in ("london-boroughs", "london", "largest-cities")
    }
    assert sizes == {"london-boroughs": 32, "london": 33, "largest-cities": 20}
    assert len({r.gss_code for r in records}) == 53


def test_builtin_codes_and_laws():
    by_code = {r.gss_code: r for r in read_builtin()}
    assert by_code["E09000001"].short_name == "City of London"
    assert by_code["E09000012"].name == "London Borough of Hackney"
    assert by_code["S12000049"].law is Law.FOISA  # Glasgow City Council
    assert by_code["E08000025"].population == 1140525  # Birmingham, ONS mid-2020
    assert by_code["N09000003"].law is Law.FOIA  # Belfast


def test_builtin_largest_cities_are_the_20_most_populous_listed():
    cities = sorted(
        (r for r in read_builtin() if "largest-cities" in r.sets),
        key=lambda r: -(r.population or 0),
    )
    assert cities[0].short_name == "Birmingham"
    assert cities[-1].short_name == "Milton Keynes"
    assert all(r.region != "London" for r in cities)


def test_mysociety_reader_skips_former_councils_and_reports_bad_rows():
    text = MYSOCIETY_HEADER + (
        "ABE,Aberdeen City Council,Aberdeen City,S12000033,Scotland,Scotland,SCO,"
        "Scottish unitary authority,True,229060.0\n"
        "OLD,Old District Council,Old,E07000999,England,South East,NMD,"
        "Non-metropolitan district,False,1.0\n"
        "BAD,Bad Council,Bad,E07000998,Atlantis,South East,NMD,x,True,1.0\n"
        "NUM,Num Council,Num,E07000997,England,South East,NMD,x,True,many\n"
    )
    result = read_mysociety(text)
    assert [r.gss_code for r in result.records] == ["S12000033"]
    assert result.records[0].law is Law.FOISA
    assert result.records[0].population == 229060
    assert [str(p) for p in result.problems] == [
        "line 4: E07000998: nation 'Atlantis' is not one of England, Scotland, Wales, Northern Ireland",
        "line 5: pop-2020 'many' is not a number",
    ]


def test_missing_columns_are_named():
    with pytest.raises(FileFormatError) as error:
        read_mysociety("gss-code,name\nE1,x\n", origin="f.csv")
    assert str(error.value) == (
        "f.csv: missing column(s) current-authority, local-authority-code, local-authority-type, "
        "nation, nice-name, official-name, pop-2020, region (found: gss-code, name)"
    )


def test_plain_reader_for_other_bodies():
    text = (
        "code,name,nation,type,law\n"
        "E23000001,Metropolitan Police Service,England,police,\n"
        "S23000009,Police Scotland,Scotland,police,\n"
        "RX1,Some NHS Trust,England,nhs,eir\n"
        "RX2,,England,nhs,\n"
        "RX3,Trust,England,nhs,gdpr\n"
        "RX4,Trust,England,nhs,,extra\n"
    )
    result = read_plain(text)
    assert [(r.gss_code, r.law) for r in result.records] == [
        ("E23000001", Law.FOIA),
        ("S23000009", Law.FOISA),
        ("RX1", Law.EIR),
    ]
    assert [str(p) for p in result.problems] == [
        "line 5: RX2: no name",
        "line 6: unknown law 'gdpr': choose one of foia, eir, foisa, eisr",
        "line 7: more cells than the header has columns",
    ]


def test_contacts_reader_validates_addresses():
    text = (
        "gss_code,email\n"
        "E09000012,foi@hackney.gov.uk\n"
        "E09000001,not an address\n"
        "E09000002,foi@@lbbd.gov.uk\n"
        ",foi@x.gov.uk\n"
    )
    result = read_contacts(text)
    assert [(r.gss_code, r.email, r.line) for r in result.records] == [
        ("E09000012", "foi@hackney.gov.uk", 2)
    ]
    assert [str(p) for p in result.problems] == [
        "line 3: 'not an address' is not a valid e-mail address",
        "line 4: 'foi@@lbbd.gov.uk' is not a valid e-mail address",
        "line 5: no gss_code",
    ]
