"""Polite request spacing per service, shared by every thread of a run.

Each service gets a minimum interval between requests (1 / rate). After a 429 the interval is
multiplied (the service asked us to slow down) and, if the answer said how long to wait, no request
to that service starts before then. Each later success shrinks the interval again, step by step,
back to the configured rate, as Semantic Scholar's maintainers advise (s2-folks #84).

Slots are not booked ahead: a thread waits until the next slot is due and takes it then. A request
that never reached the service (connection refused, host name not resolved) gives its slot back
and wakes the waiting threads, so an unreachable host costs the other workers no waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class RateLimiter:
    """Spaces the requests to one service; `acquire` blocks until the next slot is due.

    With `sleep=None` (the default) waiting threads wait on a condition and a refunded slot wakes
    them. An injected `sleep` (tests: a fake clock) is used instead and cannot be cut short.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
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
        self._last_start: float | None = None  # the latest slot taken and not given back
        self._previous_start: float | None = None  # the one before it
        self._hold_until = float("-inf")  # no slot before this (Retry-After)
        self._changed = threading.Condition()

    @property
    def interval(self) -> float:
        """Current spacing between requests, seconds (grows after 429s)."""
        with self._changed:
            return self.base_interval * self._factor

    def acquire(self) -> float:
        """Wait until the next slot is due and take it; returns the slot's start time."""
        with self._changed:
            while True:
                now = self._clock()
                due = self._hold_until
                if self._last_start is not None:
                    due = max(due, self._last_start + self.base_interval * self._factor)
                if now >= due:
                    self._previous_start, self._last_start = self._last_start, now
                    return now
                self._wait(due - now)

    def refund(self, slot: float) -> None:
        """Give back a slot whose request never reached the service (the connection failed).

        The next request may then start as if that one had never been made, and waiting threads
        are woken to take it. A slot already followed by a later one keeps the later in place.
        """
        with self._changed:
            if self._last_start == slot:
                self._last_start = self._previous_start
                self._previous_start = None
                self._changed.notify_all()

    def throttled(self, retry_after: float | None = None) -> None:
        """The service answered 429: slow down, and hold every request for `retry_after` s."""
        with self._changed:
            self._factor = min(self._factor * self._slowdown, self._max_slowdown)
            if retry_after is not None and retry_after > 0:
                self._hold_until = max(self._hold_until, self._clock() + retry_after)

    def succeeded(self) -> None:
        """A request went through: recover a step towards the configured rate."""
        with self._changed:
            self._factor = max(1.0, self._factor * self._recovery)

    def _wait(self, seconds: float) -> None:
        """Wait (lock released) until `seconds` have passed or a refund wakes this thread."""
        if self._sleep is None:
            self._changed.wait(seconds)
            return
        self._changed.release()
        try:
            self._sleep(seconds)
        finally:
            self._changed.acquire()


class RateLimiters:
    """One RateLimiter per service name, created on first use."""

    def __init__(
        self,
        rate_for: Callable[[str], float],
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
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
