"""How often the extractor's facts are right, by confidence and by rule, on labelled replies.

    python tests/facts/replies/calibrate.py tests/facts/replies/dev.jsonl [more.jsonl ...]

Every fact the extractor gives for a labelled field (status, owned, count where the label has
one, device types where the label lists some, unspecified, facial recognition, each exemption
cited, replacement plan) is compared with the label. The report gives, per confidence band,
how many facts there were and the share that were right, and the same per rule (the figures
the confidences in ``rules.toml`` are set from; set them from development replies only).
It also gives the median time per document of reading it (no cache) and of extracting its
facts (the median of three runs each), so the extractor's cost is seen beside the reader's.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sightline.documents import read_file
from sightline.facts import extract
from sightline.facts.contract import published_status
from sightline.facts.model import Fact
from sightline.facts.vendors import CHINESE_FAMILIES

BANDS = ((0.9, 1.01), (0.8, 0.9), (0.7, 0.8), (0.0, 0.7))


def judge(fact: Fact, label: dict[str, Any]) -> bool | None:
    """True or False when the label decides the fact, None when it does not."""
    vendors = label["vendors"]
    if fact.field == "status":
        return bool(published_status(str(fact.value)) == label["status"])
    if fact.field == "facial_recognition":
        return bool(fact.value == label["facial_recognition"])
    if fact.field == "replacement_plan":
        return bool(fact.value == label["replacement_plan"])
    if fact.field == "hikvision_or_dahua_unspecified":
        return bool(fact.value == label["hikvision_or_dahua_unspecified"])
    if fact.field == "exemption":
        return fact.value in label["exemptions"]
    if fact.vendor is None or fact.vendor not in CHINESE_FAMILIES:
        return None
    truth = vendors.get(fact.vendor, {"owned": "unstated", "count": None, "device_types": []})
    if fact.field == "owned":
        return bool(fact.value == truth["owned"])
    if fact.field == "count":
        return None if truth["count"] is None else bool(fact.value == truth["count"])
    if fact.field == "device_types":
        if not truth["device_types"]:
            return None
        return sorted(fact.value or []) == sorted(truth["device_types"])  # type: ignore[arg-type]
    return None


def main(paths: list[str]) -> int:
    results: list[tuple[float, str, bool]] = []
    seconds: list[float] = []
    reading: list[float] = []
    for labels in paths:
        base = Path(labels).resolve().parent
        for line in Path(labels).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            start = time.perf_counter()
            document = read_file(base / record["file"], cache=False)
            reading.append(time.perf_counter() - start)
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                extraction = extract(document)
                runs.append(time.perf_counter() - start)
            seconds.append(statistics.median(runs))
            for fact in extraction.facts:
                verdict = judge(fact, record["label"])
                if verdict is not None:
                    results.append((fact.confidence, fact.rule, verdict))
    print(f"{len(seconds)} documents, {len(results)} judged facts")
    print("confidence band      facts  right  share")
    for low, high in BANDS:
        band = [ok for c, _, ok in results if low <= c < high]
        if band:
            share = sum(band) / len(band)
            print(f"  [{low:.2f}, {min(high, 1):.2f}]   {len(band):6} {sum(band):6}  {share:.3f}")
    print("rule                         confidence  facts  right  share")
    rules: dict[str, list[tuple[float, bool]]] = {}
    for c, rule, ok in results:
        rules.setdefault(rule, []).append((c, ok))
    for rule, rows in sorted(rules.items()):
        right = sum(ok for _, ok in rows)
        print(f"  {rule:28} {rows[0][0]:.2f} {len(rows):8} {right:6}  {right / len(rows):.3f}")
    print(
        f"median per document: read {statistics.median(reading) * 1000:.1f} ms,"
        f" extract {statistics.median(seconds) * 1000:.1f} ms"
        f" (slowest extract {max(seconds) * 1000:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
