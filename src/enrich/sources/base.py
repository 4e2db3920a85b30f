"""The one small interface every bibliographic source implements.

A source turns questions into `Candidate`s and nothing more: it asks its service
through the shared `HttpClient` (cache, retries, rate limits live there) and reads
the answer into the shared model. It never judges which candidate is right; that is
matching's job, one stage later.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from enrich.http import HttpClient
from enrich.models import Candidate, Entry, Identifiers


class KnownPaper(Protocol):
    """What `Source.fetch` needs to know about a paper: its DOI and identifiers.

    A chosen `Candidate` and a previous `EnrichedRecord` both fit, so the pipeline
    passes whichever it holds.
    """

    @property
    def doi(self) -> str | None: ...

    @property
    def ids(self) -> Identifiers: ...


class Source(ABC):
    """A bibliographic service seen through the shared HTTP client.

    Subclasses set `name` (the rate-limiter / service name, also `Candidate.source`)
    and implement `find` and `fetch`.
    """

    name: str

    def __init__(self, client: HttpClient, base_url: str) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")

    @abstractmethod
    def find(self, entry: Entry) -> list[Candidate]:
        """Candidates for an entry, looked up by its title; [] when the service has none.

        Raises `enrich.http.ServiceError` when the service cannot answer; an empty list
        always means "asked, and nothing was there".
        """

    def fetch(self, papers: Sequence[KnownPaper]) -> list[Candidate | None]:
        """The service's records for papers already identified, in the order given.

        Position i of the result answers papers[i]; None where the service has no
        record or the paper carries no identifier this service understands. A source
        with no lookup by identifier (DBLP documents none) keeps this default.
        """
        return [None] * len(papers)
