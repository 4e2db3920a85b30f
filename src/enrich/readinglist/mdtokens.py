"""Markdown as markdown-it-py reads it: block tokens with line maps, inline text as pieces.

Everything Markdown decides (what is a list item, a table, a link, emphasis, an escape,
code or HTML) is left to markdown-it's CommonMark parser, so it comes out right by
construction; this module only turns an inline token into `Inline`, the few facts the
item reader needs: the text, which parts are links (and where to), emphasis and code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token


def _markdown() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.normalizeLink = lambda url: url  # the list's own spelling: ids are read from it
    parser.validateLink = lambda url: True  # "[Title](javascript:...)" is a title all the same
    return parser


_PARSER = _markdown()
_FRONT_MATTER_END = ("---", "...")
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+(?:\([^\s()]*\)[^\s<>()\[\]]*)*")
_URL_TRAILING = ".,;:!?'\""


CHUNK_LINES = 2000
"""Lines a long document is parsed in at a time, cut only where every block is closed."""

_NEWLINE = re.compile(r"\r\n?")
_ATX_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:", re.MULTILINE)
_RAW_HTML = re.compile(
    r"^ {0,3}<(?:(?P<comment>!--)|(?P<cdata>!\[CDATA\[)|(?P<declaration>![A-Za-z])"
    r"|(?P<instruction>\?)|(?P<element>(?:script|pre|style|textarea)\b))",
    re.IGNORECASE,
)
_RAW_HTML_ENDS = {
    "comment": re.compile(r"-->"),
    "cdata": re.compile(r"\]\]>"),
    "declaration": re.compile(r">"),
    "instruction": re.compile(r"\?>"),
    "element": re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE),
}
"""The raw HTML blocks that run on to an end marker, not to a blank line (CommonMark 1-5)."""


def block_chunks(text: str) -> Iterator[tuple[int, list[Token]]]:
    """The document's block tokens, in chunks: (lines before the chunk, its tokens).

    YAML front matter is blanked first, line numbers kept. A long document is parsed a
    chunk at a time, so memory and time stay linear in its length. A chunk ends before a
    heading that follows a blank line, and only where markdown-it closed every block of
    the chunk itself (no fence or raw HTML runs on past the cut); the first cut that
    fails this leaves the rest of the document to one parse. A document with link
    reference definitions, which reach across it, is parsed in one piece. Chunks are made
    as they are read, so a chunk's tokens are freed before the next is parsed.
    """
    lines = _NEWLINE.sub("\n", text).split("\n")
    length = _front_matter_length(lines)
    lines[:length] = [""] * length
    if len(lines) <= CHUNK_LINES or _REFERENCE_DEFINITION.search(text):
        yield 0, _PARSER.parse("\n".join(lines))
        return
    start = 0
    for cut in _cuts(lines):
        tokens = _PARSER.parse("\n".join(lines[start:cut]))
        if not _all_closed(tokens, lines[start:cut]):
            break
        yield start, tokens
        start = cut
    yield start, _PARSER.parse("\n".join(lines[start:]))


def _cuts(lines: list[str]) -> list[int]:
    """Lines where a chunk may start: a heading after a blank line, CHUNK_LINES apart."""
    cuts: list[int] = []
    last = 0
    for number, line in enumerate(lines):
        spaced = number - last >= CHUNK_LINES and not lines[number - 1].strip()
        if spaced and _ATX_HEADING.match(line):
            cuts.append(number)
            last = number
    return cuts


def _all_closed(tokens: list[Token], lines: list[str]) -> bool:
    """No fence or raw HTML block of the chunk runs to its end unclosed."""
    for token in tokens:
        if token.level or token.type not in ("fence", "html_block") or not token.map:
            continue
        first, end = token.map
        if end < len(lines) - 1:
            continue
        if token.type == "fence" and not _closes_fence(lines[end - 1], token.markup, end - first):
            return False
        if token.type == "html_block" and not _closes_html(token.content):
            return False
    return True


def _closes_fence(line: str, markup: str, length: int) -> bool:
    marks = line.strip()
    indent = len(line) - len(line.lstrip(" "))
    return length > 1 and indent <= 3 and set(marks) == {markup[0]} and len(marks) >= len(markup)


def _closes_html(content: str) -> bool:
    """Raw HTML of CommonMark's kinds 1-5 holds its end marker; the others end at a blank."""
    opening = _RAW_HTML.match(content)
    if opening is None:
        return True
    return bool(_RAW_HTML_ENDS[opening.lastgroup or "comment"].search(content, opening.end()))


