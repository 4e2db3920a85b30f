"""Markdown tables of papers: one paper per row, its title from the column that holds titles.

`| Date | Title | Paper | Code |` is a common way to keep a list. The title column is the
one headed Title (or Paper, when it holds titles rather than "[Paper]" links), else the
column of links to papers; columns headed venue, conference, year, date or authors are
read too, and every link of a row can give the paper's DOI or arXiv id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from enrich.readinglist.labels import read_label
from enrich.readinglist.linkids import agreed, identifiers_from_url
from enrich.readinglist.mdtokens import Inline
from enrich.readinglist.metadata import Metadata, read_authors
from enrich.readinglist.outline import TableNode, TableRow
from enrich.readinglist.reading import ItemReading, best_url, followable, read_item

_TITLE_HEADERS = ("title", "paper title", "titles", "paper name", "title of paper")
_PAPER_HEADERS = ("paper", "papers", "publication", "publications", "article", "work")
_FIELD_HEADERS = {
    "venue": ("venue", "conference", "conf", "conf.", "journal", "booktitle", "published in"),
    "year": ("year", "date", "published", "time", "pub date", "release date"),
    "authors": ("author", "authors", "author(s)", "first author"),
}


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column of a table holds what (indexes into its cells)."""

    title: int | None
    venue: int | None = None
    year: int | None = None
    authors: int | None = None


def table_columns(table: TableNode, this_year: int | None = None) -> Columns:
    """The title column and the metadata columns of a table, by header or by content."""
    names = [" ".join(cell.text.lower().split()).strip(" :*") for cell in table.header]
    fields = {
        field: next((i for i, name in enumerate(names) if name in aliases), None)
        for field, aliases in _FIELD_HEADERS.items()
    }
    title = next((i for i, name in enumerate(names) if name in _TITLE_HEADERS), None)
    if title is None:
        papers = [i for i, name in enumerate(names) if name in _PAPER_HEADERS]
        title = next((i for i in papers if _holds_titles(table.rows, i, this_year)), None)
    if title is None:
        others = [i for i in range(len(names)) if i not in fields.values()]
        title = next((i for i in others if _holds_titles(table.rows, i, this_year, True)), None)
    return Columns(title, fields["venue"], fields["year"], fields["authors"])


def _holds_titles(
    rows: tuple[TableRow, ...], column: int, this_year: int | None, linked: bool = False
) -> bool:
    """Most of the column's cells read as titles (linked ones, when `linked`)."""
    readings = [read_item(_cell(row, column), this_year) for row in rows]
    titled = [r for r in readings if r.title and (r.source == "link" or not linked)]
    return bool(rows) and 2 * len(titled) >= len(rows)


def read_row(row: TableRow, columns: Columns, this_year: int | None = None) -> ItemReading | None:
    """The paper a row names, its other cells read; None for a row with no text at all."""
    if not any(cell.text or cell.links for cell in row.cells) or columns.title is None:
        return None
    reading = read_item(_cell(row, columns.title), this_year)
    venue_cell = _cell(row, columns.venue).text
    venue, venue_year = read_label(venue_cell, this_year) if venue_cell else (None, None)
    year_cell = _cell(row, columns.year).text
    year = read_label(year_cell, this_year)[1] if year_cell else None
    authors_cell = _cell(row, columns.authors).text
    authors = _authors(authors_cell) if authors_cell else ()
    meta = Metadata(reading.meta.label, venue, year or venue_year, authors).then(reading.meta)
    links = tuple(link for cell in row.cells for link in cell.links)
    ids = reading.ids
    if not (ids.doi or ids.arxiv):
        ids = agreed([identifiers_from_url(link.href) for link in links if followable(link)])
    url = best_url(links, reading.title_link)
    return replace(reading, meta=meta, ids=ids, url=url, links=links)


def _cell(row: TableRow, column: int | None) -> Inline:
    if column is None or column >= len(row.cells):
        return Inline((), ())
    return row.cells[column]


def _authors(text: str) -> tuple[str, ...]:
    """An authors cell: names as read_authors reads them, else split at commas."""
    names = read_authors(text, strict=False)
    return names or tuple(
        name.strip() for name in text.replace(";", ",").split(",") if name.strip()
    )
