"""The published report opened from disk in headless Chromium, with every network request refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


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


def _many_councils(folder: Path, count: int) -> Path:
    """``count`` invented councils in two groups, every seventh with a note."""
    import datetime as dt

    from sightline.findings.bundle import ReportInfo, build_bundle
    from sightline.findings.coded import CodedResponse

    responses = [
        CodedResponse(
            authority=f"Council {number:04d}",
            group="Boroughs" if number % 2 else "Cities",
            outcome="answered",
            responded_on=dt.date(2021, 1, 10),
            hikvision="yes" if number % 3 == 0 else "no",
            dahua="no",
            hikvision_or_dahua_unspecified=False,
            facial_recognition="no",
            hikvision_devices=None,
            dahua_devices=None,
            note=f"Note on council {number:04d}." if number % 7 == 0 else "",
        )
        for number in range(1, count + 1)
    ]
    build_bundle(folder, responses, ReportInfo(title="Many", built_on=dt.date(2021, 2, 1)))
    return folder


def test_a_long_table_pages_and_filters_in_the_page(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    bundle = _many_councils(tmp_path / "many", 130)
    context, page, refused = _offline_page(browser)
    try:
        page.goto((bundle / "index.html").as_uri())
        tools = page.locator('.table-tools[data-for="authority-table"]')
        rows = page.locator("#authority-table tbody tr:visible td:first-child")
        assert tools.locator(".page-status").inner_text() == "Rows 1 to 50 of 130"
        assert rows.count() == 50
        tools.locator(".page-next").click()
        assert tools.locator(".page-status").inner_text() == "Rows 51 to 100 of 130"
        tools.locator(".page-next").click()
        assert tools.locator(".page-status").inner_text() == "Rows 101 to 130 of 130"
        assert tools.locator(".page-next").is_disabled()
        assert rows.count() == 30
        tools.locator(".page-all").click()
        assert rows.count() == 130
        tools.locator(".page-all").click()
        tools.locator("input.table-filter").fill("council 012")
        odd = [f"Council {n:04d}" for n in range(121, 130, 2)]  # Boroughs come first
        names = [text[:12] for text in rows.all_inner_texts()]  # without a footnote mark
        assert names == odd + [f"Council {n:04d}" for n in range(120, 130, 2)]
        assert tools.locator(".page-status").inner_text() == "Rows 1 to 10 of 10"
        tools.locator("input.table-filter").fill("no such council")
        assert tools.locator(".page-status").inner_text() == "No rows match"
        assert rows.count() == 0
        tools.locator("input.table-filter").fill("")
        # A footnote's way back turns the table to the page its mark is on.
        last = page.locator("#footnotes li").last
        number = last.get_attribute("id").removeprefix("fn-")
        page.goto((bundle / "index.html").as_uri() + f"#fn-{number}")
        last.locator("a.backref").click()
        # the page turns on the hashchange event, after the click returns: wait for it
        expect(page.locator(f"#fnref-{number}")).to_be_visible(timeout=30_000)
        assert refused == []
    finally:
        context.close()


def test_a_long_table_shows_every_row_without_javascript(browser: Any, tmp_path: Path) -> None:
    bundle = _many_councils(tmp_path / "many", 130)
    context, page, refused = _offline_page(browser, javascript=False)
    try:
        page.goto((bundle / "index.html").as_uri())
        assert page.locator("#authority-table tbody tr:visible td:first-child").count() == 130
        assert page.locator(".table-tools").first.is_hidden()
        assert refused == []
    finally:
        context.close()
