"""The lock files agree with pyproject.toml: every range is locked, every pin is hashed.

requirements/run.txt and requirements/dev.txt are what scripts/demo and scripts/test install
(refreshed by `bash scripts/lock`). These tests fail when someone edits the ranges in
pyproject.toml (or requirements/build.in) and forgets to refresh the locks, or edits a lock by hand.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PROJECT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")
# a comment line naming what asks for a package, as `uv pip compile` writes it
VIA = re.compile(r"^\s+#\s+(?:via\s+|\s\s)(?P<who>[A-Za-z0-9][A-Za-z0-9._-]*|-r \S+)")


@dataclass
class Pin:
    version: Version
    hashes: int = 0
    wanted_by: set[str] = field(default_factory=set)


def read_lock(path: Path) -> dict[str, Pin]:
    """Name -> pin of a lock file written by uv (`name==version \\`, hash lines, `# via` lines)."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in path.read_text("utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = pins.setdefault(canonicalize_name(match[1]), Pin(Version(match[3])))
            current.hashes += len(HASH.findall(line))
            continue
        if current is None:
            continue
        current.hashes += len(HASH.findall(line))
        via = VIA.match(line)
        if via:
            current.wanted_by.add(via["who"])
    return pins


def project_requirements() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))["project"]
    build = [
        Requirement(line)
        for line in (PROJECT / "requirements" / "build.in").read_text("utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    run = [Requirement(text) for text in project["dependencies"]] + build
    dev = [Requirement(text) for text in project["optional-dependencies"]["dev"]]
    return run, dev


RUN, DEV = project_requirements()
LOCKS = {"run": (RUN,), "dev": (RUN, DEV)}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_range_of_pyproject_is_locked_to_a_version_it_allows(lock: str) -> None:
    pins = read_lock(PROJECT / "requirements" / f"{lock}.txt")
    wrong = []
    for requirement in [r for group in LOCKS[lock] for r in group]:
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            wrong.append(f"{requirement.name}: not in the lock")
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            wrong.append(f"{requirement.name}: locked {pin.version}, pyproject asks {requirement}")
    assert wrong == [], "run `bash scripts/lock`"


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_pin_carries_hashes(lock: str) -> None:
    pins = read_lock(PROJECT / "requirements" / f"{lock}.txt")
    assert len(pins) > 50  # the parser read the file
    assert sorted(name for name, pin in pins.items() if pin.hashes == 0) == []


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_no_pin_is_left_from_a_dependency_pyproject_dropped(lock: str) -> None:
    """A package the lock says only the project wants must still be asked for by it."""
    pins = read_lock(PROJECT / "requirements" / f"{lock}.txt")
    direct = {canonicalize_name(r.name) for group in LOCKS[lock] for r in group}
    ours = {"sightline", "-r requirements/build.in"}
    stale = sorted(
        name for name, pin in pins.items() if pin.wanted_by <= ours and name not in direct
    )
    assert stale == [], "run `bash scripts/lock`"


def test_the_lock_parser_reads_a_uv_entry(tmp_path: Path) -> None:
    sample = (
        "msgspec==0.23.0 \\\n"
        f"    --hash=sha256:{'a' * 64} \\\n"
        f"    --hash=sha256:{'b' * 64}\n"
        "    # via sightline (pyproject.toml)\n"
        "anyio==4.16.0 \\\n"
        f"    --hash=sha256:{'c' * 64}\n"
        "    # via\n"
        "    #   httpx\n"
        "    #   starlette\n"
    )
    path = tmp_path / "lock.txt"
    path.write_text(sample, "utf-8")
    pins = read_lock(path)
    assert {name: (str(p.version), p.hashes, p.wanted_by) for name, p in pins.items()} == {
        "msgspec": ("0.23.0", 2, {"sightline"}),
        "anyio": ("4.16.0", 1, {"httpx", "starlette"}),
    }
