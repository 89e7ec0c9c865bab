"""Request letters: templates with per-authority fields.

A template is plain text with ``{field}`` placeholders (``{{`` and ``}}`` for literal braces).
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from sightline.errors import SightlineError
from sightline.law import Law, rules_for

FIELDS: dict[str, str] = {
    "authority_name": "the authority's name",
    "authority_short_name": "the authority's short name",
    "law_name": "the law's title, e.g. Freedom of Information Act 2000",
    "law_short_name": "FOIA, EIR, FOISA or EISR",
    "law_section": "the provision giving the right of access, e.g. section 1",
    "time_limit_section": "the provision setting the time limit, e.g. section 10(1)",
    "reference": "the request's reference, e.g. CCTV-0007",
    "requester_name": "the name the request is made in",
}


class TemplateError(SightlineError, ValueError):
    pass


# what str.format refuses: an unpaired brace (the only way a template can be malformed)
BRACES = "a { or } is not paired (write {{ or }} for a brace itself)"


def placeholders(template: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        raise TemplateError(f"template is not well formed: {BRACES}", detail=str(error)) from None


def check_template(template: str) -> None:
    """Refuse a template with unknown placeholders, naming them and the known ones."""
    if not template.strip():
        raise TemplateError("template is empty")
    unknown = sorted({name for name in placeholders(template) if name not in FIELDS})
    if unknown:
        raise TemplateError(
            f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)}; "
            f"known: {', '.join('{' + n + '}' for n in FIELDS)}"
        )


@dataclass(frozen=True)
class LetterFields:
    authority_name: str
    authority_short_name: str
    law: Law
    reference: str
    requester_name: str

    def as_dict(self) -> dict[str, str]:
        rules = rules_for(self.law)
        return {
            "authority_name": self.authority_name,
            "authority_short_name": self.authority_short_name or self.authority_name,
            "law_name": rules.title,
            "law_short_name": rules.short_name,
            "law_section": rules.request_provision,
            "time_limit_section": rules.time_limit_provision,
            "reference": self.reference,
            "requester_name": self.requester_name,
        }


def render(template: str, fields: LetterFields) -> str:
    check_template(template)
    return template.format_map(fields.as_dict())
