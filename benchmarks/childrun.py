"""Run a benchmark's measuring code in a fresh Python process, so that each run starts cold."""

from __future__ import annotations

import json
import subprocess
import sys


def run_child(code: str, *args: str) -> dict[str, float]:
    """Run ``code`` with ``args`` as its sys.argv[1:] and return the JSON object it prints."""
    output = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(output)
    return result
