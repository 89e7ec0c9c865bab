import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def initialised(run):
    result = run("init")
    assert result.exit_code == 0, result.output
    return run


@pytest.mark.parametrize(
    ("set_slug", "size"), [("london-boroughs", 32), ("largest-cities", 20), ("seed-52", 52)]
)
def test_list_sets_as_json(initialised, set_slug, size):
    result = initialised("authorities", "list", "--set", set_slug, "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == size
    assert set(rows[0]) == {"gss_code", "name", "nation", "law"}


def test_list_gives_real_codes(initialised):
    rows = json.loads(initialised("authorities", "list", "--set", "seed-52", "--json").stdout)
    by_code = {r["gss_code"]: r for r in rows}
    assert by_code["E09000007"] == {
        "gss_code": "E09000007",
        "name": "London Borough of Camden",
        "nation": "England",
        "law": "foia",
    }
    assert by_code["S12000036"]["law"] == "foisa"
    assert "E09000001" not in by_code  # the City of London is not a borough


def test_unknown_set(initialised):
    result = initialised("authorities", "list", "--set", "moon", "--json")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no authority set 'moon' (known sets: ")


def test_commands_before_init_say_so(console):
    result = console("authorities", "list")
    assert (result.returncode, result.stderr) == (
        1,
        "Error: the database is not set up or is out of date: run `sightline init`\n",
    )


def test_plain_import_reports_bad_rows_and_keeps_the_rest(initialised, tmp_path):
    path = tmp_path / "police.csv"
    path.write_text(
        "code,name,nation,type\n"
        "E23000001,Metropolitan Police Service,England,police\n"
        "E23000999,,England,police\n"
        "S23000009,Police Scotland,Scotland,police\n"
    )
    result = initialised("authorities", "import", str(path), "--set", "police")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: line 3: E23000999: no name (skipped)",
        f"Error: {path}: 1 row(s) skipped, the rest imported",
    ]
    assert result.stdout == "2 authorities read: 2 added, 0 updated, 0 unchanged; 1 rows skipped\n"
    rows = json.loads(initialised("authorities", "list", "--set", "police", "--json").stdout)
    assert [(r["gss_code"], r["law"]) for r in rows] == [
        ("E23000001", "foia"),
        ("S23000009", "foisa"),
    ]


def test_import_unreadable_file(initialised, tmp_path):
    result = initialised("authorities", "import", str(tmp_path / "none.csv"))
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: cannot read {tmp_path / 'none.csv'}: No such file or directory\n"
    )


def test_contacts_import(initialised, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("gss_code,email\nE09000007,foi@camden.gov.uk\nE09000012,foi at hackney\n")
    result = initialised("contacts", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}: line 3: 'foi at hackney' is not a valid e-mail address (skipped)"
    )
    shown = json.loads(initialised("authorities", "show", "E09000007", "--json").stdout)
    assert shown["foi_email"] == "foi@camden.gov.uk"
    assert shown["sets"] == ["london", "london-boroughs", "seed-52"]


def test_mysociety_import_through_the_command(initialised, shared_dir):
    path = shared_dir / "data" / "uk_local_authorities.csv"
    first = initialised("authorities", "import", str(path), "--format", "mysociety")
    assert first.exit_code == 0, first.stderr
    second = initialised("authorities", "import", str(path), "--format", "mysociety")
    assert second.stdout == (
        "397 authorities read: 0 added, 0 updated, 397 unchanged; 0 rows skipped\n"
    )
    rows = json.loads(initialised("authorities", "list", "--json").stdout)
    assert len(rows) == 397
