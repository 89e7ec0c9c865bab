"""Scan-file readers: each turns one format into ScanRecords (and Problems for skipped input)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import msgspec

from sightline.census.inputs import Counted, Problem, read_head
from sightline.census.prefilter import LinePrefilter
from sightline.census.readers import censys, masscan, nmap, shodan, zgrab2
from sightline.census.records import ScanRecord

Reader = Callable[[Path], Iterator[ScanRecord | Problem | Counted]]

READERS: dict[str, Reader] = {
    "shodan": shodan.read,
    "censys": censys.read,
    "zgrab2": zgrab2.read,
    "masscan": masscan.read,
    "nmap": nmap.read,
}
FORMATS = ("auto", *READERS)


class UnknownFormat(ValueError):
    """``--format auto`` could not tell what produced the file."""


def _kind_of(obj: object) -> str | None:
    if not isinstance(obj, dict):
        return None
    if "ip_str" in obj or "_shodan" in obj:
        return "shodan"
    if "services" in obj and "ip" in obj:
        return "censys"
    if "ports" in obj and "ip" in obj:
        return "masscan"
    if isinstance(obj.get("data"), dict) and ("ip" in obj or "domain" in obj):
        return "zgrab2"
    return None


def detect_format(path: Path) -> str:
    """Which scanner wrote the file, from its first lines."""
    head = read_head(path)
    text = head.lstrip()
    if text.startswith(b"<"):
        return "nmap"
    if text.startswith(b"["):
        return "masscan"
    lines = head.split(b"\n")
    complete = lines[:-1] if len(lines) > 1 else lines
    for line in complete[:50]:
        line = masscan.clean(line)
        if not line:
            continue
        try:
            kind = _kind_of(msgspec.json.decode(line))
        except (msgspec.DecodeError, UnicodeDecodeError):
            continue
        if kind is not None:
            return kind
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
        return fmt, shodan.read(path, prefilter)
    return fmt, READERS[fmt](path)
