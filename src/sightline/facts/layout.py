"""Reading order and roles: which paragraphs are the requester's questions and which are the
authority's answers, and which question each answer belongs to.

FOI replies quote the request before answering it ("You asked: 1. ... Response: 1. ..."), or
interleave questions and answers ("Q1. Does the council ...? No."), or carry the original request
below the reply ("-----Original Message-----"). A vendor named in a question is not a vendor
the authority owns, but a bare "No." under that question is an answer about that vendor, so the
rules need to know both the role of each paragraph and the question it answers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sightline.documents.model import Block
from sightline.replies.reading import quote_start, quoted_line

REQUEST = "request"  # the requester's words (a request section, a quoted original, a letter)
QUESTION = "question"  # a question restated inside the reply, before its answer
RESPONSE = "response"  # the authority's own words

_LONG_LINE = 50  # wrapped lines are long; headings, titles and table lines are short

_BULLET = re.compile(r"^\s*(?:[-•*·▪–]\s+)")
_MARKER = re.compile(
    r"^\s*(?:(?:Q(?:uestion)?|Part|Item|Point)\s*)?"
    r"(?P<first>[\(\[]?(?:\d{1,2}|[a-h]|i{1,3}|iv|v|vi{1,3})(?:[\)\]]|\.(?!\d)|:|(?=\s*[-–&])"
    r"|(?=\s*(?:and|&|,)\s*[\(\[]?\d{1,2}\b))"
    r"|\(\d{1,2}\)|\[\d{1,2}\])"
    r"(?P<more>(?:\s*(?:and|&|,)\s*[\(\[]?(?:\d{1,2}|[a-h])[\)\]\.]?)*)"
    r"[\s:.\-–]*",
    re.IGNORECASE,
)
_Q_MARKER = re.compile(r"^\s*Q(?:uestion)?\s*(\d{1,2})\b", re.IGNORECASE)
# a question named by its number or letter: "Q2", "Question 2", "Part (b)", "Item 3"
_NAMED_MARKER = re.compile(
    r"^\s*(?:Q(?:uestion)?|Part|Item|Point)\s*[\(\[]?(?:\d{1,2}|[a-h])\b", re.IGNORECASE
)
_BARE_ANSWER = re.compile(r"^\W*(?:yes|no|none|nil|zero|n/?a|not applicable)\b", re.IGNORECASE)
# an answer to every question of the request: "In answer to both of your questions: none."
_EVERY_QUESTION = re.compile(
    r"\b(?:both|all|each|every one) (?:of )?(?:your |the |these |those )?(?:questions|parts)\b",
    re.IGNORECASE,
)
_INLINE_ANSWER = re.compile(
    r"\?[ \t]+(?=(?:A\d*|Answer|Response|Reply)\s*[:.-]\s|(?:Yes|No|None)\b)"
    # "Question 1: Number of Hikvision cameras. Answer: 45."
    r"|(?<=[.?])[ \t]+(?=(?:Answer|Response|Reply|Ateb\s*/\s*Answer)\s*:\s)"
)
# "Do you have any Dahua cameras? We do not know." on one line: the answer starts a paragraph
# "You asked whether we have Dahua cameras. The answer is no.": the answer starts a paragraph
_ANSWER_AFTER = re.compile(
    r"(?<=[.:?])[ \t]+(?=(?:the|our) (?:answer|response|reply) (?:is|to (?:this|that)"
    r"(?: question)? is)\b)",
    re.IGNORECASE,
)
_QUESTION_THEN_ANSWER = re.compile(
    r"(?m)^(\s*(?:Q\d*[.:)]?\s*)?(?:do|does|did|is|are|was|were|has|have|how|what|which|who|will"
    r"|can|could|would)\b[^?\n]{5,240}\?)[ \t]+(?=[A-Z])",
    re.IGNORECASE,
)
_ANSWER_THEN_QUESTION = re.compile(r"(?m)^(\s*(?:Yes|No|None)[.!])[ \t]+(?=\S[^\n]*\?[ \t]*$)")
# a request item written as a noun phrase: "2. The number of Hikvision cameras owned."
_REQUEST_ITEM = re.compile(
    r"^(?:the )?(?:number|numbers|details|list|copies|copy|names?|makes?|location|locations|dates?"
    r"|total|breakdown|costs?|amount)\s+of\b|^(?:a list|a copy|a breakdown|whether)\b"
    # the English half of a bilingual label: "Nifer y camerau Dahua / Number of Dahua cameras"
    r"|^[^/]{3,60}/\s*(?:the )?(?:number|numbers|total)\s+of\b",
    re.IGNORECASE,
)
_FIELD_LABEL = re.compile(r"^[A-Z][\w /()-]{0,30}:\s+\S")  # "Manufacturer: Dahua - None"

_REQUEST_HEAD = re.compile(
    r"^(?:the\s+|your\s+|original\s+)?"
    r"(?:request(?!\s*(?:id|ref|reference|number|no)\b)|requests|questions?(?!\s*\d+\s*-\s*\w)"
    r"|information requested"
    r"|you asked(?: for| us)?|you have asked(?: for)?|what you asked(?: for)?|you requested"
    r"|request details|details of (?:your|the) request)\b[^.?!]{0,60}$",
    re.IGNORECASE,
)
_RESPONSE_HEAD = re.compile(
    r"^(?:[\w'’]+\s+){0,2}(?:response|responses|answers?|reply|we answered|in response"
    r"|our response|decision|outcome)\b[^.?!]{0,70}$",
    re.IGNORECASE,
)
_INLINE_REQUEST = re.compile(
    r"(?:you (?:have )?asked(?: for| us)?(?: the following(?: information)?)?|you requested"
    r"|as follows|the following information|in your request you asked)\s*[:\-–]*\s*$",
    re.IGNORECASE,
)
_ORG = (
    r"council|police|constabulary|commission|commissioner|authority|trust|service|university"
    r"|department|office|board|assembly|borough|fire|transport|tfl|nhs|college|school|ministry"
    r"|agency|executive|government|team|unit|officer|parish|county|district|city"
)
_DEAR_ORG = re.compile(rf"^dear\s+(?:[\w'’&.-]+\s+){{0,6}}(?:{_ORG})\b[^.]{{0,40}}[,:]?$", re.I)
_DEAR_PERSON = re.compile(
    r"^dear\s+(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|requester|applicant|\[|[A-Z][a-z]+\s+[A-Z])",
    re.IGNORECASE,
)
_YOURS_FAITHFULLY = re.compile(r"^yours\s+faithfully\b", re.IGNORECASE)
_ASKING = re.compile(
    r"^(?:please|i would|i'd|i am writing|i want|i wish|could|can|would you|do|does|did|how"
    r"|what|which|who|when|where|are|is|has|have|had|will|whether|a list|a copy|copies|details"
    r"|the number|the names|the total|hello|under the|for each|in particular|if so|if yes"
    r"|if not|any |all )\b",
    re.IGNORECASE,
)
_ASKING_ANYWHERE = re.compile(
    r"\b(?:please (?:provide|send|tell|confirm|give|could|list|supply)|i would like|could you)\b",
    re.IGNORECASE,
)
_PART_REF = re.compile(
    r"\b(?:part|question|point|item)s?\s*\(?(\d{1,2}|[a-h])\b\)?(?:\s*(?:and|&)\s*\(?(\d{1,2}|[a-h])\b\)?)?",
    re.IGNORECASE,
)


@dataclass
class Paragraph:
    """A paragraph of one block, with its role and (for answers) the questions it answers."""

    index: int
    text: str
    block: Block
    quoted: bool = False  # at or after the start of a quoted message (the reader's detector)
    role: str = RESPONSE
    markers: tuple[str, ...] = ()
    is_question: bool = False
    answers: list[int] = field(default_factory=list)  # indexes of linked question paragraphs

    @property
    def location(self) -> str:
        return str(self.block.location)

    @property
    def body(self) -> str:
        """The text without its list marker."""
        return strip_marker(self.text)


def normalise(text: str, ocr: bool = False) -> str:
    """Plain punctuation and spacing; OCR's stray bars and split words mended."""
    text = unicodedata.normalize("NFKC", text)
    for old, new in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("—", "-"), ("–", "-")):
        text = text.replace(old, new)
    text = text.replace("\u00a0", " ").replace("\t", " ")
    if ocr:
        text = re.sub(r"[ ]+[|¦]+[ ]*$", "", text, flags=re.MULTILINE)
        text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return text


