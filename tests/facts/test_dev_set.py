"""The accuracy targets on the shared development set, measured by its
own scorer through the installed ``sightline extract-file`` command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
EVAL = SHARED / "eval"


@pytest.mark.slow
@pytest.mark.ocr
def test_scorer_targets_hold_on_the_dev_set(tmp_path: Path) -> None:
    labels = EVAL / "foi-dev" / "labels.jsonl"
    if not labels.exists():
        pytest.skip("the shared development set is absent: nothing to score")
    beside_python = Path(sys.executable).parent / "sightline"
    command = str(beside_python) if beside_python.exists() else shutil.which("sightline")
    if command is None:
        pytest.skip("the sightline command is not installed (pip install -e .)")
    result = subprocess.run(
        [
            sys.executable,
            str(EVAL / "score_extraction.py"),
            str(labels),
            "--cmd",
            f"{command} extract-file {{path}} --json",
            "--jobs",
            "2",
            "--min-owned",
            "0.95",
            "--min-status",
            "0.9",
            "--min-count",
            "0.9",
            "--min-exemptions",
            "0.9",
            "--min-fr",
            "0.95",
            "--max-false-yes",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "\nFAILED " not in result.stdout  # every document gave a JSON answer
