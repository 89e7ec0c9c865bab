"""The web interface in headless Chromium, served by pytest-django's live server on loopback:
log in, follow a request from sent to answered, review facts with the keyboard, watch the
findings change and publish them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sightline.review.models import StoredFact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-passphrase-7"  # as conftest.PASSWORD


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, chromium: Any) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # itself are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """``open_page()``: a new page in a fresh context; every request off the live server fails."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make() -> Any:
        context = browser.new_context()
        contexts.append(context)

        def guard(route: Any) -> None:
            if route.request.url.startswith(live_server.url):
                route.continue_()
            else:
                errors.append(f"off-site request: {route.request.url}")
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        page.set_default_timeout(20000)
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == []  # no script error, no CSP violation, nothing fetched from elsewhere


def stored(query: Any) -> Any:
    """Run an ORM query from the test body and close the connection it used: while Playwright
    runs, the body's queries get a connection of their own that nothing else would close (and
    PostgreSQL then refuses to drop the test database)."""
    from django.db import connection

    try:
        return query()
    finally:
        connection.close()


def log_in(page: Any, live_server: Any, username: str) -> None:
    assert live_server.url.startswith("http://127.0.0.1:")
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_log_in_and_follow_a_request_from_sent_to_answered(
    open_page, live_server, users, answered, unmatched
):
    page = open_page()
    log_in(page, live_server, "editor")
    assert page.url == f"{live_server.url}/c/{answered.campaign.slug}/"
    assert page.inner_text("h1").startswith("CCTV in London")
    assert "editor" in page.inner_text("header .who")
    page.click(f"#long-overdue a:text('{answered.reference}')")
    page.wait_for_url(f"{live_server.url}/r/{answered.reference}/")
    assert page.inner_text("#state") == "sent"
    # A second reply matched nothing: assign it from the unmatched list (reference suggested).
    page.click("header nav a:text('Unmatched mail')")
    assert page.input_value(
        f"table.unmatched tr:has(a:text('{unmatched.pk}')) input[name=reference]"
    ) == (answered.reference)
    with page.expect_navigation():
        page.click("table.unmatched button:text('Assign')")
    assert page.url == f"{live_server.url}/r/{answered.reference}/"
    assert page.inner_text(".messages") == f"Message {unmatched.pk} added to {answered.reference}."
    assert "We enclose our answer." in page.inner_text(".timeline")
    assert "The council owns 14 Hikvision cameras in the town centre." in page.inner_text(
        ".timeline"
    )
    page.select_option("#set-state select[name=state]", "answered")
    page.fill("#set-state input[name=note]", "the reply answers both questions")
    with page.expect_navigation():
        page.click("#set-state button")
    assert page.inner_text("#state") == "answered"
    assert page.inner_text(".messages") == f"{answered.reference} is now answered."
    assert "state_set → answered by editor" in " ".join(page.inner_text(".timeline").split())
    stored(answered.refresh_from_db)
    assert answered.state == "answered"


