"""Reading an existing BibTeX file, so re-enriching a bibliography keeps its keys."""

from __future__ import annotations

import logging
import re

import bibtexparser

from enrich.models import Entry
from enrich.readinglist.model import ParsedItems, ParseWarning
from enrich.text import bibtex_names, latex_to_text
from enrich.urls import safe_url

_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")


def parse_bibtex(text: str, file: str) -> ParsedItems:
    """Each entry's title, year, venue (booktitle or journal), authors and citation key."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    entries: list[Entry] = []
    warnings = [
        ParseWarning(file, block.start_line + 1, _why_not_read(block))
        for block in library.failed_blocks
    ]
    for block in library.entries:
        fields = {field.key.lower(): str(field.value) for field in block.fields}
        line = block.start_line + 1
        title = latex_to_text(fields.get("title", ""))
        if not title:
            warnings.append(ParseWarning(file, line, f"entry {block.key!r} has no title"))
            continue
        year = _YEAR.search(fields.get("year", ""))
        venue = fields.get("booktitle") or fields.get("journal")
        authors = bibtex_names(fields.get("author", ""))
        keywords = [word.strip() for word in re.split(r"[;,]", fields.get("keywords", ""))]
        entries.append(
            Entry(
                title=title,
                file=file,
                lines=(line,),
                sections=tuple(dict.fromkeys(word for word in keywords if word)),
                venue=latex_to_text(venue) if venue else None,
                year=int(year.group()) if year else None,
                url=safe_url(fields.get("url")),
                key=block.key,
                authors=tuple(name for name in authors if name),
            )
        )
    warnings.sort(key=lambda warning: warning.line)
    return ParsedItems(tuple(entries), tuple(warnings))


def _why_not_read(block: bibtexparser.model.Block) -> str:
    if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock):
        first = block.previous_block.start_line + 1
        return f"not read: the key {block.key!r} is already the entry at line {first}"
    return "not read: malformed BibTeX entry"
