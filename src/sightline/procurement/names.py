"""Supplier names in comparable forms.

``loose_name`` keeps every word (for spotting names cut short by a council's finance system);
``core_name`` also spells legal forms one way and drops them, so "Hikvision UK Ltd.",
"HIKVISION U.K. LIMITED" and "Hikvision UK" compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Legal forms, spelled out and abbreviated (Companies Act 2006 ss.58-59 and 65 allow both).
_LEGAL_FORMS = {
    "limited": "ltd",
    "ltd": "ltd",
    "plc": "plc",
    "public limited company": "plc",
    "llp": "llp",
    "limited liability partnership": "llp",
    "co ltd": "ltd",
    "company limited": "ltd",
    "inc": "inc",
    "incorporated": "inc",
    "gmbh": "gmbh",
    "bv": "bv",
}
_TRAILING_FORMS = ("ltd", "plc", "llp", "inc", "gmbh", "bv", "co")


@lru_cache(maxsize=65536)  # spending files repeat the same names thousands of times
def loose_name(name: str) -> str:
    """Lower case, accents and punctuation gone, ``&`` read as ``and``, ``U.K.`` as ``uk``."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # U.K. -> uk
    text = re.sub(r"\b([a-z])\.", r"\1", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=65536)  # spending files repeat the same names thousands of times
def canonical_name(name: str) -> str:
    """``loose_name`` with legal forms spelled one way ("Limited" -> "ltd")."""
    text = f" {loose_name(name)} "
    for spelled, short in sorted(_LEGAL_FORMS.items(), key=lambda item: -len(item[0])):
        text = text.replace(f" {spelled} ", f" {short} ")
    text = re.sub(r"^ the ", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=65536)  # spending files repeat the same names thousands of times
def core_name(name: str) -> str:
    """``canonical_name`` without trailing legal forms: the name a person would say."""
    words = canonical_name(name).split()
    while len(words) > 1 and words[-1] in _TRAILING_FORMS:
        words.pop()
    return " ".join(words)
