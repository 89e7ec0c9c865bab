"""Shared pieces of the rules: what one rule firing says, and the phrase lists rules use."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sightline.facts.model import Evidence
from sightline.facts.rules import confidence

YES = "yes"
NO = "no"
UNKNOWN = "unknown"  # the authority declined or does not know, about this vendor
WEAK_UNKNOWN = "weak-unknown"  # declined a general "which makes?" question; fills only silence
LUMPED = "lumped"  # confirmed "Hikvision or Dahua" without saying which


@dataclass
class Signal:
    """One rule firing on one vendor: what it says and the quote it rests on."""

    vendor: str
    kind: str
    rule: str
    evidence: Evidence
    count: int | None = None
    types: tuple[str, ...] = ()
    confidence: float = 0.0  # from the rule registry (``rules.toml``)

    def __post_init__(self) -> None:
        self.confidence = confidence(self.rule)


MAX_QUOTE = 320

# equipment that belongs to someone else: a contractor's, the police's, a private operator's,
# an independent trust's or a PFI company's cameras are not the authority's own
THIRD_PARTY = re.compile(
    r"\b(?:private|independent|separate|external|third[- ]party)\s+(?:[\w-]+\s+)?(?:company"
    r"|companies|business|firm|body|bodies|charity|organisation|organization|operator|provider"
    r"|contractor|trust|partner)\b"
    # a contractor who installed or maintains the authority's cameras does not own them
    r"|\bcontractor'?s'?\s+(?:own\s+)?(?:cameras?|equipment|cctv|units?|towers?|systems?)\b"
    r"|\b(?:owned|operated|run|provided)(?:\s+and\s+\w+)?\s+by\s+(?:a|an|the|our|its)?\s*(?:[\w-]+\s+)"
    r"{0,3}contractors?\b|\bcontractors?\b[^.;]{0,60}\b(?:which|who)\s+(?:uses|runs|operates|owns"
    r"|has|installed its own)\b|\bwhose (?:own )?(?:cameras|equipment|cctv)\b"
    r"|\b(?:which|who)\s+(?:[\w-]+\s+){0,2}its own\b"
    r"|\boperators?\b|\bpfi\b|\bconcession\w*|\blandlords?\b|\btenants?\b"
    r"|\bstudents'? union\b|\bbelong(?:s|ed|ing)?\s+to\b|\bare not ours\b|\bnot ours\b"
    r"|\bnot (?:\w+\s+){0,2}(?:equipment|property|assets)\b"
    r"|\b(?:owned|operated|run|managed|maintained|monitored)(?:\s+and\s+\w+)?\s+by\s+(?:the\s+)?"
    r"police\b|\bthe police,?\s+(?:who|which)\b",
    re.IGNORECASE,
)


def quote(text: str) -> str:
    """A quote short enough to show beside a fact, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= MAX_QUOTE:
        return text
    return text[: MAX_QUOTE - 3].rsplit(" ", 1)[0] + "..."


