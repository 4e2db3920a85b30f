"""The spreadsheet output: one row per paper, written with pandas.

UTF-8 with a byte-order mark, because Excel reads a BOM-less CSV as the local
8-bit code page and shows μ as "Î¼". Line breaks inside a cell are replaced with
spaces so every paper is exactly one line, and numbers are typed columns, so
"2023" is never "2023.0". arXiv ids are written "arXiv:2309.06180" (arXiv's own
citation form): a bare 2309.06180 is read by every spreadsheet as the number
2309.0618, losing the id.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from enrich.emit.fields import (
    author_names,
    primary_url,
    title_of,
    year_of,
)
from enrich.emit.latex import clean_text
from enrich.models import EnrichedRecord

COLUMNS = (
    "key",
    "title",
    "authors",
    "year",
    "venue",
    "venue_full",
    "type",
    "doi",
    "url",
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


def _text(value: str | None) -> str | None:
    return clean_text(value) if value else None


def csv_row(record: EnrichedRecord) -> dict[str, object]:
    """One record as a CSV row (column -> value)."""
    return {
        "key": record.key,
        "title": _text(title_of(record)),
        "authors": _SEPARATOR.join(clean_text(n) for n in author_names(record)) or None,
        "year": year_of(record),
        "venue": _text(record.venue or record.entry.venue),
        "venue_full": _text(record.venue_full),
        "type": record.entry_type,
        "doi": _text(record.doi),
        "url": _text(primary_url(record)),
        "dblp_url": _text(record.urls.dblp),
        "s2_url": _text(record.urls.s2),
        "pdf_url": _text(record.urls.pdf),
        "arxiv_id": f"arXiv:{clean_text(record.ids.arxiv)}" if record.ids.arxiv else None,
        "citation_count": record.citation_count,
        "sections": _SEPARATOR.join(clean_text(s) for s in record.entry.sections) or None,
        "list_title": _text(record.entry.title),
        "list_label": _text(record.entry.label),
        "status": record.match.status,
        "score": record.match.score,
        "notes": _SEPARATOR.join(clean_text(n) for n in record.match.notes) or None,
    }


def to_csv(records: Sequence[EnrichedRecord]) -> bytes:
    """The CSV file's bytes (UTF-8 with BOM, "\\n" line ends)."""
    frame = pd.DataFrame([csv_row(r) for r in records], columns=list(COLUMNS))
    for column in _INTEGER_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    text = frame.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")
