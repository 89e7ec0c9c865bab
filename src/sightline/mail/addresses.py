"""Per-request reply addresses: ``foi+<reference>-<mac>@<domain>``.

The MAC (an HMAC of the reference under the campaign's secret) stops anyone from guessing the
address of another request and filing mail into it (docs/mail.md). Mail systems may
change the case of a local part, so addresses are compared case-insensitively.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

LOCAL_PREFIX = "foi"
MAC_LENGTH = 10  # hex digits: 40 bits, plenty against guessing a handful of addresses
DEFAULT_REPLY_DOMAIN = "sightline.localhost"  # RFC 6761 reserved name, for unconfigured setups

_LOCAL = re.compile(
    rf"^{LOCAL_PREFIX}\+(?P<reference>[a-z0-9][a-z0-9-]*?)-(?P<mac>[0-9a-f]{{{MAC_LENGTH}}})$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReplyToken:
    """What a reply address claims: a reference and the MAC that should vouch for it."""

    reference: str  # upper-case, as references are stored
    mac: str


def reply_mac(reference: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), reference.upper().encode(), hashlib.sha256).hexdigest()
    return digest[:MAC_LENGTH]


def reply_address(reference: str, secret: str, domain: str) -> str:
    local = f"{LOCAL_PREFIX}+{reference.lower()}-{reply_mac(reference, secret)}"
    return f"{local}@{domain or DEFAULT_REPLY_DOMAIN}"


def parse_reply_address(address: str) -> ReplyToken | None:
    """The reference and MAC in a reply address, or None when it is not one of ours."""
    local = address.strip().strip("<>").rsplit("@", 1)[0]
    found = _LOCAL.match(local)
    if not found:
        return None
    return ReplyToken(found["reference"].upper(), found["mac"].lower())


def verify(token: ReplyToken, secret: str) -> bool:
    return hmac.compare_digest(token.mac, reply_mac(token.reference, secret))
