"""HTTP layer benchmark: cold, warm and unreachable runs of 100 papers (real clock, real sockets).

Each "paper" is one DBLP search and one S2 title match, as the sources make them.
  cold         against a local server answering after LATENCY s: requests sent, wall time
  warm         the same lookups again: zero requests and well under a second expected
  outage       the cache expired and both services answering 503: every paper answered from
               its expired entry and counted stale, each request asked once (the entry
               stands in at the first failure, no retry waits), under 2 s
  unreachable  every host refuses connections (an offline machine), DBLP tried on three hosts
               like the DBLP source's mirrors: the circuit breakers must end it in seconds;
               once with one worker, once with JOBS workers and the default rates, as
               `enrich run` does (a refused attempt must not hold the other workers back)
Exit status 1 if a target is missed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from enrich.http import HttpClient, HttpConfig, ServiceError
from enrich.sources.dblp.search import SEARCH_ANSWER
from enrich.sources.s2 import MATCH_ANSWER
from http_testkit import LocalServer, Step, closed_port_url, expire_all

PAPERS = 100
JOBS = 4  # enrich run's default --jobs
LATENCY = 0.02
NO_HITS = {"result": {"hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"}}}
TARGETS = {"warm_seconds": 1.0, "outage_seconds": 2.0, "unreachable_seconds": 5.0}


def lookup(client: HttpClient, n: int, dblp_bases: list[str], s2_base: str) -> bool:
    """Ask about paper `n` like the sources do (their declared answers too); returns whether
    any service answered."""
    answered = False
    for base in dblp_bases:
        try:
            search = base + "/search/publ/api"
            client.get_json("dblp", search, {"q": f"paper {n}", "h": 10}, expect=SEARCH_ANSWER)
            answered = True
            break
        except ServiceError:
            continue
    try:
        match = s2_base + "/graph/v1/paper/search/match"
        client.get_json("s2", match, {"query": f"p {n}"}, expect=MATCH_ANSWER)
        answered = True
    except ServiceError:
        pass
    return answered


def lookups(client: HttpClient, dblp_bases: list[str], s2_base: str, jobs: int) -> int:
    """Ask about every paper with `jobs` workers; returns how many got no answer at all."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        answers = pool.map(lambda n: lookup(client, n, dblp_bases, s2_base), range(PAPERS))
        return sum(not answered for answered in answers)


def timed(
    config: HttpConfig, dblp_bases: list[str], s2_base: str, jobs: int = 1
) -> tuple[float, int, HttpClient]:
    client = HttpClient(config)
    start = time.perf_counter()
    unanswered = lookups(client, dblp_bases, s2_base, jobs)
    elapsed = time.perf_counter() - start
    client.close()
    return elapsed, unanswered, client


def main() -> int:
    failures = []
    with tempfile.TemporaryDirectory() as tmp, LocalServer() as server:
        server.script("/search/publ/api", Step(body=NO_HITS, delay=LATENCY))
        server.script(
            "/graph/v1/paper/search/match",
            Step(404, {"error": "Title match not found"}, delay=LATENCY),
        )
        fast = {"dblp": 200.0, "s2": 200.0}  # the local server needs no politeness
        config = HttpConfig(cache_path=Path(tmp) / "http.sqlite", rates=fast)
        cold, _, client = timed(config, [server.url], server.url)
        print(
            f"cold: {PAPERS} papers, {client.stats.total_requests} requests "
            f"({client.stats.total_requests / PAPERS:.2f} per paper), {cold:.2f} s "
            f"at {LATENCY * 1000:.0f} ms latency"
        )
        warm, _, client = timed(config, [server.url], server.url)
        print(
            f"warm: {client.stats.total_requests} requests, "
            f"{client.stats.total_cache_hits} cache hits, {warm:.3f} s"
        )
        if client.stats.total_requests or warm > TARGETS["warm_seconds"]:
            failures.append("warm")

        expired = expire_all(Path(tmp) / "http.sqlite")
        down = "<html><head><title>503 Service Unavailable</title></head></html>"
        for path in ("/search/publ/api", "/graph/v1/paper/search/match"):
            server.script(path, Step(503, down, delay=LATENCY))
        outage, unanswered, client = timed(config, [server.url], server.url, JOBS)
        stale = dict(client.stats.stale)
        print(
            f"outage: {expired} expired entries, both services 503: {unanswered} unanswered, "
            f"stale answers {stale}, {client.stats.total_requests} requests, {outage:.2f} s "
            f"(target < {TARGETS['outage_seconds']:.0f} s); first failures "
            f"{dict(client.stats.stale_errors)}"
        )
        if unanswered or stale != dict.fromkeys(("dblp", "s2"), PAPERS):
            failures.append("outage: not every paper answered stale")
        if outage > TARGETS["outage_seconds"]:
            failures.append("outage")

    for jobs in (1, JOBS):
        with tempfile.TemporaryDirectory() as tmp:
            dead_dblp = [closed_port_url() for _ in range(3)]
            config = HttpConfig(cache_path=Path(tmp) / "http.sqlite")  # default retries and rates
            elapsed, unanswered, client = timed(config, dead_dblp, closed_port_url(), jobs)
            print(
                f"unreachable, {jobs} worker{'s' if jobs > 1 else ''}: {PAPERS} papers, "
                f"{unanswered} unanswered, {client.stats.total_requests} connection attempts, "
                f"{len(client.stats.unreachable_hosts)} hosts given up, {elapsed:.1f} s "
                f"(target < {TARGETS['unreachable_seconds']:.0f} s)"
            )
            if elapsed > TARGETS["unreachable_seconds"]:
                failures.append(f"unreachable ({jobs} workers)")
    if failures:
        print("missed targets:", ", ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
