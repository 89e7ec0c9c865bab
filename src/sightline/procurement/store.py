"""Imported spending and contracts as normalised JSON lines under ``SIGHTLINE_HOME/spend/``.

    spend/raw/<sha256>.<ext>           every imported file, byte for byte (never lose raw input)
    spend/imports/<id>.jsonl           one import: an "import" line, then "problem" and "record" lines
    spend/reviews.jsonl                people's decisions on uncertain matches, appended; last wins

Files rather than database tables because an import is an immutable document tied to one raw
file: it is read whole, never updated, re-read cheaply when the knowledge base changes (matches
are recomputed, not stored), and diffs and archives well; the findings bundle is built from files
too. Importing the same file for the same authority twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from sightline.errors import SightlineError
from sightline.procurement.matching import ACCEPTED, REJECTED
from sightline.procurement.model import (
    CONTRACT,
    PAYMENT,
    ImportedFile,
    ReadProblem,
    ReadResult,
    SpendFileError,
    SpendRecord,
)
from sightline.procurement.ocds import read_ocds_bytes
from sightline.procurement.spendfiles import spend_records, without_collector

OCDS_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
NATIONAL = ""  # the authority of a national import: each row goes to its buyer
COPY_CHUNK = 1 << 20
_decode = msgspec.json.Decoder(dict[str, Any]).decode  # several times faster than json.loads
_encode = msgspec.json.Encoder().encode


class StoreError(SightlineError, ValueError):
    """The spend folder cannot be read or written."""


@dataclass(frozen=True)
class ImportOutcome:
    imported: ImportedFile
    unchanged: bool  # the same file was already imported for this authority
    rows: int = -1  # rows read, when ``imported.records`` is not held in memory

    @property
    def row_count(self) -> int:
        return self.rows if self.rows >= 0 else len(self.imported.records)


class SpendStore:
    def __init__(self, home: Path):
        self.folder = home / "spend"

    @property
    def imports_folder(self) -> Path:
        return self.folder / "imports"

    @property
    def reviews_path(self) -> Path:
        return self.folder / "reviews.jsonl"

    def import_file(
        self, path: Path, authority: str, authority_name: str, short_name: str = ""
    ) -> ImportOutcome:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SpendFileError(
                f"{path.name}: cannot be read", detail=str(error.strerror or "")
            ) from None
        digest = hashlib.sha256(data).hexdigest()
        import_id = f"{digest[:12]}-{authority}"
        target = self.imports_folder / f"{import_id}.jsonl"
        if target.exists():
            item = self._read_import(target, keep_records=False)
            return ImportOutcome(item, unchanged=True, rows=_count_records(target))
        if path.name.lower().endswith(OCDS_SUFFIXES):
            result = read_ocds_bytes(data, path.name)
            records: Iterable[SpendRecord] = result.records
        else:  # streamed: a council's year of payments is a million rows
            result = ReadResult(source=path.name, kind=PAYMENT)
            records = spend_records(data, path.name, result)  # refuses unreadable files here
        rows = 0
        try:
            self.imports_folder.mkdir(parents=True, exist_ok=True)
            with (
                without_collector(),
                tempfile.NamedTemporaryFile(
                    dir=self.imports_folder, delete=False, suffix=".tmp"
                ) as out,
            ):
                for record in records:
                    rows += 1
                    out.write(_encode({"type": "record", **record.as_json()}) + b"\n")
                imported = ImportedFile(
                    import_id=import_id,
                    authority=authority,
                    authority_name=authority_name,
                    source=path.name,
                    kind=result.kind,
                    imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
                    sha256=digest,
                    records=(),
                    problems=tuple(result.problems),
                    notes=tuple(result.notes),
                    short_name=short_name,
                )
            raw = self.folder / "raw" / f"{digest}{_suffix(path)}"
            if not raw.exists():
                _write_bytes(raw, data)
            _finish(target, imported, Path(out.name))
        except OSError as error:
            raise StoreError(
                f"{target}: cannot be written", detail=str(error.strerror or "")
            ) from None
        return ImportOutcome(imported, unchanged=False, rows=rows)

    def import_national(self, path: Path) -> ImportOutcome:
        """Import an OCDS file with many buyers (gzip or not), streaming: the file is copied
        under ``raw/`` while it is hashed, then read a release at a time and written out a row
        at a time, so memory does not grow with the file. Each row keeps its buyer."""
        from sightline.procurement.ocds import each_record

        raw_folder = self.folder / "raw"
        try:
            raw_folder.mkdir(parents=True, exist_ok=True)
            digest, copy = _copy_hashed(path, raw_folder)
        except OSError as error:
            raise SpendFileError(
                f"{path.name}: cannot be read", detail=str(error.strerror or "")
            ) from None
        import_id = f"{digest[:12]}-national"
        target = self.imports_folder / f"{import_id}.jsonl"
        raw = raw_folder / f"{digest}{_suffix(path)}"
        if target.exists():
            copy.unlink(missing_ok=True)
            item = self._read_import(target, keep_records=False)
            return ImportOutcome(item, unchanged=True, rows=_count_records(target))
        rows = 0
        try:
            self.imports_folder.mkdir(parents=True, exist_ok=True)
            with (
                copy.open("rb") as source,
                tempfile.NamedTemporaryFile(
                    dir=self.imports_folder, delete=False, suffix=".tmp"
                ) as out,
            ):

                def take(record: SpendRecord) -> None:
                    nonlocal rows
                    rows += 1
                    out.write(_encode({"type": "record", **record.as_json()}) + b"\n")

                try:
                    result = each_record(source, path.name, take)
                except SpendFileError:
                    out.close()
                    Path(out.name).unlink(missing_ok=True)
                    copy.unlink(missing_ok=True)
                    raise
                imported = ImportedFile(
                    import_id=import_id,
                    authority=NATIONAL,
                    authority_name="",
                    source=path.name,
                    kind=CONTRACT,
                    imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
                    sha256=digest,
                    records=(),
                    problems=tuple(result.problems),
                    notes=tuple(result.notes),
                )
            os.replace(copy, raw)
            _finish(target, imported, Path(out.name))
        except OSError as error:
            raise StoreError(
                f"{target}: cannot be written", detail=str(error.strerror or "")
            ) from None
        return ImportOutcome(imported, unchanged=False, rows=rows)

    def imports(self) -> list[ImportedFile]:
        if not self.imports_folder.is_dir():
            return []
        items = [self._read_import(path) for path in sorted(self.imports_folder.glob("*.jsonl"))]
        return sorted(items, key=lambda item: (item.imported_at, item.import_id))

    def _read_import(self, path: Path, keep_records: bool = True) -> ImportedFile:
        meta: dict[str, Any] | None = None
        records: list[SpendRecord] = []
        problems: list[ReadProblem] = []
        try:
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    entry = _decode(line)
                    kind = entry.pop("type", "")
                    if kind == "import":
                        meta = entry
                    elif kind == "record":
                        if keep_records:
                            records.append(SpendRecord.from_json(entry))
                    elif kind == "problem":
                        problems.append(ReadProblem(**entry))
                    else:
                        raise StoreError(f"{path} line {number}: unknown entry {kind!r}")
        except (OSError, ValueError, KeyError, TypeError, msgspec.DecodeError) as error:
            raise StoreError(f"{path}: damaged import file", detail=str(error)) from None
        if meta is None:
            raise StoreError(f"{path}: damaged import file (no import line)")
        return ImportedFile(
            import_id=str(meta["id"]),
            authority=str(meta["authority"]),
            authority_name=str(meta.get("authority_name", "")),
            source=str(meta["source"]),
            kind=str(meta.get("kind", CONTRACT)),
            imported_at=str(meta.get("imported_at", "")),
            sha256=str(meta.get("sha256", "")),
            records=tuple(records),
            problems=tuple(problems),
            notes=tuple(str(n) for n in meta.get("notes", ())),
            short_name=str(meta.get("short_name", "")),
        )

    def decisions(self) -> dict[str, str]:
        """Review key -> accepted or rejected (the latest decision wins)."""
        decisions: dict[str, str] = {}
        if not self.reviews_path.exists():
            return decisions
        with self.reviews_path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    entry = _decode(line)
                    decisions[str(entry["key"])] = str(entry["decision"])
        return decisions

    def decide(self, key: str, decision: str, supplier: str, candidate: str) -> None:
        if decision not in (ACCEPTED, REJECTED):
            raise StoreError(f"decision {decision!r} is not {ACCEPTED} or {REJECTED}")
        entry = {
            "key": key,
            "decision": decision,
            "supplier": supplier,
            "candidate": candidate,
            "decided_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.reviews_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _meta(item: ImportedFile) -> dict[str, Any]:
    return {
        "id": item.import_id,
        "authority": item.authority,
        "authority_name": item.authority_name,
        "short_name": item.short_name,
        "source": item.source,
        "kind": item.kind,
        "imported_at": item.imported_at,
        "sha256": item.sha256,
        "notes": list(item.notes),
    }


def _finish(target: Path, imported: ImportedFile, records: Path) -> None:
    """Write the import file: its "import" line first, its problems, then the records written
    to ``records`` while the file was read (copied, not held in memory)."""
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as out:
        out.write(_encode({"type": "import", **_meta(imported)}) + b"\n")
        for problem in imported.problems:
            out.write(_encode({"type": "problem", **problem.as_json()}) + b"\n")
        with records.open("rb") as source:
            shutil.copyfileobj(source, out, COPY_CHUNK)
    records.unlink()
    os.replace(out.name, target)


def _suffix(path: Path) -> str:
    """``.json``, or ``.json.gz`` for a compressed file: the raw copy keeps what it was."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    return "".join(suffixes) if suffixes[-1:] == [".gz"] else path.suffix.lower()


def _copy_hashed(path: Path, folder: Path) -> tuple[str, Path]:
    """Copy ``path`` into ``folder`` under a temporary name, hashing it on the way."""
    digest = hashlib.sha256()
    with (
        path.open("rb") as source,
        tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as copy,
    ):
        while chunk := source.read(COPY_CHUNK):
            digest.update(chunk)
            copy.write(chunk)
    return digest.hexdigest(), Path(copy.name)


def _count_records(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(
            1 for line in handle if line.startswith((b'{"type":"record"', b'{"type": "record"'))
        )


def _write_bytes(path: Path, data: bytes) -> None:
    """Through a temporary file, so a crash never leaves half an import."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError as error:
        raise StoreError(f"{path}: cannot be written", detail=str(error.strerror or "")) from None
