"""The per-authority table and its footnotes (docs/formats.md, coded answers).

Authorities are grouped in the order each ``group`` first appears in the coded file, and listed
alphabetically within a group. A non-empty note becomes a footnote, numbered 1, 2, ... in table
order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sightline.findings.coded import CodedResponse


@dataclass(frozen=True)
class AuthorityRow:
    authority: str
    group: str
    hikvision: str
    dahua: str
    footnote: int | None
    response: CodedResponse  # the full coded row, for renderers that show more columns

    def as_json(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "group": self.group,
            "hikvision": self.hikvision,
            "dahua": self.dahua,
            "footnote": self.footnote,
        }


def authority_table(
    responses: Sequence[CodedResponse],
) -> tuple[tuple[AuthorityRow, ...], tuple[str, ...]]:
    """Rows in published order, and the footnote texts (footnote ``n`` is ``footnotes[n - 1]``)."""
    groups: dict[str, list[CodedResponse]] = {}
    for response in responses:
        groups.setdefault(response.group, []).append(response)
    rows: list[AuthorityRow] = []
    footnotes: list[str] = []
    for members in groups.values():
        for response in sorted(members, key=lambda r: (r.authority.casefold(), r.authority)):
            number = None
            if response.note:
                footnotes.append(response.note)
                number = len(footnotes)
            rows.append(
                AuthorityRow(
                    authority=response.authority,
                    group=response.group,
                    hikvision=response.hikvision,
                    dahua=response.dahua,
                    footnote=number,
                    response=response,
                )
            )
    return tuple(rows), tuple(footnotes)
