"""Word .docx files: paragraphs in reading order and tables kept as rows of cells."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from sightline.documents.archive import open_zip, refuse_xml_declarations
from sightline.documents.limits import Limits, Unreadable
from sightline.documents.model import Block, Cell, Document, Location, Table
from sightline.documents.sheets import ROW_SEPARATOR, detect_header

_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml", "[Content_Types].xml")
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Same document part under another content type: macro-enabled (.docm) and template files
# (.dotx, .dotm). python-docx opens only the first; the macros themselves are never read.
_OTHER_MAINS = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _as_plain_docx(data: bytes) -> bytes:
    """A .docm, .dotx or .dotm with its main part declared as a plain .docx document's."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
        if not any(main in types for main in _OTHER_MAINS):
            return data
        for main in _OTHER_MAINS:
            types = types.replace(main, _DOCX_MAIN)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in archive.infolist():
                content = types if info.filename == "[Content_Types].xml" else archive.read(info)
                copy.writestr(info, content)
    return out.getvalue()


def _table_rows(table: DocxTable) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        texts: list[str] = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:  # one merged cell spans columns
                continue
            previous = cell._tc
            texts.append(" ".join(cell.text.split()))
        rows.append(texts)
    return rows


def read_docx(data: bytes, limits: Limits) -> tuple[Document, list[tuple[str, bytes]]]:
    """Paragraphs and tables; when the file holds no text at all (a scan pasted into Word), its
    pictures are returned as members, to be read by OCR."""
    with open_zip(data, limits) as archive:
        refuse_xml_declarations(archive, _PARTS)
        pictures = [
            info
            for info in archive.infolist()
            if info.filename.startswith("word/media/")
            and info.filename.lower().endswith(
                (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp")
            )
        ]
        media = [(info.filename.removeprefix("word/"), archive.read(info)) for info in pictures]
    try:
        word = docx.Document(io.BytesIO(_as_plain_docx(data)))
    except Exception as error:  # python-docx raises many kinds for a broken file
        raise Unreadable(
            "damaged Word file: its document part cannot be read",
            detail=f"{type(error).__name__}: {error}",
        ) from None
    document = Document(source="", kind="docx")
    paragraph_number = table_number = 0
    for item in word.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text:  # numbered as a reader counts them: paragraphs that show text
                paragraph_number += 1
                document.blocks.append(Block(text, Location(paragraph=paragraph_number)))
            continue
        table_number += 1
        rows = _table_rows(item)
        table = Table(location=Location(table=table_number))
        kept: list[list[str]] = []
        for row_number, texts in enumerate(rows, start=1):
            if not any(texts):
                continue
            kept.append(texts)
            table.rows.append(
                [
                    Cell(text, Location(table=table_number, row=row_number, column=col))
                    for col, text in enumerate(texts, start=1)
                    if text
                ]
            )
            line = ROW_SEPARATOR.join(text for text in texts if text)
            document.blocks.append(Block(line, Location(table=table_number, row=row_number)))
        table.header = detect_header(kept)
        document.tables.append(table)
    return document, (media if not document.blocks else [])
