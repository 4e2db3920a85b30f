"""Every body the real services sent (tests/fixtures/real-responses), replayed through the
HTTP client and the source that would receive it, with `responses`.

One row per fixture file: where the body is replayed (the route), and what must follow.
Parsed bodies become the candidates the body itself names, and are cached (the second ask
sends nothing); error bodies are a ServiceError, retried if worth it, and never cached.
Statuses and content types of S2's bodies are the recorded ones (its *.index.json).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import responses

from enrich.http import HttpClient, HttpConfig, ServiceError
from enrich.models import Candidate, Entry, Identifiers
from enrich.sources import DblpSource, S2Source
from enrich.sources.s2 import parse_paper

REAL = Path(__file__).parent / "fixtures" / "real-responses"
DBLP_BASE = "https://dblp.org"
S2_GRAPH = "https://api.semanticscholar.org/graph/v1"
FAKE_KEY = "fixture-wrong-key"


@dataclass(frozen=True)
class Row:
    fixture: str  # under real-responses/
    route: str  # dblp.search, dblp.export, s2.batch, s2.match, s2.search, s2.paper
    outcome: str  # parsed, none-known, not-found, or the text a ServiceError must hold
    status: int = 200  # DBLP's (S2's come from the recording)
    content_type: str = "application/json"
    key: bool = False  # an S2 API key is configured (the recorded 403 was sent with one)


ROWS = [
    Row("dblp/chrjabs_small_test.json", "dblp.search", "parsed"),
    Row("dblp/chrjabs_single_EDITED_by_author.json", "dblp.search", "parsed"),
    Row("dblp/tp2_search_test_30hits.json", "dblp.search", "parsed"),
    Row("dblp/x402_perceptrons_minsky_trimmed.json", "dblp.search", "parsed"),
    Row("dblp/doc_attention_query_echo_trimmed.json", "dblp.search", "parsed"),
    Row("dblp/sls_tvcg_HanJLLDW23_trimmed.json", "dblp.search", "parsed"),
    Row("dblp/csrankings_5945_author_api_429_partial.html", "dblp.search", "rate limited",
        status=429, content_type="text/html"),
    Row("dblp/bibtex-dblp_ley_standard_2019.bib", "dblp.export", "parsed",
        content_type="text/x-bibtex"),
    # the record XML, where the source asks for the BibTeX export: no answer
    *(Row(f"dblp/{path.name}", "dblp.export", "not BibTeX", content_type="application/xml")
      for path in sorted((REAL / "dblp").glob("*.xml"))),
    Row("s2/test_search_paper_match_title@3a3f797__0.body", "s2.match", "parsed"),
    Row("s2/test_search_paper_match_title@HEAD__0.body", "s2.match", "parsed"),
    Row("s2/test_get_papers@HEAD__0.body", "s2.batch", "parsed"),
    Row("s2/test_get_papers@e02220e__0.body", "s2.batch", "parsed"),
    Row("s2/test_get_papers@e02220e__1.body", "s2.batch", "HTTP 500 Internal Server Error after"),
    Row("s2/test_get_papers_not_found_warning@HEAD__0.body", "s2.batch", "parsed"),
    Row("s2/test_get_papers_return_not_found@HEAD__0.body", "s2.batch", "parsed"),
    Row("s2/test_debug@HEAD__0.body", "s2.batch", "Forbidden (is S2_API_KEY right?)", key=True),
    Row("s2/test_bad_query_parameters@HEAD__0.body", "s2.batch",
        "HTTP 400 Bad Request: Unrecognized or unsupported fields: [unknown]"),
    Row("s2/SemanticScholarTest.test_search_paper@6222d16__0.body", "s2.search", "rate limited"),
    Row("s2/SemanticScholarTest.test_search_paper@6222d16__1.body", "s2.search", "rate limited"),
    Row("s2/SemanticScholarTest.test_search_paper@6222d16__2.body", "s2.search", "parsed"),
    Row("s2/test_empty_paginated_results@HEAD__0.body", "s2.search", "parsed"),
    Row("s2/test_search_paper@HEAD__0.body", "s2.search", "parsed"),
    Row("s2/test_search_paper_publication_types@HEAD__0.body", "s2.search", "parsed"),
    Row("s2/test_search_paper_publication_types@HEAD__1.body", "s2.search", "parsed"),
    Row("s2/test_search_paper_traversing_results@0fa8aac__0.body", "s2.search", "parsed"),
    Row("s2/test_search_paper_venue@HEAD__0.body", "s2.search", "parsed"),
    Row("s2/test_search_paper_year@HEAD__0.body", "s2.search", "parsed"),
    # GET /paper/{id}: no source asks it, so through the client alone, at the recorded URI
    Row("s2/test_get_paper@HEAD__0.body", "s2.paper", "parsed"),
    Row("s2/test_not_found@HEAD__0.body", "s2.paper", "not-found"),
    Row("s2/test_not_found@HEAD__1.body", "s2.paper", "not-found"),
]  # fmt: skip


def recorded(row: Row) -> dict[str, Any]:
    """The recorded interaction of an S2 body: method, uri, status, content type."""
    name, number = row.fixture.removeprefix("s2/").removesuffix(".body").rsplit("__", 1)
    interactions = json.loads((REAL / "s2" / f"{name}.index.json").read_text("utf-8"))
    return next(i for i in interactions if i["n"] == int(number))


def status_and_type(row: Row) -> tuple[int, str]:
    if row.fixture.startswith("s2/"):
        interaction = recorded(row)
        return interaction["status"], interaction["content_type"]
    return row.status, row.content_type


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


# --- what each route asks, and what its body names ---------------------------------------------


def ask_dblp_search(client: HttpClient, body: str) -> Any:
    return [c.ids.dblp for c in DblpSource(client, mirrors=()).search("replayed query")]


def named_by_dblp_search(body: str) -> Any:
    hits = json.loads(body)["result"]["hits"]
    return [hit["info"]["key"] for hit in as_list(hits.get("hit")) if hit["info"].get("title")]


def bib_keys(body: str) -> list[str]:
    return re.findall(r"^@\w+\{DBLP:([^,\s]+),", body, flags=re.MULTILINE)


def ask_dblp_export(client: HttpClient, body: str) -> Any:
    """Every record of the file, each asked as its own export (one URL per key)."""
    source = DblpSource(client, mirrors=())
    keys = bib_keys(body) or ["conf/dac/ZhangYY21"]
    return [_year_of(source.export(key)) for key in keys]


def named_by_dblp_export(body: str) -> Any:
    """Each entry's year, as its own `year` field says."""
    entries = re.split(r"^(?=@)", body, flags=re.MULTILINE)
    years = {}
    for entry in entries:
        key = re.match(r"@\w+\{DBLP:([^,\s]+),", entry)
        year = re.search(r"^\s*year\s*=\s*\{(\d{4})\}", entry, flags=re.MULTILINE)
        if key:
            years[key.group(1)] = int(year.group(1)) if year else None
    return [years[key] for key in bib_keys(body)]


