"""The method of an investigation, as the report states it: who was asked, when, the questions.

From a campaign this comes from its records; with a coded CSV it may come from a small TOML file::

    asked = "All 32 London borough councils and the 20 largest UK city councils"
    sent_on = 2020-11-02
    law = "Freedom of Information Act 2000 and Freedom of Information (Scotland) Act 2002"
    questions = ["Does the council own Hikvision equipment?", "..."]
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sightline.errors import SightlineError, toml_problem


class MethodError(SightlineError, ValueError):
    """A method file that cannot be used."""


@dataclass(frozen=True)
class MethodInfo:
    asked: str | None = None  # who was asked, in words
    sent_on: dt.date | None = None
    law: str | None = None
    questions: tuple[str, ...] = ()


def read_method(path: Path | str) -> MethodInfo:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise MethodError(f"{path}: cannot be read ({reason})") from None
    except tomllib.TOMLDecodeError as error:
        raise MethodError(f"{path}: {toml_problem(error)}", detail=str(error)) from None
    return method_from_mapping(data, str(path))


def method_from_mapping(data: dict[str, Any], source: str = "method") -> MethodInfo:
    unknown = sorted(set(data) - {"asked", "sent_on", "law", "questions"})
    if unknown:
        raise MethodError(f"{source}: unknown key(s) {', '.join(unknown)}")
    sent_on = data.get("sent_on")
    if isinstance(sent_on, str):
        try:
            sent_on = dt.date.fromisoformat(sent_on)
        except ValueError:
            raise MethodError(f"{source}: sent_on {sent_on!r} is not a date YYYY-MM-DD") from None
    if sent_on is not None and (
        not isinstance(sent_on, dt.date) or isinstance(sent_on, dt.datetime)
    ):
        raise MethodError(f"{source}: sent_on must be a date YYYY-MM-DD")
    questions = data.get("questions", [])
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        raise MethodError(f"{source}: questions must be a list of strings")
    for key in ("asked", "law"):
        if key in data and not isinstance(data[key], str):
            raise MethodError(f"{source}: {key} must be a string")
    return MethodInfo(
        asked=data.get("asked"),
        sent_on=sent_on,
        law=data.get("law"),
        questions=tuple(q.strip() for q in questions if q.strip()),
    )
