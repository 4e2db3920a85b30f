"""The cached session: requests-cache over SQLite (default) or a backend named by URL.

What is cached: GET and POST (POST keyed on its body), for `cache_days`, only answers
(answers.py): a 200 of the shape its source reads, and the statuses its source declares
definitive (404; S2's batch 400 "No valid paper ids given"). An entry that is no longer an
answer (an older version stored it) is deleted when read. What is never stored or used in a
cache key: the S2 `x-api-key` header. A damaged cache file is a CacheUnusable, never a traceback.

How it is stored: as JSON data (requests-cache's cattrs stage, then `json`), never pickle, on
every backend, so whoever can write the cache can plant data but never code. A SQLite file
carries FORMAT in its `user_version`; a file without it (an older enrich's pickle cache) is set
aside unread and a new one started. Redis keeps JSON entries under their own namespace, so old
pickle entries are never read.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests_cache import CachedResponse, CachedSession
from requests_cache.backends import BaseCache, SQLiteCache
from requests_cache.policy import DEFAULT_IGNORED_PARAMS, CacheActions
from requests_cache.serializers import SerializerPipeline, Stage
from requests_cache.serializers.preconf import json_preconf_stage

from enrich.errors import ConfigError

from .answers import ANSWER_STATUSES, is_answer
from .config import backend_kind
from .errors import CacheUnusable
from .retry import describe_exception

log = logging.getLogger("enrich.http")

API_KEY_HEADER = "x-api-key"
CACHE_NAMESPACE = "enrich-http-json"
PICKLE_NAMESPACE = "enrich-http"  # where enrich kept pickled entries in Redis before
MAX_REDIRECTS = 5  # a service redirects once, if at all; the deadline covers the chain
FORMAT = 0x656E6A31  # SQLite user_version of an enrich cache of JSON data ("enj1")

JSON_SERIALIZER = SerializerPipeline(
    [json_preconf_stage, Stage(dumps=json.dumps, loads=json.loads)],
    name="enrich-json",
    is_binary=False,
)
"""Data only: requests-cache's JSON pipeline (bodies base64), without its indentation."""
_STALE_BECAUSE = "_enrich_stale_because"

# requests-cache compares header names case-sensitively when it redacts and builds keys, so the
# exact spelling the client sends must be listed, besides the library's own defaults.
SECRET_PARAMETERS = (*DEFAULT_IGNORED_PARAMS, API_KEY_HEADER)


def is_cacheable(response: requests.Response) -> bool:
    """requests-cache's filter: a status that could answer the request must be an answer.

    Other statuses must pass: a False here deletes the request's entry, and an error must
    not destroy the expired answer that may stand in for it.
    """
    return response.status_code not in ANSWER_STATUSES or is_answer(response)


def stale_because(response: requests.Response) -> str | None:
    """Why an expired entry answered: the service's failure; None for any other answer."""
    reason = response.__dict__.get(_STALE_BECAUSE)
    return reason if isinstance(reason, str) else None


