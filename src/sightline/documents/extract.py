"""One file's own content, read inside a worker process: detect its kind, run the reader.

Containers (messages, archives) do not read their members here: they return them as ``members``
for the caller to read in turn, each in its own worker task, so that one bad attachment costs only
itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sightline.documents.detect import sniff
from sightline.documents.limits import LimitExceeded, Limits, Unreadable
from sightline.documents.model import Block, Document, Location, ReadError
from sightline.documents.pdf import PageRange

Member = tuple[str, bytes]

# kinds we recognise but cannot read, and what to tell the user
_UNSUPPORTED = {
    "encrypted-office": "password-protected Office file: it cannot be read without the password",
    "doc": "Word 97-2003 (.doc) files are not supported: save it as .docx or PDF",
    "ppt": "PowerPoint 97-2003 (.ppt) files are not supported",
    "pptx": "PowerPoint (.pptx) files are not supported",
    "odf": "OpenDocument text and presentation files are not supported",
    "ole": "unrecognised OLE (Office 97-2003) file",
    "binary": "unrecognised binary file",
}


@dataclass
class Extraction:
    """What a worker sends back: the file's own content and its members to read next."""

    document: Document
    members: list[Member] = field(default_factory=list)


def extract(
    data: bytes,
    name: str,
    limits: Limits,
    *,
    kind: str | None = None,
    pages: PageRange | None = None,
    split: Callable[[list[PageRange]], None] | None = None,
    workers: int = 1,
) -> Extraction:
    """Read ``data`` (called ``name``); any failure becomes a ``ReadError`` on the whole file."""
    kind = kind or sniff(data, name)
    try:
        extraction = _extract(data, kind, limits, pages, split, workers)
    except (Unreadable, LimitExceeded) as error:
        extraction = Extraction(Document(source="", errors=[ReadError(Location(), str(error))]))
    extraction.document.kind = kind
    return extraction


def _extract(
    data: bytes,
    kind: str,
    limits: Limits,
    pages: PageRange | None,
    split: Callable[[list[PageRange]], None] | None,
    workers: int,
) -> Extraction:
    if kind == "pdf":
        from sightline.documents.pdf import read_pdf

        return Extraction(read_pdf(data, limits, pages, split, workers))
    if kind == "message":
        from sightline.documents.messages import read_email

        return Extraction(*read_email(data))
    if kind == "msg":
        from sightline.documents.messages import read_outlook

        return Extraction(*read_outlook(data))
    if kind == "tnef":
        from sightline.documents.tnef import read_tnef

        return Extraction(*read_tnef(data))
    if kind == "zip":
        from sightline.documents.archive import read_zip

        return Extraction(*read_zip(data, limits))
    if kind == "docx":
        from sightline.documents.word import read_docx

        return Extraction(*read_docx(data, limits))
    if kind in ("xlsx", "xls", "ods"):
        from sightline.documents.sheets import read_workbook

        if kind != "xls":  # zip containers: check the archive before the Rust reader opens it
            from sightline.documents.archive import open_zip, refuse_xml_declarations

            with open_zip(data, limits) as archive:
                refuse_xml_declarations(archive, ("META-INF/manifest.xml",))
                _refuse_encrypted_ods(archive)
        return Extraction(read_workbook(data))
    if kind == "csv":
        from sightline.documents.sheets import read_csv

        return Extraction(read_csv(data))
    if kind in ("png", "jpeg", "tiff", "gif", "bmp"):
        from sightline.documents.ocr import read_image

        return Extraction(read_image(data, limits))
    if kind == "html":
        from sightline.documents.encoding import decode_text
        from sightline.documents.messages import body_document

        return Extraction(body_document(None, decode_text(data), "html", part=None))
    if kind == "text":
        from sightline.documents.encoding import decode_text

        return Extraction(_text_document(decode_text(data)))
    if kind == "rtf":
        from sightline.documents.messages import body_document
        from sightline.documents.rtf import rtf_to_text

        content, is_html = rtf_to_text(data)
        if is_html:
            return Extraction(body_document(None, content, "rtf", part=None))
        return Extraction(_text_document(content))
    if kind == "empty":
        return Extraction(Document(source=""))
    raise Unreadable(_UNSUPPORTED.get(kind, f"unsupported file type ({kind})"))


def _text_document(text: str) -> Document:
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    document = Document(source="")
    if text:
        document.blocks.append(Block(text, Location()))
    return document


def _refuse_encrypted_ods(archive: object) -> None:
    """An OpenDocument file saved with a password lists encryption data in its manifest."""
    import zipfile

    assert isinstance(archive, zipfile.ZipFile)
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return
    if b"encryption-data" in manifest:
        raise Unreadable("password-protected spreadsheet: it cannot be read without the password")
