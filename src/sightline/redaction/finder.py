"""Finding personal data in correspondence before it is published, as proposals for a person.

What is proposed (UK GDPR art. 4(1): information relating to an identified or identifiable natural
person; the ICO's guidance on publishing FOI responses treats junior officers' names and direct
contact details as personal data):

- names in signatures (the line after a sign-off such as "Kind regards") and salutations
  ("Dear Ms Okafor");
- personal e-mail addresses (not a shared mailbox such as foi@ or enquiries@);
- direct telephone numbers (UK numbers, FOIA s.40(2) material in the ICO's terms);
- an individual's postal address (a street line with a house number, and its postcode);
- the requester's own details (name, reply addresses) wherever they appear.

What is not: the authority's published FOI address (the registry's contact), its switchboard
(a number introduced by a word such as "Switchboard"), shared mailboxes, and the text of the law.
Those are passed in as ``keep`` or recognised from the words in ``words.toml``.

The finder only proposes; a person accepts, removes or adds (sightline.review.redactions).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

KINDS = ("name", "email", "phone", "address", "requester", "other")


@dataclass(frozen=True)
class Proposal:
    """One piece of text proposed for redaction, and why."""

    text: str
    kind: str  # one of KINDS
    reason: str  # in words, for the reviewer: "signature after 'Kind regards'"
    location: str = ""  # where it was found: "body", "reply.pdf page 1", "letter as sent"
    context: str = ""  # the line it was found in, for the reviewer to judge


@dataclass(frozen=True)
class Context:
    """What the finder knows beyond the text: what must be kept, and the requester's details."""

    keep: frozenset[str] = frozenset()  # published addresses and numbers (compared casefolded)
    requester: tuple[str, ...] = ()  # the requester's name, reply addresses, own address lines

    @staticmethod
    def of(keep: Iterable[str] = (), requester: Iterable[str] = ()) -> Context:
        return Context(
            keep=frozenset(_norm(k) for k in keep if k.strip()),
            requester=tuple(r.strip() for r in requester if r.strip()),
        )


@dataclass(frozen=True)
class _Words:
    sign_offs: frozenset[str]
    honorifics: frozenset[str]
    not_names: frozenset[str]
    role_mailboxes: frozenset[str]
    switchboard: tuple[str, ...] = field(default=())
    direct: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def _words() -> _Words:
    text = resources.files("sightline.redaction").joinpath("words.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return _Words(
        sign_offs=frozenset(data["sign_offs"]),
        honorifics=frozenset(data["honorifics"]),
        not_names=frozenset(data["not_names"]),
        role_mailboxes=frozenset(data["role_mailboxes"]),
        switchboard=tuple(data["switchboard_words"]),
        direct=tuple(data["direct_line_words"]),
    )


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


EMAIL = re.compile(r"(?<![\w.+-])[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?![\w-])")
# UK numbers: 0 or +44 then ten more digits (nine for a few areas), in the usual groupings.
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s()-]{7,14}\d(?!\w)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
HOUSE_LINE = re.compile(
    r"^(?:flat\s+\w+,?\s*)?\d{1,4}[A-Za-z]?,?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*$", re.IGNORECASE
)
NAME_WORD = re.compile(r"^(?:[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?|[A-Z]\.?|[A-Z][a-z]*[A-Z][a-z]+)$")
SALUTATION = re.compile(
    r"^\s*(?:dear|hello|hi)\s+(?P<name>[^,\n:;!]{1,60})[,:;!]?\s*$", re.IGNORECASE
)
FROM_LINE = re.compile(
    r"^\s*>?\s*from:\s*(?P<name>[^<\n]{2,60}?)\s*<(?P<email>[^>\s]+)>", re.IGNORECASE
)


