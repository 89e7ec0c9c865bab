"""The findings engine: coded responses in, figures, headline sentences and the table out.

Rules (docs/formats.md, coded answers): ``sent`` counts every row, ``successful`` the
answered ones; every metric is counted among the successful requests and its percentage is of
``successful``, rounded half up to a whole number (Decimal, never banker's rounding); findings can
be computed as they stood on a date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sightline.errors import SightlineError
from sightline.findings.coded import OUTCOMES, REQUIRED_COLUMNS, CodedResponse
from sightline.findings.spec import FindingsSpec, MetricSpec, Templates, TotalSpec, render
from sightline.findings.table import AuthorityRow, authority_table


class FindingsError(SightlineError, ValueError):
    """Coded responses and a specification that do not fit together."""


@dataclass(frozen=True)
class MetricResult:
    id: str
    label: str
    count: int
    of: int
    percent: int | None  # None when nobody answered
    authorities: tuple[str, ...]  # every authority counted, sorted by name
    list_authorities: bool
    detail_count: int
    sentence: str
    chart: bool

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"count": self.count, "of": self.of, "percent": self.percent}
        if self.list_authorities:
            data["authorities"] = list(self.authorities)
        return data


@dataclass(frozen=True)
class TotalResult:
    id: str
    label: str
    total: int
    reporting: int  # authorities that gave a count
    max: int | None
    max_authorities: tuple[str, ...]
    sentence: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "reporting": self.reporting,
            "max": self.max,
            "max_authorities": list(self.max_authorities),
        }


@dataclass(frozen=True)
class Findings:
    sent: int
    successful: int
    unsuccessful: int
    metrics: tuple[MetricResult, ...]
    totals: tuple[TotalResult, ...]
    headlines: tuple[str, ...]
    table: tuple[AuthorityRow, ...]
    footnotes: tuple[str, ...]
    as_of: dt.date | None
    responses: tuple[CodedResponse, ...]  # as they stood on ``as_of``
    outcomes: dict[str, int] = dataclasses.field(default_factory=dict)  # every outcome, counted

    def as_contract_json(self) -> dict[str, Any]:
        """The exact output of ``sightline findings compute --json`` (docs/formats.md, coded answers)."""
        return {
            "sent": self.sent,
            "successful": self.successful,
            "unsuccessful": self.unsuccessful,
            "metrics": {metric.id: metric.as_json() for metric in self.metrics},
            "headlines": list(self.headlines),
            "table": [row.as_json() for row in self.table],
            "footnotes": list(self.footnotes),
        }


def percent_of(count: int, of: int) -> int | None:
    """``count`` as a whole percentage of ``of``, rounded half up (1 of 8 = 12.5 -> 13)."""
    if of == 0:
        return None
    exact = Decimal(count) * 100 / Decimal(of)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def join_names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def name_order(name: str) -> tuple[str, str]:
    """Alphabetical order of authority names, ignoring case (ties broken by the exact text)."""
    return (name.casefold(), name)


def compute_findings(
    responses: Sequence[CodedResponse], spec: FindingsSpec, as_of: dt.date | None = None
) -> Findings:
    _check_columns(responses, spec)
    current = tuple(response.as_of(as_of) for response in responses)
    answered = [response for response in current if response.answered]
    sent, successful = len(current), len(answered)
    words = {"noun": spec.noun, "noun_one": spec.noun_one}

    outcomes = {outcome: 0 for outcome in OUTCOMES}
    for response in current:
        outcomes[response.outcome] = outcomes.get(response.outcome, 0) + 1
    headlines = [
        render(
            _choose(spec.overview, successful, 0),
            {
                "sent": sent,
                "successful": successful,
                "unsuccessful": sent - successful,
                # "withheld or did not respond": refusals and missed deadlines only; requests
                # still in time, undelivered or answered "not held" are said separately.
                "withheld_or_no_reply": outcomes["refused"] + outcomes["no_response"],
                "refused": outcomes["refused"],
                "no_reply": outcomes["no_response"],
                "not_held": outcomes["not_held"],
                "not_delivered": outcomes["not_delivered"],
                "awaiting": outcomes["awaiting"],
                "others": _other_outcomes(outcomes),
                "sent_noun": spec.noun_one if sent == 1 else spec.noun,
                **words,
            },
        )
    ]
    metrics = tuple(_metric(metric, answered, spec) for metric in spec.metrics)
    totals = tuple(_total(total, answered, spec) for total in spec.totals)
    if successful:  # with no answers there are no shares to state: the overview says so
        headlines.extend(metric.sentence for metric in metrics)
        headlines.extend(total.sentence for total in totals if total.sentence)
    table, footnotes = authority_table(current)
    return Findings(
        sent=sent,
        successful=successful,
        unsuccessful=sent - successful,
        metrics=metrics,
        totals=totals,
        headlines=tuple(headlines),
        table=table,
        footnotes=footnotes,
        as_of=as_of,
        responses=current,
        outcomes=outcomes,
    )


def _other_outcomes(outcomes: dict[str, int]) -> str:
    """The clause for requests neither answered nor refused nor unanswered past their time
    limit: "; 2 said they hold none of it, 1 could not be delivered and 3 are still within
    their time limit" (empty when there are none)."""
    parts = []
    if outcomes["not_held"]:
        n = outcomes["not_held"]
        parts.append(f"{n} said {'it holds' if n == 1 else 'they hold'} none of the information")
    if outcomes["not_delivered"]:
        n = outcomes["not_delivered"]
        parts.append(f"{n} could not be delivered")
    if outcomes["awaiting"]:
        n = outcomes["awaiting"]
        parts.append(f"{n} {'is' if n == 1 else 'are'} still within the time limit")
    return "; " + join_names(parts) if parts else ""


