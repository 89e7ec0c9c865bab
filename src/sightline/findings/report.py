"""``index.html``: the self-contained report (no external resources; works from a file: URL)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from sightline import __version__
from sightline.findings.chart import spec_for_script, vega_javascript
from sightline.findings.engine import Findings, MetricResult
from sightline.findings.method import MethodInfo
from sightline.findings.pages import marked
from sightline.findings.spec import FindingsSpec
from sightline.findings.updates import Update

TEMPLATE_RESOURCE = "report_template.html"

OUTCOME_WORDS = {
    "answered": "answered",
    "refused": "refused",
    "not_held": "not held",
    "not_delivered": "not delivered",
    "awaiting": "awaiting (within the time limit)",
    "no_response": "no reply (past the time limit)",
}
FACIAL_WORDS = {"yes": "uses it", "past": "used or trialled", "no": "no", "unknown": "unknown"}


@dataclass(frozen=True)
class TableLine:
    authority: str
    anchor: str
    outcome: str
    hikvision: str
    hikvision_class: str
    dahua: str
    dahua_class: str
    facial_recognition: str
    footnote: int | None
    spend: str = ""  # spending with the vendors' suppliers (sightline.procurement), if given
    page: str = ""  # the request's own page in the bundle, if it has one


def render_report(
    findings: Findings,
    spec: FindingsSpec,
    *,
    title: str,
    built_on: dt.date,
    method: MethodInfo,
    updates: Sequence[Update],
    chart_spec: dict[str, Any],
    chart_svg: str,
    evidence_count: int,
    evidence: Sequence[Mapping[str, str]] = (),
    earlier: Findings | None = None,
    spend_column: Mapping[str, str] | None = None,
    spend_headline: str = "",
    responsiveness_section: str = "",
    pages: Mapping[str, str] | None = None,
) -> str:
    pages = pages or {}
    template = _environment().get_template(TEMPLATE_RESOURCE)
    groups: list[tuple[str, list[TableLine]]] = []
    anchors: set[str] = set()
    for row in findings.table:
        if not groups or groups[-1][0] != row.group:
            groups.append((row.group, []))
        response = row.response
        unspecified = response.hikvision_or_dahua_unspecified
        groups[-1][1].append(
            TableLine(
                authority=row.authority,
                anchor=_anchor(row.authority, anchors),
                outcome=OUTCOME_WORDS[response.outcome],
                hikvision=_owned(row.hikvision, unspecified),
                hikvision_class="yes" if row.hikvision == "yes" else "",
                dahua=_owned(row.dahua, unspecified),
                dahua_class="yes" if row.dahua == "yes" else "",
                facial_recognition=FACIAL_WORDS[response.facial_recognition],
                footnote=row.footnote,
                spend=(spend_column or {}).get(row.authority, ""),
                page=pages.get(row.authority, ""),
            )
        )
    group_counts: dict[str, int] = {}
    for response in findings.responses:
        group_counts[response.group] = group_counts.get(response.group, 0) + 1
    charted = [m for m in findings.metrics if m.chart]
    chart_label = "; ".join(
        f"{m.label}: {m.count} of {m.of}" + (f" ({m.percent}%)" if m.percent is not None else "")
        for m in charted
    )
    changes = []
    if earlier is not None:
        changes.append(("Requests answered", str(earlier.successful), str(findings.successful)))
        for before, after in zip(earlier.metrics, findings.metrics, strict=True):
            changes.append((after.label, _figure(before), _figure(after)))
    return template.render(
        version=__version__,
        earlier_date=earlier.as_of.isoformat() if earlier and earlier.as_of else None,
        changes=changes,
        title=title,
        as_of=findings.as_of.isoformat() if findings.as_of else None,
        built_on=built_on.isoformat(),
        headlines=findings.headlines,
        chart_label=chart_label,
        chart_svg=Markup(_strip_xml_declaration(chart_svg)),
        groups=groups,
        footnotes=findings.footnotes,
        method=method,
        sent=findings.sent,
        successful=findings.successful,
        noun=spec.noun,
        group_counts=[(count, reader_noun(group)) for group, count in group_counts.items()],
        footnote_pages=[
            (row.footnote, row.authority, pages.get(row.authority, ""))
            for row in findings.table
            if row.footnote
        ],
        pages=pages,
        updates=list(updates),
        evidence_count=evidence_count,
        evidence=_evidence_in_table_order(findings, evidence),
        vega_js=Markup(vega_javascript()),
        spec_js=Markup(spec_for_script(chart_spec)),
        show_spend=spend_column is not None,
        spend_headline=spend_headline,
        # sightline.findings.responsiveness_report renders it (already escaped); "" for none
        responsiveness_section=Markup(responsiveness_section),
    )


# Words that open a set's title in lower case when it follows a number ("20 largest city
# councils"); any other first word (a place, an acronym) keeps its capital ("32 London borough
# councils", "12 NHS trusts").
_COMMON_FIRST_WORDS = frozenset(
    {
        "all",
        "largest",
        "smallest",
        "biggest",
        "other",
        "city",
        "county",
        "district",
        "metropolitan",
        "unitary",
        "borough",
        "parish",
        "town",
        "police",
        "fire",
        "councils",
        "council",
        "schools",
        "universities",
        "hospitals",
        "trusts",
        "authorities",
        "bodies",
        "combined",
        "national",
        "local",
        "regional",
        "public",
        "health",
        "selected",
        "sample",
    }
)


def reader_noun(title: str) -> str:
    """A set's title as it reads after a number: "Largest city councils" -> "largest city
    councils"; "London borough councils" stays."""
    title = title.strip()
    if not title:
        return "with no group"
    first = title.split()[0]
    if first.casefold() in _COMMON_FIRST_WORDS and not first.isupper():
        return title[0].lower() + title[1:]
    return title


def _template_source(name: str) -> str:
    return resources.files("sightline.findings").joinpath(name).read_text("utf-8")


def _environment() -> jinja2.Environment:
    """The report's templates: the page and its parts (report_*.html), each section in its own
    file where it is more than a few lines."""
    environment = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["marked"] = marked
    return environment


def _evidence_in_table_order(
    findings: Findings, evidence: Sequence[Mapping[str, str]]
) -> list[Mapping[str, str]]:
    position = {row.authority: index for index, row in enumerate(findings.table)}
    return sorted(evidence, key=lambda item: position.get(item["authority"], len(position)))


def _figure(metric: MetricResult) -> str:
    share = f" ({metric.percent}%)" if metric.percent is not None else ""
    return f"{metric.count} of {metric.of}{share}"


def _owned(value: str, unspecified: bool) -> str:
    if value != "yes" and unspecified:
        return "Hikvision or Dahua (not said which)"
    return value


def _anchor(name: str, taken: set[str]) -> str:
    base = "authority-" + (re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "x")
    anchor, number = base, 2
    while anchor in taken:
        anchor, number = f"{base}-{number}", number + 1
    taken.add(anchor)
    return anchor


def _strip_xml_declaration(svg: str) -> str:
    return re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