def _year_of(candidate: Candidate | None) -> int | None:
    assert candidate is not None
    return candidate.year


def ask_s2_batch(client: HttpClient, body: str) -> Any:
    sent = len(json.loads(body)) if body.lstrip().startswith("[") else 3
    papers = [Candidate(source="dblp", title="T", doi=f"10.9999/example.{n}") for n in range(sent)]
    return [c.title if c else None for c in S2Source(client).fetch(papers)]


def named_by_s2_batch(body: str) -> Any:
    return [(paper or {}).get("title") for paper in json.loads(body)]


def ask_s2_find(client: HttpClient, body: str) -> Any:
    entry = Entry(title="A Replayed Example Title", file="list.md", lines=(1,))
    return [c.title for c in S2Source(client).find(entry)]


def named_by_s2_data(body: str) -> Any:
    return [paper["title"] for paper in json.loads(body).get("data") or [] if paper.get("title")]


def ask_s2_paper(client: HttpClient, body: str, uri: str) -> Any:
    reply = client.get_json("s2", uri)
    paper = parse_paper(reply.data) if reply.status == 200 else None
    return reply.status if reply.status != 200 else (paper.title if paper else None)


ROUTES: dict[str, tuple[Callable[..., Any], Callable[[str], Any]]] = {
    "dblp.search": (ask_dblp_search, named_by_dblp_search),
    "dblp.export": (ask_dblp_export, named_by_dblp_export),
    "s2.batch": (ask_s2_batch, named_by_s2_batch),
    "s2.match": (ask_s2_find, named_by_s2_data),
    "s2.search": (ask_s2_find, named_by_s2_data),
}


def mock(row: Row, body: str, mocked: responses.RequestsMock) -> str | None:
    """Serve the body where the row's route asks; the recorded URI for s2.paper."""
    status, content_type = status_and_type(row)
    served = {"status": status, "body": body, "content_type": content_type}
    if row.route == "dblp.search":
        mocked.get(f"{DBLP_BASE}/search/publ/api", **served)
    elif row.route == "dblp.export":
        mocked.get(re.compile(re.escape(f"{DBLP_BASE}/rec/") + r".+\.bib"), **served)
    elif row.route == "s2.batch":
        mocked.post(f"{S2_GRAPH}/paper/batch", **served)
    elif row.route == "s2.match":
        mocked.get(f"{S2_GRAPH}/paper/search/match", **served)
    elif row.route == "s2.search":
        # the match has none (stated by several clients, no recorded body): the search follows
        miss = {"error": "Title match not found"}
        mocked.get(f"{S2_GRAPH}/paper/search/match", status=404, json=miss)
        mocked.get(f"{S2_GRAPH}/paper/search", **served)
    else:
        uri = recorded(row)["uri"]
        mocked.get(uri.split("?", 1)[0], **served)
        return uri
    return None


