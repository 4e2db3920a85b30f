"""The CSL-JSON output: the format Zotero, pandoc and citeproc read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from enrich.emit.fields import (
    author_names,
    container_title,
    is_arxiv_only,
    primary_url,
    title_of,
    year_of,
)
from enrich.emit.latex import clean_text
from enrich.emit.names import split_name
from enrich.models import EnrichedRecord

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


def csl_item(record: EnrichedRecord) -> dict[str, Any]:
    """One record as a CSL-JSON item; absent values are left out, as CSL expects."""
    year = year_of(record)
    preprint = is_arxiv_only(record)
    item: dict[str, Any] = {
        "id": record.key,
        "type": csl_type(record),
        "title": clean_text(title_of(record)),
        "author": [csl_name(n) for n in author_names(record)],
        "issued": {"date-parts": [[year]]} if year is not None else None,
        "container-title": None if preprint else container_title(record),
        "volume": record.volume,
        "issue": record.number,
        "page": record.pages,
        "publisher": "arXiv" if preprint else record.publisher,
        "number": f"arXiv:{record.ids.arxiv}" if preprint else None,
        "DOI": record.doi,
        "URL": primary_url(record),
        "keyword": ", ".join(record.entry.sections) or None,
    }
    return {name: value for name, value in item.items() if value not in (None, [])}


def to_csl_json(records: Sequence[EnrichedRecord]) -> str:
    """The CSL-JSON text: a list of items in the records' order."""
    return json.dumps([csl_item(r) for r in records], ensure_ascii=False, indent=2) + "\n"
