"""Against a real local server: timeouts, dropped connections, offline, many threads at once."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from enrich import __version__
from enrich.http import HttpClient, HttpConfig, NotCached, ServiceError, ServiceUnreachable
from http_testkit import FakeClock, LocalServer, Step, make_client

PATH = "/search/publ/api"
NO_HITS = {"result": {"hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"}}}


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


def test_slow_answer_times_out_and_is_retried(tmp_path: Path, server: LocalServer) -> None:
    server.script(PATH, Step(delay=1.0, body=NO_HITS), Step(body=NO_HITS))
    clock = FakeClock()
    with make_client(tmp_path, clock, read_timeout=0.2) as client:
        reply = client.get_json("dblp", server.url + PATH, {"q": "x"})
        assert (reply.status, reply.data) == (200, NO_HITS)
        assert client.stats.retries == {"dblp": 1}


def test_timeouts_exhausted_is_service_error_not_cached(
    tmp_path: Path, server: LocalServer
) -> None:
    server.script(PATH, Step(delay=0.6, body=NO_HITS))
    clock = FakeClock()
    with make_client(tmp_path, clock, read_timeout=0.15, attempts=2) as client:
        with pytest.raises(ServiceError, match="read timeout") as caught:
            client.get_json("dblp", server.url + PATH, {"q": "x"})
        assert not isinstance(caught.value, ServiceUnreachable)
    with make_client(tmp_path, clock, offline=True) as client, pytest.raises(NotCached):
        client.get_json("dblp", server.url + PATH, {"q": "x"})


def test_dropped_connection_is_retried(tmp_path: Path, server: LocalServer) -> None:
    server.script(PATH, Step(drop=True), Step(drop=True), Step(body=NO_HITS))
    with make_client(tmp_path, FakeClock()) as client:
        assert client.get_json("dblp", server.url + PATH, {"q": "x"}).data == NO_HITS
        assert client.stats.requests == {"dblp": 3}


def test_always_dropped_gives_up(tmp_path: Path, server: LocalServer) -> None:
    server.script(PATH, Step(drop=True))
    with (
        make_client(tmp_path, FakeClock(), attempts=3) as client,
        pytest.raises(ServiceError, match="connection dropped"),
    ):
        client.get_json("dblp", server.url + PATH, {"q": "x"})
    assert len(server.seen) == 3


def test_503_then_429_then_answer(tmp_path: Path, server: LocalServer) -> None:
    server.script(
        PATH,
        Step(503, "<html><title>503 Service Unavailable</title></html>"),
        Step(429, "<html><title>429 Too Many Requests</title></html>", {"Retry-After": "2"}),
        Step(body=NO_HITS),
    )
    clock = FakeClock()
    with make_client(tmp_path, clock) as client:
        assert client.get_json("dblp", server.url + PATH, {"q": "x"}).data == NO_HITS
    assert 2.0 in clock.sleeps


def test_offline_never_opens_a_connection(tmp_path: Path, server: LocalServer) -> None:
    server.script(PATH, Step(body=NO_HITS))
    with make_client(tmp_path, FakeClock()) as client:
        client.get_json("dblp", server.url + PATH, {"q": "cached"})
        client.post_json("s2", server.url + PATH, {"ids": ["CorpusId:1"]})
    connections = server.connections
    with make_client(tmp_path, FakeClock(), offline=True) as client:
        assert client.get_json("dblp", server.url + PATH, {"q": "cached"}).from_cache
        assert client.post_json("s2", server.url + PATH, {"ids": ["CorpusId:1"]}).from_cache
        for n in range(20):
            with pytest.raises(NotCached):
                client.get_json("dblp", server.url + PATH, {"q": f"missing {n}"})
        with pytest.raises(NotCached):
            client.post_json("s2", server.url + PATH, {"ids": ["CorpusId:2"]})
        assert client.stats.requests == {}
    assert server.connections == connections


def test_headers_on_the_wire(tmp_path: Path, server: LocalServer) -> None:
    server.script(PATH, Step(body=NO_HITS))
    key = "fixture-wire-key"
    with make_client(tmp_path, FakeClock(), s2_api_key=key, mailto="ann@example.org") as client:
        client.get_json("s2", server.url + PATH, {"query": "x"})
        client.get_json("dblp", server.url + PATH, {"q": "x"})
    s2_request, dblp_request = server.seen
    assert s2_request.headers["x-api-key"] == key
    assert "x-api-key" not in {h.lower() for h in dblp_request.headers}
    assert dblp_request.headers["User-Agent"] == f"enrich/{__version__} (+mailto:ann@example.org)"
    assert dblp_request.headers["Accept"] == "application/json"


def test_threads_share_one_client_and_sqlite_cache(tmp_path: Path, server: LocalServer) -> None:
    """8 threads, 400 lookups over 100 distinct queries: every answer right, each query sent once
    or more but all later ones answered from one consistent cache file."""
    server.script(PATH, Step(body=NO_HITS))
    server.script("/batch", Step(body=[{"paperId": "fixture-batch"}]))
    config = HttpConfig(
        cache_path=tmp_path / "cache" / "http.sqlite", rates={"dblp": 1000.0, "s2": 1000.0}
    )

    def lookup(client: HttpClient, n: int) -> object:
        if n % 4 == 0:
            return client.post_json("s2", server.url + "/batch", {"ids": [f"CorpusId:{n % 100}"]})
        return client.get_json("dblp", server.url + PATH, {"q": f"paper {n % 100}"})

    with HttpClient(config) as client, ThreadPoolExecutor(max_workers=8) as pool:
        first = list(pool.map(lambda n: lookup(client, n), range(400)))
        second = list(pool.map(lambda n: lookup(client, n), range(400)))
        stats = client.stats
    assert all(reply.status == 200 for reply in first + second)
    assert all(reply.from_cache for reply in second)
    assert stats.total_requests == len(server.seen) <= 400
    assert stats.total_requests + stats.total_cache_hits == 800
    with sqlite3.connect(tmp_path / "cache" / "http.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM responses").fetchone() == (100,)
