"""Findings specifications: which figures an investigation reports, and in which words.

A specification is a small TOML file. Each ``[[metric]]`` is a filter over coded fields, counted
among the successful requests (those that answered), with a sentence template; each ``[[total]]``
sums a device-count column. The default specification (``default_spec.toml`` beside this module)
reproduces the headline bullets of the model investigation; a campaign about schools, police forces
or other vendors supplies its own file and reuses the same engine.

Templates use ``{name}`` placeholders (with an optional format such as ``{total:,}``); attribute and
index look-ups are refused, so a campaign's file cannot reach into Python objects.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sightline.errors import SightlineError, toml_problem
from sightline.findings.coded import VOCABULARY
from sightline.letters import BRACES

DEFAULT_SPEC_RESOURCE = "default_spec.toml"
METRIC_PLACEHOLDERS = frozenset(
    {"count", "of", "percent", "label", "authorities", "noun", "noun_one", "count_noun"}
    | {"detail_count", "detail_noun"}
)
TOTAL_PLACEHOLDERS = frozenset(
    {"total", "reporting", "reporting_noun", "max", "max_authority", "label", "noun", "noun_one"}
)
OVERVIEW_PLACEHOLDERS = frozenset(
    {
        "sent",
        "successful",
        "unsuccessful",
        "noun",
        "noun_one",
        "sent_noun",  # noun_one when one request was sent, else noun
        # by outcome (sightline.findings.coded.OUTCOMES); "others" is the clause for requests
        # not held, not delivered or still within the time limit
        "withheld_or_no_reply",
        "refused",
        "no_reply",
        "not_held",
        "not_delivered",
        "awaiting",
        "others",
    }
)
# Columns a filter may not use: they are not coded answers.
UNFILTERABLE = frozenset({"authority", "note", "responded_on"})


class SpecError(SightlineError, ValueError):
    """A findings specification that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Filter:
    """Coded column -> accepted values; ``match`` says whether all or any columns must accept."""

    where: Mapping[str, tuple[str, ...]]
    match: str = "all"

    def accepts(self, values: Mapping[str, str]) -> bool:
        tests = (values.get(column, "") in accepted for column, accepted in self.where.items())
        return all(tests) if self.match == "all" else any(tests)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.where)


@dataclass(frozen=True)
class Templates:
    """The sentence for a figure, with optional variants for none, one, and a detail."""

    default: str
    none: str | None = None
    one: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class MetricSpec:
    id: str
    label: str
    filter: Filter
    templates: Templates
    list_authorities: bool = False
    detail: Filter | None = None
    chart: bool = True


@dataclass(frozen=True)
class TotalSpec:
    id: str
    label: str
    column: str
    templates: Templates


@dataclass(frozen=True)
class FindingsSpec:
    name: str
    noun: str
    noun_one: str
    overview: Templates
    metrics: tuple[MetricSpec, ...]
    totals: tuple[TotalSpec, ...]
    source: str

    @property
    def columns(self) -> frozenset[str]:
        """Every coded column the specification reads."""
        used: set[str] = set()
        for metric in self.metrics:
            used.update(metric.filter.columns)
            if metric.detail:
                used.update(metric.detail.columns)
        used.update(total.column for total in self.totals)
        return frozenset(used)


def default_spec() -> FindingsSpec:
    """The specification that reproduces the model investigation's headline bullets."""
    text = resources.files("sightline.findings").joinpath(DEFAULT_SPEC_RESOURCE).read_text("utf-8")
    return parse_spec(text, source=f"sightline.findings/{DEFAULT_SPEC_RESOURCE}")


def load_spec(path: Path | str | None) -> FindingsSpec:
    """A campaign's specification file, or the default one when ``path`` is None."""
    if path is None:
        return default_spec()
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise SpecError(f"{path}: cannot be read ({reason})") from None
    return parse_spec(text, source=str(path))


