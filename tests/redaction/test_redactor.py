"""Applying accepted redactions: every occurrence, any case or wrapping, whole words only."""

from __future__ import annotations

from sightline.redaction import MARK_PATTERN, Redaction, Redactor


def test_every_occurrence_in_any_case_and_wrapping() -> None:
    redactor = Redactor([Redaction("Priya Raman", "name"), Redaction("020 7946 0321", "phone")])
    text = "Priya Raman wrote; PRIYA\n  RAMAN signed; call 020 7946 0321."
    assert redactor.redact(text) == (
        "[name removed] wrote; [name removed] signed; call [phone number removed]."
    )


def test_whole_words_only_and_the_longest_piece_first() -> None:
    redactor = Redactor([Redaction("Doe", "name"), Redaction("alex.doe@mail.example", "email")])
    assert redactor.redact("Does Mr Doe use alex.doe@mail.example?") == (
        "Does Mr [name removed] use [e-mail address removed]?"
    )


def test_no_redactions_change_nothing() -> None:
    assert Redactor().redact("Priya Raman") == "Priya Raman"
    assert len(Redactor([Redaction("  ", "name")])) == 0


def test_many_redactions_and_long_ones() -> None:
    names = [Redaction(f"Officer Number{n:05d}", "name") for n in range(3000)]
    long_piece = "Flat 1 " + "x" * 480
    redactor = Redactor([*names, Redaction(long_piece, "address")])
    assert len(redactor) == 3001
    assert redactor.redact("by Officer Number02999 and Officer Number03000") == (
        "by [name removed] and Officer Number03000"
    )
    assert redactor.redact(long_piece) == "[address removed]"


def test_marks_are_found_again_for_the_pages() -> None:
    text = Redactor([Redaction("Sam", "name")]).redact("Dear Sam, from Sam")
    assert MARK_PATTERN.findall(text) == ["[name removed]", "[name removed]"]