def test_review_with_the_keyboard_and_watch_the_findings(open_page, live_server, users, answered):
    slug = answered.campaign.slug
    page = open_page()
    log_in(page, live_server, "owner")
    page.goto(f"{live_server.url}/c/{slug}/findings/")
    assert page.inner_text("#successful") == "0"

    page.goto(f"{live_server.url}/c/{slug}/review/")
    assert page.inner_text("#fact h2").endswith("count [hikvision]")
    assert page.inner_text(".document mark") == "14 Hikvision cameras"
    page.keyboard.press("x")  # focus the value to correct it
    assert page.evaluate("document.activeElement.id") == "value"
    page.keyboard.type("15")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "correct recorded" in page.inner_text(".messages")
    assert page.inner_text("#fact h2").endswith("owned [hikvision]")
    with page.expect_navigation():
        page.keyboard.press("c")
    assert "confirm recorded" in page.inner_text(".messages")
    assert page.inner_text("#empty") == "No facts are waiting for review."
    facts = stored(lambda: list(StoredFact.objects.filter(request=answered).order_by("field")))
    assert [(f.field, f.status, f.final_value) for f in facts] == [
        ("count", "corrected", 15),
        ("owned", "confirmed", "yes"),
    ]

    page.goto(f"{live_server.url}/c/{slug}/findings/")
    assert page.inner_text("#successful") == "1"
    assert "London Borough of Camden" in page.inner_text("#authority-table")
    with page.expect_navigation():
        page.click("#build")
    # The request only queued the build; the worker's part is done here, in the test's process.
    assert page.inner_text("#task-state") == "queued"
    from sightline.tasks.models import Job
    from sightline.tasks.work import run_job

    stored(lambda: run_job.call(Job.objects.get(kind="build").pk))
    page.reload()
    assert page.inner_text("#task-summary") == "Published bundle built: 32 requests, 1 answered."

    # The published report needs no login.
    public = open_page()
    public.goto(f"{live_server.url}/published/{slug}/")
    assert "CCTV in London" in public.title()


