"""National OCDS files as published: every packaging, gzip or not, read a release at a time, each
release put on its buyer, buyers matched to the registry with method and score."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sightline.procurement.buyers import (
    ACCEPTED,
    FUZZY,
    IDENTIFIER,
    NAME,
    SHORT_NAME,
    BuyerMatcher,
    RegistryEntry,
    registry_entries,
)
from sightline.procurement.model import SpendFileError
from sightline.procurement.ocds import each_record, read_ocds_bytes

REGISTRY = [
    RegistryEntry("E09000003", "London Borough of Barnet", "Barnet", ("E09000003",)),
    RegistryEntry("E09000004", "London Borough of Bexley", "Bexley", ("E09000004",)),
    RegistryEntry("E09000005", "London Borough of Brent", "Brent", ("E09000005",)),
    RegistryEntry("E08000035", "Leeds City Council", "Leeds", ("E08000035",)),
    RegistryEntry("E08000019", "Sheffield City Council", "Sheffield", ("E08000019",)),
    RegistryEntry(
        "E09000016", "London Borough of Havering", "Havering", ("E09000016", "GB-LAE-HAV")
    ),
    RegistryEntry("D13", "Foreign, Commonwealth & Development Office", "", ("D13",)),
]


def rows(name: str, text: str) -> list[tuple[str, tuple[str, ...], str, Decimal]]:
    result = read_ocds_bytes(text.encode(), name)
    assert result.problems == []
    return [(r.buyer, r.buyer_identifiers, r.supplier, r.amount) for r in result.records]


def test_every_packaging_gives_the_same_rows_on_the_same_buyers(national: Any) -> None:
    shapes = national.shapes()
    expected = rows("release-package.json", shapes["release-package.json"])
    assert len(expected) == 2 * len(national.buyers)
    assert expected[0] == (
        "Barnet Borough",
        ("GB-CFS-1000", "E09000003"),
        "Northgate Vision Systems Ltd",
        Decimal("10000.00"),
    )
    assert expected[3] == ("LONDON BOROUGH OF BEXLEY", ("GB-CFS-1003",), "HIKVISION UK LIMITED",
                           Decimal("2000.00"))  # fmt: skip
    for name, text in shapes.items():
        assert rows(name, text) == expected, name
        compressed = gzip.compress(text.encode())
        result = read_ocds_bytes(compressed, name + ".gz")
        assert [(r.buyer, r.supplier, r.amount) for r in result.records] == [
            (b, s, a) for b, _, s, a in expected
        ], name


def test_where_names_the_line_of_a_json_lines_file(national: Any) -> None:
    result = read_ocds_bytes(national.shapes()["releases.jsonl"].encode(), "n.jsonl")
    assert [r.where for r in result.records[:2]] == ["line 1 award 0-1", "line 2 award 1-1"]
    packaged = read_ocds_bytes(national.shapes()["packages.jsonl"].encode(), "p.jsonl")
    assert [r.where for r in packaged.records[2:4]] == [
        "line 1, release 3 award 2-1",
        "line 2, release 1 award 3-1",
    ]
    records = read_ocds_bytes(national.shapes()["record-package.json"].encode(), "r.json")
    assert records.records[0].where == "record 1 compiledRelease award 0-1"


def test_releases_of_one_process_far_apart_are_merged(national: Any) -> None:
    first = national.release(1, {"name": "Leeds City Council"}, ("GB-COH-1", "A Ltd"), 100,
                             "35125300-2", "CCTV")  # fmt: skip
    later = json.loads(json.dumps(first))
    later["date"] = "2023-01-01T00:00:00Z"
    later["awards"][0]["value"]["amount"] = 250
    others = [
        national.release(10 + i, {"name": "Brent Council"}, ("GB-COH-2", "B Ltd"), 5, "1", "x")
        for i in range(50)
    ]
    package = {"releases": [later, *others, first]}  # the amendment before the original
    result = read_ocds_bytes(json.dumps(package).encode(), "far.json")
    amounts = {r.reference: r.amount for r in result.records}
    assert amounts["ocds-nat-1 1-1"] == Decimal("250.00")
    assert len(result.records) == 51
    assert result.notes == [
        "2 buyers in the file",
        "52 releases of 51 contracting processes (later releases supersede earlier ones)",
    ]


def test_a_big_file_is_read_in_bounded_memory(tmp_path: Path, national: Any) -> None:
    """About 45 MB of releases read holding a few buffers' worth at once, not the file."""
    from sightline.jsonstream import CHUNK

    path = tmp_path / "big.json"
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"uri": "https://example.org/big.json", "releases": [\n')
        for index in range(24000):
            buyer = national.buyers[index % len(national.buyers)][1]
            release = national.release(index, buyer, ("GB-COH-77", "Filler Ltd"), index, "1",
                                       "x" * 1200)  # fmt: skip
            out.write(("," if index else "") + json.dumps(release) + "\n")
        out.write("]}\n")
    size = path.stat().st_size
    assert size > 40_000_000
    seen: list[Decimal] = []

    def take(record: object) -> None:
        nonlocal count
        count += 1

    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            result = each_record(handle, "big.json", take)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (count, result.problems, seen) == (24000, [], [])
    assert peak < 8 * CHUNK < size / 5, f"peak {peak} bytes for a {size}-byte file"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"releases": [{"ocid": "o-1"',
            "t.json: the file ends inside a value at line 1 column 15",
        ),
        (
            b"\x1f\x8b not really gzip",
            "t.json: the file cannot be read to its end",
        ),
        (b"  \n\n ", "t.json: the file is empty"),
        (b"\xff\xfe{}", "t.json: the file is not UTF-8 text"),
    ],
)
def test_broken_files_are_refused_in_our_words(content: bytes, message: str) -> None:
    with pytest.raises(SpendFileError) as error:
        read_ocds_bytes(content, "t.json")
    assert str(error.value) == message


