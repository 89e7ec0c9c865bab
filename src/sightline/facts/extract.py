"""Read one ``Document`` once and run every family of rules over that reading, family after
family from one registry (``FAMILIES``): each registers what it reads (parts of the reading, and
the results of other families) and gives a ``families.Found``; the facts come out in registry
order, the extract-file JSON's order of fields.

Per vendor, the strongest statement wins: a yes (the authority has some) over a refusal about
that vendor, over a no, over a refusal of a general "which makes?" question, over silence.
Counts are the largest total stated in one place (a sentence sums its parts, "27 cameras and 3
NVRs"; the same total repeated in a table is not added twice).
"""

from __future__ import annotations

import dataclasses

from sightline.documents.model import Block, Document
from sightline.facts.exemptions import find_exemptions
from sightline.facts.families import Families, Found, Reading, fact
from sightline.facts.layout import paragraphs
from sightline.facts.model import (
    COUNT,
    DEVICE_TYPES,
    OWNED,
    STATUS,
    UNSPECIFIED,
    Evidence,
    Extraction,
    Fact,
)
from sightline.facts.ownership import Context, find_signals
from sightline.facts.recognition import facial_recognition
from sightline.facts.replacement import replacement_plan
from sightline.facts.rules import pattern
from sightline.facts.signals import LUMPED, MAKE_WORDS, NO, UNKNOWN, WEAK_UNKNOWN, YES, Signal
from sightline.facts.status import MESSAGE_KIND, decide, kind_status, scan
from sightline.facts.tables import read_tables, row_key
from sightline.facts.texttables import text_tables, without_lines
from sightline.facts.vendors import CHINESE_FAMILIES, KnowledgeBase, knowledge_base
from sightline.lifecycle import UNCLEAR_STATUS, State

UNSTATED = "unstated"
_ORDER = {YES: 5, UNKNOWN: 4, NO: 3, WEAK_UNKNOWN: 2}


def _blocks(document: Document, kb: KnowledgeBase) -> tuple[list[Block], list[Signal], bool]:
    tables = read_tables(document.tables, kb)
    kept: list[Block] = []
    for block in document.blocks:
        location = block.location
        if (location.file, location.sheet) in tables.hidden_sheets:
            continue
        has_row = location.sheet is not None or location.row is not None
        if has_row and row_key(location) in tables.consumed:
            continue
        read: list[range] = []
        for table, lines in text_tables(block):
            found = read_tables([table], kb)
            if found.signals or found.qa_blocks:
                tables.signals.extend(found.signals)
                tables.qa_blocks.extend(found.qa_blocks)
                read.append(lines)
        if read:
            rest = without_lines(block.text, read)
            if rest.strip():
                kept.append(dataclasses.replace(block, text=rest))
            continue
        kept.append(block)
    has_attachment = any(block.location.file for block in document.blocks)
    return kept + tables.qa_blocks, tables.signals, has_attachment


def read(document: Document, kb: KnowledgeBase | None = None) -> Reading:
    """The one reading of ``document`` that every family reads."""
    kb = kb or knowledge_base()
    blocks, table_signals, has_attachment = _blocks(document, kb)
    items = paragraphs(blocks)
    ctx = Context(kb, items)
    signals = table_signals + find_signals(ctx)
    return Reading(document, kb, blocks, items, ctx, signals, has_attachment)


def extract(document: Document, kb: KnowledgeBase | None = None) -> Extraction:
    """Every fact the rules find in ``document``, each with evidence and the rule's name."""
    return Extraction(source=document.source, facts=FAMILIES.extract(read(document, kb)))


def _statements(reading: Reading, found: dict[str, Found]) -> Found:
    """What the vendor statements (tables and sentences) tell the status: yes and counts, and
    no; the vendor facts come after the status."""
    return Found(
        positive=[s.evidence for s in reading.signals if s.kind in (YES, LUMPED)],
        negative=[s.evidence for s in reading.signals if s.kind == NO],
    )


def _status(reading: Reading, found: dict[str, Found]) -> Found:
    """The one judgement of the reply, from its words and the answers the families it reads
    found (in their order)."""
    positive = [e for result in found.values() for e in result.positive]
    negative = [e for result in found.values() for e in result.negative]
    status = kind_status(reading.document.meta.get(MESSAGE_KIND, "")) or decide(
        scan(reading.paragraphs), positive, negative, reading.has_attachment
    )
    return Found([fact(STATUS, status.value, status.evidence, status.rule)])


def _vendors(reading: Reading, found: dict[str, Found]) -> Found:
    """Per vendor: owned, count and device types, then whether the focus families were lumped."""
    value = found["status"].facts[0].value
    status = State(value) if isinstance(value, str) and value != UNCLEAR_STATUS else None
    return Found(_vendor_facts(reading.context, reading.signals, status))


FAMILIES = Families()
FAMILIES.register(
    "status",
    ("document", "paragraphs", "statements", "facial_recognition", "replacement_plan"),
    _status,
)
FAMILIES.register("vendors", ("context", "signals", "status"), _vendors)
FAMILIES.register(
    "facial_recognition",
    ("paragraphs", "knowledge base"),
    lambda reading, _: facial_recognition(reading.paragraphs, reading.kb),
)
FAMILIES.register(
    "exemptions",
    ("paragraphs", "text"),
    lambda reading, _: find_exemptions(reading.paragraphs, reading.text),
)
FAMILIES.register(
    "replacement_plan", ("paragraphs",), lambda reading, _: replacement_plan(reading.paragraphs)
)
FAMILIES.register("statements", ("signals",), _statements)


