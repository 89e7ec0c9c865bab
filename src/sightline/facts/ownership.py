"""Per-vendor statements in the authority's own words: owned, not owned, declined, and counts.

Each sentence of the reply is cut into clauses and every vendor named in a clause (by name,
sub-brand, misspelling, or by "these manufacturers" pointing back at a question) is classified:

* declined, not held or not known -> ``unknown`` (``owned.withheld``)
* a negation before the name ("we have no Hikvision...", "none ... made by Dahua") or a nil
  count after it ("Dahua - None") -> ``no`` (``owned.negation``)
* a count ("27 Hikvision cameras") or a statement of use or possession -> ``yes``
  (``owned.count``, ``owned.statement``)

Questions, the quoted request, policy statements ("against council policy to have assets
from..."), future plans ("will be supplied by Dahua") and hypotheticals give nothing. A bare
"Yes"/"No" answers the vendors of the question it sits under (``owned.short-answer``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sightline.facts import devices
from sightline.facts.counts import (
    NIL_CELL,
    TOKEN,
    counts_for,
    estimates_read,
    is_approximate,
    marked,
    plain_counts,
    types_near,
    usable_number,
)
from sightline.facts.layout import (
    QUESTION,
    REQUEST,
    Paragraph,
    clauses,
    part_references,
    question_numbered,
    sentences,
)
from sightline.facts.model import Evidence
from sightline.facts.rules import pattern
from sightline.facts.signals import (
    HYPOTHETICAL,
    LUMPED,
    MAKE_WORDS,
    NO,
    OWN_SUBJECT,
    REQUEST_REFERENCE,
    THIRD_PARTY,
    UNKNOWN,
    YES,
    Signal,
    declines,
    quote,
    short_answer,
)
from sightline.facts.vendors import CHINESE_FAMILIES, KnowledgeBase, Mention

_ANAPHORA = pattern("phrase.vendor-anaphora")
_NEGATION = re.compile(r"\b(?:no|none|not|never|nor|neither|without|zero|nil)\b|n't\b", re.I)
_NOT_NEGATION = re.compile(
    r"\bno longer\b|\bnot only\b|\bnot just\b|\bno more than\b|\bnot all\b|\bnone other\b", re.I
)
_NIL_AFTER = re.compile(
    r"^\W{0,3}(?:(?!VENDOR_|and\b|or\b|but\b|with\b)[A-Za-z-]+\s*){0,5}?(?:[:=-]\s*|\|\s*)?"
    r"(?:none|nil|0|zero|no|dim)\b(?![-\d]|\.\d)(?!\s+longer)"
    r"|^(?:\s+[\w-]+){0,3}\s+(?:is|are|was|were)\s+not\s+(?:used|in use|installed|owned|operated"
    r"|in operation)",
    re.IGNORECASE,
)
_SUBJECT_VERB = re.compile(
    r"^(?:'s)?\s+(?:is|was|has|have|had|does|did|were|are|will|would|says|said)\b", re.I
)
# verbs of having and using: "the council has / operates / uses ... Hikvision ..."
_POSSESSION = re.compile(
    r"\b(?:ha(?:s|ve|d)|own(?:s|ed)?|operat\w*|us(?:e|es|ed|ing)|install\w*|in (?:use|operation"
    r"|place|service)|record(?:s|ed|ing)? (?:on|to|onto)|covered by|consists? of|comprises?"
    r"|includ\w*|deploy\w*|remain\w*|found|fitted|run(?:s)?|hold(?:s)?|bought|purchased"
    r"|procured|acquired)\b",
    re.IGNORECASE,
)
_MADE_BY = re.compile(
    r"\b(?:made|manufactured|supplied|produced|built)\s+by" + r"(?:\s+\S+){0,5}?\s*$", re.I
)
_COPULA = re.compile(r"\b(?:is|are|was|were|be|been)\b", re.IGNORECASE)
_EQUIPMENT_AFTER = re.compile(
    r"^(?:\s*\(VENDOR_\w+\))?(?:\s+[\w-]+){0,2}?\s+(?:cameras?|cctv|equipment|devices?|nvrs?"
    r"|dvrs?|xvrs?|recorders?|products?|models?|units?|systems?|domes?|kit|hardware)\b",
    re.IGNORECASE,
)
_ABOUT_BETWEEN = re.compile(
    r"\b(?:about|regarding|concerning|re|on|against|over|of|involving)\s+(?:\S+\s+){0,3}$", re.I
)
_IN_USE = re.compile(
    r"\b(?:still|remain\w*|in use|in operation|currently (?:has|have|operates?|uses?))\b|\d", re.I
)
_BACK_REFERENCE = re.compile(
    r"^\W*(?:these|they|all of (?:these|them|the cameras)|all (?:are|were)|both|each of them"
    r"|the (?:cameras|devices|units) (?:are|were))\b",
    re.IGNORECASE,
)
# "we have no plans to replace our Hikvision cameras" does not deny having them
_NEGATION_STOP = re.compile(
    r"\b(?:replac\w*|remov\w*|upgrad\w*|plans?|intend\w*|intention|decommission\w*|phas\w* out)\b",
    re.IGNORECASE,
)
# "its Hikvision cameras", "the existing Dahua recorders": equipment the authority has now
_CURRENT_BEFORE = re.compile(
    r"\b(?:its|our|their|existing|current|remaining|present)\s+(?:[\w-]+\s+)?$", re.I
)
_LUMPING = re.compile(r"\bone or (?:both|more|other)\b|\beither\b|\ba mixture of\b", re.I)
# the vendor as a subject of talk, not of ownership: "information about Hikvision cameras"
_TOPIC = re.compile(
    r"\b(?:information|data|details|records|documents?|correspondence|questions?|concerns?"
    r"|guidance|advice|reports?|news|articles?|request)\s+(?:about|on|regarding|relating to"
    r"|concerning|in relation to|into)\s+(?:\S+\s+){0,3}$",
    re.IGNORECASE,
)
_NONE_REASON = re.compile(
    r"\b(?:because|as|since|given that)\s+(?:it|we|the \w+|there)\s+(?:(?:does|do|did)(?: not|n't)"
    r"\s+(?:have|own|use|operate)\s+any|(?:has|have|are|is)\s+no(?:ne)?)\b",
    re.IGNORECASE,
)
_FORMERLY = re.compile(
    r"\b(?:previously|formerly|used to|in the past|historically)\b|\b(?:we|it|they|the \w+) had\b"
    r"|\bdid have\b",
    re.I,
)
# "the University replaced its Hikvision cameras in 2024"
_REMOVED_BEFORE = re.compile(
    r"\b(?:replaced|removed|decommissioned|disposed of|took out|taken out)\s+(?:all\s+)?(?:of\s+)?"
    r"(?:its|our|their|the)\s+(?:[\w-]+\s+)?$",
    re.I,
)
# "were replaced in 2024 by Axis cameras": the vendor is the new equipment, not the removed
_REPLACED_BY = re.compile(r"\breplaced\b(?:\s+\S+){0,4}?\s+(?:by|with)\s+(?:\S+\s+){0,2}$", re.I)
_UNTIL = re.compile(r"\buntil (?:(?:early|late|mid-?)\s*)?(?:19|20)\d\d\b", re.I)
_NO_LONGER = re.compile(
    r"\bno longer\s+(?:has|have|owns?|uses?|operates?|holds?|runs?|keeps?)\b(?:\s+[\w-]+){0,3}\s*$",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:will|shall|going to|plan(?:s|ned)? to|intend\w* to|to be (?:supplied|installed"
    r"|provided|fitted)|(?:replac(?:e|es|ing)|being replaced)(?:\s+\S+){0,6}\s+with|upgrad\w*(?:\s+\S+){0,6}\s+(?:to|with)"
    r"|migrat\w*(?:\s+\S+){0,4}\s+to|switch\w* to|procur\w*|tender\w*|new (?:system|contract"
    r"|supplier)|award\w*(?:\s+\S+){0,3}\s+to|selected|chosen|preferred (?:supplier|bidder)"
    r"|quot(?:e|es|ation)|considering|evaluat\w*|options?|being considered|under consideration"
    r"|shortlist\w*)\b",
    re.IGNORECASE,
)
_ALREADY = re.compile(
    r"\b(?:already|have been installed|has been installed|are installed|is installed|in use"
    r"|in operation|still)\b",
    re.IGNORECASE,
)
_POLICY = re.compile(
    r"\bpolic(?:y|ies)\b|\bprohibit\w*|\bbann?ed\b|\bwill not (?:buy|purchase|procure|install)"
    r"|\b(?:no longer|not) (?:buy|purchase|procure)",
    re.IGNORECASE,
)
_REMOVED = re.compile(
    r"\b(?:have|has) been (?:removed|replaced|decommissioned|disposed of)|\b(?:were|was) (?:all )?"
    r"(?:removed|replaced|decommissioned|disposed of)",
    re.IGNORECASE,
)
_EQUIPMENT = re.compile(
    r"\b(?:equipment|cameras?|cctv|devices?|nvrs?|dvrs?|recorders?|products?|systems?|assets?)\b",
    re.IGNORECASE,
)
_INHERIT_BLOCK = re.compile(r"\bplans?\b|replac|\binformation\b|\brecords?\b|polic", re.I)
_BARE_NUMBER = re.compile(
    r"^\s*" + devices.NUMBER + r"(?:\s+(?:in total|in all|altogether|units?|items?))?\s*\.?\s*$",
    re.I,
)
# "Yes - seven.", "Yes, six, at the entrances."
_YES_NUMBER = re.compile(
    r"^\s*yes\s*[-,:;]\s*"
    + devices.NUMBER
    + r"(?:\s*,\s*(?:at|in|on|across|around|within|mostly|mainly|all|each|both|located|installed"
    r"|fitted|which|of which)\b[^.]*)?\s*\.?\s*$",
    re.I,
)
# what may stand beside a vendor's name in a heading line: "Hikvision", "Hikvision:", "Hikvision
# equipment" (not "Hikvision - None", which is an answer)
_VENDOR_HEADING = re.compile(
    r"^(?:(?:cctv\s+)?(?:equipment|devices|products|cameras)\s*)?:?$", re.I
)
_BULLET_LINE = re.compile(r"^\s*(?:[-•*·▪–]|\(?[a-z0-9]{1,2}[).])\s+")
# "Hikvision is the manufacturer of the cameras at the leisure centre"
_MAKER_OF = re.compile(
    r"^\s+(?:is|was|are)\s+the\s+(?:manufacturer|maker|make|brand)\s+of\s+(?:the|our|its|all)\b",
    re.I,
)
_HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b|\bquantity\b|\bcount\b", re.IGNORECASE)
_THERE_ARE = re.compile(
    r"^\s*(?:in total,?\s*|altogether,?\s*)?there (?:are|is) (?:a total of )?"
    + devices.NUMBER
    + r"(?:\s+in total|\s+altogether|\s+of them|\s*\.?\s*$)",
    re.IGNORECASE,
)
# the authority has no CCTV at all: nothing of any vendor the request named
_NO_CCTV = pattern("phrase.no-cctv")
_DECLINED_WORK = pattern("phrase.declined-work")
_OTHER_BEFORE = re.compile(r"\bother\b(?:\s+[\w-]+){0,3}\s*$", re.I)
# "The council has 31 of them" under "How many Hikvision cameras ...?"
_STANDS_FOR_QUESTION = pattern("count.stands-for-question")
_A_NUMBER = re.compile(r"(?<![\w£$€.,])" + devices.NUMBER + r"\b", re.I)
# a paragraph that ends by naming one vendor as a label ("... last year. Hikvision:"): the next
# paragraph is about that vendor
_LABEL_AT_END = re.compile(
    r"(?:^|[.;]\s+)"
    + TOKEN
    + r"(\w+)\s*(?:(?:cctv\s+)?(?:equipment|devices|products|cameras))?\s*:\s*$",
    re.I,
)
_NO_CHINESE = re.compile(
    r"\bchinese[- ](?:made|manufactured|owned|companies|manufacturers|vendors|suppliers|firms|brands)"
    r"|\bmade in china\b|\bchinese (?:cameras|equipment|cctv)",
    re.IGNORECASE,
)


@dataclass
class Context:
    """What the rules have seen so far in the document."""

    kb: KnowledgeBase
    items: list[Paragraph]
    recent: list[str] = field(default_factory=list)  # vendors of the latest sentence naming any
    request_vendors: dict[str, Evidence] = field(default_factory=dict)
    mentioned: dict[str, Evidence] = field(default_factory=dict)
    make_declined: list[Evidence] = field(default_factory=list)
    # vendors named only as someone else's equipment, and the authority saying it has no CCTV
    third_party: dict[str, Evidence] = field(default_factory=dict)
    no_cctv: list[Evidence] = field(default_factory=list)


def _ids(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.vendor for m in mentions))


def question_vendors(ctx: Context, indexes: list[int]) -> list[str]:
    found: list[str] = []
    for index in indexes:
        for vendor in _ids(ctx.kb.find(ctx.items[index].text)):
            if vendor not in found:
                found.append(vendor)
    return found


def _is_or_question(ctx: Context, indexes: list[int]) -> bool:
    return any(
        re.search(r"\bor\b", ctx.items[i].text, re.I) and len(question_vendors(ctx, [i])) > 1
        for i in indexes
    )


class OwnershipRules:
    """Runs the ownership rules over paragraphs, collecting ``Signal``s."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.signals: list[Signal] = []
        # the one vendor the paragraph so far says is owned, and the marked sentence being read
        self.paragraph_vendor: str | None = None
        self.current = ""
        # "The council owns 12 cameras." before "These are made by Hikvision."
        self.previous_plain: tuple[int, tuple[str, ...]] | None = None
        self.someone_else = False  # the sentence is about another body's equipment
        self.heading: tuple[str, int] | None = None  # a vendor named alone above a list
        self.label: str | None = None  # the vendor a paragraph ended on as a label
        self.previous_start = 0  # where the signals of the sentence before begin
        self.sentence_start = 0
        # counts of other device kinds given one per paragraph under the same question
        self.answer_totals: dict[tuple[str, tuple[int, ...]], tuple[int, tuple[str, ...]]] = {}

    def _emit(
        self, vendor: str, kind: str, rule: str, text: str, p: Paragraph, **kw: object
    ) -> None:
        evidence = Evidence(quote(text), p.location)
        self.signals.append(Signal(vendor, kind, rule, evidence, **kw))  # type: ignore[arg-type]

    def run(self) -> list[Signal]:
        for p in self.ctx.items:
            self._paragraph(p)
        return self.signals

    def _paragraph(self, p: Paragraph) -> None:
        kb = self.ctx.kb
        if p.role in (REQUEST, QUESTION):
            for sentence in sentences(p.text):
                found = kb.find(sentence)
                for vendor in _ids(found):
                    ev = Evidence(quote(sentence), p.location)
                    self.ctx.request_vendors.setdefault(vendor, ev)
                    self.ctx.mentioned.setdefault(vendor, ev)
                if found:
                    self.ctx.recent = _ids(found)
            return
        linked = question_vendors(self.ctx, p.answers)
        found = self.ctx.kb.find(p.text)
        label, self.label = self.label, None
        if label and not found and not linked:
            linked = [label]
        ended = _LABEL_AT_END.search(marked(p.text, found))
        if ended:
            self.label = ended.group(1)
        rest = p.text[: found[0].start] + p.text[found[0].end :] if found else p.text
        if len(found) == 1 and _VENDOR_HEADING.match(rest.strip()):
            # "Hikvision" alone heads the list below it: "- 56 cameras", "- 4 NVRs"
            self.heading = (found[0].vendor, p.index)
            return
        if self.heading and _BULLET_LINE.match(p.text):
            if not linked:
                linked = [self.heading[0]]
        else:
            self.heading = None
        answer = short_answer(p.body)
        self.paragraph_vendor = None
        self.previous_plain = None
        if len(linked) == 1 and self._bare_count(p, linked[0]):
            return
        yes_count = _YES_NUMBER.match(p.body)
        if answer == YES and len(linked) == 1 and yes_count:
            # "Yes - seven." under "Do you own Hikvision cameras, and if so how many?"
            value = usable_number(p.body, yes_count)
            if value is not None:
                types = self._question_types(p.answers, linked[0])
                self._emit(
                    linked[0], YES, "owned.count-answer", p.text, p, count=value, types=types
                )
                return
        if answer and linked:
            first = p.text if len(p.text) <= 160 else sentences(p.body)[0]
            if answer == NO:
                for vendor in linked:
                    self._emit(vendor, NO, "owned.short-answer", first, p)
            elif len(linked) == 1:
                types = self._question_types(p.answers, linked[0])
                self._emit(linked[0], YES, "owned.short-answer", first, p, types=types)
            elif _is_or_question(self.ctx, p.answers):
                for vendor in linked:
                    self._emit(vendor, LUMPED, "owned.short-answer-lumped", first, p)
        for sentence in sentences(p.text):
            self._sentence(p, sentence, linked, answer)

    def _bare_count(self, p: Paragraph, vendor: str) -> bool:
        """ "12." or "12 in total" under "How many Hikvision cameras ...?" is a count."""
        question = " ".join(self.ctx.items[i].text for i in p.answers)
        if NIL_CELL.match(p.body) and _HOW_MANY.search(question):
            # "N/A" or "-" under "How many Hikvision cameras ...?"
            self._emit(vendor, NO, "owned.count-zero", p.text, p)
            return True
        match = _BARE_NUMBER.match(p.body)
        if not match or not _HOW_MANY.search(question):
            return False
        if devices.number_value(match.group("num")) == 0:
            self._emit(vendor, NO, "owned.count-zero", p.text, p)
            return True
        value = usable_number(p.body, match)
        if value is None:
            return False
        types = self._question_types(p.answers, vendor)
        self._emit(vendor, YES, "owned.count-answer", p.text, p, count=value, types=types)
        return True

    def _removed_back(
        self, p: Paragraph, sentence: str, earlier: list[str], named: list[str]
    ) -> None:
        """ "Hikvision cameras were installed in 2019. These were replaced in 2024 by Axis
        cameras.": the vendors of the clause or sentence before are no longer held, and what
        that statement said about having them is taken back."""
        for vendor in earlier:
            if vendor in named:
                continue
            self.signals = [
                s
                for i, s in enumerate(self.signals)
                if not (
                    i >= self.previous_start
                    and s.vendor == vendor
                    and s.kind == YES
                    and s.evidence.location == p.location
                )
            ]
            self._emit(vendor, NO, "owned.removed", sentence, p)
        self.sentence_start = min(self.sentence_start, len(self.signals))

    def _stands_for_question(self, p: Paragraph, sentence: str, clause: str, vendor: str) -> bool:
        """ "The council has 31 of them." under "How many Hikvision cameras ...?" is a count of
        the question's devices (the ``count.stands-for-question`` phrasings)."""
        question = " ".join(self.ctx.items[i].text for i in p.answers)
        if not _HOW_MANY.search(question) or _NEGATION.search(clause):
            return False
        for match in _A_NUMBER.finditer(clause):
            if _STANDS_FOR_QUESTION.full.match(clause, match.end()) is None:
                continue
            value = usable_number(clause, match)
            if value is None:
                continue
            types = self._question_types(p.answers, vendor)
            self._emit(vendor, YES, "owned.count-answer", sentence, p, count=value, types=types)
            return True
        return False

    def _question_types(self, indexes: list[int], vendor: str) -> tuple[str, ...]:
        for index in indexes:
            text = self.ctx.items[index].text
            types = types_near(marked(text, self.ctx.kb.find(text)), vendor)
            if types:
                return types
        return ()

    def _sentence(self, p: Paragraph, sentence: str, linked: list[str], answer: str | None) -> None:
        kb = self.ctx.kb
        # the signals of the sentence before, which "These were removed." may take back
        self.previous_start, self.sentence_start = self.sentence_start, len(self.signals)
        earlier = list(self.ctx.recent)
        if sentence.rstrip().endswith("?"):
            found = kb.find(sentence)
            if found:
                self.ctx.recent = _ids(found)
            return
        refs = part_references(sentence)
        if refs:
            indexes = [
                i
                for i in (question_numbered(self.ctx.items, r, p.index) for r in refs)
                if i is not None
            ]
            scope = question_vendors(self.ctx, indexes) or linked
        else:
            scope = linked
        explicit = kb.find(sentence)
        for vendor in _ids(explicit):
            self.ctx.mentioned.setdefault(vendor, Evidence(quote(sentence), p.location))
        anaphora = list(_ANAPHORA.full.finditer(sentence))
        pointed = scope or self.ctx.recent
        mentions = list(explicit)
        for match in anaphora:
            # "2 Hikvision NVRs and no other equipment from the makers you list": the other
            # makers are those not named beside it
            other = _OTHER_BEFORE.search(sentence[: match.start()])
            for vendor in pointed:
                if other and vendor in _ids(explicit):
                    continue
                mentions.append(
                    Mention(vendor, match.start(), match.end(), match.group(0), how="anaphora")
                )
        if explicit:
            self.ctx.recent = _ids(explicit)
        requestish = bool(REQUEST_REFERENCE.search(sentence))
        if requestish:
            for vendor in _ids(explicit):
                self.ctx.request_vendors.setdefault(vendor, Evidence(quote(sentence), p.location))
        if declines(sentence):
            question_text = " ".join(self.ctx.items[i].text for i in p.answers)
            if MAKE_WORDS.search(sentence) or MAKE_WORDS.search(question_text):
                self.ctx.make_declined.append(Evidence(quote(sentence), p.location))
        elif (
            explicit
            and _DECLINED_WORK.search(sentence)
            and any(declines(other) for other in sentences(p.text))
        ):
            # "Section 12 applies to your request. Identifying which of our cameras are
            # Hikvision would take more than 18 hours.": a question about makes declined
            self.ctx.make_declined.append(Evidence(quote(sentence), p.location))
        text = estimates_read(marked(sentence, mentions))
        self.current = text
        others = bool(THIRD_PARTY.search(sentence))
        inherited = [] if mentions else scope
        before = len(self.signals)
        for _, clause in clauses(text):
            # "The council operates 12 Hikvision cameras; the police have their own Dahua
            # system": a clause whose subject is the authority itself is its own
            self.someone_else = others and not (
                OWN_SUBJECT.search(clause) and not THIRD_PARTY.search(clause)
            )
            named = _vendors_in(clause)
            if not requestish and _BACK_REFERENCE.match(clause) and _REMOVED.search(clause):
                self._removed_back(p, sentence, earlier, named)
            self._clause(p, sentence, clause, inherited, requestish, answer)
            if named:
                earlier = list(dict.fromkeys(named))
        self.someone_else = others
        if explicit and declines(sentence):
            # "we hold information about Hikvision cameras, but it is exempt": declined
            answered = {s.vendor for s in self.signals[before:] if s.kind in (YES, NO)}
            for vendor in _ids(explicit):
                if vendor not in answered:
                    self._emit(vendor, UNKNOWN, "owned.withheld", sentence, p)

    def _clause(
        self,
        p: Paragraph,
        sentence: str,
        clause: str,
        inherited: list[str],
        requestish: bool,
        answer: str | None,
    ) -> None:
        vendors = list(dict.fromkeys(re.findall(TOKEN + r"(\w+)", clause)))
        targets = vendors or inherited
        if _NONE_REASON.search(clause):
            # "no information is held because the council has no Dahua cameras"
            for vendor in targets:
                self._emit(vendor, NO, "owned.none-held", sentence, p)
            return
        if declines(clause):
            for vendor in targets:
                self._emit(vendor, UNKNOWN, "owned.withheld", sentence, p)
            return
        policy = _POLICY.search(clause) and not _IN_USE.search(clause)
        if requestish or policy or HYPOTHETICAL.search(clause):
            return
        if not vendors:
            if _NO_CHINESE.search(clause) and _NEGATION.search(clause):
                for vendor in dict.fromkeys([*CHINESE_FAMILIES, *self.ctx.request_vendors]):
                    self._emit(vendor, NO, "owned.no-chinese", sentence, p)
                return
            if _NO_CCTV.search(clause):
                self.ctx.no_cctv.append(Evidence(quote(sentence), p.location))
                for vendor in self.ctx.request_vendors:
                    self._emit(vendor, NO, "owned.no-cctv", sentence, p)
                return
            self._inherited(p, sentence, clause, inherited)
            return
        for vendor in vendors:
            self._explicit(p, sentence, clause, vendor, answer)

    def _inherited(self, p: Paragraph, sentence: str, clause: str, inherited: list[str]) -> None:
        if self.someone_else and not _NEGATION.search(clause):
            return
        if not inherited and self.paragraph_vendor:
            # "The cameras are Bosch models. There are 96 cameras in total."
            counts = plain_counts(clause)
            total_match = _THERE_ARE.search(clause)
            if counts or total_match:
                vendor = self.paragraph_vendor
                if counts:
                    total = sum(c[0] for c in counts)
                    types = tuple(dict.fromkeys(c[1] for c in counts if c[1]))
                else:
                    assert total_match is not None
                    total = usable_number(clause, total_match) or 0
                    types = ()
                if total:
                    self._emit(
                        vendor, YES, "owned.count-inherited", sentence, p, count=total, types=types
                    )
            return
        if not inherited:
            counts = plain_counts(clause)
            if counts and not _NEGATION.search(clause):
                total = sum(c[0] for c in counts)
                self.previous_plain = (total, tuple(dict.fromkeys(c[1] for c in counts if c[1])))
            return
        if len(inherited) == 1:
            counts = plain_counts(clause, approximate=True)
            if not counts and self._stands_for_question(p, sentence, clause, inherited[0]):
                return
            if counts:
                total = sum(c[0] for c in counts)
                types = tuple(dict.fromkeys(c[1] for c in counts if c[1]))
                # "Cameras: 38" then "NVRs: 2" under one question: other kinds add up
                place = tuple(p.answers) or ((-1 - self.heading[1],) if self.heading else ())
                key = (inherited[0], place)
                before_total, before_types = self.answer_totals.get(key, (0, ()))
                if types and before_types and not set(types) & set(before_types):
                    total += before_total
                    types = before_types + types
                self.answer_totals[key] = (total, types)
                if any(is_approximate(clause, c) for c in counts):
                    # "Yes - approximately 75 cameras." under the Hikvision question
                    evidence = Evidence(quote(sentence), p.location, approximate=True)
                    self.signals.append(
                        Signal(inherited[0], YES, "owned.count-approximate", evidence, total, types)
                    )
                    return
                self._emit(
                    inherited[0],
                    YES,
                    "owned.count-inherited",
                    sentence,
                    p,
                    count=total,
                    types=types,
                )
                return
        # "In answer to both of your questions: the council has none.": what follows the colon
        words = len(clause.rsplit(":", 1)[-1].split())
        if (
            _NEGATION.search(clause)
            and not _NOT_NEGATION.search(clause)
            and not _INHERIT_BLOCK.search(clause)
            and (words <= 6 or _EQUIPMENT.search(clause))
        ):
            for vendor in inherited:
                self._emit(vendor, NO, "owned.negation-inherited", sentence, p)

    def _explicit(
        self, p: Paragraph, sentence: str, clause: str, vendor: str, answer: str | None
    ) -> None:
        token = TOKEN + vendor
        positions = [m.start() for m in re.finditer(re.escape(token) + r"\b", clause)]
        for position in positions:
            before = clause[:position]
            after = clause[position + len(token) :]
            negations = list(_NEGATION.finditer(before))
            negation = negations[-1] if negations else None
            negated_before = (
                negation is not None
                and not _NOT_NEGATION.search(before)
                and not _NEGATION_STOP.search(before[negation.end() :])
            )
            if negated_before or _NIL_AFTER.match(after):
                self._emit(vendor, NO, "owned.negation", sentence, p)
                return
        position = positions[0]
        before = clause[:position]
        after = clause[position + len(token) :]
        if _NO_LONGER.search(before):
            # "the council no longer has any Hikvision cameras"
            self._emit(vendor, NO, "owned.no-longer", sentence, p)
            return
        if (_REMOVED.search(clause) or _REMOVED_BEFORE.search(before)) and not _REPLACED_BY.search(
            before
        ):
            self._emit(vendor, NO, "owned.removed", sentence, p)
            return
        current = _CURRENT_BEFORE.search(before)
        future = _FUTURE.search(before)
        if future and not current and not _ALREADY.search(clause[future.end() :]):
            return
        maker_of = _MAKER_OF.match(after)
        if (
            _SUBJECT_VERB.match(after)
            and not devices.DEVICE_RE.match(after.strip())
            and not maker_of
        ):
            return
        if _FORMERLY.search(before) or _TOPIC.search(before):
            return
        counts = counts_for(self.current, vendor)
        possession = _POSSESSION.search(before)
        positive = (
            counts
            or maker_of
            or (possession and not _ABOUT_BETWEEN.search(before[possession.end() :]))
            or _POSSESSION.search(after)
            or _MADE_BY.search(before)
            or (_EQUIPMENT_AFTER.match(after) and (_COPULA.search(clause) or possession))
            or answer == YES
            or current
            or (_BACK_REFERENCE.match(clause) and _COPULA.search(before))
        )
        if not positive:
            return
        if self.someone_else or _UNTIL.search(clause):
            # a contractor's or operator's cameras, or ones the authority had until a year
            self.ctx.third_party.setdefault(vendor, Evidence(quote(sentence), p.location))
            return
        focus = "(?:" + "|".join(CHINESE_FAMILIES) + ")"
        pair = TOKEN + focus + r"\s*(?:or|/|and/or)\s*" + TOKEN + focus
        both = len(set(CHINESE_FAMILIES) & set(_vendors_in(clause))) >= 2
        if vendor in CHINESE_FAMILIES and (
            re.search(pair, clause) or (both and _LUMPING.search(clause))
        ):
            self._emit(vendor, LUMPED, "owned.lumped", sentence, p)
            return
        if counts:
            total = sum(c[0] for c in counts)
            types = tuple(dict.fromkeys(c[1] for c in counts if c[1]))
            if any(is_approximate(self.current, c) for c in counts):
                evidence = Evidence(quote(sentence), p.location, approximate=True)
                self.signals.append(
                    Signal(vendor, YES, "owned.count-approximate", evidence, total, types)
                )
            else:
                self._emit(
                    vendor,
                    YES,
                    "owned.count",
                    sentence,
                    p,
                    count=total,
                    types=types,
                )
        elif (
            self.previous_plain
            and (_BACK_REFERENCE.match(sentence) or _BACK_REFERENCE.match(clause))
            and len(set(_vendors_in(self.current))) == 1
        ):
            total, types = self.previous_plain
            self._emit(vendor, YES, "owned.count-inherited", sentence, p, count=total, types=types)
            self.previous_plain = None
        else:
            types = types_near(clause, vendor)
            self._emit(vendor, YES, "owned.statement", sentence, p, types=types)
        self.paragraph_vendor = vendor


def _vendors_in(text: str) -> list[str]:
    return re.findall(TOKEN + r"(\w+)", text)


def find_signals(ctx: Context) -> list[Signal]:
    return OwnershipRules(ctx).run()


__all__ = ["Context", "OwnershipRules", "find_signals", "question_vendors"]
