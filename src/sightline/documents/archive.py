"""Zip archives (and the zip containers of Office files), opened only within limits.

A zip bomb is a small archive that expands to gigabytes. Sizes written in an archive can lie, so
the declared sizes are checked first and the real output is counted again while decompressing.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import zipfile
from collections.abc import Iterable

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from sightline.documents.limits import MIB, LimitExceeded, Limits, Unreadable
from sightline.documents.model import Document, Location, ReadError

Member = tuple[str, bytes]
_CHUNK = 1 << 16


def _expansion_limit(compressed: int, limits: Limits) -> int:
    by_ratio = max(int(compressed * limits.ratio), limits.ratio_floor_mb * MIB)
    return min(by_ratio, limits.expanded_mb * MIB)


def _describe(size: int) -> str:
    return f"{size / MIB:.1f} MB" if size >= MIB else f"{size} bytes"


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, refused if its listing alone shows it would break the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Unreadable(
            "damaged zip archive: its listing cannot be read", detail=str(error)
        ) from None
    infos = archive.infolist()
    if len(infos) > limits.members:
        archive.close()
        raise LimitExceeded(
            f"zip archive has {len(infos)} files (limit {limits.members}); not opened"
        )
    declared = sum(info.file_size for info in infos)
    allowed = _expansion_limit(len(data), limits)
    if declared > allowed:
        archive.close()
        raise LimitExceeded(
            f"zip bomb refused: {_describe(len(data))} would expand to {_describe(declared)} "
            f"({declared / max(len(data), 1):.0f} times; limit {limits.ratio:g} times, "
            f"{limits.expanded_mb} MB)"
        )
    return archive


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: zip's default code page is CP437
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("utf-8")
    return posixpath.normpath(name.replace("\\", "/")).lstrip("/")


def read_zip(data: bytes, limits: Limits) -> tuple[Document, list[Member]]:
    """The files inside an archive (to be read in turn), and errors about members not extracted."""
    document = Document(source="", kind="zip")
    members: list[Member] = []
    allowed = _expansion_limit(len(data), limits)
    total = 0
    with open_zip(data, limits) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = _member_name(info)
            if info.flag_bits & 0x1:
                document.errors.append(
                    ReadError(Location(file=name), "encrypted zip member: it needs a password")
                )
                continue
            try:
                content = bytearray()
                with archive.open(info) as stream:
                    while chunk := stream.read(_CHUNK):
                        content += chunk
                        if total + len(content) > allowed:
                            raise LimitExceeded(
                                f"zip bomb refused: expanding it passed {_describe(allowed)} "
                                f"(limit {limits.ratio:g} times its size, {limits.expanded_mb} MB)"
                            )
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
                document.errors.append(
                    ReadError(Location(file=name), "damaged zip member: it cannot be unpacked")
                )
                continue
            total += len(content)
            members.append((name, bytes(content)))
    return document, members


def refuse_xml_declarations(archive: zipfile.ZipFile, names: Iterable[str]) -> None:
    """Office XML never needs a DTD; one that declares entities may be a billion-laughs bomb.
    Each named part is parsed with defusedxml, which refuses DTDs and entity declarations."""
    for name in names:
        try:
            info = archive.getinfo(name)
        except KeyError:
            continue
        with archive.open(info) as stream:
            head = stream.read(64 * 1024)
        if b"<!DOCTYPE" not in head and b"<!ENTITY" not in head:
            continue
        try:
            safe_xml.fromstring(archive.read(info), forbid_dtd=True)
        except DefusedXmlException as error:
            raise Unreadable(
                f"unsafe XML in {name} refused (it declares entities or a DTD)",
                detail=f"{type(error).__name__}: {error}",
            ) from None
        except safe_xml.ParseError as error:
            raise Unreadable(f"damaged XML in {name}", detail=str(error)) from None