def find_personal_data(
    text: str, context: Context | None = None, location: str = ""
) -> list[Proposal]:
    """Every piece of ``text`` that looks like personal data, once each, in order found."""
    context = context or Context()
    found: list[Proposal] = []
    seen: set[str] = set()

    def add(piece: str, kind: str, reason: str) -> None:
        piece = piece.strip().strip(",.;:")
        if not piece or _norm(piece) in context.keep:
            return
        key = _norm(piece)
        if key not in seen:  # the first reason found for a piece stands
            seen.add(key)
            found.append(Proposal(piece, kind, reason, location, _line_of(text, piece)))

    folded = _norm(text)
    for detail in context.requester:
        if _norm(detail) in folded:
            add(detail, "requester", "the requester's own details")
    for match in EMAIL.finditer(text):
        address = match.group(0)
        if _is_personal_email(address):
            add(address, "email", "a personal e-mail address")
    lines = text.splitlines()
    previous_end = 0
    for match in PHONE.finditer(text):
        window = text[max(previous_end, match.start() - 40) : match.start()].casefold()
        previous_end = match.end()
        number = match.group(0)
        digits = re.sub(r"\D", "", number)
        if digits.startswith("44"):
            digits = "0" + digits[2:].lstrip("0")
        if len(digits) not in (10, 11) or not digits.startswith("0"):
            continue  # not a UK telephone number (a reference, a date, a section of an Act)
        if _norm(number) in context.keep or digits in {re.sub(r"\D", "", k) for k in context.keep}:
            continue
        if _is_switchboard(window):
            continue  # the authority's published switchboard
        add(number, "phone", "a direct telephone number")
    for index, line in enumerate(lines):
        salutation = SALUTATION.match(line)
        if salutation:
            name = _name_in(salutation.group("name"))
            if name:
                add(name, "name", "a name in a salutation")
        sender = FROM_LINE.match(line)
        if sender and _is_personal_email(sender.group("email")):
            name = _name_in(sender.group("name").strip().strip("\"'"))
            if name:
                add(name, "name", "a name in a quoted message's From line")
        if line.strip().strip(",.!").casefold() in _words().sign_offs:
            signature = _next_lines(lines, index + 1, 1)
            for candidate in signature:
                name = _name_in(candidate)
                if name:
                    add(name, "name", f"a signature after '{line.strip()}'")
    for proposal in _addresses(lines):
        add(proposal, "address", "an individual's postal address")
    return found


def _line_of(text: str, piece: str) -> str:
    """The line of ``text`` where ``piece`` starts, cut to 200 characters."""
    words = piece.split()
    if not words:
        return ""
    match = re.search(r"\s+".join(re.escape(w) for w in words), text, re.IGNORECASE)
    if match is None:
        return ""
    at = match.start()
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return " ".join(text[start : end if end >= 0 else len(text)].split())[:200]


def _is_switchboard(before: str) -> bool:
    """Whether the words just before a number introduce the authority's switchboard (and no
    direct-line word comes after them)."""
    words = _words()
    at = max((before.rfind(word) for word in words.switchboard), default=-1)
    if at < 0:
        return False
    return not any(before.rfind(word) > at for word in words.direct)


def _is_personal_email(address: str) -> bool:
    local = address.split("@", 1)[0].casefold()
    local = local.split("+", 1)[0]
    parts = [p for p in re.split(r"[._-]+", local) if p]
    roles = _words().role_mailboxes
    return not (local in roles or any(part in roles for part in parts))


def _name_in(text: str) -> str | None:
    """The person's name in ``text`` (honorifics dropped), or None when it names no person."""
    words = text.replace(",", " ").split()
    while words and words[0].casefold().strip(".") in _words().honorifics:
        words = words[1:]
    if not 1 <= len(words) <= 4:
        return None
    if any(w.casefold().strip(".") in _words().not_names for w in words):
        return None
    if not all(NAME_WORD.match(w) for w in words):
        return None
    if all(len(w.strip(".")) == 1 for w in words):
        return None  # initials alone
    return " ".join(words)


def _next_lines(lines: Sequence[str], start: int, count: int) -> list[str]:
    taken: list[str] = []
    for line in lines[start : start + 3]:
        if line.strip():
            taken.append(line.strip())
            if len(taken) == count:
                break
    return taken


def _addresses(lines: Sequence[str]) -> list[str]:
    """Street lines with a house number and their postcodes, from address blocks that hold one:
    an authority's own address (a town hall, a civic centre) has no house-number street line
    and is left alone."""
    proposals: list[str] = []
    for index, line in enumerate(lines):
        postcodes = POSTCODE.findall(line)
        if not postcodes:
            continue
        block = [line.strip()]
        for earlier in reversed(lines[max(0, index - 4) : index]):
            if not earlier.strip() or len(earlier.strip()) > 60:
                break
            block.insert(0, earlier.strip())
        pieces = [piece.strip() for entry in block for piece in entry.split(",")]
        streets = [piece for piece in pieces if HOUSE_LINE.match(piece)]
        if streets:
            proposals.extend(streets)
            proposals.extend(postcodes)
    return proposals
