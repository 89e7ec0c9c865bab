"""``sightline extract-file PATH --json`` on real files of each kind (docs/formats.md)."""

from __future__ import annotations

import io
import json
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
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


def test_html_only_email_with_a_table(run, tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "foi@example.gov.uk"
    message["To"] = "asker@example.org"
    message["Subject"] = "FOI 55"
    message.set_content(
        "<html><body><p>Dear Mr Lee,</p><p>The makes of our cameras are below.</p>"
        "<table><tr><th>Make</th><th>Cameras</th></tr><tr><td>Hikvision</td><td>0</td></tr>"
        "<tr><td>Dahua</td><td>17</td></tr></table></body></html>",
        subtype="html",
    )
    path = tmp_path / "reply.eml"
    path.write_bytes(bytes(message))
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert _vendors(json.loads(result.stdout)) == {
        "hikvision": ("no", None, []),
        "dahua": ("yes", 17, ["camera"]),
    }


@pytest.mark.ocr
def test_scanned_letter(run, tmp_path: Path) -> None:
    image = Image.new("L", (1700, 700), 255)
    draw = ImageDraw.Draw(image)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 34
        )
    except OSError:
        font = ImageFont.load_default(size=34)
    lines = [
        "Dear Sir,",
        "The Town Council has 5 HIKVISION cameras and one Hikvision DVR.",
        "We do not have any Dahua equipment.",
        "The council does not use facial recognition.",
    ]
    for number, line in enumerate(lines):
        draw.text((80, 80 + number * 70), line, fill=0, font=font)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(image), 30, 400, width=540, height=222)
    pdf.showPage()
    pdf.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert _vendors(data) == {
        "hikvision": ("yes", 6, ["camera", "dvr"]),
        "dahua": ("no", None, []),
    }
    assert data["facial_recognition"] == "no"


def test_word_table_of_questions_and_answers(run, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Marlow Heath Council - FOI 2291")
    rows = [
        ("Question", "Response"),
        ("Does the council have any CCTV made by Hikvision?", "Yes - 6 cameras at the pool."),
        ("Does the council have any CCTV made by Dahua?", "No."),
        ("Does the council use facial recognition?", "No, it does not."),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    for row, (question, answer) in zip(table.rows, rows, strict=True):
        row.cells[0].text = question
        row.cells[1].text = answer
    path = tmp_path / "answers.docx"
    document.save(path)
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert _vendors(data) == {
        "hikvision": ("yes", 6, ["camera"]),
        "dahua": ("no", None, []),
    }
    assert data["facial_recognition"] == "no"


def test_csv_register_with_a_make_and_model_column(run, tmp_path: Path) -> None:
    path = tmp_path / "assets.csv"
    path.write_text(
        "Asset,Location,Make/Model,Installed\n1,Depot,Hikvision DS-2CD2143G0,2019\n"
        "2,Depot,Hikvision DS-7608NI-K2,2019\n3,Office,Bosch NBN-73023,2017\nTotal,,3,\n",
        encoding="utf-8",
    )
    result = run("extract-file", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert _vendors(json.loads(result.stdout)) == {
        "hikvision": ("yes", 2, ["camera", "nvr"]),
        "dahua": ("unstated", None, []),
        "bosch": ("yes", 1, ["camera"]),
    }
