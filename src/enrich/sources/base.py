"""The one small interface every bibliographic source implements.

A source turns questions into `Candidate`s and nothing more: it asks its service
through the shared `HttpClient` (cache, retries, rate limits live there) and reads
the answer into the shared model. It never judges which candidate is right; that is
matching's job, one stage later.
"""

from __future__ import annotations

import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from enrich.errors import EnrichError
from enrich.http import HttpClient, ServiceError
from enrich.http.retry import describe_exception
from enrich.models import Candidate, Entry, Identifiers

log = logging.getLogger("enrich.sources")


class KnownPaper(Protocol):
    """What `Source.fetch` needs to know about a paper: its DOI and identifiers.

    A chosen `Candidate` and a previous `EnrichedRecord` both fit, so the pipeline
    passes whichever it holds.
    """

    @property
    def doi(self) -> str | None: ...

    @property
    def ids(self) -> Identifiers: ...


class PartialFetch(ServiceError):
    """`Source.fetch` answered for some papers only: one request of several failed.

    `results` holds what was had (None elsewhere) and `failed` the positions whose request
    failed, so a failure costs only its own papers.
    """

    def __init__(self, error: ServiceError, results: list[Candidate | None], failed: set[int]):
        super().__init__(error.service, error.reason, url=error.url, status=error.status)
        self.results = results
        self.failed = failed


class Source(ABC):
    """A bibliographic service seen through the shared HTTP client.

    Subclasses set `name` (the rate-limiter / service name, also `Candidate.source`)
    and implement `find` and `fetch`. Whatever else an answer provokes while a subclass
    reads it (a shape no one foresaw) leaves `find` and `fetch` as a ServiceError for that
    paper, never as a crash of the run: every subclass's two methods are wrapped so.
    """

    name: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for method in ("find", "fetch"):
            if method in cls.__dict__:
                setattr(cls, method, _answers_as_service_errors(cls.__dict__[method]))

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
        record or the paper carries no identifier this service understands. Raises
        PartialFetch when only some of its requests failed. A source with no lookup by
        identifier keeps this default.
        """
        return [None] * len(papers)


def _answers_as_service_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def guarded(self: Source, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except EnrichError:
            raise
        except Exception as error:
            log.debug("%s: an answer could not be read", self.name, exc_info=True)
            reason = f"an answer could not be read ({describe_exception(error)})"
            raise ServiceError(self.name, reason) from None

    return guarded


class SwitchedOff(Source):
    """A source the run was told not to ask (`--no-s2`): it has no candidates and no
    records, and makes no request."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.client = None  # type: ignore[assignment]
        self.base_url = ""

    def find(self, entry: Entry) -> list[Candidate]:
        return []
