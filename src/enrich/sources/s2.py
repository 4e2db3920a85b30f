"""Semantic Scholar (Academic Graph v1): batch lookup by identifier, title search.

Papers already identified (by DBLP) are fetched in as few calls as the batch
endpoint allows; only a paper S2 cannot be asked about by identifier costs a title
lookup of its own. A paper found by title brings its DOI, arXiv id and DBLP key
along in `externalIds`, so S2 alone can stand in for DBLP when DBLP is down.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from enrich.http import HttpClient, ServiceError
from enrich.models import Author, Candidate, Entry, EntryType, Identifiers
from enrich.sources.base import KnownPaper, PartialFetch, Source
from enrich.text import page_range
from enrich.venues import is_preprint_venue

DEFAULT_URL = "https://api.semanticscholar.org"
GRAPH = "/graph/v1"
BATCH_LIMIT = 500
"""The documented maximum number of ids in one POST /paper/batch."""
NO_VALID_IDS = "No valid paper ids given"
"""S2's 400 for a batch none of whose ids it knows (../shared/fixtures/real-responses)."""
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


def paper_id(paper: KnownPaper, dblp_ids: bool = False) -> str | None:
    """The batch id to ask S2 by, most direct first; None when S2 cannot be asked.

    `DBLP:` is not a documented id type (apis.md §2.3), so it is used only on request.
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
    if dblp_ids and ids.dblp:
        return f"DBLP:{ids.dblp}"
    return None


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
        dblp_ids: bool = False,
    ) -> None:
        super().__init__(client, base_url)
        if not 1 <= batch_size <= BATCH_LIMIT:
            raise ValueError(f"batch_size must be 1..{BATCH_LIMIT}, not {batch_size}")
        self.batch_size = batch_size
        self.fields = ",".join((*FIELDS, "abstract") if abstracts else FIELDS)
        self.search_limit = search_limit
        self.dblp_ids = dblp_ids

    def find(self, entry: Entry) -> list[Candidate]:
        """The title match; when S2 has none, the first few relevance-search hits."""
        query = title_query(entry.title)
        if not query:
            return []
        params = {"query": query, "fields": self.fields}
        reply = self.client.get_json(self.name, self._url("/paper/search/match"), params)
        if reply.status == 200:
            return self._papers(reply.data)
        # The client answers only 200 or 404: a 404 is "Title match not found".
        reply = self.client.get_json(
            self.name, self._url("/paper/search"), {**params, "limit": self.search_limit}
        )
        if reply.status != 200:
            raise ServiceError(
                "s2", f"HTTP {reply.status} from the paper search", status=reply.status
            )
        return self._papers(reply.data)

    def fetch(self, papers: Sequence[KnownPaper]) -> list[Candidate | None]:
        """One POST /paper/batch per `batch_size` askable papers; papers without an
        identifier S2 understands are not sent and come back None.

        `DBLP:` ids travel in batches of their own: should S2 refuse them (400), only
        those papers come back None, and no more are sent for the rest of the run.
        """
        results: list[Candidate | None] = [None] * len(papers)
        wanted = [(i, paper_id(p, self.dblp_ids)) for i, p in enumerate(papers)]
        askable = [(i, pid) for i, pid in wanted if pid is not None]
        documented = [(i, pid) for i, pid in askable if not pid.startswith("DBLP:")]
        by_dblp_key = [(i, pid) for i, pid in askable if pid.startswith("DBLP:")]
        failure: ServiceError | None = None
        failed: set[int] = set()
        for group in (documented, by_dblp_key):
            for start in range(0, len(group), self.batch_size):
                if group is by_dblp_key and not self.dblp_ids:
                    break  # refused earlier in this run
                chunk = group[start : start + self.batch_size]
                try:
                    answers = self._ask(chunk)
                except ServiceError as error:  # one batch failing costs only its papers
                    failure = error
                    failed.update(i for i, _ in chunk)
                    continue
                for i, raw in zip((i for i, _ in chunk), answers, strict=True):
                    results[i] = parse_paper(raw)
        if failure is not None:
            raise PartialFetch(failure, results, failed)
        return results

    def _ask(self, chunk: list[tuple[int, str]]) -> list[Any]:
        """One batch; S2's 400 "No valid paper ids given" (it knows none of them) is an
        answer, every id unknown, not a failure."""
        ids = [pid for _, pid in chunk]
        try:
            return self._batch(ids)
        except ServiceError as error:
            if error.status != 400:
                raise
            if ids[0].startswith("DBLP:"):
                self.dblp_ids = False  # S2 does not take DBLP keys: stop offering them
            elif NO_VALID_IDS not in error.reason:
                raise
            return [None] * len(ids)

    def _batch(self, ids: list[str]) -> list[Any]:
        reply = self.client.post_json(
            self.name, self._url("/paper/batch"), {"ids": ids}, {"fields": self.fields}
        )
        if reply.status != 200 or not isinstance(reply.data, list) or len(reply.data) != len(ids):
            raise ServiceError(
                "s2", f"the batch answer does not hold one entry per id ({len(ids)} sent)"
            )
        return reply.data

    def _papers(self, payload: Any) -> list[Candidate]:
        """`data` of a match or search answer; zero-result searches omit `data`."""
        data = payload.get("data") if isinstance(payload, Mapping) else None
        papers = (parse_paper(raw) for raw in (data or []))
        return [paper for paper in papers if paper is not None]

    def _url(self, path: str) -> str:
        return f"{self.base_url}{GRAPH}{path}"
