"""Line prefilter for JSON-lines exports written by Python (Shodan): skip lines no rule can match.

Every rule names strings (``needles``) at least one of which must be in any value it matches;
``exact`` and ``literal`` rules derive theirs from their patterns. One hyperscan pass over a chunk
of raw lines finds the lines that contain any of them, in their JSON-encoded form; only those
lines are decoded in full and matched. The rest are still validated (a cheap decode of the
record's key fields) and counted, so the census gives the same counts as decoding everything.
"""

from __future__ import annotations

import threading

from sightline.census.fingerprints import CASELESS_FIELDS, RuleSet

try:
    import hyperscan

    from sightline.census.hsdb import compile_database

    HAVE_HYPERSCAN = True
except ImportError:  # pragma: no cover
    HAVE_HYPERSCAN = False

# fields no needle can stand for: readers check them from the lean decode instead
_NO_NEEDLES = {"http.favicon.md5"}


def _json_forms(value: str) -> set[str]:
    """How a string can appear inside a JSON document.

    Python's json module with and without ``ensure_ascii``; with "/" escaped as some writers do;
    and with <, > and & as \\u003c, \\u003e, \\u0026 as Go's encoding/json writes them.
    """
    import json  # only to build the needles (then the compiled form is cached)

    forms = {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    forms |= {form.replace("/", "\\/") for form in forms}
    html_safe = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
    return forms | {form.translate(html_safe) for form in forms}


def _exact_forms(value: str) -> tuple[set[str], bool]:
    """Needles for a whole field value, and whether they are sought case-insensitively.

    A number is a JSON number after its key. Text starts a JSON string or a header value (exact
    values are compared without regard to case or surrounding blanks, so the needle does not
    close the value).
    """
    if value.lstrip("-").isdigit():
        return {f": {value}", f":{value}", f'"{value}"'}, False
    out: set[str] = set()
    for form in _json_forms(value):
        out |= {f'"{form}', f": {form}", f":{form}"}
    return out, True


def needles_for(ruleset: RuleSet) -> dict[str, bool] | None:
    """Every needle of a rule set and whether it is sought case-insensitively.

    Needles are sought without regard to case, as the rules compare, except for the rules
    marked case-sensitive (binary replies written as hex): their literal needles are sought
    as they are, but for forms with \\u escapes, whose hex digits a writer may put in either
    case.
    None when a pattern rule has no needles (then the prefilter cannot be used).
    """
    needles: dict[str, bool] = {}

    def add(found: set[str] | tuple[str, ...], caseless: bool) -> None:
        for needle in found:
            needles[needle] = needles.get(needle, False) or caseless or "\\u" in needle

    for rule in ruleset.rules:
        if set(rule.fields) <= _NO_NEEDLES:
            continue
        if rule.match == "exact" and set(rule.fields) & CASELESS_FIELDS:
            for pattern in rule.patterns:  # a realm sits in a challenge, quoted or not, any case
                add(_json_forms(f'realm="{pattern}"') | _json_forms(f"realm={pattern}"), True)
        elif rule.match == "exact":
            for pattern in rule.patterns:
                add(*_exact_forms(pattern))
        elif rule.match == "literal":
            for pattern in rule.patterns:
                add(_json_forms(pattern), rule.caseless)
        elif rule.needles:
            add(rule.needles, rule.caseless)
        else:
            return None
    return needles


def _escape(needle: str) -> bytes:
    return b"".join(
        bytes([b]) if chr(b).isalnum() and b < 128 else b"\\x%02x" % b
        for b in needle.encode("utf-8")
    )


class LinePrefilter:
    """Finds the lines of a chunk that contain a needle, and chunks with irregular lines.

    ``favicon_md5s`` are the favicon MD5s the rules look for: no needle can show them (Shodan
    keeps the icon's bytes, base64-encoded), so readers check favicons themselves.
    """

    def __init__(
        self, needles: dict[str, bool], favicon_md5s: frozenset[str] = frozenset()
    ) -> None:
        ordered = sorted(needles)
        expressions = [_escape(n) for n in ordered]
        self.favicon_md5s = favicon_md5s
        # the last id flags a line that does not start with "{": it may be empty or hold only
        # whitespace, which the decoder skips, so the chunk's lines must really be counted. (One
        # newline-then-class pattern: four two-byte literals for blank lines made the scan a
        # third slower; hyperscan 0.9 missed a class-then-newline pattern at a buffer's end.)
        self._irregular = len(expressions)
        expressions.append(rb"\n[^{]")
        self._db = compile_database(
            expressions,
            list(range(len(expressions))),
            [hyperscan.HS_FLAG_CASELESS if needles[n] else 0 for n in ordered]
            + [hyperscan.HS_FLAG_SINGLEMATCH],
        )
        self._scratch = threading.local()  # one scratch space per thread that scans

    def scan(
        self, data: bytes, start: int = 0, stop: int | None = None
    ) -> tuple[list[tuple[int, int]], bool]:
        """(start offset, end offset) in ``data`` of each line of ``data[start:stop]`` that
        holds a needle, and whether a line there does not start with "{" (it may be blank).

        Safe to call from several threads at once (each has its own scratch space).
        """
        stop = len(data) if stop is None else stop
        ends: list[int] = []
        irregular = [data[start : start + 1] != b"{"]
        first_irregular = self._irregular
        append = ends.append

        def on_match(pattern: int, _start: int, end: int, *_: object) -> None:
            if pattern >= first_irregular:
                irregular[0] = True
            else:
                append(end)

        scratch = getattr(self._scratch, "space", None)
        if scratch is None:
            scratch = self._scratch.space = hyperscan.Scratch(self._db)
        whole = start == 0 and stop == len(data)
        buffer = data if whole else memoryview(data)[start:stop]
        self._db.scan(buffer, match_event_handler=on_match, scratch=scratch)
        if not ends:
            return [], irregular[0]
        out: list[tuple[int, int]] = []
        last_start = -1
        for end in sorted(ends):
            end += start
            begin = data.rfind(b"\n", start, end - 1) + 1 or start
            if begin == last_start:
                continue
            found = data.find(b"\n", end - 1, stop)
            out.append((begin, found if found >= 0 else stop))
            last_start = begin
        return out, irregular[0]


def build_prefilter(ruleset: RuleSet) -> LinePrefilter | None:
    if not HAVE_HYPERSCAN:
        return None
    needles = needles_for(ruleset)
    if needles is None:
        return None
    md5s = frozenset(
        pattern
        for rule in ruleset.rules
        if "http.favicon.md5" in rule.fields and rule.match == "exact"
        for pattern in rule.patterns
    )
    return LinePrefilter(needles, md5s)
