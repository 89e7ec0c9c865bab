"""The one sanitiser of file names taken from mail: what a person sees and a download is called."""

from __future__ import annotations

import re

# Control characters, path separators, and the quote that would end a header parameter.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"/\\]+')
_SPACES = re.compile(r"\s+")
MAX_NAME = 150


def display_name(name: str | None, fallback: str) -> str:
    """``name`` without any folder, control or reserved character, at most ``MAX_NAME``
    characters with its extension kept; ``fallback`` when nothing is left."""
    if not name:
        return fallback
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _SPACES.sub(" ", _UNSAFE.sub("_", base)).strip(" ._")
    if len(base) > MAX_NAME:
        stem, dot, extension = base.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            base = f"{stem[: MAX_NAME - len(extension) - 1].rstrip(' ._')}.{extension}"
        else:
            base = base[:MAX_NAME]
    return base or fallback
