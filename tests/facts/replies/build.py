"""Build the facts development replies from their sources: ``python tests/facts/replies/build.py``.

Every reply is written in ``sources/*.txt`` as one record: a ``### id`` line, ``key: value``
label lines, a ``---`` line, then the body. The body is plain text; lines that start with ``|``
are table rows, ``# `` lines are headings, ``## sheet NAME`` (or ``## hidden sheet NAME``)
starts a spreadsheet sheet. A ``--- attachment NAME`` line in an e-mail body starts the
attachment, written in the same way and built in the format its name ends with.

The build writes ``docs/ID.EXT`` and two label files in the shared scorer's format:
``dev.jsonl`` (rules may be changed while looking at these) and ``test.jsonl`` (every third
reply in source order, split off before any rule was changed; scored only to report).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
VENDOR_KEYS = ("hikvision", "dahua")
OTHER_VENDORS = (
    "axis",
    "bosch",
    "hanwha",
    "avigilon",
    "panasonic",
    "uniview",
    "huawei",
    "nec",
    "vivotek",
    "sony",
    "motorola",
    "genetec",
    "milestone",
    "honeywell",
    "mobotix",
)


def parse(text: str) -> list[dict[str, object]]:
    records = []
    for chunk in re.split(r"^### ", text, flags=re.M)[1:]:
        head, _, body = chunk.partition("\n---\n")
        lines = head.splitlines()
        record: dict[str, object] = {"id": lines[0].strip(), "body": body.rstrip() + "\n"}
        for line in lines[1:]:
            if line.strip():
                key, _, value = line.partition(":")
                record[key.strip()] = value.strip()
        records.append(record)
    return records


def vendor(value: str) -> dict[str, object]:
    parts = value.split()
    owned = parts[0]
    count = None
    types: list[str] = []
    if owned == "yes":
        if len(parts) > 1 and parts[1] != "-":
            count = int(parts[1])
        if len(parts) > 2:
            types = parts[2].split(",")
    return {"owned": owned, "count": count, "device_types": types}


def label(record: dict[str, object]) -> dict[str, object]:
    vendors = {key: vendor(str(record.get(key, "unstated"))) for key in VENDOR_KEYS}
    for key in OTHER_VENDORS:
        if key in record:
            vendors[key] = vendor(str(record[key]))
    exemptions = [e.strip() for e in str(record.get("exemptions", "")).split(";") if e.strip()]
    return {
        "status": record["status"],
        "vendors": vendors,
        "hikvision_or_dahua_unspecified": record.get("unspecified", "false") == "true",
        "facial_recognition": record.get("fr", "unstated"),
        "exemptions": sorted(exemptions),
        "replacement_plan": record.get("plan", "unstated"),
    }


# --- writers, one per format ----------------------------------------------------------------


def _rows(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _pieces(body: str) -> list[tuple[str, object]]:
    """("para", text) / ("heading", text) / ("table", rows) in order."""
    out: list[tuple[str, object]] = []
    table: list[list[str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(("para", "\n".join(para)))
            para.clear()
        if table:
            out.append(("table", [list(r) for r in table]))
            table.clear()

    for line in body.splitlines():
        if line.startswith("|"):
            if para:
                out.append(("para", "\n".join(para)))
                para.clear()
            table.append(_rows(line))
        elif line.startswith("# "):
            flush()
            out.append(("heading", line[2:]))
        elif not line.strip():
            flush()
        else:
            if table:
                flush()
            para.append(line)
    flush()
    return out


def _unwrap(text: str) -> list[str]:
    """Source lines joined where the writer only wrapped them (as a word processor would)."""
    lines: list[str] = []
    for line in text.splitlines():
        if lines and len(lines[-1]) >= 85 and not re.search(r"[.?!:]$", lines[-1]):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line.strip())
    return lines


def write_txt(path: Path, body: str) -> None:
    path.write_text(body.replace("\n# ", "\n").removeprefix("# "), encoding="utf-8")


def write_html(path: Path, body: str) -> None:
    from html import escape

    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>FOI response</title>"]
    parts.append("<style>td{padding:2px}</style></head><body><div class='content'>")
    for kind, value in _pieces(body):
        if kind == "heading":
            parts.append(f"<h2>{escape(str(value))}</h2>")
        elif kind == "para":
            parts.append("<p>" + "<br>".join(escape(x) for x in _unwrap(str(value))) + "</p>")
        else:
            rows = value if isinstance(value, list) else []
            parts.append("<table>")
            for i, row in enumerate(rows):
                tag = "th" if i == 0 else "td"
                cells = "".join(f"<{tag}>{escape(c)}</{tag}>" for c in row)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</table>")
    parts.append("</div></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def write_docx(path: Path, body: str) -> None:
    import docx

    document = docx.Document()
    for kind, value in _pieces(body):
        if kind == "heading":
            document.add_heading(str(value), level=2)
        elif kind == "para":
            for line in _unwrap(str(value)):
                document.add_paragraph(line)
        else:
            rows = value if isinstance(value, list) else []
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
    document.core_properties.created = datetime(2026, 11, 2, tzinfo=UTC)
    document.save(str(path))


def write_pdf(path: Path, body: str) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    story: list[object] = []
    for kind, value in _pieces(body):
        if kind == "heading":
            story.append(Paragraph(escape(str(value)), styles["Heading2"]))
        elif kind == "para":
            for line in _unwrap(str(value)):
                story.append(Paragraph(escape(line), styles["Normal"]))
            story.append(Spacer(1, 6))
        else:
            story.append(Table(value))
            story.append(Spacer(1, 6))
    doc = SimpleDocTemplate(str(path), pagesize=A4, invariant=1)
    doc.build(story)


def write_xlsx(path: Path, body: str) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    first = True
    for line in body.splitlines():
        match = re.match(r"## (hidden )?sheet (.+)", line)
        if match:
            if first:
                sheet.title = match.group(2)
                first = False
            else:
                sheet = book.create_sheet(match.group(2))
            if match.group(1):
                sheet.sheet_state = "hidden"
            continue
        if line.startswith("|"):
            sheet.append([_cell(c) for c in _rows(line)])
        elif line.strip():
            sheet.append([line.strip()])
    book.save(str(path))


def _cell(text: str) -> object:
    return int(text) if re.fullmatch(r"\d+", text) else (text or None)


def write_csv(path: Path, body: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in body.splitlines():
        if line.startswith("|"):
            writer.writerow(_rows(line))
        elif line.strip():
            writer.writerow([line.strip()])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def attachment_bytes(name: str, body: str, scratch: Path) -> bytes:
    target = scratch / name
    WRITERS[name.rsplit(".", 1)[1]](target, body)
    data = target.read_bytes()
    target.unlink()
    return data


def write_eml(path: Path, body: str, record: dict[str, object]) -> None:
    message = EmailMessage()
    message["From"] = str(record.get("from", "FOI Team <foi@authority.example>"))
    message["To"] = "Campaign requester <requests@sightline.example>"
    message["Subject"] = str(record.get("subject", "Your information request"))
    message["Date"] = format_datetime(datetime(2026, 10, 14, 9, 30, tzinfo=UTC))
    message["Message-ID"] = f"<{record['id']}@authority.example>"
    text, _, attached = body.partition("\n--- attachment ")
    message.set_content(text.replace("\n# ", "\n"))
    if attached:
        name, _, content = attached.partition("\n")
        data = attachment_bytes(name.strip(), content, path.parent)
        kinds = {
            "pdf": ("application", "pdf"),
            "docx": (
                "application",
                "vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "csv": ("text", "csv"),
            "txt": ("text", "plain"),
        }
        main, sub = kinds[name.strip().rsplit(".", 1)[1]]
        message.add_attachment(data, maintype=main, subtype=sub, filename=name.strip())
    path.write_bytes(bytes(message))


WRITERS = {
    "txt": write_txt,
    "html": write_html,
    "docx": write_docx,
    "pdf": write_pdf,
    "xlsx": write_xlsx,
    "csv": write_csv,
}


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    records = []
    for source in sorted((HERE / "sources").glob("*.txt")):
        records.extend(parse(source.read_text(encoding="utf-8")))
    seen: set[str] = set()
    dev, test = [], []
    counted = 0
    for record in records:
        rid = str(record["id"])
        assert rid not in seen, rid
        seen.add(rid)
        fmt = str(record["format"])
        name = f"docs/{rid}.{fmt}"
        target = HERE / name
        if fmt == "eml":
            write_eml(target, str(record["body"]), record)
        else:
            WRITERS[fmt](target, str(record["body"]))
        line = {
            "id": rid,
            "file": name,
            "origin": "synthetic",
            "group": record.get("kind", ""),
            "label": label(record),
            "notes": record.get("note", ""),
        }
        if record.get("split") == "dev":
            dev.append(line)  # written after the split: development only
        else:
            (test if counted % 3 == 2 else dev).append(line)
            counted += 1
    for name, lines in (("dev.jsonl", dev), ("test.jsonl", test)):
        with open(HERE / name, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(records)} replies: {len(dev)} dev, {len(test)} test", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
