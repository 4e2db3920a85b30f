"""DBLP's publication search: title in, candidates out.

DBLP matches every query word as a case-insensitive prefix and ANDs them, so one
misspelt or extra word loses the paper; `title_queries` therefore plans a few
relaxed queries, asked only while the previous one found nothing. The JSON it
answers has many small irregularities (apis.md §1.6); `parse_hits` absorbs them all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from enrich.http import Expect, ServiceError
from enrich.http.answers import describe
from enrich.models import Author, Candidate, Entry, EntryType, Identifiers
from enrich.text import fold_to_ascii

SEARCH_PATH = "/search/publ/api"

_NOT_WORD = re.compile(r"[\W_]+")
_TAG = re.compile(r"<[^>]+>")
_HOMONYM = re.compile(r"\s+\d{4}$")
_ARXIV_LINK = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_DOI_LINK = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)
_STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on"}
    | {"or", "over", "the", "through", "to", "towards", "via", "with", "without", "using"}
)
_RELAXED_WORDS = 3

HIT_TYPES: Mapping[str, str] = {
    "inproceedings": "Conference and Workshop Papers",
    "article": "Journal Articles",
    "proceedings": "Editorship",
    "book": "Books and Theses",
    "phdthesis": "Books and Theses",
    "mastersthesis": "Books and Theses",
    "incollection": "Parts in Books or Collections",
    "data": "Data and Artifacts",
}
"""DBLP's record element (its XML dump) -> the `type` its search sends for such a record."""
INFORMAL_TYPE = "Informal and Other Publications"
"""The `type` of a preprint (CoRR) or other informal record, whatever its element."""
_INFORMAL_TYPES = frozenset({INFORMAL_TYPE, "Informal Publications"})
_ENTRY_TYPES: Mapping[str, EntryType] = {
    HIT_TYPES[kind]: kind for kind in ("inproceedings", "article", "book", "incollection")
}


def query_words(text: str) -> list[str]:
    """Words DBLP can match: ASCII (a diacritic would switch DBLP to exact matching),
    lower case, punctuation (':' facets, '-' NOT, quotes, '$', '|') turned into spaces."""
    words = _NOT_WORD.sub(" ", fold_to_ascii(text.strip().rstrip("."))).split()
    return [word for word in words if len(word) > 1 or word.isdigit()]


def title_queries(title: str, year: int | None = None) -> list[str]:
    """The queries to try for a title, most specific first, without repeats.

    1. every word of the title;
    2. the part before the colon, usually the system's name ("Orca: ..."), which
       survives when the list rewords the subtitle;
    3. the longest (in practice rarest) words of the title, which survive a reworded
       or misspelt short word.
    A step asking for the same words as an earlier one is left out. With the label's
    `year`, a step of a few words (a system name, three long words) is first asked
    narrowed to that year give or take one ("orca 2021|2022|2023"): DBLP sends only
    the first `h` hits of a name it has hundreds of ("Nexus", "Orca"), and the paper
    need not be among them. When the narrowed step finds nothing (a year further off,
    or a service that does not match years), the bare step follows.
    """
    steps = [query_words(title)]
    head, colon, _ = title.partition(":")
    if colon:
        steps.append(query_words(head))
    content = [word for word in dict.fromkeys(steps[0]) if word not in _STOP_WORDS]
    steps.append(sorted(content, key=len, reverse=True)[:_RELAXED_WORDS])
    queries: list[str] = []
    seen: list[set[str]] = []
    for words in steps:
        if words and set(words) not in seen:
            seen.append(set(words))
            if year and len(words) <= _RELAXED_WORDS:
                queries.append(" ".join([*words, f"{year - 1}|{year}|{year + 1}"]))
            queries.append(" ".join(words))
    return queries


def first_found(entry: Entry, search: Callable[[str], list[Candidate]]) -> list[Candidate]:
    """What the first of `title_queries` that finds anything finds; [] when none does.

    One plan for every DBLP (the API, the local index), so both relax a query alike.
    """
    for query in title_queries(entry.title, entry.year):
        candidates = search(query)
        if candidates:
            return candidates
    return []


def _as_list(value: Any) -> list[Any]:
    """DBLP sends a bare value where a list holds one element; None is no element."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    """A DBLP scalar as a clean string (numbers arrive as strings, but be lenient)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    cleaned = html.unescape(_TAG.sub("", str(value))).strip()
    return cleaned or None


def as_int(value: Any) -> int | None:
    """A DBLP number (sent as a string) as an int; None when it is none."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def is_corr_key(key: str | None) -> bool:
    """CoRR (arXiv) records live under journals/corr/, whatever their key's shape (apis.md §1.6)."""
    return bool(key and key.startswith("journals/corr/"))


