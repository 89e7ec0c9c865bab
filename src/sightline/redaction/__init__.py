"""Personal data in correspondence: found and proposed (``finder``), applied once accepted
(``redactor``). Plain Python; the decisions are stored by ``sightline.review.redactions``."""

from sightline.redaction.finder import KINDS, Context, Proposal, find_personal_data
from sightline.redaction.redactor import MARK_PATTERN, MARKS, Redaction, Redactor

__all__ = [
    "KINDS",
    "MARKS",
    "MARK_PATTERN",
    "Context",
    "Proposal",
    "Redaction",
    "Redactor",
    "find_personal_data",
]