# nothing is answered yet: an acknowledgement, a request to clarify, an unclear message
_QUIET = (State.ACKNOWLEDGED, State.CLARIFICATION_REQUESTED, None)


def _vendor_facts(ctx: Context, signals: list[Signal], status: State | None) -> list[Fact]:
    by_vendor: dict[str, list[Signal]] = {}
    for signal in signals:
        by_vendor.setdefault(signal.vendor, []).append(signal)
    quiet = status in _QUIET
    if quiet:
        by_vendor = {}
    else:
        # a refusal of the whole request covers the vendors the request named
        if status is State.REFUSED:
            for vendor, evidence in ctx.request_vendors.items():
                by_vendor.setdefault(vendor, []).append(
                    Signal(vendor, WEAK_UNKNOWN, "owned.request-refused", evidence)
                )
        if status is State.REFUSED and not ctx.make_declined:
            origin = pattern("phrase.origin-words")
            # a refused request about makers covers the two families even when it names neither
            for p in ctx.items:
                if MAKE_WORDS.search(p.text) or origin.search(p.text):
                    ctx.make_declined.append(Evidence(p.text[:200], p.location))
                    break
        for evidence in ctx.make_declined[:1]:
            for vendor in CHINESE_FAMILIES:
                by_vendor.setdefault(vendor, []).append(
                    Signal(vendor, WEAK_UNKNOWN, "owned.makes-declined", evidence)
                )

    if not quiet and ctx.no_cctv:
        # "The council does not own any CCTV cameras. The contractor's cameras are Hikvision."
        for vendor in ctx.third_party:
            if not by_vendor.get(vendor):
                by_vendor[vendor] = [Signal(vendor, NO, "owned.someone-elses", ctx.no_cctv[0])]
    lumped_signals = [s for v in CHINESE_FAMILIES for s in by_vendor.get(v, []) if s.kind == LUMPED]
    specific_yes = any(s.kind == YES for v in CHINESE_FAMILIES for s in by_vendor.get(v, []))
    lumped = bool(lumped_signals) and not specific_yes

    facts: list[Fact] = []
    order = list(CHINESE_FAMILIES) + [
        v for v in dict.fromkeys([*ctx.mentioned, *by_vendor]) if v not in CHINESE_FAMILIES
    ]
    for vendor in order:
        own = [s for s in by_vendor.get(vendor, []) if s.kind != LUMPED]
        if lumped and vendor in CHINESE_FAMILIES:
            cited = [s.evidence for s in lumped_signals[:2]]
            facts.append(fact(OWNED, UNKNOWN, cited, "owned.lumped", vendor))
            facts.append(fact(COUNT, None, [], "count.lumped", vendor))
            facts.append(fact(DEVICE_TYPES, [], [], "count.lumped", vendor))
            continue
        if not own:
            mention = ctx.mentioned.get(vendor)
            cited = [mention] if mention else []
            facts.append(fact(OWNED, UNSTATED, cited, "owned.not-addressed", vendor))
            facts.append(fact(COUNT, None, [], "count.none", vendor))
            facts.append(fact(DEVICE_TYPES, [], [], "count.none", vendor))
            continue
        best = max(_ORDER[s.kind] for s in own)
        winners = [s for s in own if _ORDER[s.kind] == best]
        value = UNKNOWN if winners[0].kind == WEAK_UNKNOWN else winners[0].kind
        quotes = _unique([s.evidence for s in winners])[:3]
        facts.append(Fact(OWNED, value, quotes, winners[0].rule, winners[0].confidence, vendor))
        counted = [s for s in winners if s.count is not None] if value == YES else []
        if counted:
            top = max(counted, key=lambda s: s.count or 0)
            facts.append(Fact(COUNT, top.count, [top.evidence], top.rule, top.confidence, vendor))
        else:
            facts.append(fact(COUNT, None, [], "count.none", vendor))
        types: dict[str, None] = {}
        if value == YES:
            for signal in winners:
                for kind in signal.types:
                    types.setdefault(kind, None)
            if not types:
                types["camera"] = None  # owned, kind not said: CCTV replies are about cameras
        # the default "camera" rests on the statement of ownership itself
        type_evidence = [s.evidence for s in winners if s.types][:3] or (
            quotes[:1] if types else []
        )
        facts.append(fact(DEVICE_TYPES, sorted(types), type_evidence, "device-types.named", vendor))
    facts.append(
        fact(
            UNSPECIFIED,
            lumped,
            [s.evidence for s in lumped_signals[:2]] if lumped else [],
            "owned.lumped" if lumped else "owned.lumped-none",
        )
    )
    return facts


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    """Each quote once; a quote inside a longer one from the same place is left out."""
    kept = list(dict.fromkeys(evidence))
    return [
        e
        for e in kept
        if not any(
            o is not e and o.location == e.location and e.quote in o.quote and o.quote != e.quote
            for o in kept
        )
    ]
