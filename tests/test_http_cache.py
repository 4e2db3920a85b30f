"""The cache: what is kept, what never is (the S2 key), offline and refresh, other backends,
and a damaged cache file."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import responses
from responses import matchers

from enrich import cli
from enrich.errors import ConfigError, EnrichError, ExitCode
from enrich.http import CacheUnusable, NotCached, ServiceError
from enrich.models import Entry
from enrich.resolve import resolve_entries
from enrich.sources import DblpSource, S2Source
from http_testkit import damage_middle, make_client

DBLP = "https://dblp.org/search/publ/api"
S2_BATCH = "https://api.semanticscholar.org/graph/v1/paper/batch"
S2_MATCH = "https://api.semanticscholar.org/graph/v1/paper/search/match"
NO_HITS = {"result": {"hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"}}}
S2_KEY = "fixture-s2-key-Zq8"


def test_cache_hit_sends_nothing_and_never_waits(tmp_path: Path, mocked, clock) -> None:
    mocked.get(DBLP, json=NO_HITS)
    with make_client(tmp_path, clock, rates={"dblp": 0.01}) as client:  # 100 s between requests
        client.get_json("dblp", DBLP, {"q": "paged attention", "format": "json"})
        sleeps_before = list(clock.sleeps)
        for _ in range(5):
            reply = client.get_json("dblp", DBLP, {"format": "json", "q": "paged attention"})
            assert reply.from_cache and reply.data == NO_HITS
        assert clock.sleeps == sleeps_before
        assert client.stats.requests == {"dblp": 1}
        assert client.stats.cache_hits == {"dblp": 5}
    assert len(mocked.calls) == 1


def test_cache_survives_a_new_client(tmp_path: Path, mocked, clock) -> None:
    mocked.get(DBLP, json=NO_HITS)
    with make_client(tmp_path, clock) as client:
        client.get_json("dblp", DBLP, {"q": "x"})
    with make_client(tmp_path, clock) as client:
        assert client.get_json("dblp", DBLP, {"q": "x"}).from_cache
    assert len(mocked.calls) == 1


def test_404_cached_like_a_result(tmp_path: Path, mocked, clock) -> None:
    mocked.get(S2_MATCH, status=404, json={"error": "Title match not found"})
    with make_client(tmp_path, clock) as client:
        assert client.get_json("s2", S2_MATCH, {"query": "q"}).status == 404
        again = client.get_json("s2", S2_MATCH, {"query": "q"})
        assert (again.status, again.from_cache) == (404, True)
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("status", [429, 500, 503])
def test_throttled_and_failed_answers_are_not_cached(
    tmp_path: Path, mocked, clock, status: int
) -> None:
    mocked.get(DBLP, status=status, json={"message": "try later"})
    mocked.get(DBLP, json=NO_HITS)
    with make_client(tmp_path, clock, attempts=1) as client:
        with pytest.raises(Exception, match="dblp"):
            client.get_json("dblp", DBLP, {"q": "x"})
        reply = client.get_json("dblp", DBLP, {"q": "x"})
    assert (reply.status, reply.from_cache) == (200, False)
    assert len(mocked.calls) == 2


def test_post_cached_and_keyed_on_body(tmp_path: Path, mocked, clock) -> None:
    fields = {"fields": "title,year"}
    first = {"ids": ["DOI:10.1145/3600006.3613165"]}
    second = {"ids": ["ARXIV:2309.06180"]}
    mocked.post(
        S2_BATCH, json=[{"paperId": "fixture-a"}], match=[matchers.json_params_matcher(first)]
    )
    mocked.post(
        S2_BATCH, json=[{"paperId": "fixture-b"}], match=[matchers.json_params_matcher(second)]
    )
    with make_client(tmp_path, clock) as client:
        assert client.post_json("s2", S2_BATCH, first, fields).data == [{"paperId": "fixture-a"}]
        assert client.post_json("s2", S2_BATCH, second, fields).data == [{"paperId": "fixture-b"}]
        hit = client.post_json("s2", S2_BATCH, first, fields)
        assert hit.from_cache and hit.data == [{"paperId": "fixture-a"}]
        assert client.post_json("s2", S2_BATCH, second, fields).from_cache
    assert len(mocked.calls) == 2


def _cache_bytes(cache_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(cache_dir.iterdir()) if p.is_file())


def test_s2_key_never_stored_nor_part_of_the_key(tmp_path: Path, mocked, clock) -> None:
    mocked.post(
        S2_BATCH,
        json=[{"paperId": "fixture-a"}],
        match=[matchers.header_matcher({"x-api-key": S2_KEY})],
    )
    mocked.get(S2_MATCH, status=404, json={"error": "Title match not found"})
    body = {"ids": ["DOI:10.1145/3600006.3613165"]}
    with make_client(tmp_path, clock, s2_api_key=S2_KEY) as client:
        client.post_json("s2", S2_BATCH, body, {"fields": "title"})
        client.get_json("s2", S2_MATCH, {"query": "q"})
    cache_dir = tmp_path / "cache"
    stored = _cache_bytes(cache_dir)
    assert b"/graph/v1/paper/batch" in stored  # the entries are there (JSON text)...
    assert S2_KEY.encode() not in stored  # ...the key is not
    # The key is not part of the cache key: without it (or with another), the same entry answers.
    with make_client(tmp_path, clock, s2_api_key=None) as client:
        assert client.post_json("s2", S2_BATCH, body, {"fields": "title"}).from_cache
    with make_client(tmp_path, clock, s2_api_key="fixture-other-key") as client:
        assert client.get_json("s2", S2_MATCH, {"query": "q"}).from_cache
    assert len(mocked.calls) == 2


def test_s2_key_not_stored_after_a_redirect(tmp_path: Path, mocked, clock) -> None:
    old = "https://api.semanticscholar.org/graph/v1/paper/search/match/old"
    mocked.get(old, status=301, headers={"Location": S2_MATCH})
    mocked.get(S2_MATCH, json={"data": [{"paperId": "fixture-r", "matchScore": 1.0}]})
    with make_client(tmp_path, clock, s2_api_key=S2_KEY) as client:
        assert client.get_json("s2", old, {"query": "q"}).status == 200
    assert S2_KEY.encode() not in _cache_bytes(tmp_path / "cache")


class TestOffline:
    def test_miss_is_not_cached_and_sends_nothing(self, tmp_path: Path, mocked, clock) -> None:
        with make_client(tmp_path, clock, offline=True) as client:
            with pytest.raises(NotCached) as caught:
                client.get_json("dblp", DBLP, {"q": "x"})
            assert client.stats.not_cached == {"dblp": 1}
            assert client.stats.failures == {}
            assert client.stats.retries == {}  # a miss stays a miss: no waiting, no retry
        assert clock.sleeps == []
        assert caught.value.exit_code == ExitCode.INCOMPLETE
        assert str(caught.value).startswith("dblp: not in the cache")
        assert len(mocked.calls) == 0

    def test_hit_answers_even_when_expired(self, tmp_path: Path, mocked, clock) -> None:
        mocked.get(DBLP, json=NO_HITS)
        with make_client(tmp_path, clock, cache_days=0) as client:
            client.get_json("dblp", DBLP, {"q": "x"})  # cache_days=0: stored already expired
        mocked.get(DBLP, json=NO_HITS)
        with make_client(tmp_path, clock) as client:
            client.get_json("dblp", DBLP, {"q": "y"})
        with make_client(tmp_path, clock, offline=True) as client:
            reply = client.get_json("dblp", DBLP, {"q": "y"})
            assert (reply.data, reply.from_cache) == (NO_HITS, True)
        assert len(mocked.calls) == 2


class TestRefresh:
    def test_revalidates_with_validators(self, tmp_path: Path, mocked, clock) -> None:
        etag = '"fixture-etag-1"'
        mocked.get(DBLP, json=NO_HITS, headers={"ETag": etag})
        with make_client(tmp_path, clock) as client:
            client.get_json("dblp", DBLP, {"q": "x"})
        mocked.get(DBLP, status=304, match=[matchers.header_matcher({"If-None-Match": etag})])
        with make_client(tmp_path, clock, refresh=True) as client:
            reply = client.get_json("dblp", DBLP, {"q": "x"})
            assert (reply.status, reply.data) == (200, NO_HITS)
            assert client.stats.requests == {"dblp": 1}
            client.get_json("dblp", DBLP, {"q": "x"})  # once per run is enough
            assert client.stats.requests == {"dblp": 1}
        assert len(mocked.calls) == 2

    def test_refetches_without_validators(self, tmp_path: Path, mocked, clock) -> None:
        mocked.get(S2_MATCH, status=404, json={"error": "Title match not found"})
        with make_client(tmp_path, clock) as client:
            assert client.get_json("s2", S2_MATCH, {"query": "q"}).status == 404
        found = {"data": [{"paperId": "fixture-new", "matchScore": 99.0}]}
        mocked.replace(responses.GET, S2_MATCH, json=found)
        with make_client(tmp_path, clock, refresh=True) as client:
            reply = client.get_json("s2", S2_MATCH, {"query": "q"})
            assert (reply.status, reply.data, reply.from_cache) == (200, found, False)
        with make_client(tmp_path, clock) as client:  # the fresh answer replaced the old one
            assert client.get_json("s2", S2_MATCH, {"query": "q"}).data == found
        assert len(mocked.calls) == 2

    def test_post_refetched_once(self, tmp_path: Path, mocked, clock) -> None:
        body = {"ids": ["DOI:10.1145/3600006.3613165"]}
        mocked.post(S2_BATCH, json=[None])
        with make_client(tmp_path, clock) as client:
            assert client.post_json("s2", S2_BATCH, body).data == [None]
        mocked.replace(responses.POST, S2_BATCH, json=[{"paperId": "fixture-now-known"}])
        with make_client(tmp_path, clock, refresh=True) as client:
            assert client.post_json("s2", S2_BATCH, body).data == [{"paperId": "fixture-now-known"}]
            assert client.post_json("s2", S2_BATCH, body).from_cache
        assert len(mocked.calls) == 2


def test_unknown_backend_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a cache"):
        make_client(tmp_path, cache_backend="mongodb://127.0.0.1")


def test_memory_backend_leaves_no_file(tmp_path: Path, mocked, clock) -> None:
    mocked.get(DBLP, json=NO_HITS)
    with make_client(tmp_path, clock, cache_backend="memory://") as client:
        client.get_json("dblp", DBLP, {"q": "x"})
        assert client.get_json("dblp", DBLP, {"q": "x"}).from_cache
    assert not (tmp_path / "cache").exists()


def test_redis_backend_chosen_by_configuration(
    tmp_path: Path, mocked, clock, monkeypatch, caplog
) -> None:
    fakeredis = pytest.importorskip("fakeredis")
    import redis

    server = fakeredis.FakeServer()
    urls: list[str] = []

    def fake_from_url(url: str, **kwargs):
        urls.append(url)
        return fakeredis.FakeRedis(server=server)

    monkeypatch.setattr(redis.Redis, "from_url", staticmethod(fake_from_url))
    mocked.get(DBLP, json=NO_HITS)
    backend = "redis://127.0.0.1:6390/2"
    store = fakeredis.FakeRedis(server=server)
    store.set("enrich-http:5e7cc59858ddd7f3", b"\x80\x04an old pickled entry")
    with make_client(tmp_path, clock, cache_backend=backend) as client:
        client.get_json("dblp", DBLP, {"q": "x"})
    with make_client(tmp_path, clock, cache_backend=backend) as client:
        assert client.get_json("dblp", DBLP, {"q": "x"}).from_cache
    assert urls == [backend, backend]
    (key,) = store.keys("enrich-http-json:*")
    assert json.loads(store.get(key))["status_code"] == 200  # data, not a pickle
    old = [r.getMessage() for r in caplog.records if "never read" in r.getMessage()]
    assert len(old) == 2 and "enrich-http:*" in old[0]  # said by each client that saw them
    assert not (tmp_path / "cache").exists()
    assert len(mocked.calls) == 1


@pytest.fixture
def redis_server(tmp_path: Path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_real_redis_server_shares_the_cache(tmp_path: Path, mocked, clock, redis_server) -> None:
    mocked.post(S2_BATCH, json=[{"paperId": "fixture-a"}])
    body = {"ids": ["DOI:10.1145/3600006.3613165"]}
    with make_client(tmp_path / "one", clock, cache_backend=redis_server, s2_api_key=S2_KEY) as a:
        a.post_json("s2", S2_BATCH, body, {"fields": "title"})
    with make_client(tmp_path / "two", clock, cache_backend=redis_server) as b:
        assert b.post_json("s2", S2_BATCH, body, {"fields": "title"}).from_cache
    import redis

    connection = redis.Redis.from_url(redis_server)
    stored = b""
    for key in connection.keys("*"):
        kind = connection.type(key)
        if kind == b"string":
            stored += connection.get(key)
        elif kind == b"hash":
            stored += b"".join(k + v for k, v in connection.hgetall(key).items())
    assert b"fixture-a" in stored and S2_KEY.encode() not in stored
    assert len(mocked.calls) == 1


def test_each_answer_is_decoded_once_fresh_or_cached(
    tmp_path: Path, mocked, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """requests-cache runs the cache filter twice per answer; the answer is parsed only once."""
    from enrich.http import answers

    parsed: list[str] = []
    real_loads = answers.json.loads

    def counting_loads(text: str, **kwargs: object) -> object:
        parsed.append(text)
        return real_loads(text, **kwargs)

    monkeypatch.setattr(answers.json, "loads", counting_loads)
    mocked.post(S2_BATCH, json=[{"paperId": "fixture-1", "title": "A Paper"}, None])
    with make_client(tmp_path, clock) as client:
        for from_cache in (False, True):
            parsed.clear()
            reply = client.post_json("s2", S2_BATCH, {"ids": ["DOI:10.1/x", "DOI:10.1/y"]})
            assert reply.from_cache is from_cache
            assert reply.data == [{"paperId": "fixture-1", "title": "A Paper"}, None]
            answers = [text for text in parsed if "fixture-1" in text]  # not the request body
            assert len(answers) == 1


# --- a damaged cache file ------------------------------------------------------------------

QUERIES = [f"example paper {n}" for n in range(300)]


@pytest.fixture
def damaged(tmp_path: Path, mocked, clock) -> Path:
    """A real cache of 300 DBLP answers, some of its pages in the middle overwritten."""
    mocked.get(DBLP, json=NO_HITS)
    with make_client(tmp_path, clock) as client:
        for query in QUERIES:
            client.get_json("dblp", DBLP, {"q": query})
    cache = tmp_path / "cache" / "http.sqlite"
    damage_middle(cache)
    mocked.reset()
    return cache


def test_a_damaged_cache_is_one_config_error_naming_the_file(
    damaged: Path, tmp_path: Path, mocked, clock
) -> None:
    mocked.get(DBLP, json=NO_HITS)
    with make_client(tmp_path, clock) as client:
        with pytest.raises(CacheUnusable) as caught:
            for query in QUERIES:
                client.get_json("dblp", DBLP, {"q": query})
        # once found damaged, the cache is not touched again: every call fails at once
        sent = len(mocked.calls)
        with pytest.raises(CacheUnusable):
            client.get_json("dblp", DBLP, {"q": QUERIES[0]})
        assert len(mocked.calls) == sent
    error = caught.value
    assert isinstance(error, ConfigError) and not isinstance(error, ServiceError)
    assert error.exit_code == ExitCode.BAD_INPUT
    assert str(error) == (
        f"the HTTP cache {damaged} is damaged (database disk image is malformed): "
        "delete it and run again"
    )


@pytest.mark.parametrize(
    "content",
    [b"not a cache at all, just a line of text\n" * 200, b"SQLite format 3\x00" + b"\xa5" * 8192],
    ids=["text", "sqlite-header-then-junk"],
)
def test_a_file_that_is_not_sqlite_is_reported_before_any_request(
    tmp_path: Path, content: bytes
) -> None:
    cache = tmp_path / "http.sqlite"
    cache.write_bytes(content)
    with pytest.raises(
        CacheUnusable, match=r"is damaged \(.*\): delete it and run again"
    ) as caught:
        make_client(tmp_path, cache_path=cache)
    assert str(cache) in str(caught.value)


def test_a_damaged_cache_ends_the_run_from_any_worker_thread(tmp_path: Path, mocked) -> None:
    """resolve_entries catches ServiceError per paper: the cache's error is none, so it
    reaches the caller instead of becoming one paper's failure."""
    mocked.get(DBLP, json=NO_HITS)
    mocked.get(S2_MATCH, status=404, json={"error": "Title match not found"})
    mocked.get(S2_MATCH.removesuffix("/match"), json={"total": 0, "offset": 0})
    entries = [Entry(title=q, file="list.md", lines=(n + 1,)) for n, q in enumerate(QUERIES[:120])]
    fast = {"rates": {"dblp": 1000.0, "s2": 1000.0}}

    def lookup() -> None:
        with make_client(tmp_path, **fast) as client:
            resolve_entries(entries, DblpSource(client, mirrors=()), S2Source(client), jobs=4)

    lookup()  # every answer cached
    damage_middle(tmp_path / "cache" / "http.sqlite")
    with pytest.raises(CacheUnusable, match="delete it and run again"):
        lookup()


