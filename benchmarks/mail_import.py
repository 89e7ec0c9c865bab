"""Benchmark of importing replies: ``Importer`` (what ``sightline mail import`` runs) against
parsing the same messages with Python's ``email`` package alone.

Builds, once, a SQLite data folder with a campaign of --requests requests (all sent, each with a
stored outgoing message), and generates --messages real-shaped replies: most addressed to a
request's reply address, some matched only by the reference in the Subject or by In-Reply-To,
some with a PDF attachment or an HTML-only body, out-of-office replies, DSN bounces and unmatched
mail. Each run copies the data folder afresh and, in a child process, times:

* bare parse: ``email.message_from_bytes`` of every message (the package's default policy);
* the same with ``BytesParser(policy=email.policy.default)`` (for comparison);
* Sightline's ``read_reply`` alone, and storing the raw messages alone (where the time goes);
* import: store raw (content-addressed, batches of 500 in the raw store), de-duplicate, parse,
  match, write messages, links and timeline events to the database.

Prints medians of --runs runs, messages per second, and the ratio import / bare parse, in
elapsed time and in processor time. The figures measured, and where the import's time goes, are
in docs/mail.md (Performance); ``SIGHTLINE_BENCH_PROFILE=FILE`` writes a cProfile of the import.

    .venv/bin/python benchmarks/mail_import.py [--messages 5000] [--requests 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "the",
    "council",
    "holds",
    "information",
    "about",
    "closed",
    "circuit",
    "television",
    "cameras",
    "recorders",
    "network",
    "video",
    "systems",
    "installed",
    "in",
    "public",
    "spaces",
    "buildings",
    "car",
    "parks",
    "schools",
    "housing",
    "estates",
    "supplier",
    "maintenance",
    "contract",
    "procurement",
    "register",
    "asset",
    "model",
    "manufacturer",
    "quantity",
    "request",
    "response",
    "section",
    "exemption",
    "public",
    "interest",
    "please",
    "find",
    "attached",
    "regards",
]


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    lines, line = [], []
    for word in text.split():
        line.append(word)
        if len(" ".join(line)) > 70:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return "\r\n".join(lines)


def generate(
    count: int,
    references: list[str],
    addresses: dict[str, str],
    sent_ids: dict[str, str],
    seed: int = 7,
) -> list[bytes]:
    rng = random.Random(seed)
    pdf = base64.encodebytes(bytes(rng.getrandbits(8) for _ in range(6000))).decode()
    messages = []
    for number in range(count):
        reference = references[number % len(references)]
        council = f"council{references.index(reference)}.gov.uk"
        roll = rng.random()
        to, subject, extra = (
            addresses[reference],
            f"RE: Freedom of Information request [{reference}]",
            "",
        )
        if roll < 0.15:
            to = "requests@replies.example.org"  # the Subject carries the reference
        elif roll < 0.25:
            to, subject = "requests@replies.example.org", "Your e-mail"
            extra = (
                f"In-Reply-To: <{sent_ids[reference]}>\r\nReferences: <{sent_ids[reference]}>\r\n"
            )
        elif roll < 0.30:
            to, subject = "requests@replies.example.org", "Council newsletter"
        elif roll < 0.33:
            extra = "Auto-Submitted: auto-replied\r\n"
            subject = f"Automatic reply: {subject}"
        head = (
            f"Return-Path: <foi@{council}>\r\nDelivered-To: {to}\r\n"
            f"Received: from mail.{council} by mx.replies.example.org with ESMTPS id {number:08x};"
            f" Mon, 7 Dec 2026 10:{number % 60:02d}:00 +0000\r\n"
            f"From: FOI Team <foi@{council}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Date: Mon, 7 Dec 2026 10:{number % 60:02d}:00 +0000\r\n"
            f"Message-ID: <bench-{number}@{council}>\r\n{extra}MIME-Version: 1.0\r\n"
        )
        body = paragraph(rng, rng.randint(80, 300))
        if roll < 0.36 and roll >= 0.33:
            raw = head + (
                'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
                "--b1\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
                "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
                f"Final-Recipient: rfc822; foi@{council}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n--b1--\r\n"
            )
        elif rng.random() < 0.2:
            raw = head + (
                'Content-Type: multipart/mixed; boundary="=_b2"\r\n\r\n--=_b2\r\n'
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                f"Please find attached our response.\r\n{body}\r\n--=_b2\r\n"
                'Content-Type: application/pdf; name="response.pdf"\r\n'
                'Content-Disposition: attachment; filename="response.pdf"\r\n'
                f"Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--=_b2--\r\n"
            )
        elif rng.random() < 0.15:
            raw = head + (
                "Content-Type: text/html; charset=utf-8\r\n\r\n"
                f"<html><body><p>We acknowledge receipt of your request.</p><p>{body}</p></body></html>\r\n"
            )
        else:
            raw = head + f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        messages.append(raw.encode())
    return messages


def build(home: Path, requests: int, count: int) -> Path:
    """The data folder with the campaign, and the generated messages in one file."""
    os.environ["SIGHTLINE_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    from sightline.web.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    from sightline.authorities.models import Authority, AuthoritySet, Contact
    from sightline.campaigns.models import Request, RequestEvent
    from sightline.campaigns.service import create_campaign
    from sightline.mail.addresses import reply_address
    from sightline.mail.models import OutgoingMessage

    call_command("migrate", interactive=False, verbosity=0)
    authorities = Authority.objects.bulk_create(
        Authority(
            gss_code=f"B{i:08d}",
            name=f"Council {i:04d}",
            nation="England",
            law="foia",
            source="bench",
        )
        for i in range(requests)
    )
    Contact.objects.bulk_create(
        Contact(authority=a, email=f"foi@council{i}.gov.uk", checked_on=timezone.localdate())
        for i, a in enumerate(authorities)
    )
    AuthoritySet.objects.create(slug="bench", title="bench").members.set(authorities)
    campaign = create_campaign(
        "bench", "bench", "Dear {authority_name}", "Bench", reply_domain="replies.example.org"
    )
    now = timezone.now()
    rows = list(Request.objects.filter(campaign=campaign).order_by("reference"))
    references = [r.reference for r in rows]
    addresses = {r: reply_address(r, campaign.secret, "replies.example.org") for r in references}
    sent_ids = {r: f"{r.lower()}.{i}@replies.example.org" for i, r in enumerate(references)}
    OutgoingMessage.objects.bulk_create(
        OutgoingMessage(
            request=r,
            message_id=sent_ids[r.reference],
            envelope_from="x",
            to="y",
            subject="s",
            raw=b"",
            status="sent",
            sent_at=now,
        )
        for r in rows
    )
    RequestEvent.objects.bulk_create(
        RequestEvent(request=r, kind=kind, at=now) for r in rows for kind in ("queued", "sent")
    )
    Request.objects.filter(campaign=campaign).update(
        state="sent", sent_at=now, received_on=timezone.localdate()
    )
    # Authority i is council{i}; the generator names councils by position in `references`.
    messages = generate(count, references, addresses, sent_ids)
    path = home.parent / "messages.bin"
    with path.open("wb") as handle:
        for raw in messages:
            handle.write(len(raw).to_bytes(4, "big") + raw)
    return path


def read_messages(path: Path) -> list[bytes]:
    data, messages, offset = path.read_bytes(), [], 0
    while offset < len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        messages.append(data[offset + 4 : offset + 4 + size])
        offset += 4 + size
    return messages


def child(home: Path, messages_path: Path) -> None:
    os.environ["SIGHTLINE_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    import email
    from email import policy
    from email.parser import BytesParser

    messages = read_messages(messages_path)
    started, cpu = time.perf_counter(), time.process_time()
    for raw in messages:
        email.message_from_bytes(raw)  # the package's default (compat32) policy
    bare, bare_cpu = time.perf_counter() - started, time.process_time() - cpu

    parser = BytesParser(policy=policy.default)
    started = time.perf_counter()
    for raw in messages:
        parser.parsebytes(raw)  # the modern policy: header objects, more work per header
    parse_default = time.perf_counter() - started

    from sightline.mail.rawstore import RawStore
    from sightline.replies import MalformedMessage, read_reply

    started = time.perf_counter()
    for raw in messages:
        with contextlib.suppress(MalformedMessage):
            read_reply(raw)  # Sightline's reading of a message, alone
    parse_only = time.perf_counter() - started

    scratch = home.parent / "scratch-store"
    store = RawStore(scratch)
    started = time.perf_counter()
    for start in range(0, len(messages), 500):
        store.put_many(messages[start : start + 500])  # hash and store, a batch as the import does
    store_only = time.perf_counter() - started
    store.close()
    shutil.rmtree(scratch)

    from sightline.web.bootstrap import setup_django

    setup_django()
    from sightline.mail.inbox import Importer

    if os.environ.get("SIGHTLINE_BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    importer = Importer()
    for number, raw in enumerate(messages):
        importer.add(raw, f"bench#{number}")
    report = importer.close()
    imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu
    if os.environ.get("SIGHTLINE_BENCH_PROFILE"):
        profiler.disable()
        profiler.dump_stats(os.environ["SIGHTLINE_BENCH_PROFILE"])
    print(
        json.dumps(
            {
                "bare": bare,
                "bare_cpu": bare_cpu,
                "parse_default": parse_default,
                "parse_mail": parse_only,
                "store_raw": store_only,
                "import": imported,
                "import_cpu": imported_cpu,
                "report": {k: v for k, v in report.as_json().items() if k != "malformed"},
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("HOME", "MESSAGES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="sightline-mail-bench-") as temporary:
        base = Path(temporary)
        template = base / "template" / "home"
        template.mkdir(parents=True)
        messages_path = build(template, args.requests, args.messages)
        size = messages_path.stat().st_size
        print(
            f"{args.messages} messages ({size / 1e6:.1f} MB) into {args.requests} requests, "
            f"{args.runs} runs",
            file=sys.stderr,
        )
        results = []
        for run in range(args.runs):
            home = base / f"run{run}" / "home"
            shutil.copytree(template, home)
            output = subprocess.run(
                [sys.executable, __file__, "--child", str(home), str(messages_path)],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(output.stdout))
            shutil.rmtree(home.parent)
            last = results[-1]
            print(
                f"run {run + 1}: bare {last['bare']:.2f}s, import {last['import']:.2f}s "
                f"({last['import'] / last['bare']:.2f}x); processor time: bare "
                f"{last['bare_cpu']:.2f}s, import {last['import_cpu']:.2f}s "
                f"({last['import_cpu'] / last['bare_cpu']:.2f}x)",
                file=sys.stderr,
            )
    bare = statistics.median(r["bare"] for r in results)
    default = statistics.median(r["parse_default"] for r in results)
    parse_only = statistics.median(r["parse_mail"] for r in results)
    store_only = statistics.median(r["store_raw"] for r in results)
    imported = statistics.median(r["import"] for r in results)
    n = args.messages
    print(
        json.dumps(
            {
                "messages": n,
                "requests": args.requests,
                "runs": args.runs,
                "median_seconds": {
                    "bare_parse": round(bare, 3),
                    "parse_policy_default": round(default, 3),
                    "sightline_parse_mail_only": round(parse_only, 3),
                    "store_raw_files_only": round(store_only, 3),
                    "import": round(imported, 3),
                },
                "messages_per_second": {
                    "bare_parse": round(n / bare),
                    "parse_policy_default": round(n / default),
                    "import": round(n / imported),
                },
                "ratio_import_to_bare_parse": round(imported / bare, 2),
                # the same from each run's own pair of timings, and in processor time (which
                # other programs on a busy machine disturb less; it leaves out waiting for the
                # raw store's disk writes)
                "median_run_ratio": round(
                    statistics.median(r["import"] / r["bare"] for r in results), 2
                ),
                "ratio_import_to_bare_parse_cpu": round(
                    statistics.median(r["import_cpu"] for r in results)
                    / statistics.median(r["bare_cpu"] for r in results),
                    2,
                ),
                "ratio_import_to_parse_policy_default": round(imported / default, 2),
                "last_run_report": results[-1]["report"],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
