"""masscan output: ``-oJ`` (a JSON array written one record per line), ``-oL`` (list) and
``-oX`` (XML in nmap's layout, read by the nmap reader).

masscan opens with ``[``, writes each record as ``{ "ip": ..., "timestamp": "<unix seconds>",
"ports": [ {"port": N, "proto": "tcp", "status": "open", ...} ] }`` and separates records with a
comma (newer versions put it on its own line before the record, older ones after it), then
closes with ``]``. With ``--banners`` a record's port carries ``"service": {"name": ..., "banner":
...}`` where name is ``http`` (the raw reply head), ``http.server``, ``title``, ``telnet``, ...
``X509`` carries the server certificate as base64 DER; its subject and issuer are read.

``-oL`` writes ``#masscan``, then one line per finding: ``open tcp 80 192.0.2.1 1609459200`` and
``banner tcp 80 192.0.2.1 1609459200 http.server Hikvision-Webs`` (control bytes in a banner as
``\\xNN``), then ``# end``. Each line is one record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import msgspec

from sightline.census.inputs import Problem, iter_lines, read_head
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


def banner_fields(name: str, banner: str) -> dict[str, str]:
    """The fields one masscan banner fills, by the name masscan gives it."""
    fields: dict[str, str] = {}
    if not banner:
        return fields
    field = _BANNER_FIELDS.get(name)
    if field is not None:
        fields[field] = banner
    elif name in ("http", "rtsp"):
        add_raw_reply(fields, banner)
    elif name == "X509":
        fields.update(certificate_names(banner))
    elif name not in ("X509CA", "ssl"):
        add_raw_reply(fields, banner)
    return fields


def to_record(record: MasscanRecord, line: int) -> ScanRecord:
    if not record.ip:
        raise RecordError("record has an empty ip")
    services = []
    for port in record.ports:
        service = port.service
        fields = banner_fields(service.name or "", service.banner or "") if service else {}
        services.append(Service(port.port, fields))
    return ScanRecord(ip=record.ip, services=services, line=line, date=date_of(record.timestamp))


_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\\\")


def unescape(text: str) -> str:
    """masscan (and nmap's banner script) write bytes outside printable ASCII as ``\\xNN``.

    The bytes are read back as UTF-8 where they are UTF-8 (a page in Chinese), else one
    character per byte, as binary replies are matched.
    """
    if "\\" not in text:
        return text
    raw = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\\", text)
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


def _list_line(name: str, number: int, raw: bytes) -> ScanRecord | Problem | None:
    text = raw.decode("utf-8", "replace").rstrip("\r")
    if not text or text.startswith("#"):
        return None
    parts = text.split(" ", 6)
    if len(parts) < 5 or parts[0] not in ("open", "banner", "closed") or not parts[2].isdigit():
        return Problem(name, number, "not a masscan list line")
    if parts[0] == "closed":
        return None
    fields: dict[str, str] = {}
    if parts[0] == "banner" and len(parts) == 7:
        fields = banner_fields(parts[5], unescape(parts[6]))
    try:
        date = date_of(parts[4])
    except RecordError as exc:
        return Problem(name, number, str(exc))
    return ScanRecord(
        ip=parts[3], services=[Service(int(parts[2]), fields)], line=number, date=date
    )


def read_list(path: Path) -> Iterator[ScanRecord | Problem]:
    name = str(path)
    for item in iter_lines(path):
        if isinstance(item, Problem):
            yield item
            continue
        result = _list_line(name, *item)
        if result is not None:
            yield result


def read(path: Path) -> Iterator[ScanRecord | Problem]:
    head = read_head(path, 4096).lstrip()
    if head.startswith(b"<"):
        from sightline.census.readers import nmap

        return nmap.read(path)
    if head.startswith((b"#masscan", b"open ", b"banner ")):
        return read_list(path)
    return read_json_lines(path, DECODER, to_record, clean=clean)
