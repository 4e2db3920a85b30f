"""Reading a CSV list: a title column, and optional venue, year, section, url, key."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from enrich.errors import InputError
from enrich.models import Entry
from enrich.readinglist.model import ParsedItems, ParseWarning
from enrich.readinglist.paperline import read_paper_line
from enrich.text import allow_long_csv_fields
from enrich.urls import safe_url

_COLUMN_NAMES = {
    "title": ("title", "paper", "paper title"),
    "venue": ("venue", "conference", "booktitle", "journal"),
    "year": ("year",),
    "section": ("section", "sections", "category", "topic"),
    "url": ("url", "link"),
    "key": ("key", "citation key", "bibtex key"),
}


def parse_csv(text: str, file: str, this_year: int | None = None) -> ParsedItems:
    """One paper per row; header names are matched case-insensitively."""
    allow_long_csv_fields()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise InputError(file, f"has no CSV header row ({error})", line=1) from None
    columns = _find_columns(header, file)
    entries: list[Entry] = []
    warnings: list[ParseWarning] = []
    line = reader.line_num + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                entry, warning = _read_row(row, columns, file, line, this_year)
                entries.extend([entry] if entry else [])
                warnings.extend([warning] if warning else [])
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputError(file, f"is not valid CSV ({error})", line=line) from None
    return ParsedItems(tuple(entries), tuple(warnings))


def _find_columns(header: list[str], file: str) -> dict[str, int]:
    names = [name.strip().lower() for name in header]
    columns = {
        field: names.index(alias)
        for field, aliases in _COLUMN_NAMES.items()
        for alias in aliases
        if alias in names
    }
    if "title" not in columns:
        found = ", ".join(name for name in header if name.strip()) or "none"
        raise InputError(file, f"has no 'title' column (columns: {found})", line=1)
    return columns


def _read_row(
    row: list[str], columns: dict[str, int], file: str, line: int, this_year: int | None
) -> tuple[Entry | None, ParseWarning | None]:
    """The row's paper, and a warning when part of it could not be read."""

    def cell(field: str) -> str:
        index = columns.get(field)
        return row[index].strip() if index is not None and index < len(row) else ""

    section = cell("section")
    read = read_paper_line(cell("title"), file, line, section or None, this_year)
    if isinstance(read, ParseWarning):
        return None, read
    year_text = cell("year")
    warning = None
    if year_text and not (year_text.isdigit() and len(year_text) == 4):
        warning = ParseWarning(file, line, f"year {year_text!r} is not a 4-digit year; ignored")
        year_text = ""
    entry = replace(
        read,
        venue=cell("venue") or read.venue,
        year=int(year_text) if year_text else read.year,
        url=safe_url(cell("url")) or read.url,
        key=cell("key") or None,
    )
    return entry, warning
