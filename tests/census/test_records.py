"""The header and realm parsers the readers and the matcher share, on the edge cases of their
grammars (RFC 9110 section 5: field lines; RFC 7235 section 2.2: auth-param quoting)."""

from __future__ import annotations

import pytest

from sightline.census.matcher import realms
from sightline.census.records import rule_headers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # first Server wins; blanks around the value and the line's CR are not part of it
        (
            "HTTP/1.1 200 OK\r\nServer:  web \t\r\nSERVER: second\r\n\r\nServer: body",
            ("web", None),
        ),
        # every challenge is kept, in order, joined by ", "
        (
            'RTSP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm="a"\r\n'
            'www-authenticate : Digest realm="b", nonce="1"\r\n\r\n',
            (None, 'Basic realm="a", Digest realm="b", nonce="1"'),
        ),
        # header lines without a status line (nmap's http-headers output), LF only
        ("Server: first line\nContent-Type: text/html\n", ("first line", None)),
        # a longer name, a name after a blank, a CR inside the value, an empty value
        ("HTTP/1.0 200 OK\r\nServer-Timing: x\r\n Server: y\r\n\r\n", (None, None)),
        ("HTTP/1.0 200 OK\r\nServer: a\rb \r\r\n\r\n", ("a\rb", None)),
        ("HTTP/1.0 200 OK\r\nServer:\r\n\r\n", ("", None)),
        # names are compared in ASCII case only (U+017F is not "s")
        ("HTTP/1.0 200 OK\r\n\u017fERVER: x\r\n\r\n", (None, None)),
    ],
)
def test_rule_headers(raw: str, expected: tuple[str | None, str | None]) -> None:
    assert rule_headers(raw) == expected


def test_realms_quoting() -> None:
    # escapes inside quotes, a token, blanks around "=", an empty realm, a repeat in another
    # case (kept once), a longer parameter name, and an unclosed quote (read as a token)
    challenge = (
        'Basic realm="a\\"b", Digest REALM=tok,x realm = "" realm="\\\\" '
        'xrealm="no" realm="Tok" realm="cut'
    )
    assert realms(challenge) == ['a"b', "tok", "", "\\\\", '"cut']
