"""The correspondence of a campaign as evidence: one zip archive, and a check of it.

For an internal review, a complaint to the regulator or a court, the archive holds every message
exactly as it went and as it came (the bytes handed to the SMTP server, the bytes received), the
attachments of each, the timeline of each request with its statutory dates, an index, and a
manifest of the SHA-256 of every file::

    manifest.json                     every other file with its SHA-256 and size (written last)
    SHA256SUMS                        the same hashes, for ``sha256sum -c`` after unzipping
    index.csv                         one row per message and per attachment
    timeline.json                     each request's dates and history, oldest first
    REF/001-sent-request.eml          a message as sent, byte for byte
    REF/002-received-reply.eml        a message as received, byte for byte
    REF/002-attachments/letter.pdf    its attachments, decoded

Plain Python: the campaign's records come in as the dataclasses below
(``sightline.export.correspondence`` reads them from the database). Names inside the archive are
made safe here, so nothing an authority names a file can reach outside the archive's folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sightline.errors import SightlineError

FORMAT = "sightline-correspondence"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
INDEX = "index.csv"
TIMELINE = "timeline.json"
INDEX_COLUMNS = (
    "reference",
    "authority",
    "number",
    "direction",
    "kind",
    "date",
    "from",
    "to",
    "subject",
    "message_id",
    "status",
    "file",
    "sha256",
    "size",
    "attachment_of",
)
# Names Windows will not open as files, whatever their extension.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 100
# Why a file cannot be written, in Sightline's words (the system's own goes in ``detail``).
_WRITE_PROBLEMS = {
    errno.ENOENT: "its folder does not exist",
    errno.ENOTDIR: "its folder does not exist",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
}


class ExportError(SightlineError, ValueError):
    """The archive cannot be written, or a record it needs is missing."""


class VerifyError(SightlineError, ValueError):
    """The file cannot be checked at all: not readable, not a zip, no manifest."""


@dataclass(frozen=True)
class ExportedAttachment:
    name: str  # as the message names it
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ExportedMessage:
    """One message of a request's correspondence, with its exact bytes."""

    direction: Literal["sent", "received"]
    kind: str  # request, reminder, internal-review...; or reply, bounce, auto_reply...
    raw: bytes
    at: dt.datetime | None
    sender: str
    recipient: str
    subject: str
    message_id: str
    status: str = ""  # of a sent message: sent, or uncertain (it may or may not have gone)
    attachments: tuple[ExportedAttachment, ...] = ()
    unreadable: str = ""  # why the attachments could not be read, if they could not


@dataclass(frozen=True)
class ExportedEvent:
    """An entry of the request's log that is not a message (sent, state set, extended...)."""

    at: dt.datetime
    kind: str
    state: str = ""
    guess: bool = False
    actor: str = ""
    note: str = ""


@dataclass(frozen=True)
class ExportedRequest:
    reference: str
    authority: str
    gss_code: str
    law: str
    state: str
    dates: Mapping[str, Any]  # the statutory dates, JSON-ready (sightline.law computed them)
    entries: tuple[ExportedMessage | ExportedEvent, ...]  # oldest first


@dataclass(frozen=True)
class ExportResult:
    path: Path
    files: int  # files listed in the manifest (every file of the archive but the manifest)
    messages: int
    attachments: int


@dataclass(frozen=True)
class VerifyResult:
    path: Path
    checked: int  # files listed in the manifest
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


def safe_name(name: str, fallback: str = "file") -> str:
    """A file name that stays where it is put: the last part of ``name`` only, ASCII letters,
    digits, ``.``, ``_`` and ``-``, no leading dot, at most 100 characters with its extension."""
    last = re.split(r"[/\\]", name)[-1]
    ascii_name = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("_", ascii_name).strip("._ ")
    cleaned = re.sub(r"_{2,}", "_", cleaned) or fallback
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    if stem.upper() in _RESERVED:
        stem = f"_{stem}"
    extension = extension[:16]
    room = MAX_NAME - (len(extension) + 1 if extension else 0)
    stem = stem[:room]
    return f"{stem}.{extension}" if extension else stem


