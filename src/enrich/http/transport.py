"""The one place where a request really leaves the process.

requests-cache calls the transport adapter only when it must go to the network, so putting the
circuit breaker and the rate limiter here means cache hits never wait and never count as requests,
while revalidations and retries do. An answer of the wrong kind is refused here too, before
requests-cache can store it or prefer it to an expired entry that could still answer, and so
is one over the size cap or past the deadline (limits.py): neither is ever cached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import requests

from enrich.urls import host_of

from .answers import refuse_unsound
from .breaker import CircuitBreaker, CircuitOpenError
from .limits import BoundedAdapter, Deadline, DeadlineExceeded, current_deadline, read_capped
from .ratelimit import RateLimiters
from .retry import describe_exception, is_certificate_failure, is_connect_failure
from .stats import StatsRecorder

_current = threading.local()


@contextmanager
def calling_service(service: str) -> Iterator[None]:
    """Name the service whose limiter the requests made in this block (this thread) use."""
    previous = getattr(_current, "service", None)
    _current.service = service
    try:
        yield
    finally:
        _current.service = previous


class OfflineViolation(requests.exceptions.RequestException):
    """A request reached the network in offline mode (the cache settings should prevent it)."""


class GuardedAdapter(BoundedAdapter):
    """HTTPAdapter that consults the circuit breaker and the service's rate limiter first,
    and reads each answer within `deadline` seconds and `max_answer_bytes`."""

    def __init__(
        self,
        *,
        breaker: CircuitBreaker,
        limiters: RateLimiters,
        stats: StatsRecorder,
        offline: bool,
        retry_after: Callable[[requests.Response], float | None],
        deadline: float,
        max_answer_bytes: int,
    ) -> None:
        super().__init__()
        self._breaker = breaker
        self._limiters = limiters
        self._stats = stats
        self._offline = offline
        self._retry_after = retry_after
        self._deadline = deadline
        self._max_answer_bytes = max_answer_bytes

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if self._offline:
            raise OfflineViolation("offline mode: no request may be sent")
        host = host_of(request.url or "")
        self._breaker.check(host)
        service = getattr(_current, "service", None) or host
        limiter = self._limiters.get(service)
        slot = limiter.acquire()
        try:
            self._breaker.check(host)  # another thread may have opened it while we waited
        except CircuitOpenError:
            limiter.refund(slot)
            raise
        self._stats.add("requests", service)
        try:
            outer = current_deadline()  # the client's, over the whole redirect chain
            with nullcontext(outer) if outer else Deadline(self._deadline).running() as deadline:
                try:
                    response = super().send(request, *args, **kwargs)
                    read_capped(response, self._max_answer_bytes, deadline)
                except requests.exceptions.RequestException as exc:
                    # A socket the deadline shut reads as a dropped connection: say why.
                    if deadline.expired and not isinstance(exc, DeadlineExceeded):
                        raise deadline.exceeded() from None
                    raise
        except requests.exceptions.RequestException as exc:
            if is_connect_failure(exc) or is_certificate_failure(exc):
                # Count the failure first: the threads the refund wakes then see an open circuit.
                self._breaker.record_failure(host, describe_exception(exc))
                limiter.refund(slot)  # nothing reached the service: no need to space after it
            elif isinstance(exc, requests.exceptions.Timeout):
                # A host that accepts and never answers is as gone as one that refuses.
                self._breaker.record_failure(host, describe_exception(exc))
            else:
                self._breaker.record_success(host)  # it answered; the answer was the problem
            raise
        self._breaker.record_success(host)
        if response.status_code == 429:
            self._stats.add("throttled", service)
            limiter.throttled(self._retry_after(response))
        elif response.status_code < 500:
            limiter.succeeded()
        refuse_unsound(response)
        return response
