"""HTML (an e-mail body or a saved page) to plain text and tables, over the stdlib parser.

Nothing is rendered or fetched: scripts, styles and remote content are dropped, entities decoded,
block elements become line breaks and table cells keep their rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SKIP = {"script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "aside", "nav", "main", "blockquote",
    "pre", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "address", "figure",
    "figcaption", "form", "fieldset", "center", "caption", "hr",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\f\v\u00a0\u200b]+")


@dataclass
class HtmlContent:
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)  # tables -> rows -> cell texts


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.tables: list[list[list[str]]] = []
        self.open_tables: list[list[list[str]]] = []  # nested tables: innermost last
        self.cell: list[str] | None = None
        self.cell_stack: list[list[str] | None] = []

    # -- text -----------------------------------------------------------------------------------
    def _emit(self, text: str) -> None:
        self.out.append(text)
        if self.cell is not None:
            self.cell.append(text)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.pre_depth:
            data = _SPACES.sub(" ", data.replace("\r", " ").replace("\n", " "))
        self._emit(data)

    # -- structure ------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skip_depth = 0  # a head (or title) left open ends where the body starts
            return
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "br":
            self._emit("\n")
        elif tag == "li":
            self._emit("\n- ")
        elif tag in _BLOCK:
            self._emit("\n\n" if tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6"} else "\n")
            if tag == "pre":
                self.pre_depth += 1
        elif tag == "table":
            self._emit("\n")
            self.cell_stack.append(self.cell)
            self.cell = None
            table: list[list[str]] = []
            self.open_tables.append(table)
            self.tables.append(table)
        elif tag == "tr" and self.open_tables:
            self._finish_cell()
            self.open_tables[-1].append([])
            self._emit("\n")
        elif tag in {"td", "th"} and self.open_tables:
            self._finish_cell()
            if not self.open_tables[-1]:
                self.open_tables[-1].append([])
            if self.open_tables[-1][-1]:
                self._emit(" | ")
            self.cell = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag in {"td", "th"} or tag == "tr":
            self._finish_cell()
        elif tag == "table" and self.open_tables:
            self._finish_cell()
            self.open_tables.pop()
            self.cell = self.cell_stack.pop() if self.cell_stack else None
            self._emit("\n")
        elif tag in _BLOCK:
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            self._emit("\n\n" if tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6"} else "\n")

    def _finish_cell(self) -> None:
        if self.cell is None or not self.open_tables:
            return
        text = _SPACES.sub(" ", "".join(self.cell)).strip()
        table = self.open_tables[-1]
        if not table:
            table.append([])
        table[-1].append(text)
        self.cell = None


_EMPTY_CELLS = re.compile(r"\|(\s*\|)+")  # separators around empty cells
_EDGE_BARS = re.compile(r"^(\s*\|\s*)+|(\s*\|\s*)+$")


def _tidy(text: str) -> str:
    # one substitution over the whole text (spaces never span a line break); cell bars line by
    # line, only where a line has one
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]
    lines = [
        _EDGE_BARS.sub("", _EMPTY_CELLS.sub("|", line)) if "|" in line else line for line in lines
    ]
    tidy = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", tidy).strip()


# A script or style element that is never closed: the parser would take the rest of the page
# for its content. Browsers show nothing after it either, but the words are the authority's.
_UNCLOSED = re.compile(r"<(script|style)\b[^>]*>(?![\s\S]*</\1\s*>)", re.IGNORECASE)
_CODE_LINE = re.compile(r"(?:[^<]|<(?![A-Za-z/!]))*")  # up to the next tag


def _without_unclosed_code(html: str) -> str:
    found = _UNCLOSED.search(html)
    while found:
        rest = html[found.end() :]
        code = _CODE_LINE.match(rest)
        html = html[: found.start()] + rest[code.end() if code else 0 :]
        found = _UNCLOSED.search(html)
    return html


def html_to_text(html: str) -> HtmlContent:
    """Visible text of ``html`` and its tables (rows of cell texts, empty rows dropped)."""
    if "<script" in html.lower() or "<style" in html.lower():
        html = _without_unclosed_code(html)
    converter = _Converter()
    converter.feed(html)
    converter.close()
    converter._finish_cell()
    tables = []
    for table in converter.tables:
        rows = [row for row in table if any(cell for cell in row)]
        if rows:
            tables.append(rows)
    return HtmlContent(text=_tidy("".join(converter.out)), tables=tables)
