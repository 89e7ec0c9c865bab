"""Censys host records, one host per line (or a JSON array, or an API reply holding them).

Censys Search v2 and its BigQuery export (``services``): per service ``port``,
``service_name``, ``banner``, ``software[].{vendor,product,version}``,
``http.response.{headers,html_title,body,favicons}``,
``tls.certificates.leaf_data.{subject_dn,issuer_dn}``; per host ``location.{country_code,
province}``, ``autonomous_system.{asn,name,description}`` and ``last_updated_at``. Header maps
appear in three shapes across Censys products ({"Server": ["v"]}, {"Server": {"headers":
["v"]}}, {"server": "v"}); all are read.

Censys v1 (the IPv4 hosts dataset, ``censys-io``): one key per port (``"80"``, or ``"p80"`` in
BigQuery) holding ``{PROTOCOL: {"get": {"headers", "title", "body"}, "tls": {"certificate":
{"parsed": {"subject_dn", "issuer_dn"}}}, "banner": ...}}``, beside ``protocols``,
``location``, ``autonomous_system.{asn,name,organization}`` and ``updated_at``.
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


class _Favicon(msgspec.Struct):
    md5_hash: str | None = None
    shodan_hash: int | None = None
    hash_md5: str | None = None
    hash_shodan: int | None = None


class _Response(msgspec.Struct):
    headers: Any = None
    html_title: str | None = None
    body: str | None = None
    favicons: list[_Favicon] | None = None


class _Http(msgspec.Struct):
    response: _Response | None = None


class _Leaf(msgspec.Struct):
    subject_dn: str | None = None
    issuer_dn: str | None = None


class _Certificates(msgspec.Struct):
    leaf_data: _Leaf | None = None


class _Tls(msgspec.Struct):
    certificates: _Certificates | None = None


class _Software(msgspec.Struct):
    vendor: str | None = None
    product: str | None = None
    version: str | None = None


class _Service(msgspec.Struct):
    port: int | None = None
    service_name: str | None = None
    banner: str | None = None
    http: _Http | None = None
    tls: _Tls | None = None
    software: list[_Software] | None = None


class _Location(msgspec.Struct):
    country_code: str | None = None
    province: str | None = None


class _AutonomousSystem(msgspec.Struct):
    asn: int | None = None
    name: str | None = None
    description: str | None = None
    organization: str | None = None


class CensysHost(msgspec.Struct):
    ip: str
    services: list[_Service] | None = None
    location: _Location | None = None
    autonomous_system: _AutonomousSystem | None = None
    last_updated_at: str | None = None
    observed_at: str | None = None
    updated_at: str | None = None
    protocols: list[str] | None = None


_KEYS = msgspec.json.Decoder(dict[str, msgspec.Raw])
_HOST = msgspec.json.Decoder(CensysHost)
_PORT_KEY = re.compile(r"^p?(\d{1,5})$")


class _Record(msgspec.Struct):
    """What the reader passes on: the host's own fields and its v1 port objects, still raw."""

    host: CensysHost
    ports: dict[int, Any]


class _Decoder:
    """Decodes one host: typed fields through msgspec, v1 port objects as plain values."""

    type = CensysHost

    def decode(self, raw: bytes | msgspec.Raw) -> _Record:
        keys = _KEYS.decode(raw)
        host = _HOST.decode(raw)
        ports: dict[int, Any] = {}
        if host.services is None:
            for key, value in keys.items():
                found = _PORT_KEY.match(key)
                if found:
                    ports[int(found.group(1))] = msgspec.json.decode(value)
        return _Record(host, ports)

    def decode_lines(self, data: bytes | memoryview) -> list[_Record]:
        raise msgspec.DecodeError("decoded one line at a time")


DECODER = _Decoder()


def _first(value: Any, every: bool = False) -> str | None:
    """The header's value; with ``every``, all its values joined by ", " (as several
    WWW-Authenticate challenges may be, RFC 9110)."""
    if isinstance(value, dict):
        value = value.get("headers")
    if isinstance(value, list):
        texts = [item for item in value if isinstance(item, str)]
        if every:
            return ", ".join(texts) or None
        value = texts[0] if texts else None
    return value if isinstance(value, str) else None


