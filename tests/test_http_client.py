"""HttpClient behaviour against mocked services (responses): statuses, retries, errors, stats."""

from __future__ import annotations

import time
from email.utils import formatdate
from pathlib import Path

import pytest
import responses
from responses import matchers

from enrich import __version__
from enrich.errors import ConfigError, EnrichError, ExitCode
from enrich.http import NotCached, ServiceError, ServiceUnreachable
from http_testkit import FakeClock, make_client

DBLP = "https://dblp.org/search/publ/api"
S2_MATCH = "https://api.semanticscholar.org/graph/v1/paper/search/match"
DBLP_NO_HITS = {
    "result": {
        "query": "zzz*",
        "status": {"@code": "200", "text": "OK"},
        "hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"},
    }
}
DBLP_429_PAGE = (
    "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1>"
    "The vast number of requests from your side has led to a temporary block.</body></html>"
)
S2_429 = {
    "message": "Too Many Requests. Please wait and try again or apply for a key for higher rate "
    "limits. https://www.semanticscholar.org/product/api#api-key-form",
    "code": "429",
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mocked():
    with responses.RequestsMock() as mock:
        yield mock


def test_errors_are_enrich_errors_with_exit_codes() -> None:
    assert issubclass(ServiceError, EnrichError)
    assert issubclass(ServiceUnreachable, ServiceError)
    assert issubclass(NotCached, ServiceError)
    assert ServiceUnreachable("dblp", "down").exit_code == ExitCode.UNREACHABLE
    assert ServiceError("dblp", "HTTP 500").exit_code == ExitCode.UNREACHABLE
    assert str(ServiceError("s2", "HTTP 400", url="https://x/y")) == "s2: HTTP 400 (https://x/y)"


def test_json_answer_and_404_are_replies(tmp_path: Path, mocked, clock) -> None:
    mocked.get(DBLP, json=DBLP_NO_HITS)
    mocked.get(S2_MATCH, status=404, json={"error": "Title match not found"})
    with make_client(tmp_path, clock) as client:
        reply = client.get_json("dblp", DBLP, {"q": "zzz", "format": "json"})
        assert (reply.status, reply.data, reply.from_cache) == (200, DBLP_NO_HITS, False)
        missing = client.get_json("s2", S2_MATCH, {"query": "A title nobody wrote"})
        assert (missing.status, missing.data) == (404, {"error": "Title match not found"})


@pytest.mark.parametrize(
    ("header", "expected_wait"),
    [("7", 7.0), ("0", 0.0), ("3600", 60.0)],  # seconds; the cap is max_retry_after
    ids=["seconds", "zero", "capped"],
)
def test_429_retried_after_retry_after_seconds(
    tmp_path: Path, mocked, clock, header: str, expected_wait: float
) -> None:
    mocked.get(DBLP, status=429, body=DBLP_429_PAGE, headers={"Retry-After": header})
    mocked.get(DBLP, json=DBLP_NO_HITS)
    with make_client(tmp_path, clock) as client:
        reply = client.get_json("dblp", DBLP, {"q": "zzz"})
        assert reply.status == 200
        assert len(mocked.calls) == 2
        assert clock.sleeps[0] == pytest.approx(expected_wait)
        assert client.stats.retries == {"dblp": 1}
        assert client.stats.throttled == {"dblp": 1}


def test_429_retry_after_http_date(tmp_path: Path, mocked, clock) -> None:
    mocked.get(
        DBLP,
        status=429,
        body=DBLP_429_PAGE,
        headers={"Retry-After": formatdate(time.time() + 30, usegmt=True)},
    )
    mocked.get(DBLP, json=DBLP_NO_HITS)
    with make_client(tmp_path, clock) as client:
        assert client.get_json("dblp", DBLP, {"q": "zzz"}).status == 200
    assert 27.0 <= clock.sleeps[0] <= 30.0


def test_s2_429_without_retry_after_backs_off_exponentially(tmp_path: Path, mocked, clock) -> None:
    for _ in range(3):
        mocked.get(S2_MATCH, status=429, json=S2_429)
    mocked.get(S2_MATCH, json={"data": [{"paperId": "fixture-1", "matchScore": 100.0}]})
    fast_limiter = {"s2": 100.0}  # limiter waits stay tiny, so the retry waits stand out
    with make_client(tmp_path, clock, rates=fast_limiter, backoff_initial=1.0) as client:
        assert client.get_json("s2", S2_MATCH, {"query": "x"}).status == 200
    retry_waits = [s for s in clock.sleeps if s >= 0.5]
    assert len(retry_waits) == 3
    # initial * 2**n plus up to `initial` of jitter: ~1, ~2, ~4 seconds
    assert 1.0 <= retry_waits[0] <= 2.0
    assert 2.0 <= retry_waits[1] <= 3.0
    assert 4.0 <= retry_waits[2] <= 5.0


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (400, {"error": "Unrecognized or unsupported fields: [unknown]"}, "Unrecognized"),
        (403, {"message": "Forbidden"}, "Forbidden"),
        (401, "<html>Unauthorized</html>", "HTTP 401"),
    ],
)
def test_other_4xx_fail_at_once(tmp_path: Path, mocked, clock, status, body, reason) -> None:
    if isinstance(body, dict):
        mocked.get(S2_MATCH, status=status, json=body)
    else:
        mocked.get(S2_MATCH, status=status, body=body, content_type="text/html")
    with make_client(tmp_path, clock) as client, pytest.raises(ServiceError) as caught:
        client.get_json("s2", S2_MATCH, {"query": "x"})
    assert len(mocked.calls) == 1
    assert clock.sleeps == [] or all(s < 1.0 for s in clock.sleeps)
    assert type(caught.value) is ServiceError
    assert caught.value.status == status
    assert reason in str(caught.value) and str(caught.value).startswith("s2: ")


