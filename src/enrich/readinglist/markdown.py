"""Reading a Markdown reading list: papers are list items and table rows; headings are
sections.

markdown-it-py reads the Markdown (outline.py), so front matter, blockquotes, HTML,
code blocks, emphasis, links and escapes are what CommonMark says they are. Each item's
text is read for its title and metadata (reading.py), each table by its columns
(tables.py); roles.py decides which items are papers, notes on them, categories or
skips. Headings that name a year or a venue give it to the papers under them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from enrich.models import Entry
from enrich.readinglist.headings import Context, heading_context
from enrich.readinglist.inline import tidy_title
from enrich.readinglist.model import ParsedItems, ParseWarning, SkippedItem
from enrich.readinglist.outline import ItemNode, Outline, TableNode, heading_text, read_outline
from enrich.readinglist.paperline import not_a_paper, shorten
from enrich.readinglist.reading import ItemReading, read_item
from enrich.readinglist.roles import EMPTY_ITEM, Settled, own_role, settle_roles
from enrich.readinglist.skips import EMPTY_ROW, NO_TITLE_COLUMN, QUOTED
from enrich.readinglist.tables import read_row, table_columns


class _Collected:
    """What the items and rows of one document came to, as they are read."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.papers: list[tuple[int, Entry]] = []
        self.warnings: list[ParseWarning] = []
        self.skipped: list[SkippedItem] = []
        self.notes: list[int] = []
        self.categories: list[int] = []

    def skip(self, line: int, reason: str, source: str) -> None:
        self.skipped.append(SkippedItem(self.file, line, reason, shorten(source)))

    def warn(self, line: int, reason: str, source: str) -> None:
        if reason == EMPTY_ITEM:
            self.warnings.append(ParseWarning(self.file, line, EMPTY_ITEM))
        else:
            self.warnings.append(not_a_paper(self.file, line, reason, source))

    def result(self) -> ParsedItems:
        self.papers.sort(key=lambda pair: pair[0])
        return ParsedItems(
            tuple(entry for _, entry in self.papers),
            tuple(sorted(self.warnings, key=lambda warning: warning.line)),
            tuple(sorted(self.skipped, key=lambda item: item.line)),
            tuple(sorted(self.notes)),
            tuple(sorted(self.categories)),
        )


def parse_markdown(text: str, file: str, this_year: int | None = None) -> ParsedItems:
    """Every list item and table row that names a paper, in order, with its section."""
    this_year = this_year or dt.date.today().year  # once, not for every two-digit year
    outline = read_outline(text, this_year)
    collected = _Collected(file)
    _read_items(outline, this_year, collected)
    for table in outline.tables:
        _read_table(table, this_year, collected)
    return collected.result()


def _read_items(outline: Outline, this_year: int | None, collected: _Collected) -> None:
    items = outline.items
    readings = [
        read_item(node.inline, this_year) if node.shape == "text" else None for node in items
    ]
    owns = [own_role(node, reading) for node, reading in zip(items, readings, strict=True)]
    settled = settle_roles(items, owns)
    extra: dict[int, list[ItemReading]] = {}
    for role, reading in zip(settled, readings, strict=True):
        if role.role == "note" and role.metadata and role.paper is not None and reading:
            extra.setdefault(role.paper, []).append(reading)
    for index, (node, role) in enumerate(zip(items, settled, strict=True)):
        source = node.inline.source
        reading = readings[index]
        if role.role == "paper" and reading is not None:
            section, context = _place(index, items, settled, this_year)
            entry = _entry(reading, collected.file, node.line, section, context, extra.get(index))
            collected.papers.append((node.line, entry))
        elif role.role == "note":
            collected.notes.append(node.line)
        elif role.role == "category":
            collected.categories.append(node.line)
        elif role.role == "skipped":
            collected.skip(node.line, role.reason or "", source)
        else:
            collected.warn(node.line, role.reason or "no title", source)


def _place(
    index: int, items: tuple[ItemNode, ...], settled: list[Settled], this_year: int | None
) -> tuple[str | None, Context]:
    """A paper's section (its category item, else its heading) and its context."""
    node = items[index]
    categories: list[ItemNode] = []
    parent = node.parent
    while parent is not None:
        if settled[parent].role == "category" and items[parent].shape == "text":
            categories.append(items[parent])
        parent = items[parent].parent
    context = node.context
    for category in reversed(categories):
        context = heading_context(heading_text(category.inline), this_year).within(context)
    section = heading_text(categories[0].inline) if categories else node.section
    return section or None, context


def _read_table(table: TableNode, this_year: int | None, collected: _Collected) -> None:
    columns = table_columns(table, this_year)
    for row in table.rows:
        source = " | ".join(cell.source for cell in row.cells)
        if table.quoted or columns.title is None:
            collected.skip(row.line, QUOTED if table.quoted else NO_TITLE_COLUMN, source)
            continue
        reading = read_row(row, columns, this_year)
        if reading is None:
            collected.skip(row.line, EMPTY_ROW, source)
            continue
        own = own_role(None, reading)
        if own.kind == "paper":
            entry = _entry(reading, collected.file, row.line, table.section, table.context, None)
            collected.papers.append((row.line, entry))
        elif own.kind == "skipped":
            collected.skip(row.line, own.reason or "", source)
        else:
            collected.warn(row.line, own.reason or "no title", source)


def _entry(
    reading: ItemReading,
    file: str,
    line: int,
    section: str | None,
    context: Context,
    notes: list[ItemReading] | None,
) -> Entry:
    """The Entry of a paper item: its own reading, then its metadata notes, then the
    context of its headings, each only where the one before says nothing."""
    meta, url, ids = reading.meta, reading.url, reading.ids
    for note in notes or ():
        meta = meta.then(replace(note.meta, authors=()) if meta.authors else note.meta)
        url = url or note.url
        ids = ids if ids.doi or ids.arxiv else note.ids
    venue = meta.venue or context.venue
    fits = meta.venue is None or context.venue in (None, meta.venue)
    year = meta.year or (context.year if fits else None)
    return Entry(
        title=tidy_title(reading.title or ""),
        file=file,
        lines=(line,),
        sections=(section,) if section else (),
        label=reading.label or meta.label,
        venue=venue,
        year=year,
        url=url,
        authors=meta.authors,
        doi=ids.doi,
        arxiv=ids.arxiv,
    )