# what opens an answer before its number: "Response to part (b):", "Answer to question 2 -",
# and the Welsh half of a bilingual label ("Rhan (a) / Part (a)", "Ateb / Answer")
_LEAD = re.compile(
    r"^\s*(?:(?:our\s+)?(?:response|answer|reply|ateb|ymateb)\s+to\s+(?=(?:part|question|q|item"
    r"|point)\b)|(?:rhan|cwestiwn|ateb|ymateb)\b[^/\n]{0,12}/\s*)",
    re.IGNORECASE,
)
# a line that only names the question it heads ("Question 4:", "Part (b)", "Q3")
# "Question 2 - Hikvision equipment": a question named by its topic, no statement
_TOPIC_HEADING = re.compile(r"^[A-Za-z][\w' /&()-]{0,50}$")
_LABEL_ONLY = re.compile(
    r"^\s*(?:Q(?:uestion)?|Part|Item)\s*[\(\[]?(?:\d{1,2}|[a-h])[\)\]]?\s*[:.\-)]?\s*$", re.I
)


def _unlead(text: str) -> str:
    return _LEAD.sub("", _BULLET.sub("", text), count=1)


def strip_marker(text: str) -> str:
    text = _unlead(text)
    match = _MARKER.match(text)
    if match and match.end() < len(text):
        text = text[match.end() :]
    return _ANSWER_PREFIX.sub("", text)


