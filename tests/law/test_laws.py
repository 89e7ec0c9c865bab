import pytest

from sightline.law import Law, UnknownLawError, law_for_nation, parse_law, rules_for


def test_parse_law_is_case_insensitive():
    assert parse_law(" FOISA ") is Law.FOISA


def test_unknown_law_names_the_choices():
    with pytest.raises(UnknownLawError) as error:
        parse_law("gdpr")
    assert str(error.value) == "unknown law 'gdpr': choose one of foia, eir, foisa, eisr"


def test_scottish_bodies_answer_under_foisa():
    assert law_for_nation("Scotland") is Law.FOISA
    assert law_for_nation("Wales") is Law.FOIA
    assert law_for_nation("Northern Ireland") is Law.FOIA


def test_regulators():
    assert rules_for("eir").regulator == "Information Commissioner's Office"
    assert rules_for(Law.EISR).regulator == "Scottish Information Commissioner"
    assert rules_for(Law.FOIA).time_limit_provision == "section 10(1)"
