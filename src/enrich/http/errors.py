"""What a failed request looks like to a source: one error class per way it can fail."""

from __future__ import annotations

import sqlite3

from enrich.errors import ConfigError, EnrichError, ExitCode

_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
"""SQLite's names for a file that is damaged or not a database at all (extended codes too)."""


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


class CacheUnusable(ConfigError):
    """The HTTP cache cannot be read or written: a damaged file, one that is not SQLite, ...

    A ConfigError (exit 2), deliberately not a ServiceError: it concerns every request of the
    run, so no lookup may take it for one paper's failure. The message names the file.
    """

    def __init__(self, where: str, error: sqlite3.Error) -> None:
        self.where = where
        self.damaged = getattr(error, "sqlite_errorname", "").startswith(_DAMAGE)
        if self.damaged:
            message = f"the HTTP cache {where} is damaged ({error}): delete it and run again"
        else:
            message = f"the HTTP cache {where} cannot be used ({error})"
        super().__init__(message)
