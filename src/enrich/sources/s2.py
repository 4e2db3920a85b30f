"""Semantic Scholar (Academic Graph v1): batch lookup by identifier, title search.

Papers already identified (by DBLP) are fetched in as few calls as the batch
endpoint allows; only a paper S2 cannot be asked about by a documented identifier
(one known by its DBLP key alone: S2 does not resolve `DBLP:` ids, apis.md §2.3)
costs a title lookup of its own. A paper found by title brings its DOI, arXiv id and
DBLP key along in `externalIds`, so S2 alone can stand in for DBLP when DBLP is down.
Each request declares the answer it can read (enrich.http.Expect): anything else is
a failure, retried and never cached, rather than "S2 knows nothing".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from enrich.http import Expect, HttpClient, ServiceError
from enrich.http.answers import any_body, describe, not_objects
from enrich.models import Author, Candidate, Entry, EntryType, Identifiers
from enrich.sources.base import KnownPaper, PartialFetch, Source
from enrich.text import page_range
from enrich.venues import is_preprint_venue

DEFAULT_URL = "https://api.semanticscholar.org"
GRAPH = "/graph/v1"
BATCH_LIMIT = 500
"""The documented maximum number of ids in one POST /paper/batch."""
NO_VALID_IDS = "No valid paper ids given"
"""S2's 400 for a batch none of whose ids it knows (apis.md §2.3)."""
FIELDS = (
    "paperId",
    "corpusId",
    "externalIds",
    "url",
    "title",
    "venue",
    "year",
    "authors",
    "openAccessPdf",
    "citationCount",
    "publicationTypes",
    "publicationVenue",
    "journal",
)
_PUNCTUATION = re.compile(r"[^\w\s]+|_")


def title_query(title: str) -> str:
    """S2's search finds nothing for hyphenated terms and stumbles on a trailing dot."""
    return " ".join(_PUNCTUATION.sub(" ", title.strip().rstrip(".")).split())


def paper_id(paper: KnownPaper) -> str | None:
    """The batch id to ask S2 by, most direct first; None when S2 cannot be asked.

    Never `DBLP:`: it is not a documented id type and S2 does not resolve it (apis.md §2.3).
    """
    ids = paper.ids
    if ids.s2:
        return ids.s2
    if ids.corpus_id is not None:
        return f"CorpusId:{ids.corpus_id}"
    if paper.doi:
        return f"DOI:{paper.doi}"
    if ids.arxiv:
        return f"ARXIV:{ids.arxiv}"
    return None


def batch_shape(data: Any, sent: int) -> str | None:
    """What keeps a batch answer from being one paper object or null per id sent, in order."""
    if not isinstance(data, list):
        return f"the batch answer is {describe(data)}, not a list"
    if len(data) != sent:
        return f"the batch answer holds {len(data)} entries for the {sent} ids sent"
    return not_objects(data, "the batch answer", nulls=True)


def knows_none(body: Any) -> bool:
    """S2's 400 "No valid paper ids given": none of the batch's ids is known, an answer."""
    return isinstance(body, Mapping) and NO_VALID_IDS in str(body.get("error") or "")


def papers_shape(payload: Any, required: bool) -> str | None:
    """What keeps a match (`required`: one `data` list) or search answer (a zero-result search
    has no `data`, apis.md §2.5) from being an object with a list of paper objects."""
    if not isinstance(payload, dict):
        return f"the answer is {describe(payload)}, not an object"
    if "data" not in payload and not required:
        return None
    data = payload.get("data")
    if not isinstance(data, list):
        return f"data is {describe(data)}, not a list"
    return not_objects(data, "data")


MATCH_ANSWER = Expect(shape=partial(papers_shape, required=True), answers={404: any_body})
"""The title match: one paper, or 404 "Title match not found"."""
SEARCH_ANSWER = Expect(shape=partial(papers_shape, required=False), answers={})
"""The relevance search: a 200 only; a 404 there is a wrong URL, not "no paper"."""


def batch_answer(sent: int) -> Expect:
    """A batch of `sent` ids: one entry per id, or the 400 saying S2 knows none of them."""
    return Expect(shape=partial(batch_shape, sent=sent), answers={400: knows_none})


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> str | None:
    return (str(value).strip() or None) if value is not None else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _kind(raw: Mapping[str, Any], preprint: bool) -> EntryType:
    """The BibTeX type S2's `publicationTypes` imply: a conference paper is never @misc.

    S2 lists several types for one paper (a SIGMOD paper: JournalArticle, Book, Conference);
    Conference wins, as the venue is a conference.
    """
    types = raw.get("publicationTypes") if isinstance(raw.get("publicationTypes"), list) else []
    if preprint:
        return "misc"
    if "Conference" in types:
        return "inproceedings"
    if "JournalArticle" in types:
        return "article"
    return "misc"


