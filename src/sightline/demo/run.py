"""The whole investigation, end to end, on invented councils: ``sightline demo``.

register -> campaign -> SMTP -> councils reply -> mailbox import -> matching -> documents ->
facts -> (automatic confirmation, for the demo only) -> coded answers -> findings -> bundle;
then a late answer arrives after publication and the report is rebuilt with a dated update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sightline.authorities.records import AuthorityRecord, ContactRecord
from sightline.authorities.registry import (
    add_to_set,
    import_contacts,
    load_builtin,
    union_set,
    upsert_authorities,
)
from sightline.campaigns.models import Campaign
from sightline.campaigns.service import campaign_status, create_campaign
from sightline.demo.clock import at, simulated_time
from sightline.demo.scenario import COUNCILS, GROUPS, PUBLISHED_ON, SENT_ON, SET_SLUG
from sightline.demo.simulated_authorities import council_mail_server, write_replies
from sightline.findings.bundle import BundleResult, ReportInfo
from sightline.findings.coded import CodedResponse
from sightline.law import law_for_nation
from sightline.mail.inbox import import_messages, maildir_messages
from sightline.mail.outbox import SendPolicy, queue_campaign, send_outbox, sendable
from sightline.mail.smtp import SmtpConnection, parse_smtp_url
from sightline.review.publishing import build_campaign_bundle, request_records
from sightline.review.redactions import accept, scan
from sightline.review.service import (
    auto_confirm,
    coded_responses,
    extract_campaign,
    method_info,
    record_publication,
)

TITLE = "Hikvision and Dahua CCTV in twelve invented councils"
# Facts at or above this confidence are confirmed without a person, in the demo only; the rest
# stay pending, as they would for a real team to review.
DEMO_CONFIDENCE = 0.7
LATE_DAY = SENT_ON + dt.timedelta(days=52)

Step = Callable[[str], None]


@dataclass
class DemoResult:
    campaign: Campaign
    first: BundleResult
    final: BundleResult
    report: Path
    pending: int
    statuses: dict[str, int]


def _register() -> None:
    load_builtin()
    records = [
        AuthorityRecord(
            gss_code=c.code,
            name=c.name,
            short_name=c.short_name,
            nation=c.nation,
            law=law_for_nation(c.nation),
            authority_type="demo",
            type_name="Invented council",
            website_domain=c.domain,
        )
        for c in COUNCILS
    ]
    upsert_authorities(records, source="demo")
    for slug, title in GROUPS.items():
        add_to_set(slug, [c.code for c in COUNCILS if c.group == slug], title)
    union_set(
        SET_SLUG,
        list(GROUPS),
        "Invented councils",
        "Twelve invented councils (the demonstration; no real body is named)",
    )
    contacts = [ContactRecord(c.code, c.foi_email, n) for n, c in enumerate(COUNCILS, start=2)]
    import_contacts(contacts, source="demo scenario", checked_on=SENT_ON)


def _read_and_code(campaign: Campaign, maildir: Path) -> list[CodedResponse]:
    import_messages(maildir_messages(maildir))
    extract_campaign(campaign)
    auto_confirm(campaign, DEMO_CONFIDENCE, reviewer="demo (automatic)")
    return coded_responses(campaign)


def _build(campaign: Campaign, report: Path, info: ReportInfo) -> BundleResult:
    """Build the bundle the way `findings build` does: personal data found and redacted (the demo
    accepts every proposal itself; a real team reviews them), a page per request."""
    records = request_records(campaign)
    scan(campaign, records)
    accept(campaign, None, reviewer="demo (automatic)")
    return build_campaign_bundle(campaign, report, info, records=records)


def run_demo(home: Path, step: Step) -> DemoResult:
    """Run the scenario in ``home`` (an initialised, empty data folder)."""
    step("Loading the registry and the invented councils")
    _register()
    letter = resources.files("sightline.campaigns").joinpath("letters/cctv_vendors.txt")
    maildir = home / "demo-mailbox"
    report = home / "report"
    with council_mail_server() as (smtp_url, received), simulated_time(at(SENT_ON)):
        step(f"Sending 12 requests by SMTP ({smtp_url}) on {SENT_ON:%d %B %Y}")
        campaign = create_campaign(
            "demo-cctv",
            SET_SLUG,
            letter.read_text(encoding="utf-8"),
            TITLE,
            requester_name="A. Researcher",
            reply_domain="replies.sightline.example",
            test=True,  # replies go to a reserved .example name, which only a test may use
        )
        queue_campaign(campaign)
        policy = SendPolicy(rate_per_minute=100_000, attempts=1, sleep=lambda _: None)
        send_outbox(sendable(campaign), SmtpConnection(parse_smtp_url(smtp_url)), policy)
    published = at(PUBLISHED_ON)
    step("The councils reply: e-mails, a PDF letter, a scan, a spreadsheet, a refusal, a bounce")
    write_replies(received, maildir, until=published)
    with simulated_time(published):
        step(f"Importing, matching and reading the replies (as of {PUBLISHED_ON:%d %B %Y})")
        _read_and_code(campaign, maildir)
        step("Publishing the first report")
        info = ReportInfo(TITLE, built_on=PUBLISHED_ON, method=method_info(campaign))
        first = _build(campaign, report, info)
        record_publication(campaign, PUBLISHED_ON)
    late = at(LATE_DAY)
    step(f"A late answer arrives on {LATE_DAY:%d %B %Y}")
    write_replies(received, maildir, until=late, after=published)
    with simulated_time(late):
        _read_and_code(campaign, maildir)
        # A reply dated after first publication becomes an "Updated on" entry of its own.
        campaign.refresh_from_db()
        info = ReportInfo(
            TITLE,
            built_on=LATE_DAY,
            first_published=campaign.first_published_on,
            method=method_info(campaign),
        )
        final = _build(campaign, report, info)
        status = campaign_status(campaign)
    from sightline.review.service import pending_facts

    return DemoResult(
        campaign=campaign,
        first=first,
        final=final,
        report=report / "index.html",
        pending=len(pending_facts(campaign)),
        statuses=status["counts"],
    )
