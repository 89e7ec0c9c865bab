"""A 200 MB reply (under the 256 MB file limit) is read in bounded memory."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import quopri
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

SIZE_MB = 200

CHILD = """
import hashlib, json, sys
from sightline.replies import read_reply
raw = open(sys.argv[1], "rb").read()
reply = read_reply(raw)
found = [(a.name, a.content_type, hashlib.sha256(a.data).hexdigest()) for a in reply.attachments]
# the high-water mark of this process's memory (VmHWM starts afresh at exec, ru_maxrss does not)
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak = int(status.split()[0]) * 1024
print(json.dumps({"text": reply.text, "attachments": found, "peak": peak, "size": len(raw)}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_200_mb_message_costs_about_twice_its_size(tmp_path: Path) -> None:
    footage = os.urandom(SIZE_MB * 1024 * 1024 * 3 // 4 - 4 * 1024 * 1024)
    expected = hashlib.sha256(footage).hexdigest()
    path = tmp_path / "big.eml"
    with path.open("wb") as handle:
        handle.write(
            b"From: foi@camden.gov.uk\r\nTo: foi+cctv-0002-366b34d797@replies.example.org\r\n"
            b"Subject: RE: FOI [CCTV-0002] footage\r\nMessage-ID: <big-1@camden.gov.uk>\r\n"
            b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="big"\r\n\r\n'
            b"--big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            b"Please find attached the footage you asked for.\r\n"
            b"--big\r\nContent-Type: video/mp4\r\nContent-Transfer-Encoding: base64\r\n"
            b'Content-Disposition: attachment; filename="footage.mp4"\r\n\r\n'
        )
        handle.write(base64.encodebytes(footage).replace(b"\n", b"\r\n"))
        handle.write(b"--big--\r\n")
    del footage
    size = path.stat().st_size
    assert size > 190 * 1024 * 1024
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["text"] == "Please find attached the footage you asked for."
    assert found["attachments"] == [["footage.mp4", "video/mp4", expected]]
    # the raw bytes, the one decoded attachment and the interpreter: under three times the size
    assert found["peak"] < 3 * size


def test_large_bodies_set_aside_read_the_same_as_small_ones() -> None:
    from sightline.replies import read_reply
    from sightline.replies.reader import BIG_MESSAGE

    register = b"".join(b"Camera %d: Hikvision DS-2CD2143\r\n" % i for i in range(300_000))
    assert len(register) > BIG_MESSAGE
    raw = (
        b"From: foi@camden.gov.uk\r\nSubject: RE: FOI [CCTV-0002]\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
        b'--outer\r\nContent-Type: multipart/alternative; boundary="inner"\r\n\r\n'
        b"--inner\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        + quopri.encodestring(register)
        + b"\r\n--inner\r\nContent-Type: text/html\r\n\r\n<p>The register.</p>\r\n--inner--\r\n"
        b"--outer\r\nContent-Type: text/csv; name=register.csv\r\n"
        b"Content-Disposition: attachment; filename=register.csv\r\n\r\n"
        + register
        + b"\r\n--outer\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename=letter.pdf\r\n\r\n"
        + base64.encodebytes(register).replace(b"\n", b"\r\n")
        + b"--outer--\r\n"
    )
    reply = read_reply(raw)
    assert reply.text == register.decode().replace("\r\n", "\n")
    assert reply.html == "<p>The register.</p>"
    assert [(a.name, a.data) for a in reply.attachments] == [
        ("register.csv", register),
        ("letter.pdf", register),
    ]
