"""Values every output derives the same way from a record."""

from __future__ import annotations

from enrich.models import EnrichedRecord
from enrich.venues import is_preprint_venue


def title_of(record: EnrichedRecord) -> str:
    """The record's title, or the list's when no source gave one."""
    return record.title or record.entry.title


def author_names(record: EnrichedRecord) -> tuple[str, ...]:
    """Authors from the chosen record, else from the input (a .bib)."""
    return tuple(a.name for a in record.authors) or record.entry.authors


def year_of(record: EnrichedRecord) -> int | None:
    return record.year if record.year is not None else record.entry.year


def doi_url(record: EnrichedRecord) -> str | None:
    if record.urls.doi:
        return record.urls.doi
    return f"https://doi.org/{record.doi}" if record.doi else None


def arxiv_url(record: EnrichedRecord) -> str | None:
    if record.urls.arxiv:
        return record.urls.arxiv
    return f"https://arxiv.org/abs/{record.ids.arxiv}" if record.ids.arxiv else None


def primary_url(record: EnrichedRecord) -> str | None:
    """The one link to the paper: DOI, else the list's own link, arXiv, PDF, DBLP, S2."""
    candidates = (
        doi_url(record),
        record.entry.url,
        arxiv_url(record),
        record.urls.pdf,
        record.urls.dblp,
        record.urls.s2,
    )
    return next((url for url in candidates if url), None)


def is_arxiv_only(record: EnrichedRecord) -> bool:
    """True for a paper known only as a preprint (a CoRR/arXiv record)."""
    if not record.ids.arxiv:
        return False
    return record.entry_type == "misc" or is_preprint_venue(record.venue)


def venue_name(record: EnrichedRecord) -> str | None:
    """The venue's full name where known, else its short name, else the list's."""
    return record.venue_full or record.venue or record.entry.venue


def record_note(record: EnrichedRecord) -> str | None:
    """What a reader of the bibliography should know: match notes, an unsettled or kept record."""
    notes = list(record.match.notes)
    if record.match.status != "matched":
        notes.insert(0, f"enrich: {record.match.status}")
    if record.stale:
        notes.append("enrich: kept from a previous run")
    return "; ".join(notes) or None
