"""Attachments as downloads and HTML bodies made safe to show."""

from email.message import EmailMessage

from sightline.mail.attachments import (
    attachment_content,
    download_type,
    list_attachments,
    plain_text,
    sanitised_html,
)


def message(html: str | None = None) -> bytes:
    mail = EmailMessage()
    mail["From"] = "foi@council.example"
    mail["Subject"] = "Re: FOI"
    mail.set_content("Plain words.\n")
    if html is not None:
        mail.add_alternative(html, subtype="html")
    mail.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="reply.pdf")
    mail.add_attachment(b"<svg onload=x>", maintype="image", subtype="svg+xml", filename='a"b.svg')
    return bytes(mail)


def test_attachments_listed_and_read():
    raw = message()
    assert [(a.index, a.filename, a.content_type, a.size) for a in list_attachments(raw)] == [
        (0, "reply.pdf", "application/pdf", 10),
        (1, "a_b.svg", "image/svg+xml", 14),
    ]
    info, content = attachment_content(raw, 0)
    assert (info.filename, content) == ("reply.pdf", b"%PDF-1.4 x")
    try:
        attachment_content(raw, 2)
    except IndexError as error:
        assert str(error) == "the message has no attachment 3"
    else:
        raise AssertionError("no IndexError")


def test_download_types_are_safe():
    assert download_type("reply.pdf", "application/pdf") == "application/pdf"
    assert download_type("a.svg", "image/svg+xml") == "application/octet-stream"
    assert download_type("page.html", "text/html") == "application/octet-stream"
    assert download_type("data.csv", "application/octet-stream") == "text/csv"
    assert download_type("x.exe", "application/x-msdownload") == "application/octet-stream"


def test_sanitised_html_keeps_structure_only():
    raw = message(
        "<div onclick='x()'><p>Owns <b>14</b> cameras</p><script>alert(1)</script>"
        "<style>p{}</style><img src='https://t.example/p.gif'>"
        "<a href='javascript:alert(1)'>bad</a> <a href='https://ok.example/'>good</a></div>"
    )
    assert sanitised_html(raw) == (
        "<div><p>Owns <b>14</b> cameras</p>"
        '<a rel="noopener noreferrer nofollow">bad</a> '
        '<a href="https://ok.example/" rel="noopener noreferrer nofollow">good</a></div>\n'
    )
    assert sanitised_html(message()) is None
    assert plain_text(raw) == "Plain words.\n"


def test_a_forwarded_message_downloads_whole():
    inner = EmailMessage()
    inner["Subject"] = "Original"
    inner.set_content("The original words.\n")
    outer = EmailMessage()
    outer["Subject"] = "Fwd"
    outer.set_content("See attached.\n")
    outer.add_attachment(inner)
    raw = bytes(outer)
    (listed,) = list_attachments(raw)
    assert (listed.filename, listed.content_type) == ("Original.eml", "message/rfc822")
    _, content = attachment_content(raw, 0)
    assert b"Subject: Original" in content and b"The original words." in content
