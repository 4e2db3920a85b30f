"""Items that are not papers, and the reason each is skipped.

A list holds more than papers: its table of contents (links to #anchors), links to code
repositories, notes and other prose. Each is skipped with one of the reasons below and
counted, so a run can say how many items it passed over and why; nothing is dropped
silently.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from enrich.readinglist.mdtokens import Link
from enrich.readinglist.reading import ItemReading

TABLE_OF_CONTENTS: Final = "a table-of-contents link"
CODE_ONLY: Final = "a link to code, not to a paper"
PROSE: Final = "prose, not a paper title"
QUOTED: Final = "in a blockquote"
NOT_TEXT: Final = "not text (code or HTML)"
UNDER_SKIPPED: Final = "under an item that is not a paper"
NO_TITLE_COLUMN: Final = "a table without a title column"
EMPTY_ROW: Final = "an empty table row"

SKIP_REASONS: Final = (
    TABLE_OF_CONTENTS,
    CODE_ONLY,
    PROSE,
    QUOTED,
    NOT_TEXT,
    UNDER_SKIPPED,
    NO_TITLE_COLUMN,
    EMPTY_ROW,
)
"""Every reason an item is skipped for, in the order a summary lists them."""

_CODE_HOSTS = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "gitee.com", "codeberg.org", "sourceforge.net"}
)
_NOTE_LEAD = re.compile(
    r"^(?:summary|notes?|tl;?dr|abstract|comments?|takeaways?|key ideas?|ideas?|motivation"
    r"|contributions?|problems?|solutions?|pros|cons|questions?|insights?|limitations?"
    r"|results?|background|why|how|what|todo|q|a)\s*[:：]",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?:[^\W\d_]{3,}[.!?]\s+|。\s*)(?=[^\W\d_])")
_ABBREVIATIONS = ("vs.", "etc.", "al.", "e.g.", "i.e.", "cf.")
MAX_TITLE_WORDS = 40
"""More words than any real title: such an item is a paragraph."""


def skip_reason(reading: ItemReading) -> str | None:
    """Why an item that has a title is still not a paper, or None when it is one."""
    links = [link for link in reading.links if link.href]
    if reading.title_link is not None and is_anchor(reading.title_link):
        return TABLE_OF_CONTENTS
    followed = [link for link in links if not is_anchor(link)]
    if followed and all(is_code_host(link) for link in followed) and not _own_evidence(reading):
        return CODE_ONLY
    if reading.source == "text" and _is_prose(reading.title or "", reading.text):
        return PROSE
    return None


def is_anchor(link: Link) -> bool:
    return link.href.startswith("#")


def is_code_host(link: Link) -> bool:
    """A repository link (github.com, gitlab.com ...); a PDF kept in one is a paper."""
    try:
        parts = urlsplit(link.href)
    except ValueError:
        return False
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host in _CODE_HOSTS and not parts.path.lower().endswith(".pdf")


def _own_evidence(reading: ItemReading) -> bool:
    """The item itself says it is a paper: a label, venue, year, authors or an id."""
    meta = reading.meta
    ids = reading.ids
    return bool(reading.label or meta.venue or meta.year or meta.authors or ids.doi or ids.arxiv)


def _is_prose(title: str, text: str) -> bool:
    """A note or a paragraph: "Summary: ...", sentences, or more words than a title."""
    words = len(title.split())
    if _NOTE_LEAD.match(text) or words > MAX_TITLE_WORDS:
        return True
    ends = [
        m for m in _SENTENCE_END.finditer(title) if not m.group().lower().startswith(_ABBREVIATIONS)
    ]
    return words >= 12 and bool(ends)
