from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli


@pytest.fixture
def run():
    """Invoke ``sightline ARGS`` in-process; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def console(tmp_path: Path):
    """Run the installed ``sightline`` command in a fresh data folder on SQLite."""
    beside_python = Path(sys.executable).parent / "sightline"
    executable = str(beside_python) if beside_python.exists() else shutil.which("sightline")
    if executable is None:
        pytest.skip("the sightline command is not installed (pip install -e .)")
    env = dict(os.environ, SIGHTLINE_HOME=str(tmp_path / "console-home"))
    env.pop("DATABASE_URL", None)

    def invoke(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [executable, *args], env=env, capture_output=True, text=True, timeout=120
        )

    return invoke