def test_404_is_not_retried(tmp_path: Path, mocked, clock) -> None:
    mocked.get(S2_MATCH, status=404, json={"error": "Title match not found"})
    with make_client(tmp_path, clock) as client:
        assert client.get_json("s2", S2_MATCH, {"query": "x"}).status == 404
        assert client.stats.retries == {}
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_gives_up_after_configured_attempts(tmp_path: Path, mocked, clock, status: int) -> None:
    mocked.get(DBLP, status=status, body=f"<html><title>{status}</title></html>")
    with make_client(tmp_path, clock, attempts=3) as client, pytest.raises(ServiceError) as caught:
        client.get_json("dblp", DBLP, {"q": "x"})
    assert len(mocked.calls) == 3
    assert caught.value.status == status
    assert "after 3 attempts" in str(caught.value) and str(caught.value).startswith("dblp: ")
    assert not isinstance(caught.value, ServiceUnreachable)


@pytest.mark.parametrize(
    ("status", "content_type", "body", "attempts"),
    [
        (200, "text/html; charset=utf-8", "<html><title>dblp: bot check</title></html>", 3),
        (200, "application/json", "<html>mislabelled</html>", 3),
        (200, "application/json", '{"result": ', 3),  # truncated JSON
        (404, "text/html", "<html><title>404 Not Found</title></html>", 1),  # wrong base URL
    ],
    ids=["html-200", "html-labelled-json", "truncated-json", "html-404"],
)
def test_html_or_broken_body_is_service_error_not_no_results(
    tmp_path: Path, mocked, clock, status: int, content_type: str, body: str, attempts: int
) -> None:
    """A 200 that is no answer is retried like a 5xx; a 404 page is the service's last word."""
    mocked.get(DBLP, status=status, body=body, content_type=content_type)
    with make_client(tmp_path, clock, attempts=3) as client:
        with pytest.raises(ServiceError, match=r"^dblp: .*not JSON") as caught:
            client.get_json("dblp", DBLP, {"q": "x"})
        with pytest.raises(ServiceError):  # and it was not cached either
            client.get_json("dblp", DBLP, {"q": "x"})
        assert client.stats.retries == ({"dblp": 2 * (attempts - 1)} if attempts > 1 else {})
    assert caught.value.status == status
    assert len(mocked.calls) == 2 * attempts