def test_a_broken_end_keeps_what_was_read(national: Any) -> None:
    text = national.shapes()["release-package.json"]
    cut = text[: text.index('"ocid": "ocds-nat-5"')]
    result = read_ocds_bytes(cut.encode(), "cut.json")
    assert len(result.records) == 5  # the sixth release was cut off in its middle
    (problem,) = result.problems
    assert problem.message.startswith("the file ends")
    assert problem.message.endswith("the rest of the file was not read")


def test_buyers_match_by_identifier_then_name_with_method_and_score() -> None:
    matcher = BuyerMatcher(REGISTRY)
    cases = {
        ("Barnet Borough", ("GB-CFS-1000", "E09000003")): ("E09000003", IDENTIFIER, 100.0, True),
        ("Havering", ("GB-LAE-HAV",)): ("E09000016", IDENTIFIER, 100.0, True),
        ("FCDO", ("GB-GOR-D13",)): ("D13", IDENTIFIER, 100.0, True),
        ("LONDON BOROUGH OF BEXLEY", ()): ("E09000004", NAME, 100.0, True),
        ("Brent Council", ()): ("E09000005", SHORT_NAME, 100.0, True),
        ("Shefield City Council", ()): ("E08000019", FUZZY, 94.1, False),
        ("Ministry of Silly Walks", ()): ("", "", 0.0, False),
        ("Council", ()): ("", "", 0.0, False),
    }
    for (name, identifiers), expected in cases.items():
        match = matcher.match(name, identifiers)
        found = (match.entry.code if match.entry else "", match.method, match.score, match.certain)
        assert found == expected, name


def test_a_name_that_fits_two_authorities_waits_for_a_person() -> None:
    registry = [RegistryEntry("E1", "Newport City Council", "Newport"),
                RegistryEntry("E2", "Newport Borough Council", "Newport")]  # fmt: skip
    match = BuyerMatcher(registry).match("Newport Council")
    assert (match.entry and match.entry.code, match.certain, match.needs_review, match.note) == (
        "E1",
        False,
        True,
        "the name fits Newport City Council; Newport Borough Council",
    )
    decided = BuyerMatcher(registry, {match.key: ACCEPTED}).match("Newport Council")
    assert (decided.certain, decided.review) == (True, ACCEPTED)


def test_registry_entries_carry_the_nations_org_id_scheme() -> None:
    from sightline.authorities.records import read_mysociety

    header = ("local-authority-code,official-name,nice-name,gss-code,nation,current-authority,"
              "local-authority-type,region,pop-2020\n")  # fmt: skip
    text = header + (
        "HAV,London Borough of Havering,Havering,E09000016,England,True,LBO,London,259552\n"
        "GLG,Glasgow City Council,Glasgow,S12000049,Scotland,True,CC,Scotland,635130\n"
    )
    entries = registry_entries(read_mysociety(text).records)
    assert [e.identifiers for e in entries] == [
        ("E09000016", "GB-LAE-HAV"),
        ("S12000049", "GB-LAS-GLG"),
    ]


def test_stream_reads_past_its_buffer(national: Any) -> None:
    from sightline import jsonstream

    values = [{"n": i, "pad": "é" * 50} for i in range(3000)] + [1234567890123]
    stream = jsonstream.JsonStream(io.BytesIO(json.dumps(values).encode()))
    old = jsonstream.CHUNK
    jsonstream.CHUNK = 64  # tiny buffer: every value crosses a chunk boundary
    try:
        assert list(stream.elements()) == values
    finally:
        jsonstream.CHUNK = old
    assert national.releases()  # the shared fixture builds


def test_a_cut_gzip_file_keeps_the_releases_before_the_cut(national: Any) -> None:
    filler = "".join(chr(97 + (i * 7919) % 26) for i in range(400))  # compresses poorly enough
    releases = [
        national.release(i, {"name": "Brent Council"}, ("GB-COH-1", "A Ltd"), i, "1", filler)
        for i in range(3000)
    ]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in releases).encode())
    result = read_ocds_bytes(data[: len(data) // 2], "cut.jsonl.gz")
    assert 0 < len(result.records) < 3000
    assert [r.amount for r in result.records] == [Decimal(i) for i in range(len(result.records))]
    (problem,) = result.problems
    assert problem.where == f"line {len(result.records) + 1}"
    assert problem.message.startswith("the file cannot be read to its end")