def without_homonym(name: str) -> str:
    """ "Wei Wang 0001" is DBLP's 1st Wei Wang; the number is not part of the name."""
    return _HOMONYM.sub("", name)


def parse_author(raw: Any) -> Author | None:
    """`{"@pid", "text"}` or a plain string; the homonym number goes, the pid stays."""
    name = _text(raw.get("text")) if isinstance(raw, dict) else _text(raw)
    if name is None:
        return None
    pid = _text(raw.get("@pid")) if isinstance(raw, dict) else None
    return Author(name=without_homonym(name), dblp_pid=pid)


def doi_from(doi: str | None, links: Sequence[str]) -> str | None:
    """The record's DOI: `doi` when it is a real one, else a doi.org link in `ee`."""
    if doi and doi.startswith("10."):
        return doi
    for link in links:
        found = _DOI_LINK.match(link)
        if found:
            return found.group(1)
    return None


def arxiv_id_from(volume: str | None, links: Sequence[str], doi: str | None) -> str | None:
    """arXiv id from a CoRR `volume: abs/<id>`, an arxiv.org link or an arXiv DOI."""
    if volume and volume.startswith("abs/"):
        return volume.removeprefix("abs/")
    for link in links:
        found = _ARXIV_LINK.search(link)
        if found:
            return found.group(1)
    found = _ARXIV_DOI.match(doi or "")
    return found.group(1) if found else None


def parse_hit(info: Mapping[str, Any]) -> Candidate | None:
    """One `hit.info` as a Candidate; None when it has no title (nothing to match on)."""
    title = _text(info.get("title"))
    if title is None:
        return None
    key = _text(info.get("key"))
    venues = [venue for venue in map(_text, _as_list(info.get("venue"))) if venue]
    venue = " and ".join(venues) or None
    links = tuple(link for link in map(_text, _as_list(info.get("ee"))) if link)
    volume = _text(info.get("volume"))
    doi = doi_from(_text(info.get("doi")), links)
    record_type = _text(info.get("type")) or ""
    is_corr = is_corr_key(key) or "CoRR" in venues
    is_preprint = is_corr or record_type in _INFORMAL_TYPES
    authors_field = info.get("authors")
    raw_authors = authors_field.get("author") if isinstance(authors_field, dict) else None
    return Candidate(
        source="dblp",
        title=title.removesuffix("."),
        authors=tuple(a for a in map(parse_author, _as_list(raw_authors)) if a is not None),
        year=as_int(info.get("year")),
        venue=venue,
        entry_type="misc" if is_preprint else _ENTRY_TYPES.get(record_type, "misc"),
        is_preprint=is_preprint,
        volume=volume,
        number=_text(info.get("number")),
        pages=_text(info.get("pages")),
        doi=doi,
        ids=Identifiers(dblp=key, arxiv=arxiv_id_from(volume, links, doi)),
        url=_text(info.get("url")) or (f"https://dblp.org/rec/{key}" if key else None),
        links=links,
    )


def answer_shape(payload: Any) -> str | None:
    """What keeps a search answer from being DBLP's envelope; None when it is one.

    `{"result": {"hits": {...}}}`, where `hits.hit`, when there (zero hits have none), is a
    list of hits or one bare hit (apis.md §1.6 #9, #10), each an object with an `info` object.
    """
    if not isinstance(payload, dict):
        return f"the answer is {describe(payload)}, not an object"
    result = payload.get("result")
    if not isinstance(result, dict):
        return f"result is {describe(result)}, not an object"
    hits = result.get("hits")
    if not isinstance(hits, dict):
        return f"result.hits is {describe(hits)}, not an object"
    if "hit" not in hits:
        return None
    hit = hits["hit"]
    if not isinstance(hit, list | dict):
        return f"result.hits.hit is {describe(hit)}, not a list of hits"
    for number, item in enumerate(_as_list(hit)):
        info = item.get("info") if isinstance(item, dict) else None
        if not isinstance(info, dict):
            what = f"its info is {describe(info)}" if isinstance(item, dict) else describe(item)
            return f"result.hits.hit[{number}] is not a hit with an info object ({what})"
    return None


SEARCH_ANSWER = Expect(shape=answer_shape, answers={})
"""A search answers 200 with DBLP's envelope; a 404 is a wrong URL, not "no hits"."""


def parse_hits(payload: Any) -> list[Candidate]:
    """Every hit of a search answer; [] when `hits` has no `hit` (zero results).

    Raises ServiceError when the body is not DBLP's envelope (answer_shape).
    """
    problem = answer_shape(payload)
    if problem is not None:
        raise ServiceError("dblp", f"the search answer is not DBLP's: {problem}")
    hits = payload["result"]["hits"]
    return [c for c in (parse_hit(hit["info"]) for hit in _as_list(hits.get("hit"))) if c]
