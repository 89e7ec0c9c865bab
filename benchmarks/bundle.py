"""Benchmark of building the published bundle for a large campaign, on one core.

Generates, in memory, a campaign of --authorities authorities (default 1,000) with --replies
replies in all (default 3,000: an acknowledgement, an answer with a text attachment, a follow-up),
every reply signed by an officer with a direct line and a personal e-mail address, every letter
carrying the requester's name and address; the answers carry reviewed facts with quotes. Then
times, each --runs times, pinned to one CPU:

* the finder over every letter, reply, attachment and quote (the proposals a reviewer sees);
* ``build_bundle`` with a request page per authority and every proposal accepted as a redaction
  (the whole publishing step: report, CSV, JSON, SQLite, 1,000 pages);
* ``build_bundle`` without request pages or redaction (the bundle as it was before them: the
  peer in the same run);
* writing the same number of bytes as the full bundle, file by file (the floor: nothing can
  write the bundle faster).

Prints the median of wall-clock and CPU time for each (CPU time includes vl-convert's threads).
Everything is written to a temporary folder, deleted afterwards.

    .venv/bin/python benchmarks/bundle.py [--authorities 1000] [--replies 3000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sightline.findings.bundle import EvidenceRow, ReportInfo, build_bundle
from sightline.findings.coded import CodedResponse
from sightline.findings.pages import (
    AttachmentText,
    Correspondence,
    FactLine,
    RequestRecord,
    TextBlock,
)
from sightline.redaction import Context, Redaction, Redactor, find_personal_data

FIRST = ["Priya", "Tomasz", "Marta", "Alex", "Sam", "Jo", "Chidi", "Aoife", "Rhys", "Mei"]
LAST = ["Raman", "Nowak", "Kowalska", "Okafor", "Taylor", "Evans", "Byrne", "Chen", "Hughes"]
LETTER = """Dear {authority},

Under the Freedom of Information Act 2000 please tell me:

1. Does the council own any Hikvision or Dahua equipment?
2. How many devices of each make?

Yours faithfully,

Alex Requester
{house} Acacia Avenue
Leyton
E10 5AB
"""
ANSWER = """Dear Mr Requester,

Freedom of Information request {reference}

Thank you for your request. The council owns {count} Hikvision cameras and 2 Hikvision NVRs.
The council does not own any Dahua equipment.

{filler}

If you are unhappy with this response, write to foi@council{number}.example or call our
switchboard on 020 7946 0000.

Kind regards

