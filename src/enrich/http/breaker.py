"""Per-host circuit breaker: stop calling a host that cannot be connected to.

Without it, an offline run would spend the full retry budget (minutes of backoff) on every paper.
After `threshold` consecutive failures to connect (DNS, refused, unreachable) or to answer in
time (a read timeout, the request's deadline: a host that accepts and stays silent) the host's
circuit opens for the rest of the run, later calls fail at once, and the fact is logged once.
"""

from __future__ import annotations

import logging
import threading

import requests

log = logging.getLogger("enrich.http")


class CircuitOpenError(requests.exceptions.ConnectionError):
    """Raised instead of connecting to a host whose circuit is open."""

    def __init__(self, host: str) -> None:
        self.host = host
        super().__init__(
            f"{host} is not called again in this run (repeated failures to connect or answer)"
        )


class CircuitBreaker:
    """Counts consecutive failures to connect or answer per host; thread-safe."""

    def __init__(self, threshold: int) -> None:
        if threshold < 1:
            raise ValueError(f"threshold must be >= 1, got {threshold}")
        self.threshold = threshold
        self._failures: dict[str, int] = {}
        self._open: set[str] = set()
        self._lock = threading.Lock()

    def check(self, host: str) -> None:
        """Raise CircuitOpenError if `host` must not be called."""
        with self._lock:
            if host in self._open:
                raise CircuitOpenError(host)

    def is_open(self, host: str) -> bool:
        with self._lock:
            return host in self._open

    def record_failure(self, host: str, reason: str) -> bool:
        """Count a connection failure; returns True when this failure opened the circuit."""
        with self._lock:
            if host in self._open:
                return False
            count = self._failures.get(host, 0) + 1
            self._failures[host] = count
            if count < self.threshold:
                return False
            self._open.add(host)
        log.warning(
            "%s: %d failures to connect or answer in a row (%s); not calling it again in this run",
            host,
            count,
            reason,
        )
        return True

    def record_success(self, host: str) -> None:
        """The host answered: its failure count starts again from zero."""
        with self._lock:
            self._failures.pop(host, None)

    @property
    def open_hosts(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(sorted(self._open))