_ANSWER_PREFIX = re.compile(
    r"^\s*(?:(?:A|Answer|Response|Reply)\s*\d*\s*[:.-]|A\d+|Answer\s+\d+"
    # "Our answer: No", "The answer is 14."
    r"|(?:our|my|the)\s+(?:answer|response|reply)\s*:"
    r"|(?:our|the)\s+(?:answer|response|reply)\s+(?:is|to (?:this|that)(?: question)? is)\s*:?)\s+",
    re.I,
)
# an answer that opens by saying so: "The answer is no."
_ANSWER_OPENING = re.compile(
    r"^(?:the|our)\s+(?:answer|response|reply)\s+(?:is|to (?:this|that)(?: question)? is)\b", re.I
)
# the reply restating a question before its answer: "In question 2 you asked whether ..."
_RESTATED = re.compile(
    r"^(?:in (?:question|part|point|item) \(?\w{1,2}\)?,?\s+)?you (?:have )?(?:asked|requested"
    r"|wanted to know|enquired)\b",
    re.I,
)


def markers_of(text: str) -> tuple[str, ...]:
    """List numbers that open a paragraph: "1." -> ("1",); "1 and 2." -> ("1", "2")."""
    text = _unlead(text)
    q = _Q_MARKER.match(text)
    if q:
        return (q.group(1),)
    match = _MARKER.match(text)
    if not match or match.end() >= len(text):
        return ()
    found = re.findall(r"\d{1,2}|\b[a-h]\b|\b(?:i{1,3}|iv|vi{0,3})\b", match.group(0), re.I)
    return tuple(dict.fromkeys(m.lower() for m in found))


def _split_block(text: str) -> list[str]:
    """Paragraphs of a block: blank lines, list markers and short lines end a paragraph;
    long lines without closing punctuation are wrapped text and are joined."""
    paragraphs: list[str] = []
    current: list[str] = []
    text = _INLINE_ANSWER.sub("?\n", text)
    text = _ANSWER_AFTER.sub("\n", text)
    text = _QUESTION_THEN_ANSWER.sub("\\1\n", text)
    text = _ANSWER_THEN_QUESTION.sub("\\1\n", text)
    lines = text.split("\n")
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    wrap_at = max(_LONG_LINE, int(0.7 * width))
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        starts_item = bool(
            _BULLET.match(line)
            or _ANSWER_OPENING.match(line)
            or markers_of(line)
            or _Q_MARKER.match(line)
            or _FIELD_LABEL.match(line)
        )
        if current:
            previous = current[-1]
            continues = line[0].islower() and not starts_item
            wrapped = len(previous) >= wrap_at and not re.search(r"[.?!:;]\W*$", previous)
            if starts_item or not (continues or wrapped):
                paragraphs.append(" ".join(current))
                current = []
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    merged: list[str] = []
    for paragraph in paragraphs:
        if merged and _LABEL_ONLY.match(merged[-1]):
            merged[-1] = merged[-1].rstrip() + " " + paragraph
        else:
            merged.append(paragraph)
    return [re.sub(r"\s+", " ", p).strip() for p in merged if p.strip()]


