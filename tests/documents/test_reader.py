"""Every format through the public entry points (worker processes, no cache)."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from sightline.documents import Limits, read_bytes, read_file, read_files, read_message


def test_text_pdf_reads_one_block_per_page(make, tmp_path: Path) -> None:
    path = tmp_path / "reply.pdf"
    path.write_bytes(make.text_pdf([["Dear Requester,", "We own 1,790 Hikvision cameras."], []]))
    document = read_file(path, cache=False)
    assert document.source == str(path)
    assert document.kind == "pdf"
    assert make.located(document) == [
        ("page 1", "Dear Requester,\nWe own 1,790 Hikvision cameras.")
    ]
    assert document.errors == []
    assert document.blocks[0].ocr is False


def test_ruled_pdf_table_is_kept_as_cells(make) -> None:
    document = read_bytes(make.table_pdf(), "assets.pdf", cache=False)
    assert make.located(document) == [
        ("page 1", "CCTV asset summary\nVendor Device Count\nHikvision Camera 1790\nDahua NVR 12")
    ]
    [table] = document.tables
    assert str(table.location) == "page 1 table 1"
    assert table.header == 0
    assert make.cells(table)[1] == [
        ("page 1 table 1 row 2 column 1", "Hikvision"),
        ("page 1 table 1 row 2 column 2", "Camera"),
        ("page 1 table 1 row 2 column 3", "1790"),
    ]


def test_tables_out_of_time_keep_the_text(make) -> None:
    from sightline.documents.pdf import read_pdf

    document = read_pdf(make.table_pdf(), Limits(seconds=0))
    assert [str(b.location) for b in document.blocks] == ["page 1"]
    assert document.tables == []
    assert make.errors(document) == [
        (
            "document",
            "tables could not be read: stopped after 0 s to keep within the time limit",
        )
    ]


def test_plain_pdf_has_no_tables(make) -> None:
    assert read_bytes(make.text_pdf([["No lines here"]]), "a.pdf", cache=False).tables == []


def test_docx_paragraphs_and_table_in_reading_order(make) -> None:
    document = read_bytes(make.word_file(), "letter.docx", cache=False)
    assert document.kind == "docx"
    assert make.located(document) == [
        ("paragraph 1", "Dear Requester,"),
        ("paragraph 2", "Please find our CCTV equipment below."),
        ("table 1 row 1", "Vendor | Cameras"),
        ("table 1 row 2", "Hikvision | 40"),
        ("table 1 row 3", "Axis | 7"),
        ("paragraph 3", "We do not use facial recognition."),
    ]
    [table] = document.tables
    assert table.header == 0
    assert make.cells(table)[2] == [
        ("table 1 row 3 column 1", "Axis"),
        ("table 1 row 3 column 2", "7"),
    ]


def test_xlsx_register_every_sheet_hidden_marked_blank_rows_skipped(make) -> None:
    document = read_bytes(make.register_xlsx(), "register.xlsx", cache=False)
    assert document.kind == "xlsx"
    assert make.located(document) == [
        ("sheet Assets row 1", "CCTV asset register 2021"),
        ("sheet Assets row 3", "Make | Model | Site | Installed"),
        ("sheet Assets row 4", "Hikvision | DS-2CD2142 | Town Hall | 2017"),
        ("sheet Assets row 6", "Dahua | IPC-HDW | Depot | 2019"),
        ("sheet Assets row 7", "Hikvision | DS-7608 | Depot | 2020"),
        ("sheet Disposed row 1", "Make | Count"),
        ("sheet Disposed row 2", "Hikvision | 3"),
    ]
    assets, disposed = document.tables
    assert (assets.hidden, disposed.hidden) == (False, True)
    assert (assets.header, disposed.header) == (1, 0)  # the title row is not the header
    assert make.cells(assets)[3] == [
        ("sheet Assets!A6", "Dahua"),
        ("sheet Assets!B6", "IPC-HDW"),
        ("sheet Assets!C6", "Depot"),
        ("sheet Assets!D6", "2019"),
    ]
    assert document.meta == {"hidden sheets": "Disposed"}


def test_ods_sheet(make) -> None:
    document = read_bytes(make.sheet_ods(), "cameras.ods", cache=False)
    assert document.kind == "ods"
    assert make.located(document) == [
        ("sheet Cameras row 1", "Vendor | Count"),
        ("sheet Cameras row 2", "Hikvision | 25"),
        ("sheet Cameras row 3", "Uniview | 4"),
        ("sheet Lists row 1", "Dahua"),
    ]
    assert make.cells(document.tables[0])[2] == [
        ("sheet Cameras!A3", "Uniview"),
        ("sheet Cameras!B3", "4"),
    ]
    assert [table.hidden for table in document.tables] == [False, True]


def test_csv_in_windows_1252(make) -> None:
    data = "Supplier;Cost\r\nHikvision;£1,200\r\n\r\nCafé Systèmes – Axis;£80\r\n".encode("cp1252")
    document = read_bytes(data, "costs.csv", cache=False)
    assert document.kind == "csv"
    assert make.located(document) == [
        ("row 1", "Supplier | Cost"),
        ("row 2", "Hikvision | £1,200"),
        ("row 4", "Café Systèmes – Axis | £80"),
    ]
    assert make.cells(document.tables[0])[2] == [
        ("row 4 column 1", "Café Systèmes – Axis"),
        ("row 4 column 2", "£80"),
    ]


def test_html_email_body_converted_and_attachment_located(make) -> None:
    raw = make.html_email([("reply.pdf", "application/pdf", make.text_pdf([["Annex A: Dahua"]]))])
    document = read_message(raw, cache=False)
    assert document.kind == "message"
    assert make.located(document) == [
        (
            "body",
            "Dear Requester,\n\nWe own 1,790 Hikvision cameras.\n\nVendor | Count\nDahua | 12",
        ),
        ("reply.pdf page 1", "Annex A: Dahua"),
    ]
    assert make.cells(document.tables[0]) == [
        [("body table 1 row 1 column 1", "Vendor"), ("body table 1 row 1 column 2", "Count")],
        [("body table 1 row 2 column 1", "Dahua"), ("body table 1 row 2 column 2", "12")],
    ]
    assert document.meta["subject"] == "FOI-2021-0457 response"


def test_plain_body_preferred_and_forwarded_message_read(make) -> None:
    inner = EmailMessage()
    inner["From"] = "cctv@example-council.gov.uk"
    inner["Subject"] = "Camera list"
    inner.set_content("Forwarded: 25 Hikvision cameras.")
    inner.add_attachment(
        b"Make,Count\nDahua,4\n", maintype="text", subtype="csv", filename="list.csv"
    )
    outer = EmailMessage()
    outer["From"] = "foi@example-council.gov.uk"
    outer["Subject"] = "Your request"
    outer.set_content("Please see the forwarded message.")
    outer.add_alternative("<p>HTML copy that must not be read</p>", subtype="html")
    outer.add_attachment(inner)
    document = read_bytes(outer.as_bytes(), "reply.eml", cache=False)
    assert make.located(document) == [
        ("body", "Please see the forwarded message."),
        ("Camera list.eml body", "Forwarded: 25 Hikvision cameras."),
        ("Camera list.eml/list.csv row 1", "Make | Count"),
        ("Camera list.eml/list.csv row 2", "Dahua | 4"),
    ]


def test_outlook_msg_with_attachment(make) -> None:
    pdf = make.text_pdf([["Annex: 7 Dahua NVRs"]])
    data = make.outlook_msg("RE: FOI 123", "We hold 3 Hikvision cameras.", [("annex.pdf", pdf)])
    document = read_bytes(data, "reply.msg", cache=False)
    assert document.kind == "msg"
    assert make.located(document) == [
        ("body", "We hold 3 Hikvision cameras."),
        ("annex.pdf page 1", "Annex: 7 Dahua NVRs"),
    ]
    assert document.meta == {
        "subject": "RE: FOI 123",
        "from": '"Information Governance" <foi@example-council.gov.uk>',
    }


def test_outlook_item_attached_to_an_outlook_message(make) -> None:
    inner = (
        "FW: camera list",
        "Forwarded: 6 Dahua cameras.",
        [("list.csv", b"Make,Count\nDahua,6\n")],
    )
    data = make.outlook_msg("RE: FOI 9", "See the forwarded item.", [], embedded=inner)
    document = read_bytes(data, "reply.msg", cache=False)
    assert make.located(document) == [
        ("body", "See the forwarded item."),
        ("FW: camera list.eml body", "Forwarded: 6 Dahua cameras."),
        ("FW: camera list.eml/list.csv row 1", "Make | Count"),
        ("FW: camera list.eml/list.csv row 2", "Dahua | 6"),
    ]


def test_winmail_dat_attachments_are_read(make) -> None:
    tnef = make.winmail_dat("Réponse attached.", [("reply.pdf", make.text_pdf([["In TNEF"]]))])
    raw = make.plain_email("See attachment.", [("winmail.dat", "application/ms-tnef", tnef)])
    document = read_message(raw, cache=False)
    assert make.located(document) == [  # winmail.dat's body and files are the message's own
        ("body", "See attachment.\n\nRéponse attached."),
        ("reply.pdf page 1", "In TNEF"),
    ]


def test_zip_holding_a_pdf_inside_a_message(make) -> None:
    archive = make.zip_of([("letters/reply.pdf", make.text_pdf([["Zipped reply"]]))])
    raw = make.plain_email("Body text", [("bundle.zip", "application/zip", archive)])
    document = read_message(raw, cache=False)
    assert make.located(document) == [
        ("body", "Body text"),
        ("bundle.zip/letters/reply.pdf page 1", "Zipped reply"),
    ]


def test_type_comes_from_content_not_name(make) -> None:
    document = read_bytes(make.text_pdf([["Really a PDF"]]), "cameras.xlsx", cache=False)
    assert document.kind == "pdf"
    assert make.located(document) == [("page 1", "Really a PDF")]


def test_bad_attachments_reported_and_the_rest_still_read(make) -> None:
    raw = make.plain_email(
        "We enclose our reply.",
        [
            ("broken.pdf", "application/pdf", b"%PDF-1.7\n1 0 obj <<>> garbage"),
            ("locked.pdf", "application/pdf", make.text_pdf([["secret"]], password="pw")),
            ("bomb.zip", "application/zip", make.zip_bomb()),
            ("good.pdf", "application/pdf", make.text_pdf([["Readable annex"]])),
        ],
    )
    document = read_message(raw, cache=False)
    assert make.located(document) == [
        ("body", "We enclose our reply."),
        ("good.pdf page 1", "Readable annex"),
    ]
    assert make.errors(document) == [
        ("broken.pdf", "corrupt PDF: PDFium could not parse its structure"),
        ("locked.pdf", "encrypted PDF: it cannot be opened without the password"),
        (
            "bomb.zip",
            "zip bomb refused: 61271 bytes would expand to 60.0 MB "
            "(1027 times; limit 100 times, 512 MB)",
        ),
    ]


def test_billion_laughs_in_a_word_file_is_refused(make) -> None:
    source = zipfile.ZipFile(io.BytesIO(make.word_file()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                bomb = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                content = content.replace(b"?>", b"?>" + bomb, 1)
            archive.writestr(info, content)
    document = read_bytes(buffer.getvalue(), "letter.docx", cache=False)
    assert make.errors(document) == [
        ("document", "unsafe XML in word/document.xml refused (it declares entities or a DTD)")
    ]


def test_password_protected_office_file(make) -> None:
    data = make.compound_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"x" * 64}
    )
    document = read_bytes(data, "register.xlsx", cache=False)
    assert make.errors(document) == [
        ("document", "password-protected Office file: it cannot be read without the password")
    ]


def test_parser_panic_is_this_files_error(make) -> None:
    """calamine (Rust) panics on this damaged .xls; the worker reports it and reads on."""
    damaged = make.compound_file({"Workbook": b"\x09\x08" + b"\0" * 600})
    raw = make.plain_email(
        "Register attached.", [("register.xls", "application/vnd.ms-excel", damaged)]
    )
    document = read_message(raw, cache=False)
    assert make.located(document) == [("body", "Register attached.")]
    [error] = make.errors(document)
    assert error[0] == "register.xls"
    assert error[1] == "damaged spreadsheet: the workbook's cells cannot be read"


def test_nesting_deeper_than_the_limit_is_refused(make) -> None:
    data = make.text_pdf([["deep"]])
    for level in range(3):
        data = make.zip_of([(f"level{level}.zip" if level else "deep.pdf", data)])
    document = read_bytes(data, "outer.zip", cache=False, limits=Limits(depth=2))
    assert make.located(document) == []
    assert make.errors(document) == [
        (
            "level2.zip/level1.zip/deep.pdf",
            "not read: nested more than 2 levels deep (depth limit)",
        )
    ]


def test_file_over_the_size_limit_is_not_read(make) -> None:
    document = read_bytes(b"x" * (3 << 20), "big.txt", cache=False, limits=Limits(file_mb=2))
    assert make.errors(document) == [("document", "not read: 3 MB is over the size limit (2 MB)")]


def test_read_files_keeps_input_order(make, tmp_path: Path) -> None:
    paths = []
    for number in range(3):
        path = tmp_path / f"reply{number}.pdf"
        path.write_bytes(make.text_pdf([[f"Reply {number}"]] * (number + 1)))
        paths.append(path)
    documents = read_files(paths, cache=False)
    assert [d.source for d in documents] == [str(p) for p in paths]
    assert [len(d.blocks) for d in documents] == [1, 2, 3]


@pytest.mark.parametrize(
    ("data", "kind", "expected"),
    [
        (b"<html><body><p>Hello&amp;bye</p></body></html>", "html", [("document", "Hello&bye")]),
        (b"Plain note\r\nline two\r\n", "text", [("document", "Plain note\nline two")]),
        (b"   \n", "empty", []),
    ],
)
def test_html_text_and_empty_files(make, data: bytes, kind: str, expected) -> None:
    document = read_bytes(data, "note", cache=False)
    assert document.kind == kind
    assert make.located(document) == expected
    assert document.errors == []


def test_html_file_tables(make) -> None:
    data = b"<p>Our cameras:</p><table><tr><td>Hikvision</td><td>9</td></tr></table>"
    document = read_bytes(data, "page.html", cache=False)
    assert make.located(document) == [("document", "Our cameras:\n\nHikvision | 9")]
    assert make.cells(document.tables[0]) == [
        [("table 1 row 1 column 1", "Hikvision"), ("table 1 row 1 column 2", "9")]
    ]


def test_unsupported_binary_is_an_error_not_a_crash(make) -> None:
    document = read_bytes(b"\x00\x01\x02binary", "x.bin", cache=False)
    assert make.errors(document) == [("document", "unrecognised binary file")]
