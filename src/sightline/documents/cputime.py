"""Processor time used by a reader process and the programs it runs (tesseract), from /proc.

The time limit on reading a file counts the work done for it, not the wall clock: on a machine
busy with other work the same file takes longer by the clock but not in processor time, so a limit
trips for the same files on a quiet laptop and a loaded server. Linux only; elsewhere
:func:`cpu_seconds` returns None and the limit falls back to the wall clock.
"""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


def available() -> bool:
    return (PROC / "self" / "stat").is_file()


def _own_and_waited(pid: int) -> float:
    """utime + stime of ``pid`` and of its children it has waited for (proc(5) fields 14-17)."""
    text = (PROC / str(pid) / "stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()  # fields[0] is field 3 (state)
    return sum(int(value) for value in fields[11:15]) / _TICKS


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in (PROC / str(pid) / "task").iterdir():
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> float | None:
    """Processor seconds used by ``pid`` and all its descendants so far (None: cannot tell)."""
    try:
        total = _own_and_waited(pid)
        pending = _children(pid)
    except (OSError, ValueError):
        return None
    while pending:  # running descendants: not in the parent's waited-for figures yet
        child = pending.pop()
        try:
            total += _own_and_waited(child)
            pending.extend(_children(child))
        except (OSError, ValueError):
            continue  # it ended meanwhile: its time is now in its parent's waited-for figures
    return total