def _asking(text: str) -> bool:
    body = strip_marker(text)
    return "?" in text or bool(_ASKING.match(body) or _ASKING_ANYWHERE.search(body))


def _is_heading(pattern: re.Pattern[str], text: str) -> bool:
    return len(text) <= 90 and bool(pattern.match(text.rstrip(" :-")))


def paragraphs(blocks: list[Block]) -> list[Paragraph]:
    """Every paragraph of ``blocks`` in reading order, with roles and question links."""
    items: list[Paragraph] = []
    # a block that is only a label ("Question 1" as a Word heading) heads the block after it
    label: tuple[str, Block] | None = None
    for block in blocks:
        text = normalise(block.text, block.ocr)
        cut = quote_start(text)
        parts = [(text, False)] if cut is None else [(text[:cut], False), (text[cut:], True)]
        for part, quoted in parts:
            pieces = _split_block(part)
            if len(parts) == 1 and len(pieces) == 1 and _LABEL_ONLY.match(pieces[0]):
                if label is not None:
                    items.append(
                        Paragraph(len(items), label[0], label[1], markers=markers_of(label[0]))
                    )
                label = (pieces[0], block)
                continue
            for piece in pieces:
                if label is not None:
                    piece = label[0].rstrip(" :.-") + ": " + piece
                    label = None
                item = Paragraph(len(items), piece, block, quoted, markers=markers_of(piece))
                items.append(item)
    if label is not None:
        items.append(Paragraph(len(items), label[0], label[1], markers=markers_of(label[0])))
    _assign_roles(items)
    _link_answers(items)
    return items


def _assign_roles(items: list[Paragraph]) -> None:
    state = RESPONSE
    inline_first = False
    letter_ending = False
    later_response_head = [False] * (len(items) + 1)
    for i in range(len(items) - 1, -1, -1):
        later_response_head[i] = later_response_head[i + 1] or _is_heading(
            _RESPONSE_HEAD, items[i].text
        )
    for i, p in enumerate(items):
        text = p.text
        asking = _asking(text)
        if quoted_line(text) or (p.quoted and state != "quoted"):
            state, p.role = "quoted", REQUEST
            p.is_question = quoted_line(text) and _asking(text.lstrip("> "))
            continue
        if state == "quoted":
            # a quoted message runs to the end, its own "Dear ..." included
            p.role, p.is_question = REQUEST, asking
            continue
        if _DEAR_PERSON.match(text) and not _DEAR_ORG.match(text):
            state, p.role = RESPONSE, RESPONSE
            continue
        if state == "quoted":
            p.role, p.is_question = REQUEST, asking
            continue
        if _DEAR_ORG.match(text):
            state, p.role = "letter", REQUEST
            continue
        if state == "letter":
            p.role, p.is_question = REQUEST, asking
            if letter_ending:
                state, letter_ending = RESPONSE, False
            elif _YOURS_FAITHFULLY.match(text):
                letter_ending = True
            continue
        if _is_heading(_RESPONSE_HEAD, text) and not _is_heading(_REQUEST_HEAD, text):
            state, p.role = RESPONSE, RESPONSE
            continue
        both = re.search(r"\b(?:answers?|responses?|repl(?:y|ies))\b", text, re.I)
        if not both and (_is_heading(_REQUEST_HEAD, text) or re.match(r"^request\s*:", text, re.I)):
            p.role = REQUEST
            p.is_question = "?" in text
            state = "request" if later_response_head[i + 1] else "request-open"
            inline_first = state == "request-open" and len(text) <= 40
            continue
        if state == RESPONSE and _INLINE_REQUEST.search(text):
            p.role = RESPONSE
            state, inline_first = "request-open", True
            continue
        if state == "request":
            p.role, p.is_question = REQUEST, bool(p.markers) or asking
            continue
        if state == "request-open":
            if inline_first or (asking and not (p.markers and not _asking(p.body))):
                p.role, p.is_question = REQUEST, bool(p.markers) or asking
                inline_first = False
                continue
            state = RESPONSE
        p.role = RESPONSE
        stripped = _unlead(text)
        # "Part (b) - Dahua equipment": a named question by its topic; "Response to part (b):
        # Nil" is its answer
        numbered_question = (
            _NAMED_MARKER.match(stripped)
            and not _LEAD.match(text)
            and not _ANSWER_PREFIX.match(p.body)
            and (
                (_Q_MARKER.match(stripped) and _asking(text))
                or (_TOPIC_HEADING.match(p.body) and not _BARE_ANSWER.match(p.body))
            )
        ) or (p.markers and _REQUEST_ITEM.match(p.body) and not re.search(r"\d", p.body))
        restated = (
            _RESTATED.match(text)
            and i + 1 < len(items)
            and _ANSWER_OPENING.match(items[i + 1].text)
        )
        if (
            numbered_question
            or restated
            or ("?" in text and (text.rstrip().endswith("?") or p.markers))
        ):
            p.role, p.is_question = QUESTION, True