def client_for(tmp_path: Path, row: Row) -> HttpClient:
    return HttpClient(
        HttpConfig(
            cache_path=tmp_path / "http.sqlite",
            rates={"dblp": 1000.0, "s2": 1000.0},
            attempts=3,
            backoff_initial=0.0,
            backoff_max=0.0,
            max_retry_after=0.0,
            s2_api_key=FAKE_KEY if row.key else None,
        )
    )


@pytest.mark.parametrize("row", ROWS, ids=[row.fixture for row in ROWS])
def test_every_real_body_leads_to_the_right_behaviour(tmp_path: Path, row: Row) -> None:
    body = (REAL / row.fixture).read_text(encoding="utf-8")
    status, _ = status_and_type(row)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        uri = mock(row, body, mocked)
        with client_for(tmp_path, row) as client:
            ask: Callable[[], Any]
            if row.route == "s2.paper":
                assert uri is not None
                ask = partial(ask_s2_paper, client, body, uri)
                named = status if row.outcome == "not-found" else json.loads(body)["title"]
            else:
                route, names = ROUTES[row.route]
                ask = partial(route, client, body)
                named = names(body) if row.outcome == "parsed" else None
            if row.outcome in ("parsed", "not-found"):
                assert ask() == named
                sent = len(mocked.calls)
                assert ask() == named  # answered from the cache
                assert len(mocked.calls) == sent
                assert client.stats.failures == {}
                return
            for _ in range(2):
                with pytest.raises(ServiceError) as raised:
                    ask()
                assert row.outcome in str(raised.value)
                assert FAKE_KEY not in str(raised.value)
            retried = status == 200 or status >= 429
            asked = [c for c in mocked.calls if "/search/match" not in c.request.url]
            assert len(asked) == 2 * (client.config.attempts if retried else 1)  # never cached


def test_the_table_replays_every_recorded_body() -> None:
    files = {
        str(path.relative_to(REAL))
        for path in REAL.rglob("*")
        if path.is_file() and path.name != "README.md" and not path.name.endswith(".index.json")
    }
    assert files == {row.fixture for row in ROWS}


def test_the_recorded_429s_then_the_answer_as_the_cassette_had_them(tmp_path: Path) -> None:
    """test_search_paper@6222d16: 429, 429 (no Retry-After), then 200: one lookup."""
    cassette = "SemanticScholarTest.test_search_paper@6222d16"
    rows = [Row(f"s2/{cassette}__{n}.body", "s2.search", "") for n in range(3)]
    with responses.RequestsMock() as mocked, client_for(tmp_path, rows[0]) as client:
        mocked.get(f"{S2_GRAPH}/paper/search/match", status=404, json={"error": "none"})
        for row in rows:
            interaction = recorded(row)
            assert "Retry-After" not in interaction["headers"]
            body = (REAL / row.fixture).read_text(encoding="utf-8")
            mocked.get(f"{S2_GRAPH}/paper/search", status=interaction["status"], body=body,
                       content_type=interaction["content_type"])  # fmt: skip
        last = (REAL / rows[-1].fixture).read_text(encoding="utf-8")
        assert ask_s2_find(client, last) == named_by_s2_data(last)
        assert (client.stats.throttled, client.stats.retries) == ({"s2": 2}, {"s2": 2})


def test_the_stated_no_valid_ids_400_is_every_id_unknown_and_cached(tmp_path: Path) -> None:
    """No recorded body exists (README): several projects state this one. S2 answers it
    for a batch none of whose ids it knows."""
    row = Row("stated", "s2.batch", "none-known")
    papers = [Candidate(source="dblp", title="T", ids=Identifiers(arxiv="0000.00000"))] * 2
    with responses.RequestsMock() as mocked, client_for(tmp_path, row) as client:
        mocked.post(f"{S2_GRAPH}/paper/batch", status=400,
                    json={"error": "No valid paper ids given"})  # fmt: skip
        assert S2Source(client).fetch(papers) == [None, None]
        assert S2Source(client).fetch(papers) == [None, None]
        assert len(mocked.calls) == 1 and client.stats.cache_hits == {"s2": 1}
