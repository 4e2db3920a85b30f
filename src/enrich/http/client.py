"""HttpClient: the one way sources talk to a web service (cache, limits, retries, breaker)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests_cache import CachedResponse
from tenacity import RetryCallState, Retrying, stop_after_attempt

from enrich.errors import EnrichError
from enrich.urls import host_of, shown_url

from .answers import (
    ANSWER_STATUSES,
    ANYTHING,
    BIBTEX_ACCEPT,
    Expect,
    UnsoundAnswer,
    body_problem,
    decode_json,
    expecting,
    is_answer,
    wants_bibtex,
)
from .breaker import CircuitBreaker, CircuitOpenError
from .cache import API_KEY_HEADER, build_session, is_cacheable, make_backend, stale_because
from .config import HttpConfig
from .errors import NotCached, ServiceError, ServiceUnreachable
from .limits import Deadline
from .ratelimit import Clock, RateLimiters, Sleep
from .retry import (
    RETRYABLE_STATUS,
    backoff_seconds,
    describe_exception,
    is_connect_failure,
    is_retryable_exception,
    parse_retry_after,
)
from .stats import HttpStats, StatsRecorder
from .transport import GuardedAdapter, calling_service

log = logging.getLogger("enrich.http")

Params = Mapping[str, str | int] | None
_MAX_DETAIL = 160


@dataclass(frozen=True)
class JsonReply:
    """An answer: a 200 of the shape the source expects, or a status it declared definitive
    (404 "not found" unless it said otherwise), cached like a result."""

    status: int
    data: Any
    from_cache: bool


@dataclass(frozen=True)
class TextReply:
    """A usable text answer: 200 with a body of the kind asked for, or 404 (not there)."""

    status: int
    text: str
    from_cache: bool


class HttpClient:
    """Shared by every source and every worker thread of a run.

    `clock` and `sleep` drive the rate limiters and retry waits; tests inject fakes. Without an
    injected `sleep`, a thread waiting for a rate-limit slot is woken when a slot is given back.
    """

    def __init__(
        self,
        config: HttpConfig,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
    ) -> None:
        self.config = config
        self._sleep = sleep or time.sleep
        self._stats = StatsRecorder()
        self._breaker = CircuitBreaker(config.breaker_threshold)
        self._limiters = RateLimiters(config.rate_for, clock=clock, sleep=sleep)
        adapter = GuardedAdapter(
            breaker=self._breaker,
            limiters=self._limiters,
            stats=self._stats,
            offline=config.offline,
            retry_after=self._retry_after,
            deadline=config.deadline,
            max_answer_bytes=config.max_answer_bytes,
        )
        self._session = build_session(
            backend=make_backend(config.cache_backend, config.cache_path),
            cache_days=config.cache_days,
            offline=config.offline,
            adapter=adapter,
            user_agent=config.user_agent,
        )
        self._refreshed: set[str] = set()
        self._refreshed_lock = threading.Lock()

    def get_json(
        self, service: str, url: str, params: Params = None, expect: Expect = ANYTHING
    ) -> JsonReply:
        """GET a JSON answer; anything `expect` does not accept is a ServiceError, uncached."""
        return self._call(service, "GET", url, params=params, expect=expect)

    def post_json(
        self, service: str, url: str, body: Any, params: Params = None, expect: Expect = ANYTHING
    ) -> JsonReply:
        """POST `body` as JSON; the answer is cached under the URL and the body."""
        return self._call(service, "POST", url, params=params, body=body, expect=expect)

    def get_bibtex(self, service: str, url: str, params: Params = None) -> TextReply:
        """GET a BibTeX export; an HTML page where BibTeX was asked for is a ServiceError."""
        reply = self._call(service, "GET", url, params=params, accept=BIBTEX_ACCEPT)
        return TextReply(status=reply.status, text=reply.data, from_cache=reply.from_cache)

    @property
    def stats(self) -> HttpStats:
        return self._stats.snapshot(self._breaker.open_hosts)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(
        self,
        service: str,
        method: str,
        url: str,
        *,
        params: Params,
        body: Any = None,
        accept: str | None = None,
        expect: Expect = ANYTHING,
    ) -> JsonReply:
        headers = {"Accept": accept} if accept else {}
        if service == "s2" and self.config.s2_api_key:
            headers[API_KEY_HEADER] = self.config.s2_api_key
        request_kwargs: dict[str, Any] = {
            "params": dict(params) if params else None,
            "headers": headers,
            "timeout": (self.config.connect_timeout, self.config.read_timeout),
        }
        if method == "POST":
            request_kwargs["json"] = body
        if self.config.refresh and not self.config.offline:
            request_kwargs.update(self._refresh_mode(method, url, request_kwargs))
        try:
            with calling_service(service), expecting(expect):
                response = self._send_with_retries(service, method, url, request_kwargs)
                return self._reply(service, url, response)
        except ServiceError as error:
            self._stats.add("not_cached" if isinstance(error, NotCached) else "failures", service)
            raise
        except EnrichError:
            raise  # the cache or the configuration: every request's problem, not this one's
        except Exception as error:
            # Whatever else an answer can provoke (a malformed redirect, an odd encoding) ends
            # this lookup, never the run.
            log.debug("%s: %s failed", service, shown_url(url), exc_info=True)
            self._stats.add("failures", service)
            reason = self._redact(describe_exception(error))
            raise ServiceError(service, reason, url=shown_url(url)) from None

    def _refresh_mode(self, method: str, url: str, request_kwargs: dict[str, Any]) -> dict:
        """--refresh: revalidate each distinct request once per run.

        requests-cache's own `refresh` only revalidates entries that carry an ETag or
        Last-Modified; an entry without validators is fetched again instead.
        """
        prepared = self._session.prepare_request(
            requests.Request(
                method,
                url,
                params=request_kwargs["params"],
                json=request_kwargs.get("json"),
                headers=request_kwargs["headers"],
            )
        )
        key = self._session.cache.create_key(prepared)
        with self._refreshed_lock:
            if key in self._refreshed:
                return {}
            self._refreshed.add(key)
        cached = self._session.cache.get_response(key)
        if cached is not None and ("ETag" in cached.headers or "Last-Modified" in cached.headers):
            return {"refresh": True}
        return {"force_refresh": True}

    def _send_with_retries(
        self, service: str, method: str, url: str, request_kwargs: dict[str, Any]
    ) -> requests.Response:
        host = host_of(url)

        def should_retry(state: RetryCallState) -> bool:
            # Offline, a miss is requests-cache's 504: asking again cannot change it.
            if state.outcome is None or self.config.offline or self._breaker.is_open(host):
                return False
            if state.outcome.failed:
                return is_retryable_exception(state.outcome.exception())
            return state.outcome.result().status_code in RETRYABLE_STATUS

        def wait(state: RetryCallState) -> float:
            outcome = state.outcome
            if outcome is not None and not outcome.failed:
                retry_after = self._retry_after(outcome.result())
                if retry_after is not None:
                    return retry_after
            pause = backoff_seconds(
                state.attempt_number, self.config.backoff_initial, self.config.backoff_max
            )
            if outcome is not None and outcome.failed and is_connect_failure(outcome.exception()):
                # Nothing reached the service, so there is no load to back off from: a short
                # pause rides out a blip, and an unreachable host soon opens its circuit.
                pause = min(pause, self.config.connect_retry_pause)
            return pause

        def before_sleep(state: RetryCallState) -> None:
            self._stats.add("retries", service)
            outcome = state.outcome
            if outcome is None:
                return
            if outcome.failed:
                reason = describe_exception(outcome.exception())
            else:
                reason = f"HTTP {outcome.result().status_code}"
            seconds = state.next_action.sleep if state.next_action else 0.0
            log.debug(
                "%s: %s; attempt %d of %d in %.1f s",
                service,
                reason,
                state.attempt_number + 1,
                self.config.attempts,
                seconds,
            )

        def attempt() -> requests.Response:
            with Deadline(self.config.deadline).running():
                return asked()

        def asked() -> requests.Response:
            try:
                response = self._session.request(method, url, **request_kwargs)
            except requests.exceptions.HTTPError as exc:
                # requests-cache raises an error status when no expired entry can stand in
                # for it: judged here like any other status.
                if exc.response is None:
                    raise
                return exc.response
            if getattr(response, "from_cache", False) and not is_cacheable(response):
                # An entry that is no answer (an older version stored it): the cache filter
                # has just deleted it, so asking again asks the service.
                response = self._session.request(method, url, **request_kwargs)
            return response

        retrying = Retrying(
            stop=stop_after_attempt(self.config.attempts),
            wait=wait,
            retry=should_retry,
            before_sleep=before_sleep,
            sleep=self._sleep,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        try:
            return retrying(attempt)
        except CircuitOpenError as exc:
            raise ServiceUnreachable(service, str(exc), url=shown_url(url)) from None
        except UnsoundAnswer as exc:
            reason = self._redact(self._explain(exc.response))
            raise ServiceError(service, reason, url=shown_url(url), status=exc.status) from None
        except requests.exceptions.RequestException as exc:
            reason = self._redact(describe_exception(exc))
            if is_connect_failure(exc):
                raise ServiceUnreachable(service, f"{host}: {reason}", url=shown_url(url)) from None
            raise ServiceError(service, reason, url=shown_url(url)) from None

    def _reply(self, service: str, url: str, response: requests.Response) -> JsonReply:
        from_cache = bool(getattr(response, "from_cache", False))
        status = response.status_code
        log.debug(
            "%s %s %s -> %d%s",
            service,
            response.request.method if response.request else "GET",
            self._redact(response.url or url),
            status,
            " (cache)" if from_cache else "",
        )
        if self.config.offline and status == 504 and isinstance(response, CachedResponse):
            raise NotCached(service, "not in the cache (offline mode)", url=shown_url(url))
        if not is_answer(response):
            raise ServiceError(
                service, self._redact(self._explain(response)), url=shown_url(url), status=status
            )
        if from_cache:
            self._stats.add("cache_hits", service)
        stale = stale_because(response)
        if stale is not None:
            self._stats.add_stale(service, stale)
        if wants_bibtex(response):
            text = response.content.decode("utf-8", "replace") if status == 200 else ""
            return JsonReply(status=status, data=text, from_cache=from_cache)
        return JsonReply(status=status, data=decode_json(response)[1], from_cache=from_cache)

    def _explain(self, response: requests.Response) -> str:
        """Why `response` is no answer, in one line; call it in the request's `expecting`."""
        status = response.status_code
        label = f"HTTP {status} {response.reason or ''}".strip()
        attempts = self.config.attempts
        after = f" after {attempts} attempt{'s' if attempts > 1 else ''}"
        problem = body_problem(response) if status in ANSWER_STATUSES else None
        if problem is not None:
            return f"{label} {problem}" + (f" ({after.strip()})" if status == 200 else "")
        if status in RETRYABLE_STATUS:
            if status == 429:
                return f"rate limited ({label}){after}"
            return f"{label}{after}"
        detail = _error_detail(response)
        explained = f"{label}: {detail}" if detail else label
        sent_key = response.request is not None and API_KEY_HEADER in response.request.headers
        if status == 403 and sent_key:
            return f"{explained} (is S2_API_KEY right?)"
        return explained

    def _retry_after(self, response: requests.Response) -> float | None:
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is None:
            return None
        return min(seconds, self.config.max_retry_after)

    def _redact(self, text: str) -> str:
        key = self.config.s2_api_key
        return text.replace(key, "***") if key else text


def _error_detail(response: requests.Response) -> str:
    """The service's own error text from a JSON error body (S2: {"error": ...}), shortened."""
    is_json, body = decode_json(response)
    if not is_json:
        return ""
    if isinstance(body, Mapping):
        for field in ("error", "message"):
            if isinstance(body.get(field), str):
                return body[field][:_MAX_DETAIL]
    return json.dumps(body)[:_MAX_DETAIL]
