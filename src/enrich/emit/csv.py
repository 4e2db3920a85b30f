"""The spreadsheet output: one row per paper, written with pandas.

UTF-8 with a byte-order mark, because Excel reads a BOM-less CSV as the local
8-bit code page and shows μ as "Î¼". Line breaks inside a cell are replaced with
spaces so every paper is exactly one line, and numbers are typed columns, so
"2023" is never "2023.0". arXiv ids are written "arXiv:2309.06180" (arXiv's own
citation form): a bare 2309.06180 is read by every spreadsheet as the number
2309.0618, losing the id.

Formulas are neutralised: a text cell that begins with "=", "+", "-", "@", a tab
or a carriage return gets a leading apostrophe, as OWASP advises against CSV
injection. Otherwise a title such as `=HYPERLINK("...")` from a service becomes a
live formula when the file is opened in Excel or LibreOffice. Only text cells
are touched (numbers stay numbers), and the JSON output keeps the raw value.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from enrich.emit.fields import (
    BooktitleStyle,
    author_names,
    container_title,
    primary_url,
    short_venue,
    title_of,
    year_of,
)
from enrich.models import EnrichedRecord
from enrich.text import clean_text

COLUMNS = (
    "key",
    "title",
    "authors",
    "year",
    "venue",
    "venue_full",
    "container",
    "publisher",
    "series",
    "volume",
    "number",
    "pages",
    "editors",
    "type",
    "doi",
    "url",
    "published_url",
    "dblp_url",
    "s2_url",
    "pdf_url",
    "arxiv_id",
    "citation_count",
    "sections",
    "list_title",
    "list_label",
    "status",
    "score",
    "notes",
)
_INTEGER_COLUMNS = ("year", "citation_count")
_SEPARATOR = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell, with a leading apostrophe if a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _text(value: str | None) -> str | None:
    return clean_text(value) if value else None


def _joined(values: Sequence[str]) -> str | None:
    return _SEPARATOR.join(clean_text(v) for v in values) or None


def csv_row(record: EnrichedRecord, booktitle: BooktitleStyle = "full") -> dict[str, object]:
    """One record as a CSV row (column -> value), text cells already neutralised."""
    row: dict[str, object] = {
        "key": record.key,
        "title": _text(title_of(record)),
        "authors": _joined(author_names(record)),
        "year": year_of(record),
        "venue": _text(short_venue(record)),
        "venue_full": _text(record.venue_full),
        "container": _text(container_title(record, booktitle)),
        "publisher": _text(record.publisher),
        "series": _text(record.series),
        "volume": _text(record.volume),
        "number": _text(record.number),
        "pages": _text(record.pages),
        "editors": _joined(record.editors),
        "type": record.entry_type,
        "doi": _text(record.doi),
        "url": _text(primary_url(record)),
        "published_url": _text(record.urls.published),
        "dblp_url": _text(record.urls.dblp),
        "s2_url": _text(record.urls.s2),
        "pdf_url": _text(record.urls.pdf),
        "arxiv_id": f"arXiv:{clean_text(record.ids.arxiv)}" if record.ids.arxiv else None,
        "citation_count": record.citation_count,
        "sections": _joined(record.entry.sections),
        "list_title": _text(record.entry.title),
        "list_label": _text(record.entry.label),
        "status": record.match.status,
        "score": record.match.score,
        "notes": _joined(record.match.notes),
    }
    return {name: neutralise(v) if isinstance(v, str) else v for name, v in row.items()}


def to_csv(records: Sequence[EnrichedRecord], *, booktitle: BooktitleStyle = "full") -> bytes:
    """The CSV file's bytes (UTF-8 with BOM, "\\n" line ends).

    `booktitle` names the container as the .bib does, so both outputs agree.
    """
    frame = pd.DataFrame([csv_row(r, booktitle) for r in records], columns=list(COLUMNS))
    for column in _INTEGER_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    text = frame.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")
