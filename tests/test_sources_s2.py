"""Semantic Scholar source: paper parsing and id choice (pure), then the source via the client.

Shapes follow apis.md §2.4-2.6 (recorded cassettes); paper facts come from the
fixtures; paperIds and co-authors are synthetic ("fixture-...", "Ann Example").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from enrich.http import HttpClient, HttpConfig, ServiceError
from enrich.models import Author, Candidate, Entry, Identifiers
from enrich.sources.base import PartialFetch
from enrich.sources.s2 import (
    BATCH_LIMIT,
    FIELDS,
    S2Source,
    paper_id,
    parse_paper,
    title_query,
)

RECORDED_MATCH = {  # apis.md §2.5, danielnsilva cassette (real record), abbreviated
    "paperId": "6fe8c5bf8dddaadf10c765133d38dfef5714347f",
    "externalIds": {
        "MAG": "2998574808",
        "DBLP": "conf/sigmod/AgrawalIS93",
        "DOI": "10.1145/170035.170072",
        "CorpusId": 490415,
    },
    "corpusId": 490415,
    "publicationVenue": None,
    "url": "https://www.semanticscholar.org/paper/6fe8c5bf8dddaadf10c765133d38dfef5714347f",
    "title": "Mining association rules between sets of items in large databases",
    "abstract": "We are given a large database ...",
    "venue": "SIGMOD Conference",
    "year": 1993,
    "citationCount": 16127,
    "isOpenAccess": True,
    "openAccessPdf": {
        "url": "https://dl.acm.org/doi/pdf/10.1145/170036.170072",
        "status": "BRONZE",
    },
    "authors": [{"authorId": "144947410", "name": "R. Agrawal"}],
    "matchScore": 109.24948,
}
HOROVOD = {  # fixture facts (arXiv-only paper); ids and co-author synthetic
    "paperId": "fixture-horovod",
    "corpusId": None,
    "externalIds": {"ArXiv": "1802.05799", "DOI": "10.48550/arXiv.1802.05799"},
    "url": "https://www.semanticscholar.org/paper/fixture-horovod",
    "title": "Horovod: fast and easy distributed deep learning in TensorFlow",
    "venue": "arXiv.org",
    "year": 2018,
    "citationCount": None,
    "isOpenAccess": True,
    "openAccessPdf": None,
    "authors": [{"authorId": None, "name": "Example Sergeev"}, {"name": "Ann Example"}],
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            RECORDED_MATCH,
            {
                "source": "s2",
                "year": 1993,
                "venue": "SIGMOD Conference",
                "doi": "10.1145/170035.170072",
                "citation_count": 16127,
                "pdf_url": "https://dl.acm.org/doi/pdf/10.1145/170036.170072",
                "abstract": "We are given a large database ...",
                "is_preprint": False,
                "authors": (Author("R. Agrawal", s2_id="144947410"),),
                "ids": Identifiers(
                    dblp="conf/sigmod/AgrawalIS93",
                    s2="6fe8c5bf8dddaadf10c765133d38dfef5714347f",
                    corpus_id=490415,
                ),
            },
        ),
        (
            HOROVOD,
            {
                "is_preprint": True,
                "pdf_url": None,
                "citation_count": None,
                "doi": "10.48550/arXiv.1802.05799",
                "authors": (Author("Example Sergeev"), Author("Ann Example")),
                "ids": Identifiers(s2="fixture-horovod", arxiv="1802.05799"),
            },
        ),
        # venue "" is unknown; a closed paper's openAccessPdf has an empty url; bogus DOI
        (
            {
                "paperId": "fixture-x",
                "title": "T",
                "venue": "",
                "year": None,
                "openAccessPdf": {"url": "", "status": None},
                "externalIds": {"DOI": "not-a-doi"},
                "authors": None,
            },
            {"venue": None, "pdf_url": None, "doi": None, "year": None, "authors": ()},
        ),
        # corpusId only inside externalIds; no abstract asked for
        (
            {"paperId": "fixture-y", "title": "U", "externalIds": {"CorpusId": 42}},
            {"ids": Identifiers(s2="fixture-y", corpus_id=42), "abstract": None},
        ),
    ],
    ids=["recorded-match", "arxiv-only", "nulls-and-empties", "corpus-id-in-external"],
)
def test_parse_paper_reads_every_documented_field(raw: dict, expected: dict) -> None:
    candidate = parse_paper(raw)
    assert candidate is not None
    assert {name: getattr(candidate, name) for name in expected} == expected


@pytest.mark.parametrize("raw", [None, {}, {"paperId": "fixture-z", "title": ""}, "x"])
def test_parse_paper_none_for_missing_records(raw: Any) -> None:
    assert parse_paper(raw) is None


def known(doi: str | None = None, **ids: Any) -> Candidate:
    return Candidate(source="dblp", title="T", doi=doi, ids=Identifiers(**ids))


@pytest.mark.parametrize(
    ("paper", "expected"),
    [
        (known(s2="fixture-a", doi="10.1145/3600006.3613165"), "fixture-a"),
        (known(corpus_id=7, doi="10.1145/3600006.3613165"), "CorpusId:7"),
        (known(doi="10.1145/3600006.3613165", arxiv="2309.06180"), "DOI:10.1145/3600006.3613165"),
        (known(arxiv="2309.06180", dblp="conf/sosp/KwonLZ0ZY0ZS23"), "ARXIV:2309.06180"),
        # S2 does not resolve DBLP: ids (apis.md §2.3): such a paper goes to the title match
        (known(dblp="conf/osdi/YuJKKC22"), None),
        (known(), None),
    ],
)
def test_paper_id_prefers_the_most_direct_identifier(
    paper: Candidate, expected: str | None
) -> None:
    assert paper_id(paper) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Mining association rules between sets of items in large databases.",
            "Mining association rules between sets of items in large databases",
        ),
        (
            "Optimus-CC: Efficient Large NLP Model Training",
            "Optimus CC Efficient Large NLP Model Training",
        ),
        ("μLayer: Low Latency", "μLayer Low Latency"),
    ],
)
def test_title_query_drops_hyphens_and_trailing_dot(title: str, expected: str) -> None:
    assert title_query(title) == expected


# --- through the real HTTP client, with `responses` ---------------------------------------

S2 = "https://api.semanticscholar.org/graph/v1"
PAELLA_LIST = "Paella: Low-latency Model Serving with Virtualized GPU Scheduling"
PAELLA = {  # fixture facts: the published title differs from the list's
    "paperId": "fixture-paella", "corpusId": None,
    "externalIds": {"DOI": "10.1145/3600006.3613163"},
    "url": "https://www.semanticscholar.org/paper/fixture-paella",
    "title": "Paella: Low-latency Model Serving with Software-defined GPU Scheduling",
    "venue": "SOSP", "year": 2023, "citationCount": None, "openAccessPdf": None,
    "authors": [{"authorId": None, "name": "Example Ng"}],
}  # fmt: skip


def echo_batch(request: Any) -> tuple[int, dict[str, str], str]:
    """A batch answer: a record for ids naming a DOI, null for the rest, in order."""
    ids = json.loads(request.body)["ids"]
    papers = [
        {"paperId": f"fixture-{n}", "title": f"T{n}", "externalIds": {"DOI": i[4:]}}
        if i.startswith("DOI:") else None
        for n, i in enumerate(ids)
    ]  # fmt: skip
    return 200, {}, json.dumps(papers)


def batch_calls() -> list[tuple[list[str], dict[str, list[str]]]]:
    return [
        (json.loads(call.request.body)["ids"], parse_qs(urlsplit(call.request.url).query))
        for call in responses.calls
    ]


@responses.activate
def test_fetch_chunks_and_maps_nulls_back_by_position(client: HttpClient) -> None:
    responses.add_callback(responses.POST, f"{S2}/paper/batch", callback=echo_batch)
    papers = [
        known(doi="10.1145/3600006.3613165"),
        known(dblp="conf/osdi/YuJKKC22"),  # no id S2 documents: not sent
        known(arxiv="1802.05799"),  # sent, S2 answers null
        known(doi="10.1145/3600006.3613163"),
        known(doi="10.1145/3341301.3359646"),
    ]
    found = S2Source(client, batch_size=2).fetch(papers)
    assert [c.doi if c else None for c in found] == [
        "10.1145/3600006.3613165",
        None,
        None,
        "10.1145/3600006.3613163",
        "10.1145/3341301.3359646",
    ]
    calls = batch_calls()
    assert [ids for ids, _ in calls] == [
        ["DOI:10.1145/3600006.3613165", "ARXIV:1802.05799"],
        ["DOI:10.1145/3600006.3613163", "DOI:10.1145/3341301.3359646"],
    ]
    assert all(params == {"fields": [",".join(FIELDS)]} for _, params in calls)


@responses.activate
def test_fetch_default_chunk_is_the_documented_maximum(client: HttpClient) -> None:
    responses.add_callback(responses.POST, f"{S2}/paper/batch", callback=echo_batch)
    papers = [known(doi=f"10.9999/example.{n}") for n in range(BATCH_LIMIT + 1)]
    found = S2Source(client).fetch(papers)
    assert [len(ids) for ids, _ in batch_calls()] == [BATCH_LIMIT, 1]
    assert [c.doi if c else None for c in found] == [p.doi for p in papers]


def test_fetch_nothing_askable_sends_nothing(client: HttpClient) -> None:
    with responses.RequestsMock() as mocked:  # any request would fail the test
        assert S2Source(client).fetch([known(dblp="conf/nsdi/HwangKKSP21"), known()]) == [
            None,
            None,
        ]
        assert len(mocked.calls) == 0


@pytest.mark.parametrize(
    ("answer", "what"),
    [
        ([None], "holds 1 entries for the 2 ids sent"),
        ({"data": [None, None]}, "the batch answer is an object, not a list"),
        ([None, "fixture-junk"], "the batch answer[1] is a string, not an object"),
    ],
)
@responses.activate
def test_fetch_rejects_a_batch_answer_of_the_wrong_shape(
    client: HttpClient, answer: Any, what: str
) -> None:
    """Retried like a 5xx, then reported: never cached, never "S2 knows none of them"."""
    responses.post(f"{S2}/paper/batch", json=answer)
    papers = [known(doi="10.9999/example.1"), known(doi="10.9999/example.2")]
    for _ in range(2):
        with pytest.raises(PartialFetch, match="unexpected shape") as raised:
            S2Source(client).fetch(papers)
        assert what in str(raised.value) and raised.value.failed == {0, 1}
    assert len(responses.calls) == 2 * client.config.attempts


@responses.activate
def test_find_uses_the_title_match_first(client: HttpClient) -> None:
    responses.get(f"{S2}/paper/search/match", json={"data": [{**PAELLA, "matchScore": 150.2}]})
    found = S2Source(client).find(Entry(title=PAELLA_LIST, file="l.md", lines=(3,)))
    assert [(c.title, c.doi) for c in found] == [(PAELLA["title"], "10.1145/3600006.3613163")]
    params = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert params == {
        "query": ["Paella Low latency Model Serving with Virtualized GPU Scheduling"],
        "fields": [",".join(FIELDS)],
    }
    assert len(responses.calls) == 1


@responses.activate
def test_title_match_404_is_empty_and_falls_back_to_search(client: HttpClient) -> None:
    responses.get(f"{S2}/paper/search/match", status=404, json={"error": "Title match not found"})
    responses.get(f"{S2}/paper/search", json={"total": 1, "offset": 0, "data": [PAELLA]})
    found = S2Source(client, abstracts=True).find(Entry(title=PAELLA_LIST, file="l", lines=(1,)))
    assert [c.ids.s2 for c in found] == ["fixture-paella"]
    search = parse_qs(urlsplit(responses.calls[1].request.url).query)
    assert search["limit"] == ["5"]
    assert search["fields"] == [",".join((*FIELDS, "abstract"))]


@responses.activate
def test_nothing_anywhere_is_an_empty_list(client: HttpClient) -> None:
    responses.get(f"{S2}/paper/search/match", status=404, json={"error": "Title match not found"})
    responses.get(f"{S2}/paper/search", json={"total": 0, "offset": 0})  # no `data` key
    assert S2Source(client).find(Entry(title="No Such Paper", file="l", lines=(1,))) == []


def test_batch_size_above_the_documented_maximum_is_refused(client: HttpClient) -> None:
    with pytest.raises(ValueError, match="500"):
        S2Source(client, batch_size=BATCH_LIMIT + 1)


def test_no_valid_paper_ids_is_cached_so_reruns_and_offline_runs_ask_nothing(tmp_path) -> None:
    """The 400 is S2's definitive "none of these": a warm rerun sends nothing, and an offline
    run answers from the cache instead of counting the papers not cached."""
    papers = [known(doi="10.9999/example.1"), known(arxiv="0000.00000")]
    cache = tmp_path / "http.sqlite"
    with responses.RequestsMock() as mocked:
        mocked.post(f"{S2}/paper/batch", status=400, json={"error": "No valid paper ids given"})
        for _ in range(2):
            with HttpClient(HttpConfig(cache_path=cache)) as http:
                assert S2Source(http).fetch(papers) == [None, None]
        assert len(mocked.calls) == 1
    with (
        responses.RequestsMock() as mocked,
        HttpClient(HttpConfig(cache_path=cache, offline=True)) as offline,
    ):
        assert S2Source(offline).fetch(papers) == [None, None]
        assert offline.stats.not_cached == {} and offline.stats.cache_hits == {"s2": 1}
        assert len(mocked.calls) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"error": "Unrecognized or unsupported fields: [unknown]"},  # a real 400 (apis.md §2.6)
        {"message": "No valid paper ids given"},  # the words, but not S2's `error`
    ],
)
@responses.activate
def test_any_other_400_is_a_failure_and_not_cached(client: HttpClient, body: dict) -> None:
    responses.post(f"{S2}/paper/batch", status=400, json=body)
    for _ in range(2):
        with pytest.raises(PartialFetch, match="HTTP 400"):
            S2Source(client).fetch([known(doi="10.9999/example.1")])
    assert len(responses.calls) == 2  # not retried (asking again gives the same), not cached


REAL_S2 = Path(__file__).parent / "fixtures" / "real-responses" / "s2"


def _recorded_papers(name: str) -> list[dict[str, Any]]:
    body = json.loads((REAL_S2 / name).read_text(encoding="utf-8"))
    return body["data"] if isinstance(body, dict) else [p for p in body if p]


@pytest.mark.parametrize(
    ("raw", "entry_type", "container", "preprint"),
    [
        # real: a SIGMOD paper typed JournalArticle, Book and Conference; its "journal" is
        # the proceedings and publicationVenue is null
        (_recorded_papers("test_search_paper_match_title@3a3f797__0.body")[0], "inproceedings",
         "Proceedings of the 1993 ACM SIGMOD international conference on Management of data",
         False),
        ({"title": "An Example Article", "publicationTypes": ["JournalArticle"],
          "journal": {"name": "Example Journal of Systems", "volume": "7", "pages": " 1-20"},
          "publicationVenue": {"name": "Example Journal Venue", "type": "journal"}},
         "article", "Example Journal of Systems", False),
        ({"title": "An Example Conference Paper", "publicationTypes": ["Conference"],
          "venue": "SOSP", "publicationVenue": {"name": "Symposium on Operating Systems "
                                                "Principles", "type": "conference"}},
         "inproceedings", "Symposium on Operating Systems Principles", False),
        ({"title": "An Example Preprint", "publicationTypes": ["JournalArticle"],
          "venue": "arXiv.org", "journal": {"name": "ArXiv", "volume": "abs/0000.00000"}},
         "misc", None, True),
        ({"title": "Untyped", "publicationTypes": None, "journal": None}, "misc", None, False),
    ],
)  # fmt: skip
def test_publication_types_give_type_and_container(
    raw: dict, entry_type: str, container: str | None, preprint: bool
) -> None:
    paper = parse_paper(raw)
    assert paper is not None
    assert (paper.entry_type, paper.venue_full, paper.is_preprint) == (
        entry_type,
        container,
        preprint,
    )
    if preprint:
        assert paper.volume is None


def test_every_recorded_paper_parses() -> None:
    for path in sorted(REAL_S2.glob("*.body")):
        body = json.loads(path.read_text(encoding="utf-8"))
        papers = body.get("data", []) if isinstance(body, dict) else body
        for raw in papers or []:
            if raw is not None and raw.get("title"):
                assert parse_paper(raw) is not None, path.name


def test_journal_volume_and_pages_are_kept() -> None:
    paper = parse_paper(
        {"title": "An Example Article", "publicationTypes": ["JournalArticle"],
         "journal": {"name": "Example Journal of Systems", "volume": "7", "pages": "\n 1-20 "}}
    )  # fmt: skip
    assert paper is not None and (paper.volume, paper.pages) == ("7", "1-20")


@responses.activate
def test_no_valid_paper_ids_is_an_answer_not_a_failure(client: HttpClient) -> None:
    """The real S2 refuses a batch none of whose ids it knows with this 400."""
    responses.post(f"{S2}/paper/batch", status=400, json={"error": "No valid paper ids given"})
    found = S2Source(client).fetch([known(doi="10.9999/example.1"), known(arxiv="0000.00000")])
    assert found == [None, None]


@responses.activate
def test_a_failed_batch_costs_only_its_own_papers(client: HttpClient) -> None:
    """The recorded 500 body (test_get_papers@e02220e) for the first batch, answers after."""
    failing = (REAL_S2 / "test_get_papers@e02220e__1.body").read_text(encoding="utf-8")

    def first_fails(request: Any) -> tuple[int, dict[str, str], str]:
        ids = json.loads(request.body)["ids"]
        return (500, {}, failing) if ids[0].endswith(".1") else echo_batch(request)

    responses.add_callback(responses.POST, f"{S2}/paper/batch", callback=first_fails)
    papers = [known(doi="10.9999/example.1"), known(doi="10.9999/example.2")]
    with pytest.raises(PartialFetch) as raised:
        S2Source(client, batch_size=1).fetch(papers)
    assert raised.value.failed == {0}
    assert [c.doi if c else None for c in raised.value.results] == [None, "10.9999/example.2"]


@responses.activate
def test_forbidden_with_a_key_names_the_key(tmp_path) -> None:
    forbidden = (REAL_S2 / "test_debug@HEAD__0.body").read_text(encoding="utf-8")
    responses.post(f"{S2}/paper/batch", status=403, body=forbidden)
    config = HttpConfig(cache_path=tmp_path / "c.sqlite", s2_api_key="fixture-wrong-key",
                        attempts=1)  # fmt: skip
    with HttpClient(config) as keyed, pytest.raises(ServiceError) as raised:
        S2Source(keyed).fetch([known(doi="10.9999/example.1")])
    assert "HTTP 403 Forbidden: Forbidden (is S2_API_KEY right?)" in str(raised.value)
    assert "fixture-wrong-key" not in str(raised.value)
