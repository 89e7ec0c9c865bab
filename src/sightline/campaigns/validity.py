"""What makes a request letter valid to send, as plain rules (no database).

- The requester's name: a request must state "the name of the applicant and an address for
  correspondence" (FOIA s.8(1)(b); FOISA s.8(1)(b)). The ICO's guidance on recognising a request
  (section 8) asks for the requester's real name, in any of its usual forms, or an organisation's.
- The reply address is the address for correspondence, so its domain must be able to receive
  mail: the names reserved by RFC 2606 and RFC 6761 (``localhost``, ``.localhost``, ``.test``,
  ``.example``, ``.invalid``) never can. A campaign marked as a test (the demo's) may use them.
"""

from __future__ import annotations

import re

RESERVED_NAMES = frozenset({"localhost"})
RESERVED_SUFFIXES = (".localhost", ".test", ".example", ".invalid")
# A host name of letters, digits and hyphens in dot-separated labels (RFC 1123 2.1).
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Words that stand in for a name rather than being one.
_PLACEHOLDERS = frozenset(
    {"name", "your name", "requester", "requester name", "applicant", "anonymous", "test", "x"}
)


def requester_problem(name: str) -> str | None:
    """Why ``name`` cannot stand as the requester's name, or None when it can."""
    cleaned = " ".join(name.split())
    if not cleaned:
        return "has no requester name"
    if "@" in cleaned or "{" in cleaned or not any(ch.isalpha() for ch in cleaned):
        return f"has {cleaned!r} as the requester's name, which is not a name"
    if cleaned.lower().strip(".") in _PLACEHOLDERS:
        return f"has {cleaned!r} as the requester's name, which stands in for a name"
    return None


def reply_domain_problem(domain: str, test: bool) -> str | None:
    """Why replies sent to ``domain`` could not arrive, or None when they can."""
    host = domain.strip().lower().rstrip(".")
    labels = host.split(".")
    if not host or not all(_LABEL.match(label) for label in labels):
        return f"has {domain!r} as its reply domain, which is not a domain name"
    if test:
        return None
    if host in RESERVED_NAMES or host.endswith(RESERVED_SUFFIXES):
        return (
            f"has replies directed to {host}, a reserved name that cannot receive mail "
            "(mark the campaign as a test to send to it)"
        )
    if len(labels) < 2:
        return f"has replies directed to {host}, which is not a domain that receives mail"
    return None
