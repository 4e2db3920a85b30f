"""The HTTP client against servers that misbehave on purpose: every answer is bounded in
size and time, and whatever a server does ends as one ServiceError for that request.

Each server runs on 127.0.0.1 (hostile_servers.py). Memory is measured with tracemalloc
around the request: a bomb must stop at the cap, not after inflating.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from enrich.http import HttpClient, ServiceError, ServiceUnreachable
from hostile_servers import (
    Request,
    SilentServer,
    answer,
    endless,
    gzip_bomb,
    head,
    serving,
    trickle,
)
from http_testkit import make_client as client_for

CAP = 2**20  # the tests' cap: 1 MiB
MEMORY_BOUND = 24 * 2**20
"""Peak Python memory allowed while one hostile answer is refused (cap plus chunk plus slack)."""
HITS = {"result": {"hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"}}}


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator:
    """http_testkit's client (fake clock: no rate-limit or backoff waits), with the tests'
    cap and short timeouts; the deadline's timer runs on real time."""
    made: list[HttpClient] = []

    def make(**options) -> HttpClient:
        bounds = {"max_answer_bytes": CAP, "attempts": 2, "connect_timeout": 1.0}
        bounds |= {"read_timeout": 1.0, "deadline": 3.0}
        client = client_for(tmp_path, **{**bounds, **options})
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def _peak_while(call) -> tuple[BaseException | None, int]:
    tracemalloc.start()
    try:
        call()
    except BaseException as error:  # the error is what the test looks at
        return error, tracemalloc.get_traced_memory()[1]
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return None, peak


def _bomb(request: Request):
    yield from answer(_BOMB, Content_Encoding="gzip")


_BOMB = gzip_bomb(200 * 2**20)  # ~200 KB that inflate to 200 MiB


def _declared_huge(request: Request):
    yield head(Content_Type="application/json", Content_Length=str(60 * 2**20))
    yield b"[" + b" " * 65536


@pytest.mark.parametrize(
    ("behaviour", "says"),
    [
        pytest.param(_bomb, "answer larger than 1.0 MiB", id="gzip bomb"),
        pytest.param(_declared_huge, "answer of 60.0 MiB, over 1.0 MiB", id="declared 60 MB"),
        pytest.param(lambda request: endless(), "answer larger than 1.0 MiB", id="endless body"),
    ],
)
def test_an_answer_over_the_cap_stops_there_uncached(make_client, behaviour, says) -> None:
    with serving(behaviour) as server:
        client = make_client()
        url = server.url + "/search/publ/api"
        error, peak = _peak_while(lambda: client.get_json("dblp", url, {"q": "x"}))
        assert isinstance(error, ServiceError), error
        assert says in str(error)
        assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.1f} MiB"
        with pytest.raises(ServiceError):
            client.get_json("dblp", url, {"q": "x"})
        assert len(server.requests) == 2  # refused once (not retried), and never cached


def _trickled_body(request: Request):
    yield from trickle(json.dumps(HITS).encode(), every=0.05)


def _trickled_headers(request: Request):
    for byte in head(Content_Length="2"):
        time.sleep(0.05)
        yield bytes([byte])
    yield b"{}"


def _slow_redirects(request: Request):
    time.sleep(0.4)  # each hop answers in time, the chain does not
    yield head("302 Found", Location=request.path.split("?")[0] + "/again", Content_Length="0")


@pytest.mark.parametrize(
    "behaviour",
    [_trickled_body, _trickled_headers, _slow_redirects],
    ids=["body at 1 byte per 50 ms", "headers at 1 byte per 50 ms", "0.4 s per redirect hop"],
)
def test_an_answer_that_takes_too_long_ends_at_the_deadline(make_client, behaviour) -> None:
    with serving(behaviour) as server:
        client = make_client(deadline=1.0, attempts=1)
        started = time.monotonic()
        with pytest.raises(ServiceError, match="no complete answer within 1 s"):
            client.get_json("dblp", server.url + "/search/publ/api", {"q": "x"})
        assert time.monotonic() - started < 2.5  # per hop, the chain would take 2 s


def test_a_silent_host_is_given_up_once_for_the_run(make_client) -> None:
    with SilentServer() as server:
        client = make_client(read_timeout=0.3, attempts=5, breaker_threshold=3)
        url = server.url + "/search/publ/api"
        started = time.monotonic()
        with pytest.raises(ServiceError):
            client.get_json("dblp", url, {"q": "one"})
        first = time.monotonic() - started
        with pytest.raises(ServiceUnreachable, match="not called again"):
            client.get_json("dblp", url, {"q": "two"})
        assert time.monotonic() - started - first < 0.1  # no connection, no wait
        assert first < 3.0
        assert server.accepted == 3  # three timeouts opened the circuit


@pytest.mark.parametrize(
    "location",
    [
        "http://[::1",
        "http://" + "a" * 70 + ".example/",
        "http://127.0.0.1:99999/x",
        "javascript:alert(1)",
        "http://\x00/",
    ],
    ids=["unclosed IPv6", "70-character label", "port 99999", "javascript", "NUL host"],
)
def test_a_malformed_redirect_is_a_service_error(make_client, location: str) -> None:
    def behaviour(request: Request):
        yield head("302 Found", Location=location, Content_Length="0")

    with serving(behaviour) as server:
        client = make_client()
        with pytest.raises(ServiceError) as raised:
            client.get_json("dblp", server.url + "/search/publ/api", {"q": "x"})
        assert "\n" not in str(raised.value)


def test_a_server_echoing_the_key_never_shows_it(make_client) -> None:
    key = "fixture-s2-key-Echo7"

    def behaviour(request: Request):
        echoed = request.headers.get("x-api-key", "")
        body = json.dumps({"error": f"key {echoed} is not allowed"}).encode()
        yield from answer(body, "403 Forbidden", X_Echo=echoed)

    with serving(behaviour) as server:
        client = make_client(s2_api_key=key)
        with pytest.raises(ServiceError) as raised:
            client.get_json("s2", server.url + "/graph/v1/paper/search/match", {"query": "x"})
        assert key not in str(raised.value)
        assert "***" in str(raised.value)
        assert server.requests[0].headers["x-api-key"] == key


def test_credentials_in_a_base_url_are_never_shown(make_client) -> None:
    with SilentServer() as server:
        url = server.url.replace("http://", "http://ann:fixture-secret@") + "/search/publ/api"
        client = make_client(read_timeout=0.2, attempts=1)
        with pytest.raises(ServiceError) as raised:
            client.get_json("dblp", url, {"q": "x"})
        assert "fixture-secret" not in str(raised.value)
        assert "ann" not in str(raised.value)
