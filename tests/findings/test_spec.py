"""Findings specification files: the default one, and clear refusals of bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from sightline.findings.spec import SpecError, default_spec, load_spec, parse_spec, render

MINIMAL = """
[overview]
template = "{sent} asked."
"""


def test_default_spec_holds_the_model_investigation_figures() -> None:
    spec = default_spec()
    assert [metric.id for metric in spec.metrics] == [
        "hikvision",
        "dahua",
        "hikvision_or_dahua",
        "facial_recognition",
    ]
    assert [total.column for total in spec.totals] == ["hikvision_devices", "dahua_devices"]
    assert spec.metrics[2].filter.match == "any"
    assert spec.metrics[3].list_authorities is True
    assert (spec.noun, spec.noun_one) == ("authorities", "authority")


def test_a_minimal_spec_has_defaults() -> None:
    spec = parse_spec(MINIMAL, source="m.toml")
    assert (spec.name, spec.noun, spec.metrics, spec.totals) == ("Findings", "authorities", (), ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = ", "s.toml: not valid TOML"),
        ("name = 'x'\n[overview\n", "s.toml: not valid TOML at line 2, column 10"),
        ("name = 'x'", "s.toml: [overview] with a template is required"),
        ("colour = 'red'" + MINIMAL, "s.toml: top level: unknown key(s) colour"),
        (MINIMAL + "colour = 'red'", "s.toml: [overview]: unknown key(s) colour"),
        (
            MINIMAL + "[[metric]]\nid = 'a b'\nwhere = {hikvision = ['yes']}\ntemplate = 'x'\n",
            "s.toml: metric 1: id 'a b' must be letters, digits and _",
        ),
        (
            MINIMAL + "[[metric]]\nid = 'a'\nwhere = {hikvision = ['maybe']}\ntemplate = 'x'\n",
            "s.toml: metric 'a': where.hikvision value 'maybe' is not one of yes, no, unknown",
        ),
        (
            MINIMAL + "[[metric]]\nid = 'a'\nwhere = {note = ['x']}\ntemplate = 'x'\n",
            "s.toml: metric 'a': where cannot filter on 'note'",
        ),
        (
            MINIMAL + "[[metric]]\nid = 'a'\nwhere = {hikvision = ['yes']}\ntemplate = '{cnt}'\n",
            "s.toml: metric 'a': template uses unknown placeholder(s) cnt (known: authorities,"
            " count, count_noun, detail_count, detail_noun, label, noun, noun_one, of, percent)",
        ),
        (
            MINIMAL + "[[metric]]\nid = 'a'\nwhere = {hikvision = ['yes']}\n",
            "s.toml: metric 'a': template is required",
        ),
        (
            MINIMAL + "[[metric]]\nid = 'a'\nwhere = {hikvision = ['yes']}\ntemplate = 'x'\n"
            "match = 'some'\n",
            's.toml: metric \'a\': match must be "all" or "any"',
        ),
        (
            MINIMAL + "[[metric]]\nid = 'a'\nwhere = {hikvision = ['yes']}\ntemplate = 'x'\n"
            "[[total]]\nid = 'a'\ncolumn = 'n'\ntemplate = 'x'\n",
            "s.toml: total 1: id 'a' is used twice",
        ),
        (
            MINIMAL + "[[total]]\nid = 't'\ncolumn = 'dahua'\ntemplate = 'x'\n",
            "s.toml: total 't': column 'dahua' does not hold device counts",
        ),
        (
            MINIMAL + "[[metric]]\nid = 'a'\nwhere = {hikvision = ['yes']}\ntemplate = '{'\n",
            "s.toml: metric 'a': template is not a valid template (a { or } is not paired"
            " (write {{ or }} for a brace itself))",
        ),
    ],
)
def test_bad_specifications_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, source="s.toml")
    assert str(caught.value) == message


def test_templates_cannot_reach_into_objects() -> None:
    assert render("{count:,} of {of}", {"count": 1790, "of": 2}) == "1,790 of 2"
    with pytest.raises(KeyError):
        render("{count.__class__}", {"count": 1})
    with pytest.raises(SpecError):
        parse_spec(
            MINIMAL + "[[metric]]\nid='a'\nwhere={hikvision=['yes']}\ntemplate='{count.real}'\n"
        )


def test_load_spec_names_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(tmp_path / "none.toml")
    assert (
        str(caught.value) == f"{tmp_path / 'none.toml'}: cannot be read (No such file or directory)"
    )
    assert load_spec(None) == default_spec()
