"""Shodan banners: one JSON object per line, as ``shodan download`` writes them (``.json.gz``).

Field names follow Shodan's banner specification: ``ip_str``, ``port``, ``timestamp``, ``data``
(the raw reply), ``product``, ``http.{server,title,html,favicon.{hash,data}}``,
``ssl.cert.{subject,issuer}``, ``location.{country_code,region_code}``, ``asn``, ``org``, ``isp``,
``version`` and ``_shodan.module``. Besides lines, a file may be a JSON array of banners (pretty-printed
or not), a search result (``{"matches": [...]}``) or host records (``{"ip_str", "data": [...]}``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from sightline.census.inputs import Counted, Problem
from sightline.census.prefilter import LinePrefilter
from sightline.census.readers.jsonlines import read_json_lines, read_json_lines_prefiltered
from sightline.census.records import RecordError, ScanRecord, Service, rule_headers


class _Location(msgspec.Struct):
    country_code: str | None = None
    region_code: str | None = None


class _Favicon(msgspec.Struct):
    hash: int | None = None
    data: str | None = None


class _Http(msgspec.Struct):
    server: str | None = None
    title: str | None = None
    html: str | None = None
    favicon: _Favicon | None = None


class _Cert(msgspec.Struct):
    subject: dict[str, Any] | None = None
    issuer: dict[str, Any] | None = None


class _Ssl(msgspec.Struct):
    cert: _Cert | None = None


class _Meta(msgspec.Struct):
    module: str | None = None


class ShodanBanner(msgspec.Struct):
    ip_str: str
    port: int
    data: str = ""
    timestamp: str | None = None
    product: str | None = None
    http: _Http | None = None
    ssl: _Ssl | None = None
    location: _Location | None = None
    meta: _Meta | None = msgspec.field(default=None, name="_shodan")
    asn: str | None = None
    org: str | None = None
    isp: str | None = None
    version: str | None = None


class _LeanFavicon(msgspec.Struct, gc=False):
    hash: int | None = None
    data: str | None = None


class _LeanHttp(msgspec.Struct, gc=False):
    favicon: _LeanFavicon | None = None


class LeanBanner(msgspec.Struct, gc=False):
    """What every banner must have, decoded for every line even when the rest is skipped, and
    the favicon, whose MD5 no needle can show. (Not tracked by the garbage collector: they hold
    only strings, numbers and each other, so they cannot form a cycle.)"""

    ip_str: str
    port: int
    http: _LeanHttp | None = None


DECODER = msgspec.json.Decoder(ShodanBanner)
LEAN_DECODER = msgspec.json.Decoder(LeanBanner)


_MD5_CACHE: dict[Any, str | None] = {}
_MD5_CACHE_SIZE = 4096


def clear_favicon_cache() -> None:
    """Forget cached favicon MD5s (benchmarks start each run cold)."""
    _MD5_CACHE.clear()


def _icon_md5(data: str | None, mmh3: int | None = None) -> str | None:
    """MD5 of the icon bytes behind Shodan's base64 text.

    The same few icons recur across thousands of devices of a model, so results are cached, by
    Shodan's mmh3 hash with the text's length and last 64 characters (a key cheap to hash,
    unlike the whole text), or by the text itself when there is no hash.
    """
    if not data:
        return None
    key: Any = data if mmh3 is None else (mmh3, len(data), data[-64:])
    found = _MD5_CACHE.get(key, "")
    if found != "":
        return found
    try:
        icon = base64.b64decode(data)
    except (binascii.Error, ValueError):
        icon = b""
    md5 = hashlib.md5(icon, usedforsecurity=False).hexdigest() if icon else None
    if len(_MD5_CACHE) >= _MD5_CACHE_SIZE:
        _MD5_CACHE.clear()
    _MD5_CACHE[key] = md5
    return md5


def favicon_checker(md5s: frozenset[str]) -> Callable[[list[LeanBanner]], list[int]]:
    """Which lean banners carry a favicon whose MD5 a rule looks for (by index)."""

    def check(banners: list[LeanBanner]) -> list[int]:
        if not md5s:
            return []
        found = []
        for index, banner in enumerate(banners):
            icon = banner.http.favicon if banner.http is not None else None
            if icon is not None and icon.data and _icon_md5(icon.data, icon.hash) in md5s:
                found.append(index)
        return found

    return check


def _dn(parts: dict[str, Any]) -> str:
    """Shodan keeps a certificate name as a dict ({"CN": ..., "O": ...}); render it as a DN."""
    pieces = []
    for key, value in parts.items():
        for item in value if isinstance(value, list) else [value]:
            pieces.append(f"{key}={item}")
    return ", ".join(pieces)


def to_record(banner: ShodanBanner, line: int) -> ScanRecord:
    if not banner.ip_str:
        raise RecordError("record has an empty ip_str")
    fields: dict[str, str] = {}
    data = banner.data
    http = banner.http
    if http is not None:
        if http.server is not None:
            fields["http.server"] = http.server
        if http.title is not None:
            fields["http.title"] = http.title
        if http.html:
            fields["http.body"] = http.html
        favicon = http.favicon
        if favicon is not None:
            if favicon.hash is not None:
                fields["http.favicon.mmh3"] = str(favicon.hash)
            md5 = _icon_md5(favicon.data, favicon.hash)
            if md5 is not None:
                fields["http.favicon.md5"] = md5
    if data:
        if data.startswith("HTTP/"):
            fields["http.headers_raw"] = data
            # parsed only when a header the rules read may be there, in the cases replies use
            # (header names are case-insensitive, RFC 9110 section 5.1: some firmware sends
            # them in capitals)
            find_realm = "uthenticate" in data or "UTHENTICATE" in data
            find_server = "http.server" not in fields and ("erver" in data or "ERVER" in data)
            if find_realm or find_server:
                server, challenge = rule_headers(data)
                if find_realm and challenge is not None:
                    fields["http.www_authenticate"] = challenge
                if find_server and server is not None:
                    fields["http.server"] = server
        elif data.startswith("RTSP/"):
            server, challenge = rule_headers(data)
            if server is not None:
                fields["rtsp.server"] = server
            if challenge is not None:
                fields["rtsp.www_authenticate"] = challenge
        elif banner.meta is not None and banner.meta.module and "telnet" in banner.meta.module:
            fields["telnet.banner"] = data
        else:
            fields["banner.raw"] = data
    if banner.product:
        fields["scanner.product"] = banner.product
        if banner.version:
            fields["device.firmware"] = banner.version
    ssl = banner.ssl
    if ssl is not None and ssl.cert is not None:
        if ssl.cert.subject:
            fields["tls.subject_dn"] = _dn(ssl.cert.subject)
        if ssl.cert.issuer:
            fields["tls.issuer_dn"] = _dn(ssl.cert.issuer)
    location = banner.location
    stamp = banner.timestamp
    return ScanRecord(
        ip=banner.ip_str,
        services=[Service(banner.port, fields)],
        line=line,
        country=location.country_code if location is not None else None,
        region=location.region_code if location is not None else None,
        date=stamp[:10] if stamp and len(stamp) >= 10 else None,
        asn=_asn(banner.asn),
        org=banner.org,
        isp=banner.isp,
    )


def _asn(value: str | None) -> int | None:
    """Shodan writes the autonomous system as ``"AS2856"``."""
    if not value:
        return None
    digits = value[2:] if value[:2].upper() == "AS" else value
    return int(digits) if digits.isdigit() else None


def read(
    path: Path, prefilter: LinePrefilter | None = None
) -> Iterator[ScanRecord | Problem | Counted]:
    """Banners of a Shodan export; with a prefilter, only lines a rule could match are decoded."""
    if prefilter is None:
        return read_json_lines(path, DECODER, to_record)
    return read_json_lines_prefiltered(
        path, LEAN_DECODER, DECODER, to_record, prefilter, favicon_checker(prefilter.favicon_md5s)
    )
