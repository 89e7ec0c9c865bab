"""masscan ``-oJ`` output: a JSON array written one record per line.

masscan opens with ``[``, writes each record as ``{ "ip": ..., "timestamp": "<unix seconds>",
"ports": [ {"port": N, "proto": "tcp", "status": "open", ...} ] }`` and separates records with a
comma (newer versions put it on its own line before the record, older ones after it), then
closes with ``]``. With ``--banners`` a record's port carries ``"service": {"name": ..., "banner":
...}`` where name is ``http`` (the raw reply head), ``http.server``, ``title``, ``telnet``, ...
``X509`` carries the server certificate as base64 DER; its subject and issuer are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec

from sightline.census.inputs import Problem
from sightline.census.readers.jsonlines import read_json_lines
from sightline.census.records import RecordError, ScanRecord, Service, add_raw_reply, date_of


class _Service(msgspec.Struct):
    name: str | None = None
    banner: str | None = None


class _Port(msgspec.Struct):
    port: int
    proto: str | None = None
    status: str | None = None
    service: _Service | None = None


class MasscanRecord(msgspec.Struct):
    ip: str
    ports: list[_Port]
    timestamp: str | None = None


DECODER = msgspec.json.Decoder(MasscanRecord)

_BANNER_FIELDS = {"http.server": "http.server", "title": "http.title", "telnet": "telnet.banner"}


def certificate_names(banner: str) -> dict[str, str]:
    """Subject and issuer of the server certificate masscan prints (base64 DER) as RFC 4514."""
    import base64
    import binascii

    from cryptography import x509

    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(banner))
        return {
            "tls.subject_dn": certificate.subject.rfc4514_string(),
            "tls.issuer_dn": certificate.issuer.rfc4514_string(),
        }
    except (binascii.Error, ValueError):
        return {}  # not a certificate we can read: no TLS fields, the record still counts


def clean(line: bytes) -> bytes:
    """Drop the array brackets and separator commas around a record."""
    line = line.strip()
    if line in (b"[", b"]", b","):
        return b""
    return line.strip(b",").strip()


def to_record(record: MasscanRecord, line: int) -> ScanRecord:
    if not record.ip:
        raise RecordError("record has an empty ip")
    services = []
    for port in record.ports:
        fields: dict[str, str] = {}
        service = port.service
        if service is not None and service.banner:
            field = _BANNER_FIELDS.get(service.name or "")
            if field is not None:
                fields[field] = service.banner
            elif service.name == "http":
                add_raw_reply(fields, service.banner)
            elif service.name == "X509":
                fields.update(certificate_names(service.banner))
            elif service.name not in ("X509CA", "ssl"):
                fields["banner.raw"] = service.banner
        services.append(Service(port.port, fields))
    return ScanRecord(ip=record.ip, services=services, line=line, date=date_of(record.timestamp))


def read(path: Path) -> Iterator[ScanRecord | Problem]:
    return read_json_lines(path, DECODER, to_record, clean=clean)
