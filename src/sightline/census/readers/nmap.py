"""nmap ``-oX`` XML: one ``<host>`` element per scanned address, read as a stream.

Per host: ``<address addr=... addrtype="ipv4|ipv6">``, ``starttime`` (Unix seconds), and
``<ports><port portid=...><state state="open"/><service product=.../><script id=... output=...>``.
Scripts read: ``http-server-header``, ``http-headers`` (its Server and WWW-Authenticate lines),
``http-title``, ``http-auth`` (the challenges, by scheme),
``http-favicon`` (MD5, nmap's convention; for an icon nmap knows, the name it prints, read as
the scanner's product label),
``ssl-cert`` (subject and issuer tables), ``banner`` and ``fingerprint-strings`` (raw replies).
Hosts nmap reports as down (``<status state="down"/>``, listed with ``-v`` or ``-Pn``-less
sweeps) are neither records nor counted. masscan ``-oX`` writes the same layout with a
``<service name=... banner=...>`` per banner; those are read as masscan's ``-oJ`` banners are.
Parsing goes through defusedxml (no entity expansion, no external references).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from sightline.census.inputs import Problem, iter_lines
from sightline.census.records import (
    RecordError,
    ScanRecord,
    Service,
    add_raw_reply,
    date_of,
    rule_headers,
)

_DN_KEYS = {
    "commonName": "CN",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "countryName": "C",
    "stateOrProvinceName": "ST",
    "localityName": "L",
}
_FAVICON_MD5 = re.compile(r"\b([0-9A-Fa-f]{32})\b")


def _dn(table: ET.Element | None) -> str | None:
    if table is None:
        return None
    parts = [
        f"{_DN_KEYS.get(elem.get('key', ''), elem.get('key', ''))}={elem.text or ''}"
        for elem in table.findall("elem")
    ]
    return ", ".join(parts) or None


def _challenges(script: ET.Element) -> str:
    """nmap's http-auth script as one WWW-Authenticate value: a table per scheme, its params as
    elems (``<table key="Basic"><elem key="realm">x</elem></table>``)."""
    parts = []
    for table in script.findall("table"):
        params = ", ".join(
            f'{elem.get("key")}="{elem.text or ""}"'
            for elem in table.findall("elem")
            if elem.get("key")
        )
        parts.append(f"{table.get('key', '')} {params}".strip())
    return ", ".join(part for part in parts if part)


def _script_text(script: ET.Element, key: str | None = None) -> str:
    for elem in script.iter("elem"):
        if key is None or elem.get("key") == key:
            return elem.text or ""
    return script.get("output", "").strip()


def _service(port: ET.Element) -> Service | None:
    state = port.find("state")
    if state is not None and state.get("state") not in ("open", "open|filtered"):
        return None
    fields: dict[str, str] = {}
    service = port.find("service")
    if service is not None and service.get("product"):
        fields["scanner.product"] = service.get("product", "")
        if service.get("version"):
            fields["device.firmware"] = service.get("version", "")
    if service is not None and service.get("banner") is not None:  # masscan -oX
        from sightline.census.readers.masscan import banner_fields, unescape

        fields.update(banner_fields(service.get("name", ""), unescape(service.get("banner", ""))))
    telnet = service is not None and service.get("name") == "telnet"
    for script in port.findall("script"):
        sid = script.get("id")
        if sid == "http-server-header":
            fields["http.server"] = _script_text(script)
        elif sid == "http-title":
            fields["http.title"] = _script_text(script, "title")
        elif sid == "http-headers":  # "  Server: x" lines, then "(Request type: GET)"
            lines = "\n".join(line.strip() for line in script.get("output", "").splitlines())
            server, challenge = rule_headers(lines)
            if server is not None:
                fields.setdefault("http.server", server)
            if challenge is not None:
                fields.setdefault("http.www_authenticate", challenge)
        elif sid == "http-auth":
            challenges = _challenges(script)
            if challenges:
                fields["http.www_authenticate"] = challenges
        elif sid == "http-favicon":
            output = script.get("output", "").strip()
            found = _FAVICON_MD5.search(output)
            if found:
                fields["http.favicon.md5"] = found.group(1).lower()
            elif output:  # a known icon: nmap prints its favicon-db name, not the MD5
                fields.setdefault("scanner.product", output)
        elif sid == "ssl-cert":
            for key, field in (("subject", "tls.subject_dn"), ("issuer", "tls.issuer_dn")):
                dn = _dn(script.find(f"table[@key='{key}']"))
                if dn:
                    fields[field] = dn
        elif sid == "banner":
            from sightline.census.readers.masscan import unescape  # nmap escapes bytes as \xNN

            text = unescape(script.get("output", ""))
            if telnet:
                fields["telnet.banner"] = text
            else:
                add_raw_reply(fields, text)
        elif sid == "fingerprint-strings":
            for elem in script.iter("elem"):
                add_raw_reply(fields, (elem.text or "").lstrip())
    portid = port.get("portid", "")
    return Service(int(portid) if portid.isdigit() else None, fields)


def _host(host: ET.Element, line: int, default_date: str | None) -> ScanRecord:
    ip = None
    for address in host.findall("address"):
        if address.get("addrtype") in ("ipv4", "ipv6"):
            ip = address.get("addr")
            break
    if not ip:
        raise RecordError("host has no IPv4/IPv6 address")
    services = [s for p in host.iterfind("ports/port") if (s := _service(p)) is not None]
    return ScanRecord(
        ip=ip,
        services=services,
        line=line,
        date=date_of(host.get("starttime") or host.get("endtime")) or default_date,
    )


def _where(exc: Exception) -> str:
    """`` at line L, column C`` from the parser's position (numbers, not its wording)."""
    position = getattr(exc, "position", None)
    if isinstance(position, tuple) and len(position) == 2:
        return f" at line {position[0]}, column {position[1] + 1}"
    return ""


