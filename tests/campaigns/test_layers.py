"""The campaigns package needs nothing of the mail package (mail builds on campaigns, never the
other way), so the two cannot import each other in a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import sightline.campaigns

PACKAGE = Path(sightline.campaigns.__file__).parent


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_campaigns_imports_nothing_from_mail():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(path) if m.startswith("sightline.mail")
        )
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}
    assert len(offenders) > 5  # the package's modules were all read