def test_the_command_line_says_so_in_one_line_and_exits_2(tmp_path: Path, capsys) -> None:
    reading_list = tmp_path / "list.md"
    reading_list.write_text("- [OSDI '22] Orca: A Distributed Serving System for Example\n")
    cache = tmp_path / "http.sqlite"
    cache.write_bytes(b"not a cache at all\n" * 100)
    argv = ["run", str(reading_list), "--cache", str(cache), "--out", str(tmp_path / "out")]
    code = cli.main([*argv, "--overrides", str(tmp_path / "overrides.csv")])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == ExitCode.BAD_INPUT == CacheUnusable.exit_code
    assert lines[-1].startswith("enrich: error: the HTTP cache ") and "Traceback" not in lines
    assert lines[-1].endswith("is damaged (file is not a database): delete it and run again")
    assert issubclass(CacheUnusable, EnrichError)


class _Planted:
    """Unpickling this creates `marker`: what a planted cache entry could do with a shell."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _plant_pickle(cache_file: Path, marker: Path) -> int:
    """Overwrite every stored response of a cache file with the planted pickle."""
    import pickle
    import sqlite3

    with sqlite3.connect(cache_file) as db:
        planted = db.execute("UPDATE responses SET value = ?", (pickle.dumps(_Planted(marker)),))
        return planted.rowcount


def test_an_old_pickle_cache_is_set_aside_unread(tmp_path: Path, mocked, clock, caplog) -> None:
    from requests_cache import CachedSession
    from requests_cache.backends import SQLiteCache

    cache_file = tmp_path / "cache" / "http.sqlite"
    cache_file.parent.mkdir()
    mocked.get(DBLP, json=NO_HITS)
    # What an older enrich left: requests-cache's default (pickle) SQLite cache, one entry.
    old = CachedSession(backend=SQLiteCache(str(cache_file)), allowable_methods=("GET",))
    old.get(DBLP, params={"q": "x"})
    old.close()
    marker = tmp_path / "code-ran"
    assert _plant_pickle(cache_file, marker) == 1
    with make_client(tmp_path, clock) as client:
        reply = client.get_json("dblp", DBLP, {"q": "x"})
    assert not marker.exists()
    assert not reply.from_cache  # asked again: nothing of the old file was read
    assert (tmp_path / "cache" / "http.sqlite.pickle-old").is_file()
    said = [r.getMessage() for r in caplog.records if "set aside" in r.getMessage()]
    assert len(said) == 1 and "http.sqlite.pickle-old" in said[0]
    with make_client(tmp_path, clock) as client:  # the new cache is kept from then on
        assert client.get_json("dblp", DBLP, {"q": "x"}).from_cache


def test_a_pickle_planted_in_the_json_cache_never_runs(tmp_path: Path, mocked, clock) -> None:
    mocked.get(DBLP, json=NO_HITS)
    with make_client(tmp_path, clock) as client:
        client.get_json("dblp", DBLP, {"q": "x"})
    cache_file = tmp_path / "cache" / "http.sqlite"
    marker = tmp_path / "code-ran"
    assert _plant_pickle(cache_file, marker) == 1
    with make_client(tmp_path, clock) as client:
        reply = client.get_json("dblp", DBLP, {"q": "x"})
    assert not marker.exists()
    assert reply.data == NO_HITS and not reply.from_cache  # an unreadable entry is a miss
    assert len(mocked.calls) == 2