def read(path: Path) -> Iterator[ScanRecord | Problem]:
    name = str(path)
    pull = ET.XMLPullParser(
        events=("start", "end"), _parser=DefusedXMLParser(target=ET.TreeBuilder())
    )
    root: ET.Element | None = None
    default_date: str | None = None
    host_line = 0
    number = 0
    for item in iter_lines(path):
        if isinstance(item, Problem):
            yield item
            return
        number, raw = item
        try:
            pull.feed(raw + b"\n")
            events = cast(list[tuple[str, Any]], list(pull.read_events()))
        except DefusedXmlException as exc:  # entity declarations, external references
            yield Problem(
                name,
                number,
                "refused XML: it declares entities or refers to outside files",
                type(exc).__name__,
            )
            return
        except (ParseError, ValueError) as exc:
            yield Problem(name, number, f"not nmap XML or broken XML{_where(exc)}", str(exc))
            return
        for event, item_elem in events:
            elem = cast(ET.Element, item_elem)
            if event == "start":
                if root is None:
                    root = elem
                    if elem.tag != "nmaprun":
                        yield Problem(name, number, f"not nmap XML (root element <{elem.tag}>)")
                        return
                    default_date = date_of(elem.get("start"))
                elif elem.tag == "host":
                    host_line = number
            elif elem.tag == "host":
                status = elem.find("status")
                if status is not None and status.get("state") not in ("up", None):
                    if root is not None:
                        root.clear()
                    continue  # a host that is down is not a record
                try:
                    yield _host(elem, host_line, default_date)
                except RecordError as exc:
                    yield Problem(name, host_line, str(exc))
                if root is not None:
                    root.clear()  # keep memory flat: drop hosts already counted
    try:
        pull.close()
    except ParseError as exc:
        yield Problem(name, number, "XML ends early: the file stops inside an element", str(exc))
