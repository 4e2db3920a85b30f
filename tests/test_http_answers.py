"""Only answers are cached or used: the shape a source declares, its definitive statuses,
strict UTF-8, entries an older version cached, and expired entries standing in during an outage.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from enrich.http import Expect, NotCached, ServiceError
from enrich.http.answers import describe, not_objects
from http_testkit import expire_all, make_client

URL = "https://api.semanticscholar.org/graph/v1/paper/search"
BATCH = "https://api.semanticscholar.org/graph/v1/paper/batch"
GOOD = {"total": 1, "offset": 0, "data": [{"paperId": "fixture-1", "title": "An Example"}]}


def data_list(payload: Any) -> str | None:
    """A shape of the kind sources declare: an object whose `data` is a list of objects."""
    if not isinstance(payload, dict):
        return f"the answer is {describe(payload)}, not an object"
    data = payload.get("data")
    if not isinstance(data, list):
        return f"data is {describe(data)}, not a list"
    return not_objects(data, "data")


SEARCH = Expect(shape=data_list, answers={})


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ([GOOD], "the answer is a list, not an object"),
        ({"data": "none"}, "data is a string, not a list"),
        ({"total": 1}, "data is null, not a list"),
        ({"data": [{"paperId": "fixture-1"}, 7]}, "data[1] is a number, not an object"),
    ],
)
def test_a_200_of_the_wrong_shape_is_retried_then_reported_and_never_cached(
    tmp_path: Path, mocked, clock, body: Any, what: str
) -> None:
    mocked.get(URL, json=body)
    with make_client(tmp_path, clock, attempts=3) as client:
        for _ in range(2):
            with pytest.raises(ServiceError) as caught:
                client.get_json("s2", URL, {"query": "q"}, expect=SEARCH)
            message = str(caught.value)
            assert f"answered with JSON of an unexpected shape: {what} (after 3" in message
            assert caught.value.status == 200
        assert client.stats.retries == {"s2": 4}
        assert client.stats.failures == {"s2": 2}
    assert len(mocked.calls) == 6


def test_a_sound_answer_after_a_wrong_one_is_used_and_cached(tmp_path: Path, mocked, clock) -> None:
    mocked.get(URL, json={"data": None})
    mocked.get(URL, json=GOOD)
    with make_client(tmp_path, clock) as client:
        assert client.get_json("s2", URL, {"query": "q"}, expect=SEARCH).data == GOOD
        again = client.get_json("s2", URL, {"query": "q"}, expect=SEARCH)
        assert (again.data, again.from_cache) == (GOOD, True)
        assert client.stats.retries == {"s2": 1}
    assert len(mocked.calls) == 2


def test_an_entry_an_older_version_cached_is_refused_and_fetched_again(
    tmp_path: Path, mocked, clock
) -> None:
    """Written before answers were judged: the junk is deleted when read, then replaced."""
    mocked.get(URL, json={"data": "junk"})
    with make_client(tmp_path, clock) as older:  # declares nothing: any JSON was kept
        assert older.get_json("s2", URL, {"query": "q"}).data == {"data": "junk"}
    mocked.replace(responses.GET, URL, json=GOOD)
    with make_client(tmp_path, clock) as client:
        reply = client.get_json("s2", URL, {"query": "q"}, expect=SEARCH)
        assert (reply.data, reply.from_cache) == (GOOD, False)
        assert (client.stats.requests, client.stats.retries) == ({"s2": 1}, {})
    with make_client(tmp_path, clock) as client:
        assert client.get_json("s2", URL, {"query": "q"}, expect=SEARCH).from_cache
    assert len(mocked.calls) == 2


def test_offline_an_entry_that_is_no_answer_is_not_cached(tmp_path: Path, mocked, clock) -> None:
    mocked.get(URL, json=[1, 2])
    with make_client(tmp_path, clock) as older:
        older.get_json("s2", URL, {"query": "q"})
    with make_client(tmp_path, clock, offline=True) as client:
        for _ in range(2):
            with pytest.raises(NotCached):
                client.get_json("s2", URL, {"query": "q"}, expect=SEARCH)
        assert client.stats.not_cached == {"s2": 2}
    assert len(mocked.calls) == 1


def read_by_requests(body: bytes, content_type: str) -> Any:
    """What `requests.Response.json()` makes of a body, with the encoding its adapter sets."""
    response = requests.Response()
    response._content = body
    response.headers["Content-Type"] = content_type
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    return response.json()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"data": [{"title": "Caf\xe9"}]}'),  # Latin-1, not UTF-8
        ("application/json; charset=iso-8859-1", b'{"data": [{"title": "Caf\xe9"}]}'),
        ("application/json", b'{"data": [{"title": "\xed\xa0\x80"}]}'),  # a surrogate (CESU-8)
        ("application/json", b'{"data": [{"title": "\xc0\xaf"}]}'),  # overlong "/"
        ("application/json", b'{"data": [{"title": "Ann Exam\xff"}]}'),
    ],
    ids=["latin-1", "latin-1-declared", "surrogate", "overlong", "stray-byte"],
)
def test_json_is_decoded_strictly_as_utf8(
    tmp_path: Path, mocked, clock, content_type: str, body: bytes
) -> None:
    """requests alone reads a title out of each (a lossy or Latin-1 decode); RFC 8259 JSON is
    UTF-8, so none of them is JSON."""
    assert isinstance(read_by_requests(body, content_type)["data"][0]["title"], str)
    mocked.get(URL, body=body, content_type=content_type)
    with make_client(tmp_path, clock, attempts=1) as client:
        for _ in range(2):
            with pytest.raises(ServiceError, match="not JSON"):
                client.get_json("s2", URL, {"query": "q"}, expect=SEARCH)
    assert len(mocked.calls) == 2


def test_valid_utf8_keeps_every_character(tmp_path: Path, mocked, clock) -> None:
    title = "Stéphane Example: μLayer, ẞ and 🧪"
    mocked.get(
        URL, body=f'{{"data": [{{"title": "{title}"}}]}}'.encode(), content_type="application/json"
    )
    with make_client(tmp_path, clock) as client:
        assert (
            client.get_json("s2", URL, {"query": "q"}, expect=SEARCH).data["data"][0]["title"]
            == title
        )


def none_known(body: Any) -> bool:
    return isinstance(body, dict) and body.get("error") == "No valid paper ids given"


BATCH_ANSWER = Expect(answers={400: none_known})


@pytest.mark.parametrize(
    ("status", "body", "expect", "answer"),
    [
        (400, {"error": "No valid paper ids given"}, BATCH_ANSWER, True),
        (400, {"error": "Unrecognized or unsupported fields: [unknown]"}, BATCH_ANSWER, False),
        (400, {"error": "No valid paper ids given"}, Expect(), False),  # not declared
        (404, {"error": "Paper with id 0 not found"}, Expect(), True),  # 404 by default
        (404, {"error": "no such endpoint"}, Expect(answers={}), False),
        (404, "<html><title>404</title></html>", Expect(), False),
    ],
    ids=["declared-400", "other-400", "undeclared-400", "404", "undeclared-404", "html-404"],
)
def test_only_the_statuses_a_source_declares_are_answers(
    tmp_path: Path, mocked, clock, status: int, body: Any, expect: Expect, answer: bool
) -> None:
    """A definitive answer is cached like a result; anything else fails at once (asking again
    gives the same) and is never cached."""
    if isinstance(body, str):
        mocked.post(BATCH, status=status, body=body, content_type="text/html")
    else:
        mocked.post(BATCH, status=status, json=body)
    ids = {"ids": ["DOI:10.9999/example.1"]}
    with make_client(tmp_path, clock) as client:
        for from_cache in (False, True):
            if answer:
                reply = client.post_json("s2", BATCH, ids, expect=expect)
                assert (reply.status, reply.data, reply.from_cache) == (status, body, from_cache)
            else:
                with pytest.raises(ServiceError) as caught:
                    client.post_json("s2", BATCH, ids, expect=expect)
                assert caught.value.status == status and f"HTTP {status}" in str(caught.value)
        assert client.stats.retries == {}
    assert len(mocked.calls) == (1 if answer else 2)


# --- an expired entry answers while the service fails ----------------------------------------


@pytest.fixture
def expired(tmp_path: Path, mocked, clock) -> Path:
    """A cache holding GOOD for the query "q", expired."""
    mocked.get(URL, json=GOOD)
    with make_client(tmp_path, clock) as client:
        client.get_json("s2", URL, {"query": "q"}, expect=SEARCH)
    assert expire_all(tmp_path / "cache" / "http.sqlite") == 1
    mocked.reset()
    return tmp_path


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (
            {"status": 503, "body": "<html><title>503</title></html>"},
            "HTTP 503 Service Unavailable",
        ),
        ({"status": 429, "json": {"message": "Too Many Requests", "code": "429"}}, "HTTP 429"),
        ({"body": requests.ConnectionError("reset")}, "connection dropped before an answer"),
        ({"json": {"data": "junk"}}, "HTTP 200 answered with JSON of an unexpected shape"),
        ({"body": "<html>bot check</html>", "content_type": "text/html"}, "not JSON"),
    ],
    ids=["503", "429", "dropped", "wrong-shape", "html-200"],
)
def test_an_expired_entry_answers_during_an_outage_counted_and_quiet(
    expired: Path, mocked, clock, caplog, failure: dict, reason: str
) -> None:
    mocked.get(URL, **failure)
    caplog.set_level(logging.DEBUG)
    with make_client(expired, clock) as client:
        for _ in range(2):
            reply = client.get_json("s2", URL, {"query": "q"}, expect=SEARCH)
            assert (reply.data, reply.from_cache) == (GOOD, True)
        stats = client.stats
    assert stats.stale == {"s2": 2}
    assert set(stats.stale_errors) == {"s2"} and reason in stats.stale_errors["s2"]
    assert stats.failures == {}
    library = [r for r in caplog.records if r.name.startswith("requests_cache")]
    assert not [r for r in library if r.levelno >= logging.WARNING or r.exc_info]
    # the service is back: the entry is refreshed, and nothing is stale any more
    mocked.replace(responses.GET, URL, json={**GOOD, "total": 2})
    with make_client(expired, clock) as client:
        assert client.get_json("s2", URL, {"query": "q"}, expect=SEARCH).data["total"] == 2
        assert client.stats.stale == {}


def test_an_expired_entry_that_is_no_answer_does_not_stand_in(
    tmp_path: Path, mocked, clock
) -> None:
    mocked.get(URL, json={"data": "junk"})
    with make_client(tmp_path, clock) as older:
        older.get_json("s2", URL, {"query": "q"})
    expire_all(tmp_path / "cache" / "http.sqlite")
    mocked.replace(responses.GET, URL, status=503, body="<html>down</html>")
    with make_client(tmp_path, clock, attempts=2) as client:
        with pytest.raises(ServiceError, match="HTTP 503 Service Unavailable after 2 attempts"):
            client.get_json("s2", URL, {"query": "q"}, expect=SEARCH)
        assert (client.stats.stale, client.stats.retries) == ({}, {"s2": 1})
    assert len(mocked.calls) == 3
