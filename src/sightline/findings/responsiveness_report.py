"""The responsiveness part of the bundle: its section of the report (a static SVG chart and a
table), its rows of findings.csv, and responsiveness.csv.

The section is its own template (``report_responsiveness.html``) rendered by its own function,
so the main report template only places it. The chart is rendered to SVG by vl-convert at build
time and inlined: it needs no script and loads nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import altair as alt
import jinja2
from markupsafe import Markup

from sightline.findings.chart import chart_svg
from sightline.findings.responsiveness import (
    ICO_EXPECTED_PERCENT,
    RECORD_COLUMNS,
    RequestResponsiveness,
    Responsiveness,
    Summary,
    summarise,
)

TEMPLATE_RESOURCE = "report_responsiveness.html"
CSV_NAME = "responsiveness.csv"
ALL_LABEL = "All authorities"
OUTCOME_WORDS = {
    "answered": "answered in full",
    "partially_answered": "partly answered",
    "refused": "refused",
    "not_held": "not held",
    "awaiting": "awaiting a decision",
}
STATUS_WORDS = {
    "answered": "answered",
    "awaiting": "awaiting (within 20 working days)",
    "no_answer": "no answer after 20 working days",
    "clock_stopped": "clock stopped (clarification asked for)",
    "not_received": "not received",
    "withdrawn": "withdrawn",
}


def group_summaries(result: Responsiveness, groups: Mapping[str, str]) -> list[tuple[str, Summary]]:
    """Each group's figures in the order the groups first appear, then the campaign's."""
    by_group: dict[str, list[RequestResponsiveness]] = {}
    for row in result.requests:
        by_group.setdefault(groups.get(row.authority, ""), []).append(row)
    rows = [(name or "Other", summarise(members)) for name, members in by_group.items()]
    if len(rows) == 1:
        return [(ALL_LABEL, result.campaign)]
    return [*rows, (ALL_LABEL, result.campaign)]


def responsiveness_chart_spec(result: Responsiveness, groups: Mapping[str, str]) -> dict[str, Any]:
    """A bar per group and one for all: the share answered within 20 working days, with a rule
    at the ICO's 90%."""
    rows = [
        {
            "group": name,
            "percent": summary.percent_within_20 or 0,
            "text": f"{summary.within_20} of {summary.judged}"
            + (f" ({summary.percent_within_20}%)" if summary.percent_within_20 is not None else ""),
        }
        for name, summary in group_summaries(result, groups)
    ]
    order = [str(row["group"]) for row in rows]
    base = alt.Chart(alt.InlineData(values=rows)).encode(
        y=alt.Y("group:N", sort=order, title=None),
        x=alt.X(
            "percent:Q",
            title="Answered within 20 working days (%)",
            scale=alt.Scale(domain=[0, 100]),
        ),
    )
    bars = base.mark_bar(color="#2b5b84")
    labels = base.mark_text(align="left", dx=4).encode(text="text:N")
    expected = alt.Chart(
        alt.InlineData(values=[{"percent": ICO_EXPECTED_PERCENT, "label": "ICO: 90%"}])
    )
    rule = expected.mark_rule(color="#8c2d04", strokeDash=[4, 3]).encode(x="percent:Q")
    rule_label = expected.mark_text(align="left", dx=3, dy=-6, color="#8c2d04").encode(
        x="percent:Q", text="label:N", y=alt.value(0)
    )
    # Room on the left: a browser's font may be wider than the one the SVG was measured with.
    chart = (bars + labels + rule + rule_label).properties(
        width=480, height=alt.Step(30), padding={"left": 24, "right": 8, "top": 8, "bottom": 8}
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def responsiveness_svg(result: Responsiveness, groups: Mapping[str, str]) -> str:
    return chart_svg(responsiveness_chart_spec(result, groups))


def _days(value: float | None) -> str:
    if value is None:
        return "none"
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _yes_no(value: bool | None) -> str:
    return "not yet known" if value is None else ("yes" if value else "no")


def summary_sentence(summary: Summary) -> str:
    """The campaign's figures in one sentence, against the ICO's expectation."""
    if not summary.judged:
        return "No request has yet reached its 20th working day."
    share = f" ({summary.percent_within_20}%)" if summary.percent_within_20 is not None else ""
    verdict = (
        "meeting" if summary.meets_ico_expectation else "short of"
    ) + f" the Information Commissioner's expectation of {ICO_EXPECTED_PERCENT}%"
    median = (
        f"; the median answer took {_days(summary.median_working_days)} working days"
        if summary.median_working_days is not None
        else ""
    )
    return (
        f"{summary.within_20} of {summary.judged} requests{share} were answered within 20 working "
        f"days, {verdict}{median}."
    )


def render_responsiveness(result: Responsiveness, groups: Mapping[str, str], svg: str) -> Markup:
    """The report's responsiveness section (chart, figures and the table by authority)."""
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = resources.files("sightline.findings").joinpath(TEMPLATE_RESOURCE).read_text("utf-8")
    template = environment.from_string(source)
    campaign = result.campaign
    lines = []
    for row in result.requests:
        if not row.counted:
            continue
        review = row.reviews[-1] if row.reviews else None
        lines.append(
            {
                "authority": row.authority,
                "received_on": row.received_on.isoformat() if row.received_on else "",
                "answered_on": row.answered_on.isoformat() if row.answered_on else "",
                "status": STATUS_WORDS[row.status],
                "working_days": "" if row.working_days is None else str(row.working_days),
                "within_20": _yes_no(row.within_20),
                "within_class": "late" if row.within_20 is False else "",
                "extended": "yes" if row.extended else "no",
                "review": (
                    f"{OUTCOME_WORDS.get(review.outcome, review.outcome)}"
                    + (
                        ""
                        if review.in_time is None
                        else (", in time" if review.in_time else ", late")
                    )
                    if review
                    else ""
                ),
            }
        )
    outcomes = ", ".join(
        f"{count} {OUTCOME_WORDS.get(outcome, outcome)}"
        for outcome, count in campaign.review_outcomes.items()
    )
    rendered = template.render(
        sentence=summary_sentence(campaign),
        as_of=result.as_of.isoformat(),
        chart_svg=Markup(_strip_xml_declaration(svg)),
        chart_label="; ".join(
            f"{name}: {s.within_20} of {s.judged}" for name, s in group_summaries(result, groups)
        ),
        campaign=campaign,
        expected=ICO_EXPECTED_PERCENT,
        median=_days(campaign.median_working_days),
        outcomes=outcomes,
        lines=lines,
        csv_name=CSV_NAME,
    )
    return Markup(rendered)


def _strip_xml_declaration(svg: str) -> str:
    start = svg.find("<svg")
    return svg[start:] if start > 0 else svg


def responsiveness_figures(result: Responsiveness) -> list[dict[str, Any]]:
    """The campaign's responsiveness as rows of findings.csv (kind ``responsiveness``)."""
    campaign = result.campaign
    sentence = summary_sentence(campaign)

    def figure(figure_id: str, label: str, count: int, of: int | None) -> dict[str, Any]:
        from sightline.findings.engine import percent_of

        return {
            "kind": "responsiveness",
            "id": figure_id,
            "label": label,
            "count": count,
            "of": of,
            "percent": percent_of(count, of) if of is not None else None,
            "authorities": "",
            "sentence": sentence,
        }

    return [
        figure(
            "answered_within_20_working_days",
            "Requests answered within 20 working days (of those due)",
            campaign.within_20,
            campaign.judged,
        ),
        figure(
            "answered_in_time",
            "Requests answered within the time limit, extensions included",
            campaign.in_time,
            campaign.judged_in_time,
        ),
        figure("extended", "Requests whose time limit was extended", campaign.extended, None),
        figure(
            "internal_reviews_requested",
            "Internal reviews requested",
            campaign.reviews_requested,
            None,
        ),
        figure(
            "internal_reviews_in_time",
            "Internal reviews decided within their time limit (of those due)",
            campaign.reviews_in_time,
            campaign.reviews_judged,
        ),
    ]


def responsiveness_csv(records: Sequence[Mapping[str, Any]]) -> str:
    """responsiveness.csv: one row per request, the columns of docs/formats.md."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RECORD_COLUMNS)
    for record in records:
        writer.writerow(["" if record.get(c) is None else record.get(c) for c in RECORD_COLUMNS])
    return buffer.getvalue()