def _header(headers: Any, name: str) -> str | None:
    every = name == "www-authenticate"
    if isinstance(headers, list):  # BigQuery: [{"key": ..., "value": {"headers": [...]}}]
        for item in headers:
            if isinstance(item, dict) and str(item.get("key", "")).lower() == name:
                return _first(item.get("value"), every)
        return None
    if isinstance(headers, dict):
        for key, value in headers.items():
            if key.lower().replace("_", "-") == name:
                return _first(value, every)
        unknown = headers.get("unknown")  # v1: headers it has no column for
        if isinstance(unknown, list):
            return _header(unknown, name)
    return None


def _http_fields(fields: dict[str, str], headers: Any, title: Any, body: Any) -> None:
    server = _header(headers, "server")
    if server is not None:
        fields["http.server"] = server
    realm = _header(headers, "www-authenticate")
    if realm is not None:
        fields["http.www_authenticate"] = realm
    if isinstance(title, str):
        fields["http.title"] = title
    if isinstance(body, str) and body:
        fields["http.body"] = body


def _service(svc: _Service) -> Service:
    fields: dict[str, str] = {}
    response = svc.http.response if svc.http is not None else None
    if response is not None:
        _http_fields(fields, response.headers, response.html_title, response.body)
        for icon in response.favicons or ():
            md5 = icon.md5_hash or icon.hash_md5
            mmh3 = icon.shodan_hash if icon.shodan_hash is not None else icon.hash_shodan
            if md5:
                fields.setdefault("http.favicon.md5", md5.lower())
            if mmh3 is not None:
                fields.setdefault("http.favicon.mmh3", str(mmh3))
    leaf = svc.tls.certificates.leaf_data if svc.tls and svc.tls.certificates else None
    if leaf is not None:
        if leaf.subject_dn:
            fields["tls.subject_dn"] = leaf.subject_dn
        if leaf.issuer_dn:
            fields["tls.issuer_dn"] = leaf.issuer_dn
    for software in svc.software or ():
        label = " ".join(p for p in (software.vendor, software.product) if p)
        if label:
            fields.setdefault("scanner.product", label)
        if software.version:
            fields.setdefault("device.firmware", software.version)
    if svc.banner:
        if (svc.service_name or "").upper() == "TELNET":
            fields.setdefault("telnet.banner", svc.banner)
        else:
            add_raw_reply(fields, svc.banner)
    return Service(svc.port, fields)


def _v1_service(port: int, value: Any) -> Service:
    """One v1 port object: ``{PROTOCOL: {"get": ..., "tls": ..., "banner": ...}}``."""
    fields: dict[str, str] = {}
    protocols = value.items() if isinstance(value, dict) else ()
    for protocol, data in protocols:
        if not isinstance(data, dict):
            continue
        get = data.get("get")
        if isinstance(get, dict):
            _http_fields(fields, get.get("headers"), get.get("title"), get.get("body"))
        tls = data.get("tls")
        certificate = tls.get("certificate") if isinstance(tls, dict) else None
        parsed = certificate.get("parsed") if isinstance(certificate, dict) else None
        if isinstance(parsed, dict):
            for key, field in (("subject_dn", "tls.subject_dn"), ("issuer_dn", "tls.issuer_dn")):
                if isinstance(parsed.get(key), str) and parsed[key]:
                    fields[field] = parsed[key]
        banner = data.get("banner")
        if isinstance(banner, dict):
            banner = banner.get("banner")
        if isinstance(banner, str) and banner:
            if protocol == "telnet":
                fields.setdefault("telnet.banner", banner)
            else:
                add_raw_reply(fields, banner)
    return Service(port, fields)


def to_record(record: _Record, line: int) -> ScanRecord:
    host = record.host
    if not host.ip:
        raise RecordError("record has an empty ip")
    if host.services is not None:
        services = [_service(svc) for svc in host.services]
    elif host.protocols is not None or record.ports:
        services = [_v1_service(port, value) for port, value in sorted(record.ports.items())]
    else:
        raise RecordError("record lacks the field `services`")
    location = host.location
    system = host.autonomous_system
    return ScanRecord(
        ip=host.ip,
        services=services,
        line=line,
        country=location.country_code if location is not None else None,
        region=location.province if location is not None else None,
        date=date_of(host.last_updated_at or host.observed_at or host.updated_at),
        asn=system.asn if system is not None else None,
        org=(system.organization or system.description or system.name) if system else None,
    )


def read(path: Path) -> Iterator[ScanRecord | Problem]:
    return read_json_lines(path, DECODER, to_record)  # type: ignore[arg-type]