# declining, not holding or not knowing: the answer is "unknown" for what the sentence is about
WITHHELD = re.compile(
    r"neither confirm\w* nor den\w*|\bncnd\b|\bwill not (?:confirm or deny|confirm whether)|\bwithh[oe]ld\w*|\bexempt\b|\bexempted\b"
    r"|\brefus(?:e|ed|ing|al)\b|\bmanifestly unreasonable\b|\bvexatious\b|\brepeated request\b"
    r"|\bwill not (?:answer|disclose|provide|release|confirm|comply)"
    r"|\bnot (?:be )?(?:disclosed|released)\b|\bcannot (?:disclose|confirm|release|comply)"
    r"|\bcannot be (?:disclosed|released|provided|confirmed)\b"
    r"|\bnot obliged to comply|\bdo not have to comply|\bsection 12 applies"
    r"|\bcost of compl\w+ (?:with (?:this|the|your) request )?would exceed"
    r"|\bexceed\w* the (?:appropriate|cost|fees?|£\d+|\w+ hours?)(?: \w+)? limit"
    r"|\bgo beyond the '?appropriate limit|\bnot obliged to (?:provide|disclose|supply|confirm)"
    r"|\bnot answered this part|\bwe (?:are )?rel(?:y|ying) on\b"
    r"|\b(?:sections?|s\.?|regulations?|reg\.?)\s*\d+[^.]{0,40}\b(?:applies|apply|is engaged|are engaged"
    r"|has been applied|have been applied)\b",
    re.IGNORECASE,
)
NOT_HELD = re.compile(
    r"\b(?:do|does|did)(?: not|n't) hold\b(?![^.;]{0,40}\b(?:cameras?|equipment|devices?|cctv|nvrs?"
    r"|dvrs?|recorders?|products?|VENDOR_))|\b(?:is|are) not held\b|\bnot held by\b"
    r"|\bholds? no (?:recorded |such |relevant )?(?:information|data|records?)\b"
    r"|\binformation not held\b|\bno (?:such |relevant )?information is held\b"
    r"|\b(?:do|does|did)(?: not|n't) hold (?:any |a |the )?(?:(?:central |full )?(?:list|record"
    r"|register|inventory)s? of|information|data|details)\b",
    re.IGNORECASE,
)
NOT_KNOWN = re.compile(
    r"\b(?:do|does|did)(?: not|n't) know\b|\b(?:do|does)(?: not|n't) (?:believe|think)\b"
    r"|\bnot (?:sure|certain)\b|\bunable to (?:say|confirm|identify|establish|determine"
    r"|tell|provide)|\bnot known\b|\bdo(?:es)? not (?:keep|hold|have|maintain) (?:a |any )?(?:central "
    r")?records? of\b|\b(?:is|are|was|were|been) not (?:centrally )?(?:recorded|kept"
    r"|logged|captured|held)\b|\bdo(?:es)? not (?:record|log|keep) (?:the|which|what|this|that"
    r"|details|information|makes?|manufacturers?|brands?)\b|\bno (?:central )?record"
    r"|\bnot possible to (?:say|identify|determine|establish)",
    re.IGNORECASE,
)
# "any further information", "any other information": the residual part of a reply
RESIDUAL = re.compile(
    r"\b(?:any|no)\s+(?:further|other|additional)\s+(?:information|data|details)"
    r"|\bfurther information within the scope|\bbeyond what is in the attachment",
    re.IGNORECASE,
)
HYPOTHETICAL = re.compile(
    r"^\s*(?:if|where|should|unless|whether)\b|\b(?:may|might|could|can) (?:be engaged|apply)\b"
    r".*\b(?:if|where)\b"
    # public interest arguments: "confirming that the force uses X would help criminals"
    r"|^\s*(?:confirming|denying|disclosing|revealing|releasing|identifying|knowing|publishing"
    r"|naming)\b|\b(?:would|could|might)\b.*\b(?:criminals?|terrorists?|attack\w*|hostile"
    r"|vulnerab\w*|exploit\w*)\b",
    re.IGNORECASE,
)
REQUEST_REFERENCE = re.compile(
    r"\byou (?:have )?(?:asked|requested|wanted|wish|enquired)|\byour (?:request|e-?mail|letter"
    r"|enquiry|question|foi)(?: for information)?,?\s+(?:for|about|of|dated|received|which|in which"
    r"|asking|regarding|concerning|relating|was received)\b"
    r"|\basking (?:for|about|whether|if)|\brequest(?:ed)? (?:for|about)"
    r"|^\W*(?:\(?\w{1,2}[).]\s*)?(?:please|kindly|could you|can you|would you)"
    r" (?:please )?(?:state|send|provide|tell|confirm|give|list|supply|advise|disclose|detail"
    r"|indicate|specify|explain|describe|identify|let me know)\b"
    r"|\bthank you for\b|\basked (?:about|for|whether)|\bi would like\b|\bi am (?:writing|requesting)"
    r"|\bi (?:request|wish to request)\b",
    re.IGNORECASE,
)
MAKE_WORDS = re.compile(
    r"\bmanufacturers?\b|\bbrands?\b|\bthe makes?\b|\b(?:camera|cctv|equipment) makes?\b|\bmakes? (?:and|or|of) |\bmakes? and models?"
    r"|\bwho (?:made|manufactur)|\bmade by\b|\bmanufactured by\b|\bmakers?\b"
    r"|\bwhich (?:company|companies|firm|maker)\b|\bmanufactured\b",
    re.IGNORECASE,
)
SHORT_ANSWER = re.compile(
    r"^\s*(?:(?:a|answer|response|reply)\s*\d*\s*[:.\-]\s*|a\d+\s+|answer\s+\d+\s+)?"
    r"(?:(?P<yes>yes)\b(?!-)|(?P<word>no|none|nil(?: return)?|zero|dim|not applicable|n/a"
    r"|not (?:at (?:this|the present|present) time|currently|at present))\b"
    r"(?:\s*[.,;:!/\-]|\s*$|\s+(?=(?:we|the|it|there|this|our)\b)))",
    re.IGNORECASE,
)


def short_answer(text: str) -> str | None:
    """ "yes" or "no" when a paragraph opens with a bare Yes / No / None."""
    match = SHORT_ANSWER.match(text)
    if not match:
        return None
    if match.group("yes"):
        return YES
    word = match.group("word").lower()
    if word in ("not applicable", "n/a"):
        return None
    return YES if word == "yes" else NO


# legal description, not a decision: "information not already exempt under section 30 is exempt
# if disclosing it would ...", "section 31(1) exempts information whose disclosure ..."
_DESCRIPTIVE = re.compile(
    r"\b(?:is|are|was|were) not (?:being )?(?:withheld|refused)\b|\bnot (?:already )?exempt\b|\bexempts?\b(?=[^.]{0,80}\bif\b)|\bexempts\b",
    re.IGNORECASE,
)


def is_residual(text: str) -> bool:
    """Only "any further/other information" is declined, beside the real answer."""
    return bool(RESIDUAL.search(text)) and not re.search(
        r"\bthis part\b|\b(?:question|part)s? \(?\w\b", text, re.IGNORECASE
    )


def is_title(text: str) -> bool:
    """A heading or title line ("Facial Recognition Use and Related Documentation")."""
    stripped = text.strip()
    if re.search(r"[.!?:;]$", stripped):
        return False
    words = re.findall(r"[A-Za-z][\w'-]*", stripped)
    if not words or len(words) > 12:
        return False
    capitals = sum(1 for word in words if word[0].isupper())
    return capitals / len(words) >= 0.6


def declines(text: str) -> bool:
    """The text withholds, does not hold or does not know (not only further information)."""
    cleaned = _DESCRIPTIVE.sub(" ", text)
    if is_residual(cleaned):
        return False
    return bool(WITHHELD.search(cleaned) or NOT_HELD.search(cleaned) or NOT_KNOWN.search(cleaned))