def is_safe_member(name: str) -> bool:
    """An archive member that unzips inside the archive's folder (no absolute path, no ``..``,
    no drive letter, no backslash)."""
    if not name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    while candidate.casefold() in taken:
        candidate = f"{stem}-{number}.{extension}" if extension else f"{stem}-{number}"
        number += 1
    taken.add(candidate.casefold())
    return candidate


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_files(
    campaign: Mapping[str, Any], requests: Sequence[ExportedRequest]
) -> tuple[list[tuple[str, bytes]], int, int]:
    """Every file of the archive but the manifest, in order, and the message and attachment
    counts."""
    files: list[tuple[str, bytes]] = []
    index_rows: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    folders: set[str] = set()
    messages = attachments = 0
    for request in requests:
        folder = _unique(safe_name(request.reference, "request"), folders)
        entries: list[dict[str, Any]] = []
        number = 0
        for entry in request.entries:
            if isinstance(entry, ExportedEvent):
                entries.append(
                    {
                        "at": entry.at.isoformat(),
                        "type": "event",
                        "kind": entry.kind,
                        "state": entry.state,
                        "guess": entry.guess,
                        "actor": entry.actor,
                        "note": entry.note,
                    }
                )
                continue
            number += 1
            messages += 1
            path = f"{folder}/{number:03d}-{entry.direction}-{safe_name(entry.kind, 'message')}.eml"
            files.append((path, entry.raw))
            row = {
                "reference": request.reference,
                "authority": request.authority,
                "number": number,
                "direction": entry.direction,
                "kind": entry.kind,
                "date": _iso(entry.at),
                "from": entry.sender,
                "to": entry.recipient,
                "subject": entry.subject,
                "message_id": entry.message_id,
                "status": entry.status,
                "file": path,
                "sha256": sha256(entry.raw),
                "size": len(entry.raw),
                "attachment_of": "",
            }
            index_rows.append(row)
            taken: set[str] = set()
            attached: list[dict[str, Any]] = []
            for attachment in entry.attachments:
                attachments += 1
                name = _unique(safe_name(attachment.name, "attachment"), taken)
                attachment_path = f"{folder}/{number:03d}-attachments/{name}"
                files.append((attachment_path, attachment.data))
                index_rows.append(
                    {
                        **{key: row[key] for key in ("reference", "authority", "number")},
                        "direction": "attachment",
                        "kind": attachment.content_type,
                        "date": row["date"],
                        "subject": attachment.name,
                        "file": attachment_path,
                        "sha256": sha256(attachment.data),
                        "size": len(attachment.data),
                        "attachment_of": path,
                    }
                )
                attached.append(
                    {"name": attachment.name, "content_type": attachment.content_type,
                     "file": attachment_path}
                )  # fmt: skip
            entries.append(
                {
                    "at": _iso(entry.at),
                    "type": entry.direction,
                    "kind": entry.kind,
                    "from": entry.sender,
                    "to": entry.recipient,
                    "subject": entry.subject,
                    "message_id": entry.message_id,
                    "status": entry.status,
                    "file": path,
                    "attachments": attached,
                    "attachments_unreadable": entry.unreadable,
                }
            )
        timeline.append(
            {
                "reference": request.reference,
                "authority": request.authority,
                "gss_code": request.gss_code,
                "law": request.law,
                "state": request.state,
                "folder": folder,
                **dict(request.dates),
                "entries": entries,
            }
        )
    document = {"campaign": dict(campaign), "requests": timeline}
    files.append((TIMELINE, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()))
    files.append((INDEX, _csv_bytes(index_rows)))
    checksums = "".join(f"{sha256(data)}  {path}\n" for path, data in files)
    files.append((CHECKSUMS, checksums.encode("utf-8")))
    return files, messages, attachments


