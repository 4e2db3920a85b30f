"""The cached session: requests-cache over SQLite (default) or a backend named by URL.

What is cached: GET and POST (POST keyed on its body), status 200 and 404 with a JSON body, for
`cache_days`. What is never stored or used in a cache key: the S2 `x-api-key` header.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from requests_cache import CachedSession
from requests_cache.backends import BaseCache, SQLiteCache
from requests_cache.policy import DEFAULT_IGNORED_PARAMS

from enrich.errors import ConfigError

from .transport import GuardedAdapter

API_KEY_HEADER = "x-api-key"
CACHEABLE_STATUS = (200, 404)
CACHE_NAMESPACE = "enrich-http"
_DECODED = "_enrich_decoded_json"

# requests-cache compares header names case-sensitively when it redacts and builds keys, so the
# exact spelling the client sends must be listed, besides the library's own defaults.
SECRET_PARAMETERS = (*DEFAULT_IGNORED_PARAMS, API_KEY_HEADER)


BIBTEX_ACCEPT = "application/x-bibtex, text/x-bibtex;q=0.9, text/plain;q=0.5"
"""What a request for a BibTeX export sends as Accept; the cache recognises it by this."""


def wants_bibtex(response: requests.Response) -> bool:
    request = response.request
    return request is not None and request.headers.get("Accept") == BIBTEX_ACCEPT


def looks_like_bibtex(response: requests.Response) -> bool:
    """A BibTeX body: not an HTML error or bot-check page, and starting with an entry."""
    content_type = response.headers.get("Content-Type", "").lower()
    if "html" in content_type:
        return False
    return response.content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"@"


def looks_like_json(response: requests.Response) -> bool:
    """A JSON body, judged by content type and first byte (DBLP's 429/bot-check pages are HTML)."""
    content_type = response.headers.get("Content-Type", "").lower()
    if "html" in content_type or "xml" in content_type:
        return False
    return response.content.lstrip()[:1] in (b"{", b"[")


def decode_json(response: requests.Response) -> tuple[bool, Any]:
    """(True, data) for a JSON body, (False, None) for anything else.

    Decoded once per response: requests-cache runs the cache filter twice on each answer
    (fresh or cached) and the client then reads it, and a 500-paper S2 batch is ~60 KB.
    """
    known = response.__dict__.get(_DECODED)
    if known is not None:
        return known
    decoded: tuple[bool, Any] = (False, None)
    if looks_like_json(response):
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            decoded = (True, response.json())
    response.__dict__[_DECODED] = decoded
    return decoded


def is_usable(response: requests.Response) -> bool:
    """The body is of the kind asked for: BibTeX for an export (a 404 is "no such record",
    whatever its page says), JSON for everything else."""
    if wants_bibtex(response):
        return response.status_code == 404 or looks_like_bibtex(response)
    return decode_json(response)[0]


def _cache_filter(response: requests.Response) -> bool:
    """Keep only usable answers. Other statuses must pass: a False here deletes the cached entry."""
    return response.status_code not in CACHEABLE_STATUS or is_usable(response)


class _SafeCacheMixin:
    """Serialises cache access between threads and scrubs the key from redirect history.

    requests-cache's SQLite backend shares one sqlite3 connection between all threads
    (check_same_thread=False), reads without its lock and keeps one "in a transaction" flag for
    all threads. That is only safe where SQLite is built serialized (sqlite3.threadsafety == 3, as
    here; an 8-thread stress test did not break it); in multi-thread builds (threadsafety 1) a
    connection must never be used by two threads at once. One lock around each cache operation
    (never held during network I/O) makes the client thread-safe on any build. requests-cache
    also redacts only the final request, not those of a redirect chain, which it stores too.
    """

    _access: threading.RLock

    def _init_lock(self) -> None:
        self._access = threading.RLock()

    def get_response(self, key: str, default: Any = None) -> Any:
        with self._access:
            return super().get_response(key, default)  # type: ignore[misc]

    def save_response(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        for hop in (*response.history, response):
            if hop.request is not None and API_KEY_HEADER in hop.request.headers:
                hop.request.headers[API_KEY_HEADER] = "REDACTED"
        with self._access:
            super().save_response(response, *args, **kwargs)  # type: ignore[misc]

    def delete(self, *args: Any, **kwargs: Any) -> None:
        with self._access:
            super().delete(*args, **kwargs)  # type: ignore[misc]

    def clear(self) -> None:
        with self._access:
            super().clear()  # type: ignore[misc]


class SafeSQLiteCache(_SafeCacheMixin, SQLiteCache):
    def __init__(self, db_path: str, **kwargs: Any) -> None:
        super().__init__(db_path, **kwargs)
        self._init_lock()


class SafeMemoryCache(_SafeCacheMixin, BaseCache):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._init_lock()


def _redis_cache(url: str) -> BaseCache:
    try:
        from redis import Redis
        from requests_cache.backends import RedisCache
    except ImportError:
        raise ConfigError(
            f"cache backend {url!r} needs the redis package: pip install 'enrich[redis]'"
        ) from None

    class SafeRedisCache(_SafeCacheMixin, RedisCache):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._init_lock()

    return SafeRedisCache(namespace=CACHE_NAMESPACE, connection=Redis.from_url(url))


def make_backend(cache_backend: str | None, cache_path: Any) -> BaseCache:
    """The cache store named by configuration: SQLite at `cache_path` unless a URL says otherwise.

    Accepted: None or "sqlite" (the file at cache_path), "sqlite:///abs/path.sqlite",
    "redis://host:port/db" / "rediss://..." (shared team cache), "memory://" (this process only).
    """
    spec = (cache_backend or "sqlite").strip()
    scheme = urlsplit(spec).scheme.lower() if "://" in spec else spec.lower()
    if scheme == "sqlite":
        path = spec.split("://", 1)[1] if "://" in spec else str(cache_path)
        if not path:
            raise ConfigError(f"cache backend {spec!r} names no file")
        file = Path(path).expanduser()
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            return SafeSQLiteCache(str(file))
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot use {file} as the HTTP cache: {exc}") from None
    if scheme in ("redis", "rediss", "unix"):
        return _redis_cache(spec)
    if scheme == "memory":
        return SafeMemoryCache()
    raise ConfigError(
        f"unknown cache backend {spec!r}: use a SQLite path, redis://host:port or memory://"
    )


class KeySafeSession(CachedSession):
    """A CachedSession that drops the API key when a redirect leaves the host it was meant for.

    requests itself strips only the Authorization header on such redirects. It also reads
    the proxy and CA-bundle environment once per host instead of once per request: requests
    scans every environment variable each time, a third of what a cache hit costs.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._environment: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._environment_lock = threading.Lock()

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        parts = urlsplit(str(url))
        key = (parts.scheme, parts.netloc, repr(proxies), stream, verify, cert)
        with self._environment_lock:
            known = self._environment.get(key)
        if known is None:
            known = super().merge_environment_settings(url, proxies, stream, verify, cert)
            with self._environment_lock:
                self._environment[key] = known
        return {**known, "proxies": dict(known["proxies"])}

    def rebuild_auth(self, prepared_request: Any, response: Any) -> None:
        super().rebuild_auth(prepared_request, response)
        if self.should_strip_auth(response.request.url, prepared_request.url):
            prepared_request.headers.pop(API_KEY_HEADER, None)


def build_session(
    *,
    backend: BaseCache,
    cache_days: int,
    offline: bool,
    adapter: GuardedAdapter,
    user_agent: str,
) -> KeySafeSession:
    """A CachedSession whose network traffic goes through `adapter`."""
    session = KeySafeSession(
        backend=backend,
        expire_after=timedelta(days=cache_days),
        allowable_codes=CACHEABLE_STATUS,
        allowable_methods=("GET", "POST"),
        ignored_parameters=SECRET_PARAMETERS,
        match_headers=False,
        filter_fn=_cache_filter,
        # Offline: answer from the cache only, expired entries included; never connect.
        only_if_cached=offline,
        # When a service fails, an expired cached answer is better than none.
        stale_if_error=True,
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = "application/json"
    return session
