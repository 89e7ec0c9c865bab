"""Shared fixtures for the census tests: the development banners, file writers, a tiny .mmdb."""

from __future__ import annotations

import gzip
import ipaddress
import json
import os
import struct
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture(scope="session", autouse=True)
def _hyperscan_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled pattern databases go to a temporary cache, not the user's ~/.cache."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(scope="session")
def dev_banners() -> list[dict[str, Any]]:
    path = SHARED / "data" / "banners-dev.jsonl"
    if not path.is_file():
        pytest.skip("../shared is absent: no banners-dev.jsonl to test the fingerprints against")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture
def write_lines(tmp_path: Path) -> Callable[..., Path]:
    """Write JSON records (dicts) or raw byte lines to a file, gzip-compressed if asked."""

    def write(name: str, rows: Iterable[dict[str, Any] | bytes], gz: bool = False) -> Path:
        data = b"".join(
            (row if isinstance(row, bytes) else json.dumps(row).encode()) + b"\n" for row in rows
        )
        path = tmp_path / name
        path.write_bytes(gzip.compress(data) if gz else data)
        return path

    return write


# ---------------------------------------------------------------- a minimal MaxMind DB writer
# Format: https://maxmind.github.io/MaxMind-DB/ (binary search tree, 16-byte separator, data
# section, then "\xab\xcd\xefMaxMind.com" and the metadata map). IPv4-only tree, 24-bit records.


def _control(type_number: int, size: int) -> bytes:
    if size < 29:
        first, extra = size, b""
    elif size < 29 + 256:
        first, extra = 29, bytes([size - 29])
    else:
        first, extra = 30, struct.pack(">H", size - 285)
    if type_number <= 7:
        return bytes([(type_number << 5) | first]) + extra
    return bytes([first, type_number - 7]) + extra


class U16(int):
    """An integer the format wants as uint16 (metadata: record_size, ip_version, versions)."""


class U64(int):
    """An integer the format wants as uint64 (metadata: build_epoch)."""


def mmdb_encode(value: Any) -> bytes:
    if isinstance(value, U16 | U64):
        raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big") if value else b""
        return _control(5 if isinstance(value, U16) else 9, len(raw)) + raw
    if isinstance(value, str):
        raw = value.encode()
        return _control(2, len(raw)) + raw
    if isinstance(value, bool):
        return _control(14, int(value))
    if isinstance(value, int):
        raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big") if value else b""
        return _control(6 if value < 2**32 else 9, len(raw)) + raw
    if isinstance(value, dict):
        body = b"".join(mmdb_encode(k) + mmdb_encode(v) for k, v in value.items())
        return _control(7, len(value)) + body
    if isinstance(value, list):
        return _control(11, len(value)) + b"".join(mmdb_encode(v) for v in value)
    raise TypeError(type(value))


def write_mmdb(path: Path, networks: dict[str, dict[str, Any]]) -> None:
    """An IPv4 City-style database mapping each network (CIDR) to its record."""
    data = b""
    offsets: dict[str, int] = {}
    for cidr, record in networks.items():
        offsets[cidr] = len(data)
        data += mmdb_encode(record)
    # tree: node -> [left, right]; values: ("node", i) or ("data", cidr) or None
    nodes: list[list[Any]] = [[None, None]]
    for cidr in networks:
        net = ipaddress.ip_network(cidr)
        bits = int(net.network_address)
        node = 0
        for depth in range(net.prefixlen):
            bit = (bits >> (31 - depth)) & 1
            if depth == net.prefixlen - 1:
                nodes[node][bit] = ("data", cidr)
            else:
                child = nodes[node][bit]
                if child is None:
                    nodes.append([None, None])
                    child = ("node", len(nodes) - 1)
                    nodes[node][bit] = child
                node = child[1]
    count = len(nodes)

    def record_value(value: Any) -> int:
        if value is None:
            return count
        if value[0] == "node":
            return int(value[1])
        return count + 16 + offsets[value[1]]

    tree = b"".join(
        record_value(left).to_bytes(3, "big") + record_value(right).to_bytes(3, "big")
        for left, right in nodes
    )
    metadata = {
        "node_count": count,
        "record_size": U16(24),
        "ip_version": U16(4),
        "database_type": "Sightline-Test-City",
        "languages": ["en"],
        "binary_format_major_version": U16(2),
        "binary_format_minor_version": U16(0),
        "build_epoch": U64(1_700_000_000),
        "description": {"en": "tiny test database"},
    }
    path.write_bytes(
        tree + b"\x00" * 16 + data + b"\xab\xcd\xefMaxMind.com" + mmdb_encode(metadata)
    )


@pytest.fixture
def mmdb_file(tmp_path: Path) -> Path:
    path = tmp_path / "test-city.mmdb"
    write_mmdb(
        path,
        {
            "198.51.100.0/24": {
                "country": {"iso_code": "GB", "names": {"en": "United Kingdom"}},
                "subdivisions": [{"iso_code": "SCT", "names": {"en": "Scotland"}}],
            },
            "203.0.113.0/25": {
                "country": {"iso_code": "GB", "names": {"en": "United Kingdom"}},
                "subdivisions": [
                    {"iso_code": "ENG", "names": {"en": "England"}},
                    {"iso_code": "MAN", "names": {"en": "Manchester"}},
                ],
            },
            "203.0.113.128/25": {"country": {"iso_code": "NL", "names": {"en": "Netherlands"}}},
        },
    )
    return path