def _front_matter_length(lines: list[str]) -> int:
    """How many leading lines are YAML front matter (0 when there is none)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in _FRONT_MATTER_END:
            return number
    return 0


@dataclass(frozen=True, slots=True)
class Link:
    """A link of an item: where it points, and whether it is a bare URL or holds an image."""

    href: str
    bare: bool = False
    """An autolink or a URL written out in the text: never a title."""
    image: bool = False
    """The link holds an image (a badge): its text, if any, is not a title."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of an item's text with one set of inline marks."""

    text: str
    link: int | None = None
    """Index of the link (in `Inline.links`) this text is the text of."""
    emphasis: int | None = None
    """Number of the outermost bold or italic span the text lies in."""
    code: bool = False


@dataclass(frozen=True, slots=True)
class Inline:
    """An item's (or a heading's or table cell's) inline content, markup resolved."""

    pieces: tuple[Piece, ...]
    links: tuple[Link, ...]
    source: str = ""
    """The Markdown as written, for messages."""

    @property
    def text(self) -> str:
        """The plain text, whitespace collapsed."""
        return " ".join("".join(piece.text for piece in self.pieces).split())


def read_inline(token: Token | None) -> Inline:
    """The pieces and links of an inline token (an empty Inline for None)."""
    pieces: list[Piece] = []
    links: list[Link] = []
    open_links: list[int] = []
    emphasis_depth = 0
    emphasis_count = 0
    children = (token.children or []) if token is not None else []
    for child in children:
        kind = child.type
        link = open_links[-1] if open_links else None
        emphasis = emphasis_count if emphasis_depth else None
        if kind == "text":
            _add_text(child.content, link, emphasis, pieces, links)
        elif kind == "code_inline":
            pieces.append(Piece(child.content, link, emphasis, code=True))
        elif kind in ("softbreak", "hardbreak"):
            pieces.append(Piece(" ", link, emphasis))
        elif kind == "link_open":
            bare = child.markup in ("autolink", "linkify")
            links.append(Link(str(child.attrs.get("href", "")), bare=bare))
            open_links.append(len(links) - 1)
        elif kind == "link_close" and open_links:
            open_links.pop()
        elif kind == "image":
            if link is not None:
                links[link] = Link(links[link].href, links[link].bare, image=True)
        elif kind in ("em_open", "strong_open"):
            emphasis_count += 0 if emphasis_depth else 1
            emphasis_depth += 1
        elif kind in ("em_close", "strong_close"):
            emphasis_depth = max(0, emphasis_depth - 1)
    source = token.content if token is not None else ""
    return Inline(tuple(piece for piece in pieces if piece.text), tuple(links), source)


def _add_text(
    text: str, link: int | None, emphasis: int | None, pieces: list[Piece], links: list[Link]
) -> None:
    """Text, with any URL written out in it made a bare link of its own."""
    position = 0
    for match in _BARE_URL.finditer(text) if link is None else ():
        url = match.group().rstrip(_URL_TRAILING)
        pieces.append(Piece(text[position : match.start()], None, emphasis))
        links.append(Link(url, bare=True))
        pieces.append(Piece(" ", len(links) - 1, emphasis))
        position = match.start() + len(url)
    pieces.append(Piece(text[position:], link, emphasis))
