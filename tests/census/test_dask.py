"""``--dask``: files spread over a Dask cluster give exactly the counts of a local run."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sightline.census.pipeline import run_census
from sightline.cli.main import cli

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",  # a real loopback socket, as a remote scheduler would use
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


def rows(prefix: str, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        server = ("Hikvision-Webs", "nginx", "App-webs/")[i % 3]
        out.append(
            {
                "ip_str": f"{prefix}.{i % 40}",
                "port": 80 + i % 2,
                "data": f"HTTP/1.1 200 OK\r\nServer: {server}\r\n\r\n",
                "http": {"server": server},
                "location": {"country_code": "GB" if i % 4 else "IE"},
                "timestamp": f"2021-01-0{1 + i % 2}T00:00:00",
            }
        )
    return out


@pytest.mark.slow
def test_dask_cluster_gives_the_local_counts(
    cluster: Any, write_lines: Callable[..., Path]
) -> None:
    parts = [
        rows("192.0.2", 90),
        rows("198.51.100", 60) + rows("192.0.2", 30),
        rows("203.0.113", 75),
    ]
    files = [
        str(write_lines("a.json.gz", parts[0], gz=True)),
        str(write_lines("b.json", parts[1])),
        str(write_lines("c.json.gz", parts[2], gz=True)),
    ]
    hikvision = {
        r["ip_str"] for part in parts for r in part if "webs" in r["http"]["server"].lower()
    }
    local, _ = run_census(files, ["shodan"] * 3, workers=1)
    remote, results = run_census(files, ["shodan"] * 3, dask_address=cluster.scheduler_address)
    assert [Path(r.path).name for r in results] == ["a.json.gz", "b.json", "c.json.gz"]
    assert remote.to_json() == local.to_json()
    assert local.to_json()["unique_ips"] == {"hikvision": len(hikvision), "dahua": 0}

    result = CliRunner().invoke(
        cli, ["census", "run", *files, "--dask", cluster.scheduler_address, "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == local.to_json()


@pytest.mark.slow
def test_dask_cluster_counts_every_export_format_as_one_process(
    cluster: Any, tmp_path: Path
) -> None:
    import importlib.util
    import sys

    name = "sightline_census_test_corpus"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("corpus.py"))
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    corpus = sys.modules[name]
    files = []
    expected: dict[str, set[str]] = {"hikvision": set(), "dahua": set()}
    for fmt in corpus.FORMATS:
        hosts = corpus.hosts_for(fmt)
        files.append(str(corpus.write_export(fmt, hosts, tmp_path / f"{fmt}.export.gz")))
        for vendor, ips in corpus.truth(hosts).items():
            expected[vendor] |= ips
    local, _ = run_census(files, ["auto"] * len(files), workers=1)
    remote, results = run_census(
        files, ["auto"] * len(files), dask_address=cluster.scheduler_address
    )
    assert [r.error for r in results] == [None] * len(files)
    assert remote.to_json() == local.to_json()
    assert local.to_json()["unique_ips"] == {v: len(ips) for v, ips in expected.items()}