def test_html_429_then_success(tmp_path: Path, mocked, clock) -> None:
    mocked.get(DBLP, status=429, body=DBLP_429_PAGE, content_type="text/html")
    mocked.get(DBLP, json=DBLP_NO_HITS)
    with make_client(tmp_path, clock) as client:
        assert client.get_json("dblp", DBLP, {"q": "x"}).data == DBLP_NO_HITS


def test_user_agent_names_enrich_version_and_mailto(tmp_path: Path, mocked, clock) -> None:
    mocked.get(DBLP, json=DBLP_NO_HITS)
    with make_client(tmp_path, clock, mailto="ann@example.org") as client:
        client.get_json("dblp", DBLP, {"q": "x"})
    agent = mocked.calls[0].request.headers["User-Agent"]
    assert agent == f"enrich/{__version__} (+mailto:ann@example.org)"


def test_s2_key_sent_to_s2_only_and_absent_from_errors(tmp_path: Path, mocked, clock) -> None:
    key = "fixture-s2-key-0123456789"
    mocked.get(DBLP, json=DBLP_NO_HITS, match=[matchers.header_matcher({}, strict_match=False)])
    mocked.get(
        S2_MATCH,
        status=400,
        json={"error": f"Unacceptable query params: [x-api-key={key}]"},
        match=[matchers.header_matcher({"x-api-key": key})],
    )
    with make_client(tmp_path, clock, s2_api_key=key) as client:
        client.get_json("dblp", DBLP, {"q": "x"})
        with pytest.raises(ServiceError) as caught:
            client.get_json("s2", S2_MATCH, {"query": "x"})
    dblp_headers = mocked.calls[0].request.headers
    assert "x-api-key" not in {name.lower() for name in dblp_headers}
    assert key not in str(caught.value) and key not in repr(caught.value)
    assert "***" in str(caught.value)
    assert key not in repr(make_client(tmp_path, clock, s2_api_key=key).config)


def test_stats_count_requests_hits_and_failures(tmp_path: Path, mocked, clock) -> None:
    mocked.get(DBLP, json=DBLP_NO_HITS)
    mocked.get(S2_MATCH, status=500, json={"message": "Internal server error"})
    with make_client(tmp_path, clock, attempts=2) as client:
        client.get_json("dblp", DBLP, {"q": "x"})
        client.get_json("dblp", DBLP, {"q": "x"})
        with pytest.raises(ServiceError):
            client.get_json("s2", S2_MATCH, {"query": "x"})
        stats = client.stats
    assert stats.requests == {"dblp": 1, "s2": 2}
    assert stats.cache_hits == {"dblp": 1}
    assert stats.retries == {"s2": 1}
    assert stats.failures == {"s2": 1}
    assert (stats.total_requests, stats.total_cache_hits) == (3, 1)


def test_s2_key_not_forwarded_when_a_redirect_leaves_the_host(
    tmp_path: Path, mocked, clock
) -> None:
    key = "fixture-s2-key-redirect"
    elsewhere = "https://elsewhere.example.org/match"
    mocked.get(S2_MATCH, status=302, headers={"Location": elsewhere})
    mocked.get(elsewhere, json={"data": []})
    with make_client(tmp_path, clock, s2_api_key=key) as client:
        client.get_json("s2", S2_MATCH, {"query": "x"})
    first, second = (call.request for call in mocked.calls)
    assert first.url.startswith(S2_MATCH)
    assert second.url == elsewhere
    assert "x-api-key" not in {name.lower() for name in second.headers}


def test_unusable_cache_path_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(ConfigError, match=r"cannot use .* as the HTTP cache"):
        make_client(tmp_path, cache_path=blocker / "http.sqlite")
