"""Redaction before publishing: proposals, decisions from the command line, the refusal while any
waits, and a published bundle with no byte of the campaign's personal data in it."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli
from sightline.review.models import Redaction

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _occurrences(folder: Path, needle: str) -> list[str]:
    """Files of ``folder`` (every file, at any depth) holding ``needle`` as a word, in any case
    and with any white space inside it."""
    words = [re.escape(word.encode("utf-8")) for word in needle.split()]
    pattern = re.compile(rb"(?<![A-Za-z0-9])" + rb"\s+".join(words) + rb"(?![A-Za-z0-9])", re.I)
    return [
        str(path.relative_to(folder))
        for path in sorted(folder.rglob("*"))
        if path.is_file() and pattern.search(path.read_bytes())
    ]


def test_proposals_name_the_personal_data_and_keep_the_public(personal_campaign) -> None:
    result = run("findings", "redactions", "cctv", "--json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    texts = {row["text"]: row for row in listed}
    for expected, kind in [
        ("Priya Raman", "name"),
        ("Doe", "name"),
        ("priya.raman@leeds.example", "email"),
        ("0113 496 0321", "phone"),
        ("07700 900123", "phone"),
        ("Alex Doe", "requester"),
        ("alex.doe@mail.example", "email"),
        ("12 Acacia Avenue", "address"),
        ("E10 5AB", "address"),
        ("Tomasz Nowak", "name"),
        ("Alex", "name"),
        ("t.nowak@birmingham.example", "email"),
        ("+44 121 496 0777", "phone"),
        ("Marta Kowalska", "name"),
    ]:
        assert texts[expected]["kind"] == kind, expected
        assert texts[expected]["status"] == "proposed"
    assert texts["0113 496 0321"]["context"] == "Direct line: 0113 496 0321"
    assert texts["Priya Raman"]["context"] == "Priya Raman"
    assert texts["12 Acacia Avenue"]["where"].endswith("message 1 letter")
    for public in ("foi@leeds.example", "0113 496 0000", "Freedom of Information Act 2000"):
        assert public not in texts
    assert all(row["status"] == "proposed" for row in listed)
    # Listing again proposes nothing twice.
    again = json.loads(run("findings", "redactions", "cctv", "--json").stdout)
    assert len(again) == len(listed)


def test_build_and_publish_refuse_while_proposals_wait(personal_campaign, tmp_path: Path) -> None:
    result = run("findings", "build", "cctv", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    waiting = Redaction.objects.filter(status="proposed").count()
    assert waiting > 10
    assert result.stderr == (
        f"Error: campaign cctv: {waiting} redaction proposals are not reviewed yet; review them"
        " with `sightline findings redactions cctv` (or on the campaign's Redactions page)"
        " before publishing\n"
    )
    assert not (tmp_path / "out").exists()
    published = run("findings", "publish", "cctv", "--on", "2021-02-01")
    assert published.exit_code == 1
    assert f"{waiting} redaction proposals are not reviewed yet" in published.stderr


def test_decisions_from_the_command_line(personal_campaign) -> None:
    run("findings", "redactions", "cctv")
    nowak = Redaction.objects.get(text="Tomasz Nowak")
    doe = Redaction.objects.get(text="Doe")
    no_name = run("findings", "redactions", "cctv", "--accept", str(nowak.pk))
    assert no_name.exit_code == 1
    assert no_name.stderr == (
        "Error: a decision needs your name: give --reviewer NAME (or SIGHTLINE_REVIEWER)\n"
    )
    result = run(
        "findings", "redactions", "cctv", "--accept", str(nowak.pk), "--remove", str(doe.pk),
        "--reviewer", "ed",
    )  # fmt: skip
    assert result.exit_code == 0
    nowak.refresh_from_db()
    doe.refresh_from_db()
    assert (nowak.status, nowak.decided_by) == ("accepted", "ed")
    assert (doe.status, doe.decided_by) == ("removed", "ed")
    added = run(
        "findings", "redactions", "cctv", "--add", "Leyton", "--kind", "address",
        "--reviewer", "ed",
    )  # fmt: skip
    assert added.exit_code == 0
    leyton = Redaction.objects.get(text="Leyton")
    assert (leyton.status, leyton.origin, leyton.kind) == ("accepted", "person", "address")
    unknown = run("findings", "redactions", "cctv", "--remove", "99999", "--reviewer", "ed")
    assert unknown.exit_code == 1
    assert unknown.stderr == "Error: campaign cctv has no redaction #99999\n"
    empty = run("findings", "redactions", "cctv", "--add", " ", "--reviewer", "ed")
    assert empty.stderr == "Error: give the text to redact (at least two characters)\n"
    listed = run("findings", "redactions", "cctv", "--status", "removed")
    assert listed.stdout.splitlines() == [
        f"#{doe.pk}\tremoved\tname\tDoe\ta name in a salutation; {doe.location}\tin: Dear Mr Doe,"
    ]


def test_published_bundle_holds_no_personal_data(
    personal_campaign, personal_data, tmp_path: Path
) -> None:
    personal, public = personal_data
    accepted = run("findings", "redactions", "cctv", "--accept-all", "--reviewer", "ed")
    assert accepted.exit_code == 0
    assert accepted.stderr.endswith("Nothing waiting for review\n")
    out = tmp_path / "bundle"
    result = run("findings", "build", "cctv", "--out", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    files = json.loads(result.stdout)["files"]
    pages = [name for name in files if name.startswith("requests/")]
    assert len(pages) == 2
    for needle in personal:
        assert _occurrences(out, needle) == [], needle
    # What is public stays, on the pages and in the data.
    for needle in public:
        assert _occurrences(out, needle), needle
    leeds = next(p for p in pages if (out / p).read_text("utf-8").count("Leeds City Council"))
    html = (out / leeds).read_text("utf-8")
    assert "switchboard on\n0113 496 0000" in html
    assert "foi@leeds.example" in html
    assert '<span class="redacted">[name removed]</span>' in html
    assert '<span class="redacted">[phone number removed]</span>' in html
    # The data files carry the redacted text too.
    with sqlite3.connect(out / "sightline.db") as connection:
        texts = [row[0] for row in connection.execute("SELECT text FROM correspondence")]
    assert any("[e-mail address removed]" in text for text in texts)
    assert any("[requester's details removed]" in text for text in texts)
    evidence = (out / "evidence.csv").read_text("utf-8")
    assert "Owns Hikvision equipment: yes" in evidence


def test_original_attachments_only_when_asked(personal_campaign, tmp_path: Path) -> None:
    run("findings", "redactions", "cctv", "--accept-all", "--reviewer", "ed")
    plain = tmp_path / "plain"
    assert run("findings", "build", "cctv", "--out", str(plain)).exit_code == 0
    assert [p.name for p in (plain / "requests").iterdir() if p.is_dir()] == []
    out = tmp_path / "with-originals"
    result = run(
        "findings", "build", "cctv", "--out", str(out), "--include-original-attachments", "--json"
    )
    assert result.exit_code == 0
    originals = [name for name in json.loads(result.stdout)["files"] if "-files/" in name]
    assert len(originals) == 1
    assert originals[0].endswith("/2-1-response.txt")
    assert (out / originals[0]).read_text("utf-8").startswith("Response to Alex Doe")
    html = (out / (originals[0].split("-files/")[0] + ".html")).read_text("utf-8")
    assert f'<a href="{originals[0].removeprefix("requests/")}">original file</a>' in html
    refused = run("findings", "build", "--coded", "x.csv", "--out", str(tmp_path / "x"),
                  "--include-original-attachments")  # fmt: skip
    assert refused.exit_code == 1
    assert refused.stderr == "Error: --include-original-attachments needs a campaign SLUG\n"
