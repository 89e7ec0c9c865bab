"""``sightline read``: located blocks for people and JSON for tools."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def _pdf(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 800, "We own 1,790 Hikvision cameras.")
    pdf.showPage()
    pdf.save()
    path = tmp_path / "reply.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def test_read_prints_located_blocks(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SIGHTLINE_HOME", str(tmp_path / "home"))
    path = _pdf(tmp_path)
    result = run("read", str(path))
    assert result.exit_code == 0
    assert result.stdout == f"{path} (pdf)\n\n--- page 1\nWe own 1,790 Hikvision cameras.\n"
    # the reading was cached under SIGHTLINE_HOME by content hash
    assert len(list((tmp_path / "home" / "documents" / "cache").glob("*.json"))) == 1


def test_read_json(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SIGHTLINE_HOME", str(tmp_path / "home"))
    path = _pdf(tmp_path)
    result = run("read", str(path), "--json", "--no-cache")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["kind"] == "pdf"
    assert data["blocks"] == [
        {
            "text": "We own 1,790 Hikvision cameras.",
            "location": {"page": 1, "at": "page 1"},
            "ocr": False,
        }
    ]
    assert data["errors"] == []
    assert not (tmp_path / "home" / "documents").exists()


def test_read_missing_file(run, tmp_path: Path) -> None:
    result = run("read", str(tmp_path / "nope.pdf"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope.pdf'}: no such file\n"