def parse_paper(raw: Any) -> Candidate | None:
    """One S2 paper object as a Candidate; None for a batch `null` or a paper without title."""
    if not isinstance(raw, dict) or not _str(raw.get("title")):
        return None
    external = _dict(raw.get("externalIds"))
    doi = _str(external.get("DOI"))
    venue = _str(raw.get("venue"))
    pdf = _dict(raw.get("openAccessPdf"))
    journal = _dict(raw.get("journal"))
    journal_name = _str(journal.get("name"))
    preprint = is_preprint_venue(venue) or is_preprint_venue(journal_name)
    entry_type = _kind(raw, preprint)
    # S2 names the container in publicationVenue, or only in journal (a SIGMOD paper's
    # "journal" is its proceedings); an article's journal is the more specific name.
    venue_name = _str(_dict(raw.get("publicationVenue")).get("name"))
    container = (
        (journal_name or venue_name) if entry_type == "article" else (venue_name or journal_name)
    )
    authors = raw.get("authors") if isinstance(raw.get("authors"), list) else []
    return Candidate(
        source="s2",
        title=str(raw["title"]).strip(),
        authors=tuple(
            Author(name=str(a["name"]).strip(), s2_id=_str(a.get("authorId")))
            for a in authors
            if isinstance(a, dict) and _str(a.get("name"))
        ),
        year=_int(raw.get("year")),
        venue=venue,
        venue_full=None if preprint else container,
        entry_type=entry_type,
        is_preprint=preprint,
        volume=None if preprint else _str(journal.get("volume")),
        pages=None if preprint else page_range(_str(journal.get("pages"))),
        doi=doi if doi and doi.startswith("10.") else None,
        ids=Identifiers(
            dblp=_str(external.get("DBLP")),
            s2=_str(raw.get("paperId")),
            corpus_id=_int(raw.get("corpusId") or external.get("CorpusId")),
            arxiv=_str(external.get("ArXiv")),
        ),
        url=_str(raw.get("url")),
        pdf_url=_str(pdf.get("url")),
        citation_count=_int(raw.get("citationCount")),
        abstract=_str(raw.get("abstract")),
    )


class S2Source(Source):
    """Semantic Scholar's paper batch, title match and relevance search."""

    name = "s2"

    def __init__(
        self,
        client: HttpClient,
        base_url: str = DEFAULT_URL,
        batch_size: int = BATCH_LIMIT,
        abstracts: bool = False,
        search_limit: int = 5,
    ) -> None:
        super().__init__(client, base_url)
        if not 1 <= batch_size <= BATCH_LIMIT:
            raise ValueError(f"batch_size must be 1..{BATCH_LIMIT}, not {batch_size}")
        self.batch_size = batch_size
        self.fields = ",".join((*FIELDS, "abstract") if abstracts else FIELDS)
        self.search_limit = search_limit

    def find(self, entry: Entry) -> list[Candidate]:
        """The title match; when S2 has none, the first few relevance-search hits."""
        query = title_query(entry.title)
        if not query:
            return []
        params = {"query": query, "fields": self.fields}
        url = self._url("/paper/search/match")
        reply = self.client.get_json(self.name, url, params, expect=MATCH_ANSWER)
        if reply.status == 200:
            return self._papers(reply.data)
        # 404, "Title match not found": the first few relevance-search hits instead.
        search = {**params, "limit": self.search_limit}
        reply = self.client.get_json(
            self.name, self._url("/paper/search"), search, expect=SEARCH_ANSWER
        )
        return self._papers(reply.data)

    def fetch(self, papers: Sequence[KnownPaper]) -> list[Candidate | None]:
        """One POST /paper/batch per `batch_size` askable papers; papers without an
        identifier S2 understands are not sent and come back None."""
        results: list[Candidate | None] = [None] * len(papers)
        wanted = [(i, paper_id(p)) for i, p in enumerate(papers)]
        askable = [(i, pid) for i, pid in wanted if pid is not None]
        failure: ServiceError | None = None
        failed: set[int] = set()
        for start in range(0, len(askable), self.batch_size):
            chunk = askable[start : start + self.batch_size]
            try:
                answers = self._batch([pid for _, pid in chunk])
            except ServiceError as error:  # one batch failing costs only its papers
                failure = error
                failed.update(i for i, _ in chunk)
                continue
            for (i, _), raw in zip(chunk, answers, strict=True):
                results[i] = parse_paper(raw)
        if failure is not None:
            raise PartialFetch(failure, results, failed)
        return results

    def _batch(self, ids: list[str]) -> list[Any]:
        """One batch's entries; S2's 400 "No valid paper ids given" (it knows none of them)
        is an answer, every id unknown, cached like one."""
        reply = self.client.post_json(
            self.name,
            self._url("/paper/batch"),
            {"ids": ids},
            {"fields": self.fields},
            expect=batch_answer(len(ids)),
        )
        return reply.data if reply.status == 200 else [None] * len(ids)

    def _papers(self, payload: Mapping[str, Any]) -> list[Candidate]:
        """`data` of a match or search answer; zero-result searches omit `data`."""
        papers = (parse_paper(raw) for raw in payload.get("data") or [])
        return [paper for paper in papers if paper is not None]

    def _url(self, path: str) -> str:
        return f"{self.base_url}{GRAPH}{path}"
