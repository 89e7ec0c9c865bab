"""Precision and recall per vendor in every export format, on exports built from sourced strings.

The strings come from public fingerprint collections (tests/census/corpus.py names each
source); each host carries one signal, rendered the way that format's writer renders it (and in
two other forms a writer may use: another case, another DN order, a second challenge). A format
is only asked for the signals it has a place for.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sightline.census.fingerprints import load_rules
from sightline.census.pipeline import census_file, fingerprint_file


def _corpus() -> ModuleType:
    """tests/census/corpus.py (tests are imported by path, not as a package)."""
    name = "sightline_census_test_corpus"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("corpus.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


corpus = _corpus()
HIK, DAHUA = corpus.HIK, corpus.DAHUA

#: what each format is detected as
DETECTED = {
    "shodan": "shodan",
    "shodan-array": "shodan",
    "censys": "censys",
    "censys-v1": "censys",
    "zgrab2": "zgrab2",
    "masscan": "masscan",
    "masscan-list": "masscan",
    "masscan-xml": "masscan",
    "nmap": "nmap",
}


def measure(fmt: str, folder: Path, prefilter: bool = True) -> dict[str, tuple[float, float]]:
    """(precision, recall) per vendor for one format, and the file's detected format."""
    hosts = corpus.hosts_for(fmt)
    path = corpus.write_export(fmt, hosts, folder / f"{fmt}.export.gz")
    result = census_file(str(path), "auto", prefilter=prefilter)
    assert result.error is None and result.problems == []
    assert result.format == DETECTED[fmt]
    expected = corpus.truth(hosts)
    out = {}
    for vendor in (HIK, DAHUA):
        found = set(result.tally.devices[vendor])
        right = found & expected[vendor]
        precision = len(right) / len(found) if found else 1.0
        recall = len(right) / len(expected[vendor]) if expected[vendor] else 1.0
        out[vendor] = (precision, recall)
        wrong = {
            h.signal.value if h.signal.kind != "tls" else "tls"
            for h in hosts
            if h.ip in found ^ expected[vendor]
        }
        assert found == expected[vendor], (fmt, vendor, sorted(map(str, wrong)))
    return out


@pytest.mark.parametrize("fmt", list(DETECTED))
def test_every_format_counts_exactly(fmt: str, tmp_path: Path) -> None:
    figures = measure(fmt, tmp_path)
    for vendor, (precision, recall) in figures.items():
        assert precision >= 0.99 and recall >= 0.97, (fmt, vendor, precision, recall)


def test_shodan_without_the_prefilter_counts_the_same(tmp_path: Path) -> None:
    assert measure("shodan", tmp_path, prefilter=False) == measure("shodan", tmp_path)


def test_the_corpus_covers_every_format_and_cites_every_string() -> None:
    assert tuple(DETECTED) == corpus.FORMATS
    assert all(signal.source for signal in corpus.SIGNALS)


#: rules no corpus host fires, and why (a host carries one signal, in the formats that have it)
WITHOUT_AN_EXAMPLE = {
    "hikvision-http-realm-device-id": "weak alone: only counts beside another signal",
    "dahua-dhip-login-realm": "no export format has a field for a DHIP login challenge",
    "ezviz-scanner-product": "no public example of a scanner label naming the brand",
    "hiwatch-hilook-scanner-product": "no public example of a scanner label naming the brand",
}


def test_every_rule_fires_on_a_sourced_string_in_some_export(tmp_path: Path) -> None:
    fired: set[str] = set()
    for fmt in corpus.FORMATS:
        path = corpus.write_export(fmt, corpus.hosts_for(fmt), tmp_path / f"{fmt}.export.gz")
        for verdict in fingerprint_file(str(path)):
            assert isinstance(verdict, dict)
            fired.update(verdict["signals"])
    rules = {rule.id for rule in load_rules().rules}
    assert rules - fired == set(WITHOUT_AN_EXAMPLE)


def test_no_string_of_another_maker_fires_a_rule(tmp_path: Path) -> None:
    negatives = [s for s in corpus.SIGNALS if s.vendor is None]
    assert len(negatives) >= 70
    weak = {
        "Webs": ["hikvision-http-server-webs-bare"],
        'Basic realm="device"': ["dahua-realm-device"],
    }
    for fmt in corpus.FORMATS:
        hosts = [h for h in corpus.hosts_for(fmt) if h.signal.vendor is None]
        path = corpus.write_export(fmt, hosts, tmp_path / f"{fmt}.negatives.gz")
        by_ip = {h.ip: h.signal.value for h in hosts}
        fired = {
            str(by_ip[v["ip"]]): v["signals"]
            for v in fingerprint_file(str(path))
            if isinstance(v, dict) and v["signals"]
        }
        assert fired == {k: w for k, w in weak.items() if k in fired}, fmt