def _link_answers(items: list[Paragraph]) -> None:
    last_interleaved: int | None = None
    request_questions = [p.index for p in items if p.role == REQUEST and p.is_question]
    for p in items:
        if p.role == QUESTION:
            last_interleaved = p.index
            continue
        if p.role != RESPONSE:
            continue
        linked: list[int] = []
        for marker in p.markers:
            found = question_numbered(items, marker, before=p.index)
            if found is None:
                # answers above the quoted original request: "1) No" ... "> 1) Do you have ...?"
                found = _quoted_question(items, marker, after=p.index)
            if found is not None:
                linked.append(found)
        if not linked and last_interleaved is not None:
            linked.append(last_interleaved)
        if not linked and len(request_questions) == 1:
            # the one question of the request, quoted above or below the answer
            linked.append(request_questions[0])
        if not linked and request_questions and _EVERY_QUESTION.search(p.text):
            linked.extend(request_questions)
        p.answers = linked


def question_numbered(items: list[Paragraph], marker: str, before: int) -> int | None:
    """The latest question paragraph before ``before`` numbered ``marker``."""
    for q in reversed(items[:before]):
        if q.is_question and q.role in (REQUEST, QUESTION) and marker in q.markers:
            return q.index
    return None


def _quoted_question(items: list[Paragraph], marker: str, after: int) -> int | None:
    """The first quoted request question after ``after`` numbered ``marker``."""
    for q in items[after + 1 :]:
        if q.is_question and q.role == REQUEST and marker in q.markers:
            return q.index
    return None


def part_references(text: str) -> list[str]:
    """Question numbers a sentence points at: "part 1", "question 3", "parts (a) and (b)"."""
    refs: list[str] = []
    for match in _PART_REF.finditer(text):
        refs.extend(g.lower() for g in match.groups() if g)
    return refs


_ABBREVIATIONS = re.compile(
    r"(?:\b(?:no|nos|ref|refs|mr|mrs|ms|dr|st|s|ss|reg|regs|e\.g|i\.e|etc|approx|para|sec|vs|co"
    r"|ltd|inc|tel|fig|cf)\.)$",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; abbreviations such as "s." and "No." do not end one."""
    pieces: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?](?=\s+[\"'(\[]?[A-Z0-9£])", text):
        end = match.end()
        if _ABBREVIATIONS.search(text[start:end]):
            continue
        pieces.append(text[start:end].strip())
        start = end
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:and|but|while|whereas|although|though)\s+|\s+but\s+|,\s*however,?\s+"
    r"|\s+whereas\s+|\s+-\s+(?=(?-i:[a-z]))(?!(?:none|nil|dim|zero|no)\b)|\.\s+",
    re.IGNORECASE,
)


def clauses(sentence: str) -> list[tuple[int, str]]:
    """(offset, clause) pieces of a sentence, split where the polarity of a statement can change
    ("we have no Hikvision cameras, but we do have Dahua ones")."""
    result: list[tuple[int, str]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        result.append((start, sentence[start : match.start()]))
        start = match.end()
    result.append((start, sentence[start:]))
    return [(offset, text) for offset, text in result if text.strip()]
