"""``sightline extract-file PATH --json`` on real files of each kind (CONTRACTS.md section 2)."""

from __future__ import annotations

import io
import json
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def _pdf_bytes(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number, line in enumerate(lines):
        pdf.drawString(72, 800 - 16 * number, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _vendors(data: dict[str, object]) -> dict[str, tuple[object, object, object]]:
    vendors = data["vendors"]
    assert isinstance(vendors, dict)
    return {v: (f["owned"], f["count"], f["device_types"]) for v, f in vendors.items()}


def test_plain_text_reply(run, tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(
        "1. Does the council own Hikvision cameras?\nYes, 21 Hikvision cameras.\n\n"
        "2. Does the council own Dahua cameras?\nNo.\n\n"
        "3. Does the council use facial recognition?\nNo.\n",
        encoding="utf-8",
    )
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["file"] == str(path)
    assert data["status"] == "answered"
    assert _vendors(data) == {
        "hikvision": ("yes", 21, ["camera"]),
        "dahua": ("no", None, []),
    }
    assert data["vendors"]["hikvision"]["evidence"] == [
        {"quote": "Yes, 21 Hikvision cameras.", "location": "document"}
    ]
    assert data["facial_recognition"] == "no"


def test_email_with_a_pdf_attachment(run, tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "foi@example.gov.uk"
    message["To"] = "asker@example.org"
    message["Subject"] = "Your FOI request 77"
    message.set_content("Dear Ms Cole,\n\nOur response is in the attached letter.\n")
    letter = _pdf_bytes(
        [
            "Response to request 77",
            "The council operates 9 Dahua cameras and 1 Dahua NVR at the market.",
            "None of the council's equipment is made by Hikvision.",
        ]
    )
    message.add_attachment(letter, maintype="application", subtype="pdf", filename="letter.pdf")
    path = tmp_path / "reply.eml"
    path.write_bytes(bytes(message))
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "answered"
    assert _vendors(data) == {
        "hikvision": ("no", None, []),
        "dahua": ("yes", 10, ["camera", "nvr"]),
    }
    assert data["vendors"]["dahua"]["evidence"][0]["location"] == "letter.pdf page 1"


def test_spreadsheet_register(run, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["Asset", "Make", "Type"])
    for number in range(4):
        sheet.append([f"C{number}", "Hikvision", "Camera"])
    sheet.append(["R1", "Hikvision", "DVR"])
    lists = book.create_sheet("Lists")
    lists.append(["Dahua"])
    lists.sheet_state = "hidden"
    path = tmp_path / "register.xlsx"
    book.save(path)
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert _vendors(data) == {
        "hikvision": ("yes", 5, ["camera", "dvr"]),
        "dahua": ("unstated", None, []),
    }
    assert data["vendors"]["hikvision"]["evidence"][0]["location"] == "sheet Register!B2"


def test_word_refusal(run, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("You asked whether the force has Hikvision or Dahua cameras.")
    document.add_paragraph(
        "The force neither confirms nor denies that it holds this information, relying on "
        "sections 24(2) and 31(3) of the Freedom of Information Act 2000."
    )
    path = tmp_path / "refusal.docx"
    document.save(path)
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "refused"
    assert data["exemptions"] == ["FOIA s.24", "FOIA s.31"]
    assert _vendors(data) == {
        "hikvision": ("unknown", None, []),
        "dahua": ("unknown", None, []),
    }


def test_missing_file(run, tmp_path: Path) -> None:
    result = run("extract-file", str(tmp_path / "gone.pdf"), "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {tmp_path / 'gone.pdf'}: no such file\n"


def test_unreadable_file(run, tmp_path: Path) -> None:
    path = tmp_path / "noise.pdf"
    path.write_bytes(bytes(range(256)) * 8)
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {path}: cannot be read: unrecognised binary file\n"


def test_summary_without_json(run, tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text("We have no Hikvision or Dahua cameras.\n", encoding="utf-8")
    result = run("extract-file", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        f"{path}: answered",
        "  hikvision: no",
        "      [document] We have no Hikvision or Dahua cameras.",
    ]
