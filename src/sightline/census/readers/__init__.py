"""Scan-file readers: each turns one format into ScanRecords (and Problems for skipped input)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from sightline.census.inputs import Counted, Problem, iter_lines, layout, read_head
from sightline.census.prefilter import LinePrefilter
from sightline.census.readers.jsonlines import Piece, iter_values
from sightline.census.records import ScanRecord
from sightline.errors import SightlineError

Reader = Callable[[Path], Iterator[ScanRecord | Problem | Counted]]

#: format -> the module whose ``read`` reads it (imported when a file needs it: a Shodan run
#: does not load the XML parser nmap files need)
READERS: dict[str, str] = {
    "shodan": "sightline.census.readers.shodan",
    "censys": "sightline.census.readers.censys",
    "zgrab2": "sightline.census.readers.zgrab2",
    "masscan": "sightline.census.readers.masscan",
    "nmap": "sightline.census.readers.nmap",
}
FORMATS = ("auto", *READERS)


def reader(fmt: str) -> Reader:
    """The function that reads files of one format."""
    read: Reader = importlib.import_module(READERS[fmt]).read
    return read


class UnknownFormat(SightlineError, ValueError):
    """``--format auto`` could not tell what produced the file."""


_KEYS = msgspec.json.Decoder(dict[str, msgspec.Raw])
_MASSCAN_LIST = re.compile(rb"^(?:#masscan|(?:open|closed|banner) (?:tcp|udp|sctp|icmp) \d+ )")
DETECTION_BLOCK = 65536
#: records looked at before giving up (a file may open with a few records of another shape)
_LOOK_AT = 50


def _kind_of(raw: bytes | msgspec.Raw, depth: int = 0) -> str | None:
    """Which scanner wrote one record, from its top-level keys (a container is looked into)."""
    try:
        keys = _KEYS.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
        return None
    if "ip_str" in keys or "_shodan" in keys:
        return "shodan"
    if "ip" in keys and "services" in keys:
        return "censys"
    if "ip" in keys and ("protocols" in keys or "autonomous_system" in keys):
        return "censys"  # Censys v1 (IPv4 hosts): ports as top-level keys
    if "ports" in keys and "ip" in keys:
        return "masscan"
    zgrab = "data" in keys and ("ip" in keys or "domain" in keys)
    if zgrab and bytes(keys["data"]).lstrip().startswith(b"{"):
        return "zgrab2"  # ZGrab2: data is an object of scan modules
    if depth < 2:
        for name in ("matches", "data", "hits", "result"):
            inner = keys.get(name)
            if inner is None:
                continue
            if bytes(inner).lstrip().startswith(b"["):
                try:
                    items = msgspec.json.decode(inner, type=list[msgspec.Raw])
                except (msgspec.DecodeError, msgspec.ValidationError):
                    continue
                for item in items[:_LOOK_AT]:
                    kind = _kind_of(item, depth + 1)
                    if kind is not None:
                        return kind
            else:
                kind = _kind_of(inner, depth + 1)
                if kind is not None:
                    return kind
    return None


def _records_at_start(path: Path, head: bytes) -> Iterator[bytes]:
    """The first records of a file as bytes, however long each is (a first record of 50 MB
    is read through, not refused)."""
    if layout(head) == "document":
        for piece in iter_values(path):
            if not isinstance(piece, Piece):
                return
            yield piece.data
        return
    # small blocks, read on this thread: only the first records are wanted
    for item in iter_lines(path, DETECTION_BLOCK):
        if isinstance(item, Problem):
            return
        line = _masscan().clean(item[1])
        if line:
            yield line


def detect_format(path: Path) -> str:
    """Which scanner wrote the file, from its first records."""
    head = read_head(path)
    text = head.lstrip()
    if text.startswith(b"<"):
        # masscan -oX imitates nmap's layout and names itself in the root element
        return "masscan" if re.search(rb"<nmaprun[^>]*scanner=.masscan", head) else "nmap"
    if _MASSCAN_LIST.match(text):
        return "masscan"
    for n, record in enumerate(_records_at_start(path, head)):
        kind = _kind_of(record)
        if kind is not None:
            return kind
        if n + 1 >= _LOOK_AT:
            break
    raise UnknownFormat(
        f"{path}: unknown file format (not Shodan, Censys, ZGrab2, masscan or nmap)"
    )


def read_records(
    path: Path, fmt: str = "auto", prefilter: LinePrefilter | None = None
) -> tuple[str, Iterator[ScanRecord | Problem | Counted]]:
    """The format used and the records of one file.

    A prefilter (only used for Shodan, whose files Python's json module writes) lets the reader
    count, without decoding, the records no rule can match.
    """
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "shodan" and prefilter is not None:
        from sightline.census.readers import shodan

        return fmt, shodan.read(path, prefilter)
    return fmt, reader(fmt)(path)


def _masscan() -> Any:
    from sightline.census.readers import masscan

    return masscan