def _metric(
    metric: MetricSpec, answered: Sequence[CodedResponse], spec: FindingsSpec
) -> MetricResult:
    counted = [r for r in answered if metric.filter.accepts(_values(r, metric.filter.columns))]
    detail = (
        [r for r in counted if metric.detail.accepts(_values(r, metric.detail.columns))]
        if metric.detail
        else []
    )
    names = tuple(sorted((r.authority for r in counted), key=name_order))
    count, of = len(counted), len(answered)
    percent = percent_of(count, of)
    values = {
        "count": count,
        "of": of,
        "percent": "n/a" if percent is None else percent,
        "label": metric.label,
        "authorities": join_names(names),
        "noun": spec.noun,
        "noun_one": spec.noun_one,
        "count_noun": spec.noun_one if count == 1 else spec.noun,
        "detail_count": len(detail),
        "detail_noun": spec.noun_one if len(detail) == 1 else spec.noun,
    }
    return MetricResult(
        id=metric.id,
        label=metric.label,
        count=count,
        of=of,
        percent=percent,
        authorities=names,
        list_authorities=metric.list_authorities,
        detail_count=len(detail),
        sentence=render(_choose(metric.templates, count, len(detail)), values),
        chart=metric.chart,
    )


def _total(total: TotalSpec, answered: Sequence[CodedResponse], spec: FindingsSpec) -> TotalResult:
    counts = [(r.authority, r.count(total.column)) for r in answered]
    known = [(name, value) for name, value in counts if value is not None]
    grand = sum(value for _, value in known)
    largest = max((value for _, value in known), default=None)
    leaders = tuple(sorted((n for n, v in known if v == largest), key=name_order))
    sentence = None
    if known or total.templates.none:
        values = {
            "total": grand,
            "reporting": len(known),
            "reporting_noun": spec.noun_one if len(known) == 1 else spec.noun,
            "max": 0 if largest is None else largest,
            "max_authority": join_names(leaders),
            "label": total.label,
            "noun": spec.noun,
            "noun_one": spec.noun_one,
        }
        sentence = render(_choose(total.templates, len(known), 0), values)
    return TotalResult(
        id=total.id,
        label=total.label,
        total=grand,
        reporting=len(known),
        max=largest,
        max_authorities=leaders,
        sentence=sentence,
    )


def _choose(templates: Templates, count: int, detail_count: int) -> str:
    if count == 0 and templates.none:
        return templates.none
    if detail_count > 0 and templates.detail:
        return templates.detail
    if count == 1 and templates.one:
        return templates.one
    return templates.default


def _values(response: CodedResponse, columns: Sequence[str]) -> dict[str, str]:
    return {column: response.value(column) for column in columns}


def _check_columns(responses: Sequence[CodedResponse], spec: FindingsSpec) -> None:
    """A specification that reads a column the coded file lacks is refused, not read as empty."""
    if not responses:
        return
    available = set(REQUIRED_COLUMNS) | set(responses[0].extra)
    missing = sorted(column for column in spec.columns if column not in available)
    if missing:
        raise FindingsError(
            f"the findings specification {spec.source} reads column(s) {', '.join(missing)}"
            " which the coded responses lack"
        )
    for total in spec.totals:
        if total.column in REQUIRED_COLUMNS:
            continue
        for response in responses:
            try:
                response.count(total.column)
            except ValueError:
                text = response.extra.get(total.column, "")
                message = f"{total.column} {text!r} is not a whole number of devices"
                raise FindingsError(f"line {response.line}: {message}") from None
