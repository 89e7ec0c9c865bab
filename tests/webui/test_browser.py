"""The web interface in headless Chromium, served by pytest-django's live server on loopback:
log in, follow a request from sent to answered, review facts with the keyboard, watch the
findings change and publish them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sightline.review.models import StoredFact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "a-long-test-passphrase-7"  # as conftest.PASSWORD


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's /usr/bin/chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # itself are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


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
