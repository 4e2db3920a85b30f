"""The CSL-JSON output: the format Zotero, pandoc and citeproc read.

Every value is one a citation style may print, so nothing of the tool's own
(match status, notes, paths) goes in an item: those stay in the JSON and CSV.
A preprint carries arXiv's citation data only (publisher "arXiv", number
"arXiv:<id>", the DOI): DBLP files it in the CoRR "journal" with a volume such
as "abs/1802.05799", which APA would print as "Vol. Abs/1802.05799".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from enrich.emit.fields import (
    BooktitleStyle,
    author_names,
    container_title,
    doi_of,
    is_arxiv_only,
    primary_url,
    short_venue,
    title_of,
    year_of,
)
from enrich.emit.names import split_name
from enrich.models import EnrichedRecord
from enrich.text import clean_text, page_range

_CSL_TYPES = {
    "inproceedings": "paper-conference",
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "misc": "article",
}


def csl_type(record: EnrichedRecord) -> str:
    """The CSL type; a preprint is "article" (CSL's type for unpublished papers)."""
    return "article" if is_arxiv_only(record) else _CSL_TYPES[record.entry_type]


def csl_name(name: str) -> dict[str, str]:
    parts = split_name(name)
    if not parts.given:
        return {"literal": parts.family}
    person = {"family": parts.family, "given": parts.given}
    if parts.suffix:
        person["suffix"] = parts.suffix
    return person


def _text(value: str | None) -> str | None:
    return (clean_text(value) or None) if value else None


def _published(record: EnrichedRecord, booktitle: BooktitleStyle) -> dict[str, Any]:
    """Where a published paper appeared: container, event, series, volume, pages.

    The acronym is the event's title only beside a full proceedings title: beside
    "SOSP" or "SOSP '23" APA would print it twice ("SOSP. SOSP.").
    """
    container = _text(container_title(record, booktitle))
    conference = record.entry_type == "inproceedings" and booktitle == "full"
    event = _text(short_venue(record)) if conference else None
    return {
        "container-title": container,
        "event-title": event if event != container else None,
        "collection-title": _text(record.series),
        "editor": [csl_name(n) for n in record.editors],
        "volume": _text(record.volume),
        "issue": _text(record.number),
        "page": _text(page_range(record.pages)),  # CSL ranges use one hyphen
        "publisher": _text(record.publisher),
    }


def csl_item(record: EnrichedRecord, booktitle: BooktitleStyle = "full") -> dict[str, Any]:
    """One record as a CSL-JSON item; absent values are left out, as CSL expects."""
    year = year_of(record)
    item: dict[str, Any] = {
        "id": record.key,
        "type": csl_type(record),
        "title": clean_text(title_of(record)),
        "author": [csl_name(n) for n in author_names(record)],
        "issued": {"date-parts": [[year]]} if year is not None else None,
    }
    if is_arxiv_only(record):
        item |= {"publisher": "arXiv", "number": f"arXiv:{record.ids.arxiv}"}
    else:
        item |= _published(record, booktitle)
    item |= {
        "DOI": doi_of(record),
        "URL": primary_url(record),
        "keyword": ", ".join(record.entry.sections) or None,
    }
    return {name: value for name, value in item.items() if value not in (None, [])}


def to_csl_json(records: Sequence[EnrichedRecord], *, booktitle: BooktitleStyle = "full") -> str:
    """The CSL-JSON text: a list of items in the records' order.

    `booktitle="short"` names a conference paper's container "SOSP '23", as the .bib does.
    """
    items = [csl_item(r, booktitle) for r in records]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
