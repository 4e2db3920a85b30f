"""Text from a list or a service, made safe to write into the review's Markdown.

A title is whatever a person typed or a service sent: it may hold `<img onerror=...>`, a
newline followed by "## ", a NUL or a right-to-left override that makes a line read
backwards. `escape_md` is the one way such a value enters the report: one line, no
controls, nothing Markdown or HTML would read as markup.
"""

from __future__ import annotations

import re

from enrich.text import clean_text

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN = frozenset("\\`*_[]|~")
"""Backslash-escaped: emphasis, strike, links, code spans, table cells (and `\\` itself)."""
_BACKTICKS = re.compile(r"`+")


def escape_md(text: str) -> str:
    """`text` as literal words in Markdown prose, a heading or a table cell (GFM and
    CommonMark): HTML's `& < >` as entities, Markdown's punctuation backslash-escaped, a
    leading `#` escaped; never inside a code span, where entities stay undecoded."""
    escaped = "".join(
        _HTML.get(char) or ("\\" + char if char in _MARKDOWN else char) for char in clean_text(text)
    )
    return "\\" + escaped if escaped.startswith("#") else escaped


def code_block(lines: list[str], info: str = "", indent: str = "") -> list[str]:
    """A fenced code block around `lines` (one-line values, shown verbatim), its fence longer
    than any run of backticks inside, so no value can close it early."""
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [
        f"{indent}{fence}{info}",
        *(indent + clean_text(line) for line in lines),
        indent + fence,
    ]
