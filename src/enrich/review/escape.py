"""Text from a list or a service, made safe to write into the review's Markdown.

A title is whatever a person typed or a service sent: it may hold `<img onerror=...>`, a
newline followed by "## ", a NUL or a right-to-left override that makes a line read
backwards. `escape_md` is the one way such a value enters the report: one line, no
controls, nothing Markdown or HTML would read as markup.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional marks, embeddings, overrides and isolates: they reorder what is shown."""
_SPACES = re.compile(r"\s+")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN = frozenset("\\`*_[]|~")
"""Backslash-escaped: emphasis, strike, links, code spans, table cells (and `\\` itself)."""
_BACKTICKS = re.compile(r"`+")


def one_line(text: str) -> str:
    """The text as one line: line breaks and tabs become spaces, other controls and bidi
    marks go, runs of spaces become one. Also what the terminal is shown."""
    kept = []
    for char in text:
        if char in _LINE_BREAKS or char == "\t":
            kept.append(" ")
        elif char in _BIDI or unicodedata.category(char) == "Cc":
            continue
        else:
            kept.append(char)
    return _SPACES.sub(" ", "".join(kept)).strip()


def escape_md(text: str) -> str:
    """`text` as literal words in Markdown prose, a heading or a table cell (GFM and
    CommonMark): HTML's `& < >` as entities, Markdown's punctuation backslash-escaped, a
    leading `#` escaped; never inside a code span, where entities stay undecoded."""
    escaped = "".join(
        _HTML.get(char) or ("\\" + char if char in _MARKDOWN else char) for char in one_line(text)
    )
    return "\\" + escaped if escaped.startswith("#") else escaped


def code_block(lines: list[str], info: str = "", indent: str = "") -> list[str]:
    """A fenced code block around `lines` (one-line values, shown verbatim), its fence longer
    than any run of backticks inside, so no value can close it early."""
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{indent}{fence}{info}", *(indent + one_line(line) for line in lines), indent + fence]