def parse_spec(text: str, source: str = "specification") -> FindingsSpec:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{source}: {toml_problem(error)}", detail=str(error)) from None
    _only_keys(
        data, {"name", "noun", "noun_one", "overview", "metric", "total"}, source, "top level"
    )
    noun = _text(data, "noun", source, "top level", default="authorities")
    noun_one = _text(data, "noun_one", source, "top level", default="authority")
    overview_table = data.get("overview")
    if not isinstance(overview_table, dict):
        raise SpecError(f"{source}: [overview] with a template is required")
    overview = _templates(overview_table, OVERVIEW_PLACEHOLDERS, source, "[overview]")
    _only_keys(overview_table, _TEMPLATE_KEYS, source, "[overview]")

    metrics: list[MetricSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(_tables(data, "metric", source), start=1):
        where = f"metric {index}"
        _only_keys(
            entry,
            {"id", "label", "where", "match", "list_authorities", "detail_where", "chart"}
            | _TEMPLATE_KEYS,
            source,
            where,
        )
        metric_id = _identifier(entry, source, where, seen)
        where = f"metric {metric_id!r}"
        detail = None
        if "detail_where" in entry:
            detail = _filter(entry, "detail_where", source, where, match_key=None)
        metrics.append(
            MetricSpec(
                id=metric_id,
                label=_text(entry, "label", source, where, default=metric_id),
                filter=_filter(entry, "where", source, where, match_key="match"),
                templates=_templates(entry, METRIC_PLACEHOLDERS, source, where),
                list_authorities=_flag(entry, "list_authorities", source, where, default=False),
                detail=detail,
                chart=_flag(entry, "chart", source, where, default=True),
            )
        )
    totals: list[TotalSpec] = []
    for index, entry in enumerate(_tables(data, "total", source), start=1):
        where = f"total {index}"
        _only_keys(entry, {"id", "label", "column"} | _TEMPLATE_KEYS, source, where)
        total_id = _identifier(entry, source, where, seen)
        where = f"total {total_id!r}"
        column = _text(entry, "column", source, where)
        if column in VOCABULARY or column in UNFILTERABLE or column == "group":
            raise SpecError(f"{source}: {where}: column {column!r} does not hold device counts")
        totals.append(
            TotalSpec(
                id=total_id,
                label=_text(entry, "label", source, where, default=total_id),
                column=column,
                templates=_templates(entry, TOTAL_PLACEHOLDERS, source, where),
            )
        )
    return FindingsSpec(
        name=_text(data, "name", source, "top level", default="Findings"),
        noun=noun,
        noun_one=noun_one,
        overview=overview,
        metrics=tuple(metrics),
        totals=tuple(totals),
        source=source,
    )


_TEMPLATE_KEYS = {"template", "template_none", "template_one", "template_detail"}


class SafeFormatter(string.Formatter):
    """``str.format`` restricted to plain names: no ``{x.attr}`` or ``{x[0]}``."""

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if not field_name.isidentifier():
            raise KeyError(field_name)
        return kwargs[field_name], field_name


def render(template: str, values: Mapping[str, object]) -> str:
    return SafeFormatter().format(template, **values)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _templates(
    entry: Mapping[str, Any], allowed: frozenset[str], source: str, where: str
) -> Templates:
    found: dict[str, str | None] = {}
    for key in sorted(_TEMPLATE_KEYS):
        if key not in entry:
            found[key] = None
            continue
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            raise SpecError(f"{source}: {where}: {key} must be a non-empty string")
        try:
            names = placeholders(value)
        except ValueError as error:
            raise SpecError(
                f"{source}: {where}: {key} is not a valid template ({BRACES})", detail=str(error)
            ) from None
        unknown = sorted(name for name in names if name not in allowed)
        if unknown:
            raise SpecError(
                f"{source}: {where}: {key} uses unknown placeholder(s) {', '.join(unknown)}"
                f" (known: {', '.join(sorted(allowed))})"
            )
        found[key] = value
    default = found["template"]
    if default is None:
        raise SpecError(f"{source}: {where}: template is required")
    return Templates(
        default=default,
        none=found["template_none"],
        one=found["template_one"],
        detail=found["template_detail"],
    )


def _filter(
    entry: Mapping[str, Any], key: str, source: str, where: str, match_key: str | None
) -> Filter:
    table = entry.get(key)
    if not isinstance(table, dict) or not table:
        raise SpecError(f"{source}: {where}: {key} must be a table of column = [values]")
    accepted: dict[str, tuple[str, ...]] = {}
    for column, values in table.items():
        if column in UNFILTERABLE:
            raise SpecError(f"{source}: {where}: {key} cannot filter on {column!r}")
        if isinstance(values, str | bool):
            values = [values]
        if not isinstance(values, list) or not values:
            raise SpecError(f"{source}: {where}: {key}.{column} must be a list of values")
        texts = tuple(
            ("true" if v else "false") if isinstance(v, bool) else str(v).strip().lower()
            for v in values
        )
        vocabulary = VOCABULARY.get(column)
        if vocabulary is not None:
            bad = [text for text in texts if text not in vocabulary]
            if bad:
                raise SpecError(
                    f"{source}: {where}: {key}.{column} value {bad[0]!r} is not one of"
                    f" {', '.join(vocabulary)}"
                )
        accepted[column] = texts
    match = "all"
    if match_key is not None and match_key in entry:
        match = entry[match_key]
        if match not in ("all", "any"):
            raise SpecError(f'{source}: {where}: {match_key} must be "all" or "any"')
    return Filter(where=accepted, match=match)


def _tables(data: Mapping[str, Any], key: str, source: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise SpecError(f"{source}: {key} must be written as [[{key}]] tables")
    return value


def _identifier(entry: Mapping[str, Any], source: str, where: str, seen: set[str]) -> str:
    value = _text(entry, "id", source, where)
    if not value.isidentifier():
        raise SpecError(f"{source}: {where}: id {value!r} must be letters, digits and _")
    if value in seen:
        raise SpecError(f"{source}: {where}: id {value!r} is used twice")
    seen.add(value)
    return value


def _text(
    entry: Mapping[str, Any], key: str, source: str, where: str, default: str | None = None
) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{source}: {where}: {key} must be a non-empty string")
    return value.strip()


def _flag(entry: Mapping[str, Any], key: str, source: str, where: str, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise SpecError(f"{source}: {where}: {key} must be true or false")
    return value


def _only_keys(entry: Mapping[str, Any], allowed: set[str], source: str, where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise SpecError(f"{source}: {where}: unknown key(s) {', '.join(unknown)}")
