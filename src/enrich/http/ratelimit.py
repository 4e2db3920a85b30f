"""Polite request spacing per service, shared by every thread of a run.

Each service gets a minimum interval between requests (1 / rate). After a 429 the interval is
multiplied (the service asked us to slow down) and, if the answer said how long to wait, no request
to that service starts before then. Each later success shrinks the interval again, step by step,
back to the configured rate, as Semantic Scholar's maintainers advise (s2-folks #84).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class RateLimiter:
    """Spaces the requests to one service; `acquire` blocks until the next slot is due."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        slowdown: float = 2.0,
        max_slowdown: float = 16.0,
        recovery: float = 0.8,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be > 0, got {rate}")
        self.base_interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._slowdown = slowdown
        self._max_slowdown = max_slowdown
        self._recovery = recovery
        self._factor = 1.0
        self._last_start: float | None = None  # the latest slot handed out
        self._hold_until = float("-inf")  # no slot before this (Retry-After)
        self._lock = threading.Lock()

    @property
    def interval(self) -> float:
        """Current spacing between requests, seconds (grows after 429s)."""
        with self._lock:
            return self.base_interval * self._factor

    def acquire(self) -> float:
        """Reserve the next slot and sleep until it; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            earliest = self._hold_until
            if self._last_start is not None:
                earliest = max(earliest, self._last_start + self.base_interval * self._factor)
            start = max(now, earliest)
            self._last_start = start
        wait = start - now
        if wait > 0:
            self._sleep(wait)
        return max(wait, 0.0)

    def throttled(self, retry_after: float | None = None) -> None:
        """The service answered 429: slow down, and hold every request for `retry_after` s."""
        with self._lock:
            self._factor = min(self._factor * self._slowdown, self._max_slowdown)
            if retry_after is not None and retry_after > 0:
                self._hold_until = max(self._hold_until, self._clock() + retry_after)

    def succeeded(self) -> None:
        """A request went through: recover a step towards the configured rate."""
        with self._lock:
            self._factor = max(1.0, self._factor * self._recovery)


class RateLimiters:
    """One RateLimiter per service name, created on first use."""

    def __init__(
        self,
        rate_for: Callable[[str], float],
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._rate_for = rate_for
        self._clock = clock
        self._sleep = sleep
        self._limiters: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def get(self, service: str) -> RateLimiter:
        with self._lock:
            limiter = self._limiters.get(service)
            if limiter is None:
                limiter = RateLimiter(self._rate_for(service), clock=self._clock, sleep=self._sleep)
                self._limiters[service] = limiter
            return limiter