class _SafeCacheMixin:
    """Serialises cache access between threads, scrubs the key from redirect history, and
    turns a damaged store into one CacheUnusable.

    requests-cache's SQLite backend shares one sqlite3 connection between all threads
    (check_same_thread=False), reads without its lock and keeps one "in a transaction" flag for
    all threads. That is only safe where SQLite is built serialized (sqlite3.threadsafety == 3, as
    here; an 8-thread stress test did not break it); in multi-thread builds (threadsafety 1) a
    connection must never be used by two threads at once. One lock around each cache operation
    (never held during network I/O) makes the client thread-safe on any build. requests-cache
    also redacts only the final request, not those of a redirect chain, which it stores too.
    Once SQLite has failed, every later operation fails at once without touching it: a write
    that failed mid-transaction would leave the next one waiting forever for its lock.
    """

    _access: threading.RLock
    _where: str
    _failed: sqlite3.Error | None

    def _init_guard(self, where: str) -> None:
        self._access = threading.RLock()
        self._where = where
        self._failed = None

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        with self._access:
            if self._failed is not None:
                raise CacheUnusable(self._where, self._failed)
            try:
                yield
            except sqlite3.Error as error:
                self._failed = error
                raise CacheUnusable(self._where, error) from None

    def get_response(self, key: str, default: Any = None) -> Any:
        with self._guarded():
            return super().get_response(key, default)  # type: ignore[misc]

    def save_response(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        for hop in (*response.history, response):
            if hop.request is not None and API_KEY_HEADER in hop.request.headers:
                hop.request.headers[API_KEY_HEADER] = "REDACTED"
        with self._guarded():
            super().save_response(response, *args, **kwargs)  # type: ignore[misc]

    def delete(self, *args: Any, **kwargs: Any) -> None:
        with self._guarded():
            super().delete(*args, **kwargs)  # type: ignore[misc]

    def clear(self) -> None:
        with self._guarded():
            super().clear()  # type: ignore[misc]


class SafeSQLiteCache(_SafeCacheMixin, SQLiteCache):
    def __init__(self, db_path: str, **kwargs: Any) -> None:
        self._init_guard(db_path)
        try:
            _set_aside_other_formats(Path(db_path))
            super().__init__(db_path, serializer=JSON_SERIALIZER, **kwargs)
            with closing(sqlite3.connect(db_path)) as db:
                db.execute(f"PRAGMA user_version = {FORMAT}")
        except sqlite3.Error as error:
            raise CacheUnusable(db_path, error) from None


def _set_aside_other_formats(file: Path) -> None:
    """Rename a cache file that holds tables but not FORMAT: it is never read.

    Such a file was written with requests-cache's default pickle serializer, and unpickling
    runs whatever code an entry names.
    """
    if not file.is_file() or file.stat().st_size == 0:
        return
    with closing(sqlite3.connect(f"file:{file}?mode=ro", uri=True)) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    if version == FORMAT or not tables[0]:
        return
    aside = file.with_name(file.name + ".pickle-old")
    number = 1
    while aside.exists():
        number += 1
        aside = file.with_name(f"{file.name}.pickle-old{number}")
    try:
        file.rename(aside)
        for suffix in ("-wal", "-shm"):
            file.with_name(file.name + suffix).unlink(missing_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot set aside the old HTTP cache {file}: {error}") from None
    log.warning(
        "the HTTP cache %s is in an older format that can run code when read: "
        "set aside unread as %s, and a new cache started",
        file,
        aside.name,
    )


class SafeMemoryCache(_SafeCacheMixin, BaseCache):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._init_guard("memory://")


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
            self._init_guard(url)

    connection = Redis.from_url(url)
    if next(connection.scan_iter(match=f"{PICKLE_NAMESPACE}:*", count=100), None) is not None:
        log.warning(
            "the cache %s holds entries of an older format that can run code when read "
            "(keys %s:*): they are never read; new entries go under %s:*",
            url,
            PICKLE_NAMESPACE,
            CACHE_NAMESPACE,
        )
    return SafeRedisCache(
        namespace=CACHE_NAMESPACE, connection=connection, serializer=JSON_SERIALIZER
    )


def make_backend(cache_backend: str | None, cache_path: Any) -> BaseCache:
    """The cache store named by configuration: SQLite at `cache_path` unless a URL says otherwise.

    Accepted: None or "sqlite" (the file at cache_path), "sqlite:///abs/path.sqlite",
    "redis://host:port/db" / "rediss://..." (shared team cache), "memory://" (this process only).
    """
    spec = (cache_backend or "sqlite").strip()
    scheme = backend_kind(spec)
    if scheme == "sqlite":
        path = spec.split("://", 1)[1] if "://" in spec else str(cache_path)
        if not path:
            raise ConfigError(f"cache backend {spec!r} names no file")
        file = Path(path).expanduser()
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot use {file} as the HTTP cache: {exc}") from None
        return SafeSQLiteCache(str(file))
    if scheme in ("redis", "rediss", "unix"):
        return _redis_cache(spec)
    return SafeMemoryCache()


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

    def _handle_error(self, cached_response: CachedResponse, actions: CacheActions) -> Any:
        """stale-if-error, quietly: the expired entry answers, marked with why the service
        failed (the client counts it), where requests-cache would log a warning with a stack
        trace for each. Re-raised instead: a cache failure, and an entry that is no answer.

        Called by requests-cache while it handles the failure, so the failure is current.
        """
        failure = sys.exc_info()[1]
        usable = actions.is_usable(cached_response, error=True) and is_answer(cached_response)
        if isinstance(failure, CacheUnusable) or not usable:
            raise
        reason = describe_exception(failure) if failure is not None else "the request failed"
        cached_response.__dict__[_STALE_BECAUSE] = reason
        return cached_response


def build_session(
    *,
    backend: BaseCache,
    cache_days: int,
    offline: bool,
    adapter: HTTPAdapter,
    user_agent: str,
) -> KeySafeSession:
    """A CachedSession whose network traffic goes through `adapter`."""
    session = KeySafeSession(
        backend=backend,
        expire_after=timedelta(days=cache_days),
        allowable_codes=ANSWER_STATUSES,
        allowable_methods=("GET", "POST"),
        ignored_parameters=SECRET_PARAMETERS,
        match_headers=False,
        filter_fn=is_cacheable,
        # Offline: answer from the cache only, expired entries included; never connect.
        only_if_cached=offline,
        # When a service fails, an expired cached answer is better than none.
        stale_if_error=True,
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = "application/json"
    # Only the encodings whose decompression urllib3 bounds per read (limits.read_capped).
    session.headers["Accept-Encoding"] = "gzip, deflate"
    session.max_redirects = MAX_REDIRECTS
    return session
