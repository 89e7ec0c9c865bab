"""ZGrab2 output: one JSON object per target, ``{"ip": ..., "data": {MODULE: {...}}}``.

The ``http`` module's ``result.response`` holds ``status_code``, ``headers`` (lower-case names with
underscores, each a list: ``{"server": [...], "www_authenticate": [...]}``), ``body`` and
``request.url`` (the port, when not the scheme's default, is in ``url.host``) and, over TLS,
``request.tls_log.handshake_log.server_certificates.certificate.parsed.{subject_dn,issuer_dn}``.
The ``tls`` module puts the same handshake log at ``result.handshake_log``. Banner-style modules
(``banner``, ``telnet``, and RTSP modules where a build has one) put the reply text in
``result.banner``; a raw RTSP reply is read for its Server and WWW-Authenticate headers.
Modules are told apart by what their result holds, since a scan may name them freely.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from sightline.census.inputs import Problem
from sightline.census.readers.jsonlines import read_json_lines
from sightline.census.records import RecordError, ScanRecord, Service, add_raw_reply, date_of


class _Parsed(msgspec.Struct):
    subject_dn: str | None = None
    issuer_dn: str | None = None


class _Certificate(msgspec.Struct):
    parsed: _Parsed | None = None


class _ServerCertificates(msgspec.Struct):
    certificate: _Certificate | None = None


class _Handshake(msgspec.Struct):
    server_certificates: _ServerCertificates | None = None


class _TlsLog(msgspec.Struct):
    handshake_log: _Handshake | None = None


class _Url(msgspec.Struct):
    scheme: str | None = None
    host: str | None = None


class _Request(msgspec.Struct):
    url: _Url | None = None
    tls_log: _TlsLog | None = None


class _Response(msgspec.Struct):
    status_code: int | None = None
    headers: dict[str, Any] | None = None
    body: str | None = None
    request: _Request | None = None


class _Result(msgspec.Struct):
    response: _Response | None = None
    banner: str | None = None
    handshake_log: _Handshake | None = None


class _Module(msgspec.Struct):
    status: str | None = None
    protocol: str | None = None
    port: int | None = None
    result: _Result | None = None
    timestamp: str | None = None


class ZGrabRecord(msgspec.Struct):
    data: dict[str, _Module]
    ip: str | None = None
    domain: str | None = None


DECODER = msgspec.json.Decoder(ZGrabRecord)

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(headers: dict[str, Any], name: str) -> str | None:
    """A header's value; every WWW-Authenticate challenge, joined by ", " (RFC 9110)."""
    value = headers.get(name)
    if isinstance(value, list):
        texts = [item for item in value if isinstance(item, str)]
        if name == "www_authenticate":
            return ", ".join(texts) or None
        value = texts[0] if texts else None
    return value if isinstance(value, str) else None


def _port(module: _Module, response: _Response | None) -> int | None:
    if module.port is not None:
        return module.port
    url = response.request.url if response and response.request else None
    if url is None:
        return None
    host = url.host or ""
    if host.rsplit(":", 1)[-1].isdigit() and not host.endswith("]"):
        return int(host.rsplit(":", 1)[-1])
    return _DEFAULT_PORTS.get(url.scheme or "")


def _certificate_fields(fields: dict[str, str], handshake: _Handshake | None) -> None:
    certs = handshake.server_certificates if handshake is not None else None
    parsed = certs.certificate.parsed if certs and certs.certificate else None
    if parsed is not None:
        if parsed.subject_dn:
            fields.setdefault("tls.subject_dn", parsed.subject_dn)
        if parsed.issuer_dn:
            fields.setdefault("tls.issuer_dn", parsed.issuer_dn)


def _service(name: str, module: _Module) -> Service | None:
    result = module.result
    if result is None:
        return None
    fields: dict[str, str] = {}
    response = result.response
    if response is not None:
        headers = response.headers or {}
        for header, field in (
            ("server", "http.server"),
            ("www_authenticate", "http.www_authenticate"),
        ):
            value = _header(headers, header)
            if value is not None:
                fields[field] = value
        if response.body:
            fields["http.body"] = response.body
            title = _TITLE.search(response.body)
            if title:
                from html import unescape  # only pages with a title need it

                fields["http.title"] = unescape(title.group(1).strip())
        tls = response.request.tls_log if response.request else None
        _certificate_fields(fields, tls.handshake_log if tls else None)
        if name.startswith("rtsp"):  # an RTSP module that parses its reply like http's
            for http_field in ("http.server", "http.www_authenticate"):
                if http_field in fields:
                    fields["rtsp." + http_field[5:]] = fields.pop(http_field)
    _certificate_fields(fields, result.handshake_log)
    if result.banner:
        if name == "telnet":
            fields["telnet.banner"] = result.banner
        else:
            add_raw_reply(fields, result.banner)
    return Service(_port(module, response), fields)


def to_record(record: ZGrabRecord, line: int) -> ScanRecord:
    ip = record.ip
    if not ip:
        raise RecordError("record has no ip")
    services = []
    date = None
    for name, module in record.data.items():
        service = _service(name, module)
        if service is not None:
            services.append(service)
        date = date or date_of(module.timestamp)
    return ScanRecord(ip=ip, services=services, line=line, date=date)


def read(path: Path) -> Iterator[ScanRecord | Problem]:
    return read_json_lines(path, DECODER, to_record)
