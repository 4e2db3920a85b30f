"""Where a person checks a record or looks for a paper: DBLP, doi.org, Semantic Scholar.

Every link is built here from an identifier or a title, percent-encoded, on a fixed https
host, so no value from a list or a service can become a `javascript:` link, break out of
a Markdown link or a table cell.
"""

from __future__ import annotations

from urllib.parse import quote, quote_plus

from enrich.models import Alternative, EnrichedRecord

DBLP_REC = "https://dblp.org/rec/"
DOI_ORG = "https://doi.org/"
S2_PAPER = "https://www.semanticscholar.org/paper/"
DBLP_SEARCH = "https://dblp.org/search?q="
S2_SEARCH = "https://www.semanticscholar.org/search?q="

Link = tuple[str, str]
"""(text, url): the text is one of ours ("DBLP", "DOI"), never a value."""


def record_links(record: EnrichedRecord) -> list[Link]:
    """The chosen record at DBLP, doi.org and Semantic Scholar, where it has those ids."""
    return _links(record.ids.dblp, record.doi, record.ids.s2)


def alternative_links(alt: Alternative) -> list[Link]:
    """A candidate at DBLP and doi.org, where it has those ids."""
    return _links(alt.dblp_key, alt.doi, None)


def search_links(title: str) -> list[Link]:
    """A search for the title at DBLP and at Semantic Scholar."""
    query = quote_plus(title, safe="")
    return [("DBLP", DBLP_SEARCH + query), ("Semantic Scholar", S2_SEARCH + query)]


def markdown_links(links: list[Link]) -> str:
    """The links as Markdown, "[DBLP](https://...) · [DOI](https://...)"."""
    return " · ".join(f"[{text}]({url})" for text, url in links)


def _links(dblp: str | None, doi: str | None, s2: str | None) -> list[Link]:
    links: list[Link] = []
    if dblp:
        links.append(("DBLP", DBLP_REC + quote(dblp, safe="/")))
    if doi:
        links.append(("DOI", DOI_ORG + quote(doi, safe="/")))
    if s2:
        links.append(("Semantic Scholar", S2_PAPER + quote(s2, safe="")))
    return links
