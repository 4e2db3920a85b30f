"""What is retried and how long to wait: Retry-After parsing and failure classification."""

from __future__ import annotations

import socket
import ssl
from datetime import UTC, datetime
from http.client import RemoteDisconnected
from pathlib import Path

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NameResolutionError, ProtocolError
from urllib3.exceptions import SSLError as Urllib3SSLError

from enrich.http import ServiceError, ServiceUnreachable
from enrich.http.breaker import CircuitOpenError
from enrich.http.retry import (
    backoff_seconds,
    describe_exception,
    is_certificate_failure,
    is_connect_failure,
    is_retryable_exception,
    parse_retry_after,
)
from http_testkit import FakeClock, closed_port_url, make_client

NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
URL = "https://api.semanticscholar.org/graph/v1/paper/batch"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("Fri, 27 Nov 2026 12:00:30 GMT", 30.0),
        ("Fri, 27 Nov 2026 11:59:00 GMT", 0.0),  # already past
        ("Friday, 27-Nov-26 12:01:00 GMT", 60.0),  # obsolete RFC 850 form
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def _wrapped(reason: BaseException, kind: type[requests.RequestException]) -> Exception:
    """The shape requests gives: its exception around urllib3's MaxRetryError around the cause."""
    return kind(MaxRetryError(None, URL, reason))


def _refused() -> requests.ConnectionError:
    try:
        requests.get(closed_port_url(), timeout=2)
    except requests.ConnectionError as exc:
        return exc
    raise AssertionError("a closed port accepted a connection")


CASES = {
    # name: (exception, connect failure, retryable, certificate failure)
    "refused (real socket)": (_refused(), True, True, False),
    "dns": (
        _wrapped(
            NameResolutionError("dblp.org", None, socket.gaierror(-3, "Temporary failure")),
            requests.ConnectionError,
        ),
        True,
        True,
        False,
    ),
    "connect timeout": (requests.ConnectTimeout("connect timed out"), True, True, False),
    "read timeout": (requests.ReadTimeout("read timed out"), False, True, False),
    "dropped": (
        requests.ConnectionError(
            ProtocolError("Connection aborted.", RemoteDisconnected("closed without response"))
        ),
        False,
        True,
        False,
    ),
    "ssl eof": (
        _wrapped(
            Urllib3SSLError(ssl.SSLEOFError(8, "EOF occurred in violation of protocol")),
            requests.exceptions.SSLError,
        ),
        False,
        True,
        False,
    ),
    "certificate": (
        _wrapped(
            Urllib3SSLError(
                ssl.SSLCertVerificationError(
                    1,
                    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                    "unable to get local issuer certificate",
                )
            ),
            requests.exceptions.SSLError,
        ),
        False,
        False,
        True,
    ),
    "circuit open": (CircuitOpenError("dblp.org"), True, False, False),
    "invalid url": (requests.exceptions.InvalidURL("no host"), False, False, False),
}


@pytest.mark.parametrize(("exc", "connect", "retryable", "certificate"), CASES.values(), ids=CASES)
def test_classification(exc: Exception, connect: bool, retryable: bool, certificate: bool) -> None:
    assert is_connect_failure(exc) is connect
    assert is_retryable_exception(exc) is retryable
    assert is_certificate_failure(exc) is certificate
    assert describe_exception(exc)


def test_ssl_eof_is_retried(tmp_path: Path) -> None:
    clock = FakeClock()
    eof = CASES["ssl eof"][0]
    with responses.RequestsMock() as mocked:
        mocked.post(URL, body=eof)
        mocked.post(URL, json=[{"paperId": "fixture-1"}])
        with make_client(tmp_path, clock) as client:
            reply = client.post_json("s2", URL, {"ids": ["CorpusId:1"]})
    assert reply.data == [{"paperId": "fixture-1"}]


def test_certificate_failure_is_not_retried(tmp_path: Path) -> None:
    clock = FakeClock()
    with responses.RequestsMock() as mocked:
        mocked.post(URL, body=CASES["certificate"][0])
        with make_client(tmp_path, clock) as client, pytest.raises(ServiceError) as caught:
            client.post_json("s2", URL, {"ids": ["CorpusId:1"]})
        assert len(mocked.calls) == 1
    assert "certificate" in str(caught.value) and "CA bundle" in str(caught.value)
    assert not isinstance(caught.value, ServiceUnreachable)


@pytest.mark.parametrize("pause", [0.25, 0.0])
def test_connection_failures_retried_with_short_pauses(tmp_path: Path, pause: float) -> None:
    """Two failed connections, then an answer: two short pauses and no rate-limit wait at all,
    since the failed attempts never reached the service (DBLP is limited to 1/s here)."""
    clock = FakeClock()
    dns = CASES["dns"][0]
    with responses.RequestsMock() as mocked:
        mocked.get("https://dblp.org/search/publ/api", body=dns)
        mocked.get("https://dblp.org/search/publ/api", body=dns)
        mocked.get("https://dblp.org/search/publ/api", json={"result": {}})
        with make_client(tmp_path, clock, backoff_initial=1.0, connect_retry_pause=pause) as client:
            assert client.get_json("dblp", "https://dblp.org/search/publ/api").status == 200
    assert clock.sleeps == [pause, pause]


@pytest.mark.parametrize(
    ("retry_number", "low", "high"),
    [
        (1, 2.0, 4.0),
        (2, 4.0, 6.0),
        (3, 8.0, 10.0),
        (4, 16.0, 18.0),
        (5, 25.0, 25.0),
        (99, 25.0, 25.0),
    ],
)
def test_backoff_grows_exponentially_with_jitter_and_a_cap(
    retry_number: int, low: float, high: float
) -> None:
    waits = [backoff_seconds(retry_number, initial=2.0, maximum=25.0) for _ in range(200)]
    assert all(low <= wait <= high for wait in waits)
    assert len(set(waits)) > 1 or low == high  # jittered unless capped