{officer}
Information Governance Officer
Direct line: 020 7946 {line:04d}
{email}
"""


def campaign(
    authorities: int, replies: int
) -> tuple[list[CodedResponse], list[EvidenceRow], list[RequestRecord]]:
    rng = random.Random(7)
    per = max(1, replies // authorities)
    responses: list[CodedResponse] = []
    evidence: list[EvidenceRow] = []
    records: list[RequestRecord] = []
    sent = dt.datetime(2021, 1, 4, 9, tzinfo=dt.UTC)
    filler = " ".join(["The council keeps its asset register under review."] * 12)
    for number in range(1, authorities + 1):
        name = f"Council {number:04d}"
        reference = f"CCTV-{number:04d}"
        officer = f"{rng.choice(FIRST)} {rng.choice(LAST)}{number}"
        email = officer.lower().replace(" ", ".") + f"@council{number}.example"
        count = rng.randint(0, 2000)
        answer = ANSWER.format(
            reference=reference, count=count, filler=filler, number=number,
            officer=officer, line=number % 10000, email=email,
        )  # fmt: skip
        messages = [
            Correspondence("sent", "request", sent, f"Freedom of Information request {reference}",
                           (TextBlock("letter", LETTER.format(authority=name, house=number)),)),
        ]  # fmt: skip
        for index in range(per):
            when = sent + dt.timedelta(days=2 + 7 * index)
            attachment = AttachmentText(
                "response.txt",
                (TextBlock("response.txt", f"Response to Alex Requester\n\n{answer}"),),
            )
            messages.append(
                Correspondence("received", "reply", when, f"RE: {reference} - Alex Requester",
                               (TextBlock("body", answer),), (attachment,) if index == 1 else ())
            )  # fmt: skip
        quote = f"The council owns {count} Hikvision cameras and 2 Hikvision NVRs."
        facts = (
            FactLine("owned", "hikvision", "yes", ((quote, "body"),)),
            FactLine("count", "hikvision", count, ((quote, "body"),)),
            FactLine("device_types", "hikvision", ["camera", "nvr"], ((quote, "body"),)),
            FactLine("owned", "dahua", "no",
                     (("The council does not own any Dahua equipment.", "body"),)),
        )  # fmt: skip
        records.append(
            RequestRecord(reference, name, "foia", "answered", sent.date(),
                          messages=tuple(messages), facts=facts)
        )  # fmt: skip
        for fact in facts:
            for text, location in fact.quotes:
                evidence.append(
                    EvidenceRow(name, f"{fact.field}:{fact.vendor}", str(fact.value), text,
                                location, "RE: reply", reference=reference)
                )  # fmt: skip
        responses.append(
            CodedResponse(name, "Councils", "answered", dt.date(2021, 1, 20), "yes", "no", False,
                          "no", count, None, "Answered late." if number % 50 == 0 else "")
        )  # fmt: skip
    return responses, evidence, records


def proposals(records: list[RequestRecord]) -> list[Redaction]:
    context = Context.of(requester=["Alex Requester"])
    found: dict[str, Redaction] = {}
    for record in records:
        for message in record.messages:
            texts = [message.subject, *(b.text for b in message.blocks)]
            texts += [b.text for a in message.attachments for b in a.blocks]
            for text in texts:
                for proposal in find_personal_data(text, context):
                    found.setdefault(
                        proposal.text.casefold(), Redaction(proposal.text, proposal.kind)
                    )
    return list(found.values())


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(action: Callable[[], object], runs: int) -> tuple[float, float, object]:
    walls, cpus = [], []
    result: object = None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), _cpu()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--authorities", type=int, default=1000)
    parser.add_argument("--replies", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    responses, evidence, records = campaign(args.authorities, args.replies)
    replies = sum(1 for r in records for m in r.messages if m.direction == "received")
    print(f"{len(records)} authorities, {replies} replies, {len(evidence)} quotes; one CPU")
    work = Path(tempfile.mkdtemp(prefix="sightline-bundle-bench-"))
    try:
        info = ReportInfo(title="A large campaign", built_on=dt.date(2021, 3, 1))
        wall, cpu, found = timed(lambda: proposals(records), args.runs)
        redactions = list(found) if isinstance(found, list) else []
        print(f"finder over all correspondence: {wall:6.2f} s wall, {cpu:6.2f} s CPU"
              f" ({len(redactions)} proposals)")  # fmt: skip
        redactor = Redactor(redactions)

        def full() -> object:
            return build_bundle(work / "full", responses, info, evidence=evidence,
                                requests=records, redactor=redactor)  # fmt: skip

        def plain() -> object:
            return build_bundle(work / "plain", responses, info, evidence=evidence)

        wall_full, cpu_full, _ = timed(full, args.runs)
        print(f"bundle with {len(records)} request pages, redacted: {wall_full:6.2f} s wall,"
              f" {cpu_full:6.2f} s CPU")  # fmt: skip
        wall_plain, cpu_plain, _ = timed(plain, args.runs)
        print(
            f"bundle without pages (before):     {wall_plain:6.2f} s wall, {cpu_plain:6.2f} s CPU"
        )
        files = [p for p in (work / "full").rglob("*") if p.is_file()]
        sizes = [(p.relative_to(work / "full"), p.stat().st_size) for p in files]
        total = sum(size for _, size in sizes)

        def floor() -> object:
            target = work / "floor"
            for relative, size in sizes:
                path = target / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"x" * size)
            return None

        wall_floor, cpu_floor, _ = timed(floor, args.runs)
        print(f"floor: writing the same {len(sizes)} files ({total / 1e6:.1f} MB):"
              f" {wall_floor:6.2f} s wall, {cpu_floor:6.2f} s CPU")  # fmt: skip
        leaked = sum(
            1 for path in files if b"Direct line: 020 7946 0" in path.read_bytes()
            and b"[phone number removed]" not in path.read_bytes()
        )  # fmt: skip
        print(f"files still holding a direct line: {leaked}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
