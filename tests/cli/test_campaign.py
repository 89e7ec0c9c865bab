import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "request.txt"
    path.write_text(
        "Dear {authority_name},\nUnder {law_section} of the {law_name}...\n{reference}\n"
    )
    return path


def test_create_and_status(run, template):
    assert run("init").exit_code == 0
    created = run(
        "campaign",
        "create",
        "cctv",
        "--set",
        "seed-52",
        "--template",
        str(template),
        "--title",
        "CCTV vendors",
    )
    assert created.exit_code == 0
    assert (
        created.stdout == "Created campaign cctv: 52 requests (seed-52), references CCTV-0001...\n"
    )
    status = json.loads(run("campaign", "status", "cctv", "--json").stdout)
    assert status["slug"] == "cctv"
    assert status["counts"] == {"draft": 52}
    assert len(status["requests"]) == 52
    assert set(status["requests"][0]) >= {
        "reference",
        "gss_code",
        "authority",
        "state",
        "sent_on",
        "due",
        "last_message_on",
    }


def test_create_refuses_unknown_set_and_bad_template(run, template, tmp_path):
    run("init")
    result = run(
        "campaign", "create", "x", "--set", "moon", "--template", str(template), "--title", "t"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no authority set 'moon'")
    bad = tmp_path / "bad.txt"
    bad.write_text("Dear {council}")
    result = run(
        "campaign", "create", "x", "--set", "seed-52", "--template", str(bad), "--title", "t"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown placeholder(s) {council}; known: ")


def test_status_of_unknown_campaign(run):
    run("init")
    result = run("campaign", "status", "nope", "--json")
    assert (result.exit_code, result.stderr, result.stdout) == (
        1,
        "Error: no campaign 'nope'\n",
        "",
    )