def _csv_bytes(rows: Sequence[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INDEX_COLUMNS)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in INDEX_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def manifest_document(
    campaign: Mapping[str, Any], files: Sequence[tuple[str, bytes]], created_at: dt.datetime
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "campaign": campaign.get("slug"),
        "created_at": created_at.isoformat(),
        "files": [
            {"path": path, "sha256": sha256(data), "size": len(data)} for path, data in files
        ],
    }


def write_export(
    out: Path,
    campaign: Mapping[str, Any],
    requests: Sequence[ExportedRequest],
    *,
    created_at: dt.datetime,
    force: bool = False,
) -> ExportResult:
    """Write the archive to ``out`` (through a temporary file beside it, so a reader never sees
    half an archive); an existing file is replaced only with ``force``."""
    if out.is_dir():
        raise ExportError(f"{out} is a folder: give the path of a .zip file to write")
    if out.exists() and not force:
        raise ExportError(f"{out} already exists: give --force to replace it")
    files, messages, attachments = build_files(campaign, requests)
    for path, _ in files:  # every name was made here; a bug must not write outside the folder
        assert is_safe_member(path), path
    manifest = manifest_document(campaign, files, created_at)
    stamp = created_at.astimezone(dt.UTC).timetuple()[:6]
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=out.parent, prefix=f".{out.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                members = [*files, (MANIFEST, _json_bytes(manifest))]
                for path, data in members:
                    info = zipfile.ZipInfo(path, date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, data)
        os.chmod(temporary, 0o600)  # the correspondence names people: for its owner only
        os.replace(temporary, out)
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        reason = _WRITE_PROBLEMS.get(error.errno or 0, "the system refused")
        raise ExportError(
            f"{out}: cannot be written ({reason})", detail=error.strerror or ""
        ) from None
    return ExportResult(out, len(files), messages, attachments)


def _json_bytes(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def verify_export(path: Path) -> VerifyResult:
    """Check every file of the archive against its manifest: each problem is one line, naming
    the file and what is wrong with it (changed, missing, extra, unsafe or unreadable)."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise VerifyError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise VerifyError(f"{path} is a folder, not a zip archive") from None
    except OSError as error:
        raise VerifyError(f"{path}: cannot be read ({error.strerror or 'unreadable'})") from None
    except zipfile.BadZipFile:
        raise VerifyError(f"{path} is not a zip archive") from None
    with archive:
        names = archive.namelist()
        if MANIFEST not in names:
            raise VerifyError(f"{path} has no {MANIFEST}: it is not a Sightline export")
        listed = _read_manifest(path, archive)
        problems: list[str] = []
        seen: set[str] = set()
        for name in names:
            if name in seen:
                problems.append(f"{name}: in the archive more than once")
            seen.add(name)
            if not is_safe_member(name):
                problems.append(f"{name}: unsafe name (it would unzip outside its folder)")
        for entry_path, expected in listed.items():
            if entry_path not in seen:
                problems.append(f"{entry_path}: missing (in the manifest, not in the archive)")
                continue
            try:
                actual = sha256(archive.read(entry_path))
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                problems.append(f"{entry_path}: damaged (it cannot be read from the archive)")
                continue
            if actual != expected:
                problems.append(
                    f"{entry_path}: changed (SHA-256 {actual}, the manifest says {expected})"
                )
        for name in names:
            if name != MANIFEST and name not in listed:
                problems.append(f"{name}: extra (in the archive, not in the manifest)")
    return VerifyResult(path, len(listed), tuple(dict.fromkeys(problems)))


def _read_manifest(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    problem = f"{path}: its {MANIFEST} is not a Sightline manifest"
    try:
        document = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise VerifyError(problem) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise VerifyError(problem)
    files = document.get("files")
    if not isinstance(files, list):
        raise VerifyError(problem)
    listed: dict[str, str] = {}
    for entry in files:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("sha256"), str)
        ):
            raise VerifyError(problem)
        listed[entry["path"]] = entry["sha256"]
    return listed
