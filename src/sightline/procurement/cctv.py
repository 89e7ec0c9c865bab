"""Does a contract or payment concern cameras or CCTV? By CPV code or by its words.

CPV (Commission Regulation (EC) No 213/2008): 35120000 "Surveillance and security systems and
devices" and every code under it (codes starting 3512, e.g. 35125300 "Security cameras");
32323500 "Video-surveillance system".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CPV_PREFIXES = ("3512",)  # 35120000 and its children
CPV_CODES = frozenset({"32323500"})
_WORDS = re.compile(
    r"\bcctv\b|\bcamera(s)?\b|closed[- ]circuit television|\bsurveillance\b|\banpr\b"
    r"|automatic number plate recognition|body[- ]worn video|\bvideo analytics\b|\bnvr\b",
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
