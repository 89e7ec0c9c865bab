"""Does a contract or payment concern cameras or CCTV? By CPV code or by its words.

CPV codes are those of the Common Procurement Vocabulary, Commission Regulation (EC) No 213/2008,
Annex I (the code list is published on SIMAP, https://simap.ted.europa.eu/cpv; the UK notices of
Contracts Finder and Find a Tender still use it). With their check digits and English labels:

    35120000-1  Surveillance and security systems and devices (every code under it counts:
                codes starting 3512, e.g. 35125000-6 Surveillance system, 35125300-2 Security
                cameras)
    32323500-8  Video-surveillance system
    32235000-9  Closed-circuit television system

Notices quote the code with its check digit ("35125300-2"); it is dropped when read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CPV_PREFIXES = ("3512",)  # 35120000 and its children
CPV_CODES = frozenset({"32323500", "32235000"})
_WORDS = re.compile(
    r"\bcctv\b|\bcamera(s)?\b|closed[- ]circuit television|\bsurveillance\b|\banpr\b"
    r"|automatic number plate recognition|body[- ]worn (video|camera)s?|\bvideo analytics\b"
    r"|\bnvr\b|\bip video\b|\bvideo management system\b|\bvms\b",
    re.IGNORECASE,
)


def cpv_concerns_cameras(codes: Iterable[str]) -> list[str]:
    """The codes that concern surveillance or cameras."""
    return [code for code in codes if code in CPV_CODES or code.startswith(CPV_PREFIXES)]


def text_concerns_cameras(*texts: str) -> str:
    """The first camera word found, or an empty string."""
    for text in texts:
        match = _WORDS.search(text or "")
        if match:
            return match.group(0)
    return ""
