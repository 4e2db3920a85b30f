"""Reading a plain text list: one title per line, blank lines and # comments ignored."""

from __future__ import annotations

import re

from enrich.models import Entry
from enrich.readinglist.model import ParsedItems, ParseWarning
from enrich.readinglist.paperline import read_paper_line

_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")


def parse_plaintext(text: str, file: str, this_year: int | None = None) -> ParsedItems:
    """Every non-blank, non-comment line is a paper; labels and list markers are allowed."""
    entries: list[Entry] = []
    warnings: list[ParseWarning] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        read = read_paper_line(_LIST_MARKER.sub("", stripped), file, number, None, this_year)
        if isinstance(read, ParseWarning):
            warnings.append(read)
        else:
            entries.append(read)
    return ParsedItems(tuple(entries), tuple(warnings))
