"""Censys host records: one host per line with its ``services`` (Censys Search v2 / BigQuery export).

Per service: ``port``, ``service_name``, ``banner``, ``http.response.{headers,html_title,body,
favicons}``, ``tls.certificates.leaf_data.{subject_dn,issuer_dn}``; per host ``location.
{country_code,province}`` and ``last_updated_at``. Header maps appear in three shapes across
Censys products ({"Server": ["v"]}, {"Server": {"headers": ["v"]}}, {"server": "v"}); all are read.
"""

from __future__ import annotations

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


class _Service(msgspec.Struct):
    port: int | None = None
    service_name: str | None = None
    banner: str | None = None
    http: _Http | None = None
    tls: _Tls | None = None


class _Location(msgspec.Struct):
    country_code: str | None = None
    province: str | None = None


class CensysHost(msgspec.Struct):
    ip: str
    services: list[_Service]
    location: _Location | None = None
    last_updated_at: str | None = None
    observed_at: str | None = None


DECODER = msgspec.json.Decoder(CensysHost)


def _first(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("headers")
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _header(headers: Any, name: str) -> str | None:
    if isinstance(headers, list):  # BigQuery: [{"key": ..., "value": {"headers": [...]}}]
        for item in headers:
            if isinstance(item, dict) and str(item.get("key", "")).lower() == name:
                return _first(item.get("value"))
        return None
    if isinstance(headers, dict):
        for key, value in headers.items():
            if key.lower().replace("_", "-") == name:
                return _first(value)
    return None


def _service(svc: _Service) -> Service:
    fields: dict[str, str] = {}
    response = svc.http.response if svc.http is not None else None
    if response is not None:
        server = _header(response.headers, "server")
        if server is not None:
            fields["http.server"] = server
        realm = _header(response.headers, "www-authenticate")
        if realm is not None:
            fields["http.www_authenticate"] = realm
        if response.html_title is not None:
            fields["http.title"] = response.html_title
        if response.body:
            fields["http.body"] = response.body
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
    if svc.banner:
        if (svc.service_name or "").upper() == "TELNET":
            fields.setdefault("telnet.banner", svc.banner)
        else:
            add_raw_reply(fields, svc.banner)
    return Service(svc.port, fields)


def to_record(host: CensysHost, line: int) -> ScanRecord:
    if not host.ip:
        raise RecordError("record has an empty ip")
    location = host.location
    return ScanRecord(
        ip=host.ip,
        services=[_service(svc) for svc in host.services],
        line=line,
        country=location.country_code if location is not None else None,
        region=location.province if location is not None else None,
        date=date_of(host.last_updated_at or host.observed_at),
    )


def read(path: Path) -> Iterator[ScanRecord | Problem]:
    return read_json_lines(path, DECODER, to_record)
