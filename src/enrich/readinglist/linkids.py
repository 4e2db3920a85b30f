"""The identifiers a link gives: a DOI or an arXiv id, only where the URL says so plainly.

Most lists link each paper to arxiv.org, doi.org or the ACM Digital Library; those links
name the paper exactly, so resolving can start from them instead of the title. A URL is
read only when its form is unambiguous (arxiv.org/abs/<id>, doi.org/10.x/..., a
publisher's /doi/10.x/... page); any other link (IEEE Xplore's document numbers,
OpenReview, a PDF on a lab's site) gives nothing rather than a guess.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True, slots=True)
class LinkIds:
    """What one link (or all of an item's links) identifies."""

    doi: str | None = None
    """A bare DOI, "10." first, as the link spells it."""
    arxiv: str | None = None
    """An arXiv id without its version: "1706.03762", "cs/0112017"."""


_ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z.\-]*/\d{7})"
_ARXIV_PATH = re.compile(
    rf"^/(?:abs|pdf|html|format|ps)/(?P<id>{_ARXIV_ID})(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_HUGGINGFACE_PATH = re.compile(r"^/papers/(?P<id>\d{4}\.\d{4,5})(?:v\d+)?/?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PATH = re.compile(
    r"^/doi/(?:(?:abs|full|pdf|epdf|pdfdirect|fullHtml|book|reader|suppl)/)?"
    r"(?P<doi>10\.\d{4,9}/.+)$",
    re.IGNORECASE,
)
_SPRINGER_PATH = re.compile(
    r"^/(?:article|chapter|book|content/pdf)/(?P<doi>10\.\d{4,9}/.+?)(?:\.pdf)?$"
)
_ARXIV_DOI = re.compile(rf"^10\.48550/arxiv\.(?P<id>{_ARXIV_ID})(?:v\d+)?$", re.IGNORECASE)
_IDS_IN_TEXT = re.compile(
    rf"\barXiv:\s*(?P<arxiv>{_ARXIV_ID})(?:v\d+)?|\bdoi:\s*(?P<doi>10\.\d{{4,9}}/[^\s\"<>]+)",
    re.IGNORECASE,
)
_DOI_TRAILING = ".,;:'\""
_CLOSING = {")": "(", "]": "[", "}": "{"}


@functools.lru_cache(maxsize=1024)
def identifiers_from_url(url: str) -> LinkIds:
    """The DOI or arXiv id a URL names unambiguously, or an empty LinkIds (cached: an
    item's links are asked for ids, for the best url and for what they point at)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return LinkIds()
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = unquote(parts.path)
    if host.endswith("arxiv.org") or host == "ar5iv.org":
        match = _ARXIV_PATH.match(path)
        return LinkIds(arxiv=match.group("id")) if match else LinkIds()
    if host == "huggingface.co":
        match = _HUGGINGFACE_PATH.match(path)
        return LinkIds(arxiv=match.group("id")) if match else LinkIds()
    if host in ("doi.org", "dx.doi.org"):
        return _doi(path[1:])
    if host == "link.springer.com":
        match = _SPRINGER_PATH.match(path)
        return _doi(match.group("doi")) if match else LinkIds()
    match = _DOI_PATH.match(path)
    return _doi(match.group("doi")) if match else LinkIds()


def identifiers_in_text(text: str) -> LinkIds:
    """Ids written out in an item's text: "arXiv:1503.02531", "doi:10.1145/..."."""
    match = _IDS_IN_TEXT.search(text)
    if not match:
        return LinkIds()
    if match.group("arxiv"):
        return LinkIds(arxiv=match.group("arxiv"))
    return _doi(match.group("doi"))


def _doi(text: str) -> LinkIds:
    doi = _without_trailing_punctuation(text.strip()).rstrip("/")
    if not _DOI.match(doi):
        return LinkIds()
    arxiv = _ARXIV_DOI.match(doi)
    return LinkIds(doi=doi, arxiv=arxiv.group("id") if arxiv else None)


def _without_trailing_punctuation(doi: str) -> str:
    """A DOI without the sentence's punctuation after it; a closing bracket stays when
    the DOI itself opened it."""
    while doi:
        last = doi[-1]
        if last in _DOI_TRAILING or (
            last in _CLOSING and doi.count(_CLOSING[last]) < doi.count(last)
        ):
            doi = doi[:-1]
        else:
            break
    return doi


def agreed(found: list[LinkIds]) -> LinkIds:
    """One DOI and one arXiv id for an item: each only if its links do not disagree."""
    dois = {ids.doi.lower(): ids.doi for ids in found if ids.doi}
    arxivs = {ids.arxiv for ids in found if ids.arxiv}
    return LinkIds(
        doi=next(iter(dois.values())) if len(dois) == 1 else None,
        arxiv=next(iter(arxivs)) if len(arxivs) == 1 else None,
    )
