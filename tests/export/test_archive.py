"""The archive's own rules: safe names inside it, and what verification says of a bad member."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from sightline.export.archive import (
    ExportedAttachment,
    ExportedMessage,
    ExportedRequest,
    ExportError,
    is_safe_member,
    safe_name,
    verify_export,
    write_export,
)

MOMENT = dt.datetime(2026, 12, 10, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\evil.exe", "evil.exe"),
        ("/absolute/report.pdf", "report.pdf"),
        ("Réponse FOI (final).pdf", "Reponse_FOI_final_.pdf"),
        (".hidden", "hidden"),
        ("..", "file"),
        ("CON.txt", "_CON.txt"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ("", "file"),
    ],
)
def test_safe_names(name, safe):
    assert safe_name(name) == safe


@pytest.mark.parametrize(
    ("member", "safe"),
    [
        ("CCTV-0001/001-sent-request.eml", True),
        ("../outside.eml", False),
        ("/etc/passwd", False),
        ("C:/Windows/x", False),
        ("a\\..\\b", False),
        ("a/./b", False),
        ("a//b", False),
    ],
)
def test_safe_members(member, safe):
    assert is_safe_member(member) is safe


def one_request(*attachments: ExportedAttachment) -> ExportedRequest:
    message = ExportedMessage(
        "received", "reply", b"From: a@example.org\r\n\r\nhello\r\n", MOMENT,
        "a@example.org", "", "RE: request", "m1@example.org", attachments=attachments,
    )  # fmt: skip
    return ExportedRequest("REF-0001", "A council", "E0", "foia", "answered", {}, (message,))


def test_two_attachments_of_one_name_are_both_kept(tmp_path):
    out = tmp_path / "x.zip"
    request = one_request(
        ExportedAttachment("../letter.pdf", "application/pdf", b"one"),
        ExportedAttachment("letter.pdf", "application/pdf", b"two"),
    )
    write_export(out, {"slug": "x"}, [request], created_at=MOMENT)
    with zipfile.ZipFile(out) as archive:
        assert archive.read("REF-0001/001-attachments/letter.pdf") == b"one"
        assert archive.read("REF-0001/001-attachments/letter-2.pdf") == b"two"
    assert verify_export(out).problems == ()


def test_an_unsafe_member_is_named_by_verification(tmp_path):
    out = tmp_path / "x.zip"
    write_export(out, {"slug": "x"}, [one_request()], created_at=MOMENT)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("../escape.txt", b"boo")
    assert verify_export(out).problems == (
        "../escape.txt: unsafe name (it would unzip outside its folder)",
        "../escape.txt: extra (in the archive, not in the manifest)",
    )


def test_a_manifest_that_is_not_ours_is_refused(tmp_path):
    out = tmp_path / "x.zip"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"files": []}))
    with pytest.raises(Exception) as caught:
        verify_export(out)
    assert str(caught.value) == f"{out}: its manifest.json is not a Sightline manifest"


def test_nothing_is_left_behind_when_the_folder_is_missing(tmp_path):
    out = tmp_path / "missing" / "x.zip"
    with pytest.raises(ExportError) as caught:
        write_export(out, {"slug": "x"}, [one_request()], created_at=MOMENT)
    assert str(caught.value) == f"{out}: cannot be written (its folder does not exist)"
