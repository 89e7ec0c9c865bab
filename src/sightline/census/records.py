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


_HEADER_LINE = re.compile(r"^([A-Za-z0-9-]+)[ \t]*:[ \t]*(.*?)[ \t]*\r?$", re.MULTILINE)


def header_values(raw: str) -> dict[str, str]:
    """Header lines of a raw HTTP or RTSP reply, by lower-case name (the first value wins,
    except WWW-Authenticate: every challenge is kept, joined by ", " as RFC 9110 allows)."""
    head = raw.split("\r\n\r\n", 1)[0]
    out: dict[str, str] = {}
    for name, value in _HEADER_LINE.findall(head):
        key = name.lower()
        if key == "www-authenticate" and key in out:
            out[key] += ", " + value
        else:
            out.setdefault(key, value)
    return out


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
        headers = header_values(raw)
        if "server" in headers:
            fields.setdefault("http.server", headers["server"])
        if "www-authenticate" in headers:
            fields.setdefault("http.www_authenticate", headers["www-authenticate"])
        add_page(fields, body)
    elif raw.startswith("RTSP/"):
        headers = header_values(raw)
        if "server" in headers:
            fields.setdefault("rtsp.server", headers["server"])
        if "www-authenticate" in headers:
            fields.setdefault("rtsp.www_authenticate", headers["www-authenticate"])
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
