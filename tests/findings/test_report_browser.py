"""The published report opened from disk in headless Chromium, with every network request refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's /usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _offline_page(browser: Any, javascript: bool = True) -> tuple[Any, Any, list[str]]:
    """A page whose every request to anything but a file: URL is refused and recorded."""
    context = browser.new_context(java_script_enabled=javascript)
    refused: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context.route("**/*", guard)
    return context, context.new_page(), refused


def test_report_shows_figures_chart_and_footnotes_offline(browser: Any, built_bundle: Path) -> None:
    context, page, refused = _offline_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((built_bundle / "index.html").as_uri())
        page.wait_for_selector("#chart[data-rendered=true] svg", timeout=20000)

        headlines = page.locator("#headlines li")
        assert headlines.count() == 7
        assert headlines.nth(1).inner_text() == (
            "2 of the 3 authorities that answered (67%) own Hikvision equipment."
        )
        assert headlines.nth(1).is_visible()
        assert page.get_by_text("3 of the 3 authorities that answered (100%)").is_visible()

        # The chart was drawn by Vega in the page, and the static fallback hidden.
        assert page.locator("#chart svg .mark-rect path").count() == 4
        assert page.locator("#chart svg").first.is_visible()
        assert page.locator("#chart-static").is_hidden()
        chart_text = page.locator("#chart svg").first.text_content() or ""
        assert "2 of 3 (67%)" in chart_text

        # Footnote links go both ways.
        page.locator("a#fnref-1").click()
        assert page.url.endswith("#fn-1")
        assert page.locator("#fn-1").inner_text().startswith("Answered after publication.")
        assert page.evaluate("document.querySelector(':target').id") == "fn-1"
        page.locator("#fn-2 a.backref").click()
        assert page.url.endswith("#fnref-2")
        assert page.evaluate("document.querySelector(':target').id") == "fnref-2"
        row = page.locator("tr", has=page.locator("a#fnref-2"))
        assert row.locator("td").first.inner_text() == "Dunmere2"

        assert page.locator("#updates li").inner_text() == (
            "Updated on 2021-03-05: Elham answered after publication; it owns no Hikvision or"
            " Dahua equipment."
        )
        assert errors == []
        assert refused == []
        # The guard itself works: a request the page did not make on its own is caught.
        probe = "() => fetch('https://example.invalid/probe').then(() => 'sent', () => 'refused')"
        assert page.evaluate(probe) == "refused"
        assert refused == ["https://example.invalid/probe"]
    finally:
        context.close()


def test_without_javascript_the_static_chart_shows(browser: Any, built_bundle: Path) -> None:
    context, page, refused = _offline_page(browser, javascript=False)
    try:
        page.goto((built_bundle / "index.html").as_uri())
        assert page.locator("#chart-static svg").is_visible()
        assert page.locator("#chart svg").count() == 0
        assert page.locator("#headlines li").count() == 7
        assert refused == []
    finally:
        context.close()
