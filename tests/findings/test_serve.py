"""``sightline publish DIR --serve``: Datasette really listening on 127.0.0.1, then stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.slow
def test_publish_serve_answers_on_loopback(built_bundle: Path, tmp_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-c", "from sightline.cli.main import main; main()"]
    log = tmp_path / "serve.log"
    with (
        log.open("wb") as output,
        subprocess.Popen(
            [*command, "publish", str(built_bundle), "--serve", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ) as server,
    ):
        try:
            response = None
            for _ in range(150):  # wait for the server to start, at most ~30 s
                try:
                    response = httpx.get(
                        f"http://127.0.0.1:{port}/sightline/findings.json?_shape=array", timeout=2
                    )
                    break
                except httpx.TransportError:
                    assert server.poll() is None, log.read_text("utf-8")
                    time.sleep(0.2)
            assert response is not None and response.status_code == 200
            assert [row["id"] for row in response.json()][:4] == [
                "sent", "successful", "unsuccessful", "hikvision",
            ]  # fmt: skip
            databases = httpx.get(f"http://127.0.0.1:{port}/-/databases.json", timeout=2).json()
            assert [(db["name"], db["is_mutable"]) for db in databases] == [("sightline", False)]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    assert log.read_text("utf-8").startswith(f"Datasette on http://127.0.0.1:{port}/")
