"""A campaign's published bundle opened from a folder (file:) in headless Chromium, every request
to anything else refused: figures, table, footnotes, a request page with its evidence marked and
its personal data shown as removed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli
from sightline.review.models import StoredFact
from sightline.review.service import decide

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def browser(bundle: Path, chromium: Any) -> Iterator[Any]:
    """Chromium, started once the bundle is built (Playwright's loop must not meet the ORM)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def bundle(personal_campaign, tmp_path: Path) -> Path:
    leeds = StoredFact.objects.get(
        request__authority__name="Leeds City Council", field="owned", vendor="hikvision"
    )
    decide(leeds, "confirm", "ed", note="The council answered in 12 working days")
    runner = CliRunner()
    accepted = runner.invoke(
        cli, ["findings", "redactions", "cctv", "--accept-all", "--reviewer", "ed"]
    )
    assert accepted.exit_code == 0
    out = tmp_path / "bundle"
    built = runner.invoke(cli, ["findings", "build", "cctv", "--out", str(out), "--json"])
    assert built.exit_code == 0, built.stderr
    assert json.loads(built.stdout)["out"] == str(out)
    return out


def _offline(browser: Any, javascript: bool = True) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(java_script_enabled=javascript)
    refused: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context, context.new_page(), refused


def test_report_table_footnote_and_request_page_offline(
    browser: Any, bundle: Path, personal_data
) -> None:
    personal, _ = personal_data
    context, page, refused = _offline(browser)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((bundle / "index.html").as_uri())
        page.wait_for_selector("#chart[data-rendered=true] svg", timeout=20000)
        assert page.locator("#headlines li").nth(1).inner_text() == (
            "1 of the 2 authorities that answered (50%) owns Hikvision equipment."
        )
        method = page.locator("#method p").first.inner_text()
        assert "20 largest city councils outside London" in method
        assert "largest-cities" not in method

        # The table filters in the page; without a match, nothing shows.
        tools = page.locator('.table-tools[data-for="authority-table"]')
        assert tools.is_visible()
        assert tools.locator(".page-status").inner_text() == "Rows 1 to 20 of 20"
        tools.locator("input.table-filter").fill("leeds")
        visible = page.locator("#authority-table tbody tr:visible td:first-child")
        assert visible.all_inner_texts() == ["Leeds City Council1"]
        tools.locator("input.table-filter").fill("")

        # The evidence table speaks in words.
        evidence = page.locator("#evidence-table tbody tr", has_text="Leeds City Council")
        facts = evidence.locator("td:nth-child(2)").all_inner_texts()
        assert "Owns Hikvision equipment: yes" in facts
        assert "Hikvision devices: camera" in facts

        # The footnote links to the correspondence, and that page to the evidence in place.
        footnote = page.locator("#fn-1")
        assert footnote.inner_text().startswith("The council answered in 12 working days.")
        footnote.locator("a.request-page").click()
        page.wait_for_selector("#correspondence")
        assert page.url.endswith(".html")
        assert "/requests/" in page.url
        assert page.locator("h1").inner_text() == "Leeds City Council"
        fact = page.locator("#fact-table tr.fact", has_text="Owns Hikvision equipment: yes")
        fact.locator("a.evidence-link").click()
        page.wait_for_url(re.compile(r".*#evidence-\d+-\d+$"))
        target = page.evaluate("document.querySelector(':target').outerHTML")
        assert target.startswith('<mark class="evidence" id="evidence-')
        marked = page.locator("mark.evidence:target")
        assert marked.inner_text() == "The council owns 27 Hikvision cameras."
        assert marked.is_visible()
        assert (
            page.locator("mark.evidence:target").evaluate(
                "el => getComputedStyle(el).backgroundColor"
            )
            == "rgb(255, 224, 138)"
        )
        # Redactions are shown as redacted, in the letter and the reply.
        redacted = page.locator("#correspondence .redacted").all_inner_texts()
        assert "[name removed]" in redacted
        assert "[phone number removed]" in redacted
        assert "[e-mail address removed]" in redacted
        assert "[requester's details removed]" in redacted
        assert (
            page.locator(".redacted").first.evaluate("el => getComputedStyle(el).backgroundColor")
            == "rgb(29, 29, 29)"
        )
        text = page.locator("body").inner_text()
        for needle in personal:
            words = r"\s+".join(re.escape(word) for word in needle.split())
            assert not re.search(rf"\b{words}\b", text, re.IGNORECASE), needle
        assert "switchboard on 0113 496 0000" in " ".join(text.split())
        dates = page.locator("#statutory-dates tr").all_inner_texts()
        assert dates[1] == "Answer due (20th working day)\t2021-02-01\tFOIA section 10(1)"
        page.locator("nav a").click()
        assert page.url.endswith("/index.html")
        assert errors == []
        assert refused == []
    finally:
        context.close()


def test_without_javascript_every_row_shows(browser: Any, bundle: Path) -> None:
    context, page, refused = _offline(browser, javascript=False)
    try:
        page.goto((bundle / "index.html").as_uri())
        assert page.locator(".table-tools").first.is_hidden()
        rows = page.locator("#authority-table tbody tr:visible td:first-child")
        assert rows.count() == 20
        page.locator("#authority-table a.request-page", has_text="Birmingham").click()
        assert page.locator("h1").inner_text() == "Birmingham City Council"
        assert page.locator(".attachment h4").inner_text() == "Attachment: response.txt"
        assert refused == []
    finally:
        context.close()
