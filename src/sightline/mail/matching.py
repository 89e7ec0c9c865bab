"""Which requests a received message belongs to, in layers.

1. a reply address (with a valid MAC) in To/Cc/Delivered-To/X-Original-To;
2. else a known reference in the Subject;
3. else In-Reply-To/References (or a bounce's original Message-ID) against the Message-IDs we sent;
4. else, only as a suggestion for a person, requests to authorities at the sender's domain.

A message sent to several request addresses at once matches all of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sightline.mail.addresses import parse_reply_address, verify
from sightline.replies import Reply

REFERENCE_IN_TEXT = re.compile(r"\b([A-Z0-9]{1,16}-\d{4,})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    reference: str
    method: str  # "address", "subject", "thread" (or "manual" when a person assigns it)


@dataclass(frozen=True)
class MatchResult:
    matches: tuple[Match, ...]
    suggestions: tuple[str, ...] = ()  # references a person might assign it to
    forged: tuple[str, ...] = ()  # addresses shaped like ours whose MAC is wrong

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(m.reference for m in self.matches)


class ReplyMatcher:
    """Matches messages against one snapshot of the requests and the messages sent for them."""

    def __init__(
        self,
        secrets: Mapping[str, str],
        sent_message_ids: Mapping[str, str],
        domains: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.secrets = secrets  # reference -> its campaign's secret
        self.sent_message_ids = sent_message_ids  # Message-ID we sent -> reference
        self.domains = domains or {}  # e-mail domain -> references of its authority

    def match(self, mail: Reply) -> MatchResult:
        found: dict[str, Match] = {}
        forged: list[str] = []
        for address in mail.recipients:
            token = parse_reply_address(address)
            if token is None:
                continue
            secret = self.secrets.get(token.reference)
            if secret is not None and verify(token, secret):
                found.setdefault(token.reference, Match(token.reference, "address"))
            else:
                forged.append(address)
        if not found:
            subjects = [mail.subject]
            if mail.bounce and mail.bounce.original_subject:
                subjects.append(mail.bounce.original_subject)
            for subject in subjects:
                for candidate in REFERENCE_IN_TEXT.findall(subject):
                    reference = candidate.upper()
                    if reference in self.secrets:
                        found.setdefault(reference, Match(reference, "subject"))
        if not found:
            for message_id in mail.thread_ids:
                reference = self.sent_message_ids.get(message_id)
                if reference is not None:
                    found.setdefault(reference, Match(reference, "thread"))
        if found:
            return MatchResult(tuple(found.values()), forged=tuple(forged))
        return MatchResult((), self.suggest(mail.from_domain), tuple(forged))

    def suggest(self, domain: str) -> tuple[str, ...]:
        """References of authorities at ``domain`` or a parent domain (foi.x.gov.uk -> x.gov.uk)."""
        parts = domain.lower().split(".")
        for start in range(len(parts) - 1):
            references = self.domains.get(".".join(parts[start:]))
            if references:
                return tuple(references)
        return ()
