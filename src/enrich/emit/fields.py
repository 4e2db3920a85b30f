"""Values every output derives the same way from a record.

One rule per idea, shared by BibTeX, CSV and CSL-JSON: which link is the paper's, what
the container is called, when a paper counts as a preprint. None of them carries the
tool's own words (match notes, statuses, paths): those stay in the JSON, the CSV's
`notes` column and the review report, never in a field a citation style prints.
"""

from __future__ import annotations

from typing import Literal

from enrich.models import EnrichedRecord
from enrich.urls import safe_url
from enrich.venues import is_preprint_venue

BooktitleStyle = Literal["full", "short"]
"""How a conference is named in the .bib: DBLP's proceedings title, or "SOSP '23"."""
BOOKTITLE_STYLES: tuple[BooktitleStyle, ...] = ("full", "short")

ARXIV_DOI_PREFIX = "10.48550/arXiv."
"""arXiv registers a DataCite DOI for every paper: 10.48550/arXiv.<id>."""


def title_of(record: EnrichedRecord) -> str:
    """The record's title, or the list's when no source gave one."""
    return record.title or record.entry.title


def author_names(record: EnrichedRecord) -> tuple[str, ...]:
    """Authors from the chosen record, else from the input (a .bib)."""
    return tuple(a.name for a in record.authors) or record.entry.authors


def year_of(record: EnrichedRecord) -> int | None:
    return record.year if record.year is not None else record.entry.year


def is_arxiv_only(record: EnrichedRecord) -> bool:
    """True for a paper known only as a preprint (a CoRR/arXiv record)."""
    if not record.ids.arxiv:
        return False
    return record.entry_type == "misc" or is_preprint_venue(record.venue)


def arxiv_doi(record: EnrichedRecord) -> str | None:
    """The DOI an arXiv-only paper is cited by: its own, else arXiv's DataCite DOI."""
    if not is_arxiv_only(record) or not record.ids.arxiv:
        return None
    return record.doi or f"{ARXIV_DOI_PREFIX}{record.ids.arxiv}"


def doi_of(record: EnrichedRecord) -> str | None:
    """The DOI to print: the record's, or for an arXiv-only paper arXiv's."""
    return arxiv_doi(record) or record.doi


def primary_url(record: EnrichedRecord) -> str | None:
    """The one link to the paper, the published version's page first.

    The DOI link; else the publisher's page DBLP lists (USENIX, PMLR, NeurIPS); an arXiv
    link only for a paper that is arXiv-only; else the list's own link. Never a metadata
    page (DBLP, Semantic Scholar): those are `biburl` and the JSON's `urls`. Only an
    absolute http(s) link is ever given.
    """
    if record.doi:
        url = record.urls.doi or f"https://doi.org/{record.doi}"
    elif record.urls.published:
        url = record.urls.published
    elif is_arxiv_only(record):
        url = record.urls.arxiv or f"https://arxiv.org/abs/{record.ids.arxiv}"
    else:
        url = record.entry.url
    return safe_url(url)


def short_venue(record: EnrichedRecord) -> str | None:
    """The venue's acronym, from the record, else from the list's label."""
    return record.venue or record.entry.venue


def short_booktitle(record: EnrichedRecord) -> str | None:
    """The acronym and two-digit year, as authors under a page limit write it: "SOSP '23"."""
    venue, year = short_venue(record), year_of(record)
    if not venue:
        return None
    return f"{venue} '{year % 100:02d}" if year is not None else venue


def container_title(record: EnrichedRecord, style: BooktitleStyle = "full") -> str | None:
    """What the paper appeared in: the proceedings or journal title, else the acronym.

    `style="short"` names a conference by acronym and year instead; journals keep their
    full name either way (a style abbreviates journals itself).
    """
    if style == "short" and record.entry_type in ("inproceedings", "incollection"):
        return short_booktitle(record)
    return record.venue_full or short_venue(record)
