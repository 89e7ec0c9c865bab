import pytest

from sightline.law import Law
from sightline.letters import LetterFields, TemplateError, check_template, render


def fields(law):
    return LetterFields("Glasgow City Council", "Glasgow City", law, "CCTV-0003", "A. Researcher")


def test_render_fills_law_specific_fields():
    template = (
        "Dear {authority_name}: {law_section} of the {law_name} ({time_limit_section}). {reference}"
    )
    assert render(template, fields(Law.FOISA)) == (
        "Dear Glasgow City Council: section 1 of the Freedom of Information (Scotland) Act 2002 "
        "(section 10(1)). CCTV-0003"
    )
    assert render("{law_short_name} {law_section}", fields(Law.EIR)) == "EIR regulation 5(1)"


def test_literal_braces_survive():
    assert render("{{not a field}} {authority_short_name}", fields(Law.FOIA)) == (
        "{not a field} Glasgow City"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("", "template is empty"),
        (
            "Dear {authority",
            "template is not well formed: a { or } is not paired (write {{ or }} for a brace"
            " itself)",
        ),
        (
            "Dear }",
            "template is not well formed: a { or } is not paired (write {{ or }} for a brace"
            " itself)",
        ),
    ],
)
def test_bad_templates(template, message):
    with pytest.raises(TemplateError) as error:
        check_template(template)
    assert str(error.value) == message


def test_builtin_letter_is_a_valid_template():
    from importlib import resources

    letter = resources.files("sightline.campaigns").joinpath("letters/cctv_vendors.txt").read_text()
    check_template(letter)
    text = render(letter, fields(Law.FOISA))
    assert "section 1 of the Freedom of Information (Scotland) Act 2002" in text
    assert "quote reference CCTV-0003" in text
