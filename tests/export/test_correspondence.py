"""`sightline export`: a campaign sent through a real SMTP server and answered through the mail
import, exported as a zip whose messages are the stored bytes, checked against its manifest."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from sightline.export.archive import sha256
from sightline.law import working_days_elapsed
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage, OutgoingMessage

pytestmark = [pytest.mark.django_db, pytest.mark.db]


def rewrite(
    path: Path,
    replace: dict[str, bytes] | None = None,
    drop: set[str] = frozenset(),
    add: dict[str, bytes] | None = None,
) -> None:
    """Rewrite the archive with some members changed, left out or added (someone tampering)."""
    with zipfile.ZipFile(path) as archive:
        members = [(n, archive.read(n)) for n in archive.namelist() if n not in drop]
    members = [(n, (replace or {}).get(n, data)) for n, data in members]
    members += list((add or {}).items())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)


def test_the_export_holds_every_message_byte_for_byte(run, sent_campaign, tmp_path):
    out = tmp_path / "cctv.zip"
    result = run("export", "cctv", "--zip", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"Wrote {out}: 4 message(s), 1 attachment(s), 8 files with their SHA-256 in "
        "manifest.json\n",
        "",
    )
    assert out.stat().st_mode & 0o777 == 0o600  # unredacted correspondence: its owner only
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names == [
            "CCTV-0001/001-sent-request.eml",
            "CCTV-0001/002-received-reply.eml",
            "CCTV-0001/002-attachments/CCTV_response.pdf",
            "CCTV-0002/001-sent-request.eml",
            "CCTV-0002/002-received-reply.eml",
            "timeline.json",
            "index.csv",
            "SHA256SUMS",
            "manifest.json",
        ]
        files = {name: archive.read(name) for name in names}
    # Sent: exactly what the outbox stored and the SMTP server received.
    for reference, wire in zip(("CCTV-0001", "CCTV-0002"), sent_campaign.wire, strict=True):
        stored = bytes(OutgoingMessage.objects.get(request__reference=reference).raw)
        exported = files[f"{reference}/001-sent-request.eml"]
        assert exported == stored
        assert exported == wire  # the bytes the SMTP server took in, unchanged
    # Received: exactly the raw store's bytes, which are the bytes that came in.
    store = raw_store()
    for reference, reply in zip(("CCTV-0001", "CCTV-0002"), sent_campaign.replies, strict=True):
        message = IncomingMessage.objects.get(links__request__reference=reference)
        exported = files[f"{reference}/002-received-reply.eml"]
        assert exported == store.get(message.sha256) == reply
    # The attachment decoded, under a name that stays in its folder.
    assert files["CCTV-0001/002-attachments/CCTV_response.pdf"] == sent_campaign.attachment

    manifest = json.loads(files["manifest.json"])
    assert (manifest["format"], manifest["version"], manifest["campaign"]) == (
        "sightline-correspondence",
        1,
        "cctv",
    )
    assert [entry["path"] for entry in manifest["files"]] == names[:-1]
    for entry in manifest["files"]:
        assert entry["sha256"] == sha256(files[entry["path"]])
        assert entry["size"] == len(files[entry["path"]])
    sums = files["SHA256SUMS"].decode().splitlines()
    assert sums == [f"{sha256(files[n])}  {n}" for n in names[:-2]]

    index = list(csv.DictReader(io.StringIO(files["index.csv"].decode())))
    assert [(r["reference"], r["number"], r["direction"], r["file"]) for r in index] == [
        ("CCTV-0001", "1", "sent", "CCTV-0001/001-sent-request.eml"),
        ("CCTV-0001", "2", "received", "CCTV-0001/002-received-reply.eml"),
        ("CCTV-0001", "2", "attachment", "CCTV-0001/002-attachments/CCTV_response.pdf"),
        ("CCTV-0002", "1", "sent", "CCTV-0002/001-sent-request.eml"),
        ("CCTV-0002", "2", "received", "CCTV-0002/002-received-reply.eml"),
    ]
    # The message names it "../../etc/CCTV response.pdf"; the index keeps the name the reader
    # shows (its last part), the archive a safe one.
    assert index[2]["subject"] == "CCTV response.pdf"
    assert b'filename="../../etc/CCTV response.pdf"' in sent_campaign.replies[0]
    assert index[2]["attachment_of"] == "CCTV-0001/002-received-reply.eml"
    assert index[1]["from"] == "foi@camden.gov.uk"
    assert index[1]["date"] == sent_campaign.answered_at.isoformat()

    timeline = json.loads(files["timeline.json"])
    assert timeline["campaign"]["slug"] == "cctv"
    camden = timeline["requests"][0]
    assert (camden["reference"], camden["authority"], camden["law"]) == (
        "CCTV-0001",
        "London Borough of Camden",
        "foia",
    )
    request = OutgoingMessage.objects.get(request__reference="CCTV-0001").request
    assert (camden["received_on"], camden["due"]) == (
        request.received_on.isoformat(),
        request.due.isoformat(),
    )
    # How promptly it was answered, as of the export (sightline.findings.responsiveness).
    timely = camden["responsiveness"]
    answered_on = timezone.localdate(sent_campaign.answered_at)
    assert (timely["received_on"], timely["answered_on"], timely["responsiveness_status"]) == (
        request.received_on.isoformat(),
        answered_on.isoformat(),
        "answered",
    )
    assert timely["due_20_working_days"] == request.due.isoformat()
    assert timely["answered_within_20_working_days"] == "true"
    assert timely["working_days_to_answer"] == working_days_elapsed(
        "foia", request.received_on, answered_on
    )
    kinds = [(e["type"], e["kind"]) for e in camden["entries"]]
    assert ("sent", "request") in kinds and ("received", "reply") in kinds
    received = next(e for e in camden["entries"] if e["type"] == "received")
    assert received["file"] == "CCTV-0001/002-received-reply.eml"
    assert received["attachments"][0]["file"] == "CCTV-0001/002-attachments/CCTV_response.pdf"

    verified = run("export", "verify", str(out))
    assert (verified.exit_code, verified.stdout, verified.stderr) == (
        0,
        f"{out}: all 8 files match the manifest\n",
        "",
    )


def test_one_request_only(run, sent_campaign, tmp_path):
    out = tmp_path / "one.zip"
    result = run("export", "cctv", "--request", "cctv-0002", "--zip", str(out))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        folders = {name.split("/")[0] for name in archive.namelist() if "/" in name}
        timeline = json.loads(archive.read("timeline.json"))
    assert folders == {"CCTV-0002"}
    assert [r["reference"] for r in timeline["requests"]] == ["CCTV-0002"]


def test_a_changed_file_fails_verification_with_its_name_and_hashes(run, sent_campaign, tmp_path):
    out = tmp_path / "cctv.zip"
    assert run("export", "cctv", "--zip", str(out)).exit_code == 0
    name = "CCTV-0001/002-received-reply.eml"
    with zipfile.ZipFile(out) as archive:
        original = archive.read(name)
    tampered = original.replace(b"Please find", b"Please lose")
    rewrite(out, replace={name: tampered})
    result = run("export", "verify", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        f"{name}: changed (SHA-256 {sha256(tampered)}, the manifest says {sha256(original)})\n",
        f"Error: {out} does not match its manifest (1 problem)\n",
    )


def test_missing_and_extra_files_fail_verification(run, sent_campaign, tmp_path):
    out = tmp_path / "cctv.zip"
    assert run("export", "cctv", "--zip", str(out)).exit_code == 0
    rewrite(
        out,
        drop={"CCTV-0002/001-sent-request.eml"},
        add={"CCTV-0002/003-received-reply.eml": b"From: x@example.org\r\n\r\nadded later\r\n"},
    )
    result = run("export", "verify", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "CCTV-0002/001-sent-request.eml: missing (in the manifest, not in the archive)\n"
        "CCTV-0002/003-received-reply.eml: extra (in the archive, not in the manifest)\n",
        f"Error: {out} does not match its manifest (2 problems)\n",
    )


def test_an_existing_file_is_replaced_only_with_force(run, sent_campaign, tmp_path):
    out = tmp_path / "cctv.zip"
    out.write_bytes(b"an earlier file")
    refused = run("export", "cctv", "--zip", str(out))
    assert (refused.exit_code, refused.stdout, refused.stderr) == (
        1,
        "",
        f"Error: {out} already exists: give --force to replace it\n",
    )
    assert out.read_bytes() == b"an earlier file"
    forced = run("export", "cctv", "--zip", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert run("export", "verify", str(out)).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "nope", "--zip", "{tmp}/x.zip"), "no campaign 'nope'"),
        (
            ("export", "cctv", "--request", "CCTV-0099", "--zip", "{tmp}/x.zip"),
            "campaign cctv has no request 'CCTV-0099'",
        ),
        (
            ("export", "cctv", "--zip", "{tmp}/no/such/folder/x.zip"),
            "{tmp}/no/such/folder/x.zip: cannot be written (its folder does not exist)",
        ),
        (
            ("export", "cctv", "--zip", "{tmp}"),
            "{tmp} is a folder: give the path of a .zip file to write",
        ),
    ],
)
def test_bad_input_is_one_line(run, sent_campaign, tmp_path, args, message):
    result = run(*(a.format(tmp=tmp_path) for a in args))
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: {message.format(tmp=tmp_path)}\n",
    )
    assert not (tmp_path / "x.zip").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_verify_refuses_what_is_not_an_export(run, tmp_path):
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("a.txt", "hello")
    text = tmp_path / "text.zip"
    text.write_text("not a zip")
    assert run("export", "verify", str(plain)).stderr == (
        f"Error: {plain} has no manifest.json: it is not a Sightline export\n"
    )
    assert run("export", "verify", str(text)).stderr == f"Error: {text} is not a zip archive\n"
    missing = tmp_path / "missing.zip"
    assert run("export", "verify", str(missing)).stderr == f"Error: {missing}: no such file\n"
