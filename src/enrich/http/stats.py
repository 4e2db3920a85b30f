"""Counters of what the HTTP layer did in a run, for the run summary and the benchmarks."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(counter: Counter[str]) -> Mapping[str, int]:
    return MappingProxyType(dict(counter))


@dataclass(frozen=True)
class HttpStats:
    """A snapshot; every mapping is keyed by service name ("dblp", "s2", ...)."""

    requests: Mapping[str, int] = field(default_factory=dict)  # sent over the network, retries too
    cache_hits: Mapping[str, int] = field(default_factory=dict)  # answered from the cache
    retries: Mapping[str, int] = field(default_factory=dict)  # waits before another attempt
    throttled: Mapping[str, int] = field(default_factory=dict)  # 429 answers received
    failures: Mapping[str, int] = field(default_factory=dict)  # calls that raised ServiceError
    not_cached: Mapping[str, int] = field(default_factory=dict)  # offline misses
    unreachable_hosts: tuple[str, ...] = ()  # hosts whose circuit opened
    stale: Mapping[str, int] = field(default_factory=dict)
    """Answers from an expired cache entry because the service failed (counted in cache_hits)."""
    stale_errors: Mapping[str, str] = field(default_factory=dict)
    """Why the service failed, the first time an expired entry answered for it."""

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def total_cache_hits(self) -> int:
        return sum(self.cache_hits.values())


class StatsRecorder:
    """Thread-safe counters behind HttpClient.stats."""

    _KINDS = ("requests", "cache_hits", "retries", "throttled", "failures", "not_cached", "stale")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, Counter[str]] = {kind: Counter() for kind in self._KINDS}
        self._stale_errors: dict[str, str] = {}

    def add(self, kind: str, service: str) -> None:
        with self._lock:
            self._counters[kind][service] += 1

    def add_stale(self, service: str, reason: str) -> None:
        """An expired entry answered because the service failed for `reason`."""
        with self._lock:
            self._counters["stale"][service] += 1
            self._stale_errors.setdefault(service, reason)

    def snapshot(self, unreachable_hosts: tuple[str, ...]) -> HttpStats:
        with self._lock:
            counts = {kind: _frozen(counter) for kind, counter in self._counters.items()}
            reasons = MappingProxyType(dict(self._stale_errors))
        return HttpStats(**counts, unreachable_hosts=unreachable_hosts, stale_errors=reasons)
