"""The one sanitiser of attachment names."""

from sightline.replies.names import display_name


def test_no_folder_and_no_header_breaking_characters():
    assert display_name("../../etc/passwd", "f") == "passwd"
    assert display_name("C:\\Users\\foi\\reply.pdf", "x") == "reply.pdf"
    assert display_name("bad\x00name.pdf", "x") == "bad_name.pdf"
    assert display_name('a"b.svg', "x") == "a_b.svg"
    assert display_name("Réponse à la demande.pdf", "x") == "Réponse à la demande.pdf"


def test_fallback_when_nothing_is_left():
    assert display_name("\r\n", "attachment-1") == "attachment-1"
    assert display_name(" .. ", "fallback.bin") == "fallback.bin"
    assert display_name(None, "fallback.bin") == "fallback.bin"


def test_long_names_keep_their_extension():
    name = display_name("x" * 300 + ".pdf", "f")
    assert (len(name), name[-6:]) == (150, "xx.pdf")
