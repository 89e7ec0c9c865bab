"""Every fact the extractor gives for every document in some folders, to compare two versions of
the rules: the same results before and after a change that should change none of them.

    python tests/facts/replies/snapshot.py record BEFORE.json tests/facts/replies/docs [DIR ...]
    python tests/facts/replies/snapshot.py compare BEFORE.json tests/facts/replies/docs [DIR ...]

``record`` writes, per document, the extract-file JSON (``sightline extract-file PATH --json``,
read the same way: no cache, OCR on) and the full list of facts (field, vendor, value, rule,
confidence and evidence, in order). ``compare`` reads the documents again and prints every
document whose JSON or facts differ from the recorded ones; it exits 1 when any does. Nothing
is scored: only the two versions are compared.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from sightline.documents import Limits, read_file
from sightline.facts import contract_json, extract


def snapshot(folders: list[Path]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for folder in folders:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            document = read_file(path, cache=False, limits=Limits(ocr=True))
            extraction = extract(document)
            found[str(path)] = {
                "json": contract_json(extraction, str(path)),
                "facts": [dataclasses.asdict(fact) for fact in extraction.facts],
            }
    return found


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] not in ("record", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    action, store, folders = argv[0], Path(argv[1]), [Path(a) for a in argv[2:]]
    now = snapshot(folders)
    if action == "record":
        store.write_text(json.dumps(now, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"{len(now)} documents recorded in {store}")
        return 0
    before = json.loads(store.read_text(encoding="utf-8"))
    differ = sorted(set(before) ^ set(now))
    differ += sorted(name for name in set(before) & set(now) if before[name] != now[name])
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(now)} documents, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
