"""DBLP: the publication search finds a paper's record, the record export completes it.

search.py plans the queries and reads the search answers; export.py reads the standard
BibTeX export of one record. `DblpSource` asks both through the shared HTTP client,
falling back across DBLP's mirrors when one host keeps failing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from enrich.http import HttpClient, NotCached, ServiceError
from enrich.models import Candidate, Entry
from enrich.sources.base import KnownPaper, Source
from enrich.sources.dblp.export import STANDARD_FORMAT, export_path, parse_export
from enrich.sources.dblp.search import (
    SEARCH_ANSWER,
    SEARCH_PATH,
    first_found,
    is_corr_key,
    parse_author,
    parse_hit,
    parse_hits,
    query_words,
    title_queries,
)

DEFAULT_URL = "https://dblp.org"
MIRRORS = ("https://dblp.org", "https://dblp.uni-trier.de", "https://dblp.dagstuhl.de")

__all__ = [
    "DEFAULT_URL",
    "MIRRORS",
    "SEARCH_PATH",
    "DblpSource",
    "parse_author",
    "parse_export",
    "parse_hit",
    "parse_hits",
    "query_words",
    "title_queries",
]


class DblpSource(Source):
    """DBLP's publication search and record export, with fallback across its mirrors."""

    name = "dblp"

    def __init__(
        self,
        client: HttpClient,
        base_url: str = DEFAULT_URL,
        mirrors: Sequence[str] | None = None,
        hits: int = 10,
    ) -> None:
        """`mirrors` defaults to DBLP's public hosts for the public base, else to none."""
        super().__init__(client, base_url)
        if mirrors is None:
            mirrors = MIRRORS if self.base_url in MIRRORS else ()
        others = [m.rstrip("/") for m in mirrors if m.rstrip("/") != self.base_url]
        self.bases = [self.base_url, *others]
        self.hits = hits
        self._bases_lock = threading.Lock()

    def find(self, entry: Entry) -> list[Candidate]:
        return first_found(entry, self.search)

    def search(self, query: str) -> list[Candidate]:
        """One publication search; tries the next host when one keeps failing."""
        params = {"q": query, "format": "json", "h": self.hits, "c": 0}
        reply = self._ask(
            lambda base: self.client.get_json(
                self.name, base + SEARCH_PATH, params, expect=SEARCH_ANSWER
            )
        )
        return parse_hits(reply.data)

    def fetch(self, papers: Sequence[KnownPaper]) -> list[Candidate | None]:
        """Each paper's complete record from DBLP's export, one request per DBLP key.

        None for a paper without a DBLP key, for a CoRR record (its search hit already
        holds all a preprint has) and for a key DBLP does not know (404).
        """
        return [self.export(paper.ids.dblp) if paper.ids.dblp else None for paper in papers]

    def export(self, key: str) -> Candidate | None:
        """The standard BibTeX export of one record, read into a Candidate."""
        if is_corr_key(key):
            return None
        path = export_path(key)
        reply = self._ask(
            lambda base: self.client.get_bibtex(self.name, base + path, STANDARD_FORMAT)
        )
        return parse_export(reply.text, key) if reply.status == 200 else None

    def _ask(self, call: Callable[[str], Any]) -> Any:
        """`call(base)` on the first base that answers; a base that failed moves to the back,
        so one long outage costs one failed attempt, not one per query. Offline, every
        base's cache is looked at: an earlier run may have been answered by a mirror."""
        failure: ServiceError | None = None
        with self._bases_lock:
            bases = list(self.bases)
        for base in bases:
            try:
                return call(base)
            except NotCached as error:
                failure = error
            except ServiceError as error:
                failure = error
                self._demote(base)
        assert failure is not None
        raise failure

    def _demote(self, base: str) -> None:
        with self._bases_lock:
            if base in self.bases:
                self.bases.remove(base)
                self.bases.append(base)
