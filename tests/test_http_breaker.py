"""The per-host circuit breaker, alone and inside the client against refused connections."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from enrich.http import HttpClient, HttpConfig, ServiceUnreachable
from enrich.http.breaker import CircuitBreaker, CircuitOpenError
from http_testkit import FakeClock, LocalServer, Step, closed_port_url, make_client


def test_opens_after_threshold_consecutive_failures(caplog: pytest.LogCaptureFixture) -> None:
    breaker = CircuitBreaker(threshold=3)
    with caplog.at_level(logging.WARNING, logger="enrich.http"):
        assert not breaker.record_failure("dblp.org", "refused")
        assert not breaker.record_failure("dblp.org", "refused")
        breaker.check("dblp.org")
        assert breaker.record_failure("dblp.org", "refused")
        for _ in range(10):
            assert not breaker.record_failure("dblp.org", "refused")
    with pytest.raises(CircuitOpenError, match=r"dblp\.org"):
        breaker.check("dblp.org")
    breaker.check("dblp.uni-trier.de")  # per host: a mirror is not affected
    assert breaker.open_hosts == ("dblp.org",)
    assert [r.getMessage() for r in caplog.records].count(
        "dblp.org: 3 failures to connect or answer in a row (refused); not calling it again in this run"
    ) == 1
    assert len(caplog.records) == 1


def test_success_resets_the_count() -> None:
    breaker = CircuitBreaker(threshold=2)
    breaker.record_failure("h", "refused")
    breaker.record_success("h")
    assert not breaker.record_failure("h", "refused")
    assert not breaker.is_open("h")


def test_concurrent_failures_open_once() -> None:
    breaker = CircuitBreaker(threshold=5)
    opened: list[bool] = []
    lock = threading.Lock()

    def fail() -> None:
        for _ in range(50):
            result = breaker.record_failure("h", "refused")
            with lock:
                opened.append(result)

    threads = [threading.Thread(target=fail) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert opened.count(True) == 1 and breaker.is_open("h")


def test_refused_host_fails_fast_after_breaker_opens(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    dead = closed_port_url()
    with (
        caplog.at_level(logging.WARNING, logger="enrich.http"),
        make_client(tmp_path, clock, attempts=5, breaker_threshold=3) as client,
    ):
        with pytest.raises(ServiceUnreachable) as first:
            client.get_json("dblp", dead + "/search/publ/api", {"q": "paper 0"})
        assert client.stats.requests == {"dblp": 3}  # the breaker stopped the retries at 3
        for n in range(1, 100):
            with pytest.raises(ServiceUnreachable):
                client.get_json("dblp", dead + "/search/publ/api", {"q": f"paper {n}"})
        stats = client.stats
    assert stats.requests == {"dblp": 3}  # later calls never tried to connect
    assert stats.failures == {"dblp": 100}
    assert stats.unreachable_hosts == (dead.removeprefix("http://"),)
    assert first.value.exit_code == 3
    assert sum(1 for r in caplog.records if "not calling it again" in r.getMessage()) == 1
    assert sum(clock.sleeps) <= 2 * 2.0  # two short pauses, not minutes of backoff


def test_other_hosts_and_cached_answers_still_work(tmp_path: Path) -> None:
    clock = FakeClock()
    dead = closed_port_url()
    with LocalServer() as server, make_client(tmp_path, clock, breaker_threshold=1) as client:
        server.script("/graph/v1/paper/search/match", Step(200, {"data": []}))
        client.get_json("s2", server.url + "/graph/v1/paper/search/match", {"query": "a"})
        with pytest.raises(ServiceUnreachable):
            client.get_json("dblp", dead + "/search/publ/api", {"q": "x"})
        reply = client.get_json("s2", server.url + "/graph/v1/paper/search/match", {"query": "b"})
        assert reply.status == 200 and not reply.from_cache


def test_cached_answers_survive_an_open_circuit(tmp_path: Path) -> None:
    clock = FakeClock()
    with LocalServer() as server:
        server.script("/search/publ/api", Step(200, {"result": {"hits": {"@total": "0"}}}))
        base = server.url
        with make_client(tmp_path, clock) as client:
            client.get_json("dblp", base + "/search/publ/api", {"q": "cached"})
    # the server is gone now: its port refuses connections
    with make_client(tmp_path, clock, breaker_threshold=1) as client:
        with pytest.raises(ServiceUnreachable):
            client.get_json("dblp", base + "/search/publ/api", {"q": "not cached"})
        assert client.get_json("dblp", base + "/search/publ/api", {"q": "cached"}).from_cache


def test_parallel_workers_stop_together(tmp_path: Path) -> None:
    """8 threads asking a refused host 400 times: a handful of connection attempts in all."""
    clock = FakeClock()
    dead = closed_port_url()
    with make_client(tmp_path, clock, breaker_threshold=3) as client:

        def lookup(n: int) -> str:
            try:
                client.get_json("dblp", dead + "/search/publ/api", {"q": f"paper {n}"})
            except ServiceUnreachable as error:
                return type(error).__name__
            return "answered"

        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(lookup, range(400)))
        stats = client.stats
    assert outcomes == ["ServiceUnreachable"] * 400
    assert 3 <= stats.requests["dblp"] <= 3 + 8  # threads already connecting may finish
    assert len(stats.unreachable_hosts) == 1


def test_refused_attempts_hold_no_worker_back(tmp_path: Path) -> None:
    """4 workers, 100 papers, three refused DBLP hosts then a refused S2: no one waits for a slot.

    One request an hour per service, a frozen fake clock and no injected sleep: a worker waiting
    for a rate-limit slot can only be released by a refused attempt giving its slot back. The
    workers finish only if refused attempts and open circuits hold no one back.
    """
    clock = FakeClock()
    dead_dblp = [closed_port_url() for _ in range(3)]
    dead_s2 = closed_port_url()
    config = HttpConfig(
        cache_path=tmp_path / "http.sqlite",
        rates={"dblp": 1 / 3600, "s2": 1 / 3600},
        breaker_threshold=3,
        connect_retry_pause=0.0,
    )
    papers = list(range(100))
    unanswered: list[int] = []
    lock = threading.Lock()

    def lookup(n: int) -> None:
        for base in [*dead_dblp, dead_s2]:
            service = "s2" if base == dead_s2 else "dblp"
            try:
                client.get_json(service, base + "/search/publ/api", {"q": f"paper {n}"})
                return
            except ServiceUnreachable:
                continue
        with lock:
            unanswered.append(n)

    def worker() -> None:
        while True:
            with lock:
                if not papers:
                    return
                n = papers.pop()
            lookup(n)

    with HttpClient(config, clock=clock) as client:
        workers = [threading.Thread(target=worker, daemon=True) for _ in range(4)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in workers)  # none stuck waiting for a slot
        stats = client.stats
    assert sorted(unanswered) == list(range(100))
    assert len(stats.unreachable_hosts) == 4
    assert stats.requests["dblp"] <= 3 * (3 + 4) and stats.requests["s2"] <= 3 + 4
