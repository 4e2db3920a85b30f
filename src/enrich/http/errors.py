"""What a failed request looks like to a source: one error class per way it can fail."""

from __future__ import annotations

from enrich.errors import EnrichError, ExitCode


class ServiceError(EnrichError):
    """A service did not give a usable JSON answer, even after retrying.

    Covers exhausted 429s, 5xx, timeouts, dropped connections, HTML where JSON was expected and
    4xx other than 404. The message names the service and the reason; it never holds the API key.
    """

    exit_code = ExitCode.UNREACHABLE

    def __init__(
        self, service: str, reason: str, *, url: str | None = None, status: int | None = None
    ) -> None:
        self.service = service
        self.reason = reason
        self.url = url
        self.status = status
        super().__init__(f"{service}: {reason}" + (f" ({url})" if url else ""))


class ServiceUnreachable(ServiceError):
    """The host cannot be connected to (DNS, refused, unreachable), or its circuit is open."""


class NotCached(ServiceError):
    """Offline mode, and the request is not in the cache: 'not cached', not a failure."""

    exit_code = ExitCode.INCOMPLETE