def test_invite_a_user_change_their_role_and_read_the_api(open_page, live_server, users, answered):
    slug = stored(lambda: answered.campaign.slug)
    owner = open_page()
    log_in(owner, live_server, "owner")
    owner.click("header nav a:text('Users')")
    assert owner.url == f"{live_server.url}/users/"
    owner.fill("#invite input[name=username]", "dana")
    owner.select_option("#invite select[name=role]", "reviewer")
    with owner.expect_navigation():
        owner.click("#invite button")
    link = owner.input_value("#issued-link")
    assert link.startswith(f"{live_server.url}/welcome/")
    assert "it is shown only now" in owner.inner_text("#issued")
    assert "reviewer" in owner.inner_text("table.links tr[data-link=dana]")

    # Dana opens the link in a browser of her own and sets a password.
    dana = open_page()
    dana.goto(link)
    assert "You are invited to Sightline as dana, with the role reviewer." in dana.inner_text(
        "main"
    )
    dana.fill("input[name=password]", "dana-picks-a-long-one-3")
    dana.fill("input[name=again]", "dana-picks-a-long-one-3")
    with dana.expect_navigation():
        dana.click("button:text('Set password')")
    assert dana.url == f"{live_server.url}/login/"
    assert dana.inner_text(".messages") == "Your password is set, dana: log in with it."
    dana.fill("input[name=username]", "dana")
    dana.fill("input[name=password]", "dana-picks-a-long-one-3")
    with dana.expect_navigation():
        dana.click("button[type=submit]")
    assert dana.inner_text("header .who .role") == "reviewer"

    # The owner makes her an editor; her next page shows it.
    owner.goto(f"{live_server.url}/users/")
    row = "table.users tr[data-user=dana]"
    owner.select_option(f"{row} select[name=role]", "editor")
    with owner.expect_navigation():
        owner.click(f"{row} button:text('Set role')")
    assert owner.inner_text(".messages") == "dana is now editor."
    assert owner.input_value(f"{row} select[name=role]") == "editor"
    dana.reload()
    assert dana.inner_text("header .who .role") == "editor"
    owner.click("header nav a:text('Audit trail')")
    trail = owner.inner_text("table")
    for words in (
        "owner\tinvite_user\tdana",
        "dana\taccept_invitation\tdana",
        "owner\tset_role\tdana",
    ):
        assert words in trail

    # Dana makes an API token and reads her campaigns with it.
    dana.click("header nav a:text('API tokens')")
    dana.fill("input[name=name]", "spreadsheet")
    with dana.expect_navigation():
        dana.click("button:text('Make a token')")
    token = dana.input_value("#issued-token")
    answer = dana.request.get(
        f"{live_server.url}/api/v1/campaigns/", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    assert [c["slug"] for c in answer.json()["results"]] == [slug]

    # Deactivated, she is logged out and her token stops working.
    owner.goto(f"{live_server.url}/users/")
    with owner.expect_navigation():
        owner.click(f"{row} button:text('Deactivate')")
    assert owner.inner_text(f"{row} .status") == "deactivated"
    dana.reload()
    assert dana.url.startswith(f"{live_server.url}/login/")
    refused = dana.request.get(
        f"{live_server.url}/api/v1/campaigns/", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401
    assert refused.json() == {"error": "the account this API token belongs to is deactivated"}


# Review at campaign scale: a typical reply (eleven facts, as the model campaign's replies had on
# average) reviewed on one screen, one value corrected inline, all recorded in one action.
TYPICAL = [  # (field, vendor, value, confidence, quote in conftest.REPLY_TEXT or "")
    ("status", "", "answered", 0.7, "Thank you for your request."),
    ("owned", "dahua", "no", 0.85, "We do not own any Dahua equipment."),
    ("count", "dahua", None, 0.5, "do not own any Dahua equipment"),
    ("hikvision_or_dahua_unspecified", "", False, 0.6, ""),
    ("facial_recognition", "", "unstated", 0.5, ""),
    ("replacement_plan", "", "unstated", 0.5, ""),
    ("device_types", "hikvision", ["camera"], 0.6, "14 Hikvision cameras in the town centre"),
    ("device_types", "dahua", [], 0.4, ""),
    ("exemption", "", "none", 0.55, ""),
]


# Camden's reply as the fixture reads it: two facts (the answered fixture stores them).
FIXTURE_FACTS = [
    ("owned", "hikvision", "yes", 0.9, "owns 14 Hikvision cameras"),
    ("count", "hikvision", 14, 0.6, "14 Hikvision cameras"),
]


def typical_reply(answered: Any, again: bool = False) -> int:
    """Nine more facts on Camden's reply (which has two): eleven in all; the message id.
    ``again``: all eleven once more, as if the reply had been read a second time."""
    from sightline.facts import Evidence, Extraction, Fact
    from sightline.review.service import store_extraction

    message = answered.messages.first()
    facts = [
        Fact(field, value, [Evidence(quote, "body")] if quote else [], f"{field}.t", conf, vendor)
        for field, vendor, value, conf, quote in (FIXTURE_FACTS if again else []) + TYPICAL
    ]
    store_extraction(answered, message, Extraction("t", facts), message.subject)
    return int(message.pk)


def test_review_a_whole_reply_in_one_action(open_page, live_server, users, answered):
    import time

    message_id = stored(lambda: typical_reply(answered))
    slug = answered.campaign.slug
    page = open_page()
    log_in(page, live_server, "reviewer")
    actions = 0  # what the reviewer does: clicks, typing into a field, key presses
    page.click("a:text('reply by reply')")
    actions += 1
    assert page.inner_text("#replies tbody tr td:nth-child(4)") == "11"
    page.click(f"#replies a:text('{answered.reference}')")
    actions += 1
    started = time.perf_counter()
    assert page.url == (
        f"{live_server.url}/c/{slug}/review/replies/{answered.reference}/{message_id}/"
    )
    assert page.locator(".reply-fact").count() == 11
    count = stored(
        lambda: StoredFact.objects.get(request=answered, field="count", vendor="hikvision")
    )
    row = page.locator(f"#fact-{count.pk}")
    # The quotes of the fact being edited are lit in the reply's text.
    row.locator(".fact-value").click()
    assert page.locator("mark.lit").count() >= 1
    row.locator(".fact-value").fill("15")  # the value corrected inline: it becomes a correction
    actions += 1
    assert row.locator("input[value=correct]").is_checked()
    page.locator(".fact-value").first.press("Escape")  # leaves the field (not a decision)
    with page.expect_navigation():
        page.keyboard.press("a")  # every decision of the reply, in one POST
    actions += 1
    seconds = time.perf_counter() - started
    assert (
        page.inner_text(".messages")
        == f"{answered.reference}: 10 confirmed, 1 corrected, 0 rejected."
    )
    assert page.inner_text("#empty") == "No reply has facts waiting for review."
    facts = stored(lambda: list(StoredFact.objects.filter(request=answered)))
    assert sorted(f.status for f in facts) == ["confirmed"] * 10 + ["corrected"]
    assert next(f for f in facts if f.pk == count.pk).final_value == 15
    from sightline.webui.models import AuditEntry

    assert stored(lambda: AuditEntry.objects.filter(action="review").count()) == 11
    # The figures for the record (no assertion on time: the machine's speed is not the code's).
    # The same eleven facts once more, one at a time on the one-fact screen, for comparison.
    stored(lambda: typical_reply(answered, again=True))
    page.goto(f"{live_server.url}/c/{slug}/review/")
    single_actions = 0
    started = time.perf_counter()
    for _ in range(11):
        if page.inner_text("#fact h2").endswith("count [hikvision]"):
            page.keyboard.press("x")
            page.keyboard.type("15")
            single_actions += 2
            key = "Enter"
        else:
            key = "c"
        with page.expect_navigation():
            page.keyboard.press(key)
        single_actions += 1
    single_seconds = time.perf_counter() - started
    assert page.inner_text("#empty") == "No facts are waiting for review."
    assert stored(lambda: StoredFact.objects.filter(status="corrected").count()) == 2
    # The figures for the record (no assertion on time: the machine's speed is not the code's).
    print(
        f"\nreview of a typical reply ({len(facts)} facts, one corrected): by reply "
        f"{actions - 2} actions on its page ({actions} from the dashboard), "
        f"{seconds:.2f} s, {seconds / len(facts):.3f} s a decision; one fact at a time "
        f"{single_actions} actions and 11 page loads, {single_seconds:.2f} s, "
        f"{single_seconds / 11:.3f} s a decision"
    )


def test_edit_a_campaign_and_read_its_letters(open_page, live_server, users, campaign):
    slug = campaign.slug
    page = open_page()
    log_in(page, live_server, "editor")
    page.click("#edit-campaign-link")
    assert page.url == f"{live_server.url}/c/{slug}/edit/"
    # A placeholder for a name is refused beside its field, and nothing is saved.
    page.fill("#id_requester_name", "Your Name")
    with page.expect_navigation():
        page.click("#save")
    assert page.inner_text("#errors-requester_name") == (
        "the campaign has 'Your Name' as the requester's name, which stands in for a name"
    )
    page.fill("#id_requester_name", "Ann Reporter")
    page.fill(
        "#id_template",
        "Dear {authority_name},\n\n1. Which CCTV cameras do you own?\n\nYours,\n{requester_name}\n",
    )
    page.fill("#id_add", "E08000035")  # Leeds City Council
    page.check("#field-remove label:has-text('London Borough of Barnet') input")
    with page.expect_navigation():
        page.click("#save")
    message = page.inner_text(".messages")
    assert message.startswith("cctv: requester 'Ann Reporter'; letter from web; removed London")
    assert "added Leeds City Council" in message
    leeds = stored(lambda: campaign.requests.get(authority__gss_code="E08000035"))
    barnet = stored(lambda: campaign.requests.get(authority__gss_code="E09000003"))
    assert (leeds.state, barnet.state) == ("draft", "withdrawn")
    # Leeds has no FOI address yet: the page says the drafts cannot be queued, and why.
    assert "Leeds City Council (E08000035)" in page.inner_text("#not-ready")
    page.click("#letters-link")
    page.click(f"#letters a:text('{leeds.reference}')")
    assert page.inner_text("#letter-body") == (
        "Dear Leeds City Council,\n\n1. Which CCTV cameras do you own?\n\nYours,\nAnn Reporter\n"
    )
    assert page.inner_text("#no-address").startswith("Leeds City Council has no FOI address")
    assert leeds.reference in page.inner_text(".h-subject")
    page.click("#prev")
    previous = page.inner_text("h1")
    assert previous.startswith("Letter to ") and leeds.reference not in previous
