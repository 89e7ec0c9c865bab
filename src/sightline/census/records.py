"""What every reader produces: one scan record per host (or per host and port), format-free."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sightline.errors import SightlineError


@dataclass(slots=True)
class Service:
    """One scanned port of a host and the fields the fingerprint rules read."""

    port: int | None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ScanRecord:
    """A host as one input record describes it."""

    ip: str
    services: list[Service]
    line: int
    country: str | None = None
    region: str | None = None
    date: str | None = None
    asn: int | None = None
    org: str | None = None
    isp: str | None = None


class RecordError(SightlineError, ValueError):
    """The record is well-formed JSON/XML but lacks what the census needs."""


# the two headers the rules read, at the start of a line, names in any ASCII case (RFC 9110
# section 5.1); each match starts at the newline before its line (text is given one in front),
# so the regex engine looks for the newline first instead of trying every position
_RULE_HEADER = re.compile(
    r"\n(?:([Ss][Ee][Rr][Vv][Ee][Rr])|[Ww][Ww][Ww]-[Aa][Uu][Tt][Hh][Ee][Nn][Tt][Ii][Cc][Aa][Tt][Ee])"
    r"[ \t]*:[ \t]*(.*)"
)


def _header_value(text: str) -> str:
    """A header line's value without the line's CR and trailing blanks."""
    if text.endswith("\r"):
        text = text[:-1]
    return text.rstrip(" \t")


def rule_headers(raw: str) -> tuple[str | None, str | None]:
    """The Server and WWW-Authenticate headers of a raw HTTP or RTSP reply (or of header lines):
    the first Server wins; every challenge is kept, joined by ", " as RFC 9110 allows."""
    end = raw.find("\r\n\r\n")
    server = challenge = None
    for is_server, value in _RULE_HEADER.findall("\n" + (raw if end < 0 else raw[:end])):
        if is_server:
            if server is None:
                server = _header_value(value)
        elif challenge is None:
            challenge = _header_value(value)
        else:
            challenge += ", " + _header_value(value)
    return server, challenge


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def add_page(fields: dict[str, str], body: str) -> None:
    """File an HTML page as the body, and its title when it has one."""
    if not body:
        return
    fields.setdefault("http.body", body)
    if "http.title" not in fields and ("<title" in body or "<TITLE" in body):
        found = _TITLE.search(body)
        if found:
            from html import unescape

            fields["http.title"] = unescape(found.group(1).strip())


def add_raw_reply(fields: dict[str, str], raw: str) -> None:
    """File a raw reply under the fields the rules read, by the protocol its first line shows."""
    if raw.startswith("HTTP/"):
        _, sep, body = raw.partition("\r\n\r\n")
        if not sep:
            _, _, body = raw.partition("\n\n")
        fields.setdefault("http.headers_raw", raw.split("\r\n\r\n", 1)[0])
        server, challenge = rule_headers(raw)
        if server is not None:
            fields.setdefault("http.server", server)
        if challenge is not None:
            fields.setdefault("http.www_authenticate", challenge)
        add_page(fields, body)
    elif raw.startswith("RTSP/"):
        server, challenge = rule_headers(raw)
        if server is not None:
            fields.setdefault("rtsp.server", server)
        if challenge is not None:
            fields.setdefault("rtsp.www_authenticate", challenge)
    else:
        fields.setdefault("banner.raw", raw)


def date_of(timestamp: str | int | float | None) -> str | None:
    """YYYY-MM-DD from an ISO timestamp or Unix seconds (as masscan and nmap write them)."""
    if timestamp is None or timestamp == "":
        return None
    if isinstance(timestamp, int | float) or timestamp.isdigit():
        from datetime import UTC, datetime

        return datetime.fromtimestamp(int(timestamp), UTC).date().isoformat()
    if len(timestamp) >= 10 and timestamp[4] == "-" and timestamp[7] == "-":
        return timestamp[:10]
    raise RecordError(f"unreadable timestamp {timestamp!r}")
