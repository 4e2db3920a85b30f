"""DBLP source: query building and hit parsing (pure), then the source through the real client.

Hit shapes follow apis.md §1.5/§1.6 (recorded envelopes); paper facts come from
tests/fixtures/papers_part1.json, synthetic values look synthetic ("Example", conf/.../Example..).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from responses.matchers import query_param_matcher

from enrich.http import Expect, HttpClient, JsonReply, NotCached, ServiceError
from enrich.models import Author, Entry
from enrich.sources.dblp import DblpSource, parse_hit, parse_hits, query_words, title_queries


def envelope(*infos: dict[str, Any], total: str | None = None, single: bool = False) -> dict:
    """A search answer in DBLP's recorded envelope; `single` sends one hit as a bare object."""
    hits: dict[str, Any] = {
        "@total": total or str(len(infos)),
        "@computed": str(len(infos)),
        "@sent": str(len(infos)),
        "@first": "0",
    }
    items = [
        {"@score": "5", "@id": str(100 + i), "info": info, "url": f"URL#{100 + i}"}
        for i, info in enumerate(infos)
    ]
    if items:
        hits["hit"] = items[0] if single else items
    return {
        "result": {
            "query": "q*",
            "status": {"@code": "200", "text": "OK"},
            "time": {"@unit": "msecs", "text": "1.00"},
            "hits": hits,
        }
    }


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # ':' would read as a facet, '-' as NOT; the trailing period goes.
        (
            "BERT: Pre-training of Deep Bidirectional Transformers.",
            "bert pre training of deep bidirectional transformers",
        ),
        # a diacritic switches DBLP to exact matching; Greek is spelled out
        ("μLayer: Low Latency On-Device Inference", "mulayer low latency on device inference"),
        ("Achieving μs-scale Preemption", "achieving mus scale preemption"),
        ("Málaga “quoted” 'single' \"double\" $exact a|b", "malaga quoted single double exact"),
        # one-letter leftovers of apostrophes and slashes would prefix-match anything
        ("Facebook\u2019s DNN-based GPU/CPU Clusters", "facebook dnn based gpu cpu clusters"),
        ("Optimus-CC: 3D Parallelism", "optimus cc 3d parallelism"),
    ],
)
def test_query_words_keep_only_what_dblp_matches(title: str, expected: str) -> None:
    assert " ".join(query_words(title)) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # Orca: the list rewords the subtitle; the name before the colon still finds it
        (
            "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks",
            [
                "orca distributed serving system for transformer based language generation tasks",
                "orca",
                "distributed transformer generation",
            ],
        ),
        # no colon: the full title, then its longest words (Microsecond-scale Preemption...)
        (
            "Achieving μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
            [
                "achieving mus scale preemption for concurrent gpu accelerated dnn inferences",
                "accelerated preemption concurrent",
            ],
        ),
        # a short title whose longest words are the title itself: no repeated query
        (
            "Large Scale Distributed Deep Networks",
            ["large scale distributed deep networks", "distributed networks large"],
        ),
        ("MLPerf Inference Benchmark", ["mlperf inference benchmark"]),
        ("", []),
    ],
)
def test_title_queries_relax_in_few_steps(title: str, expected: list[str]) -> None:
    assert title_queries(title) == expected


@pytest.mark.parametrize(
    ("title", "year", "expected"),
    [
        # DBLP sends only the first h hits of "orca"; the label's year, give or take one,
        # narrows the name first, and the bare name follows if that finds nothing
        (
            "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks",
            2022,
            [
                "orca distributed serving system for transformer based language generation tasks",
                "orca 2021|2022|2023",
                "orca",
                "distributed transformer generation 2021|2022|2023",
                "distributed transformer generation",
            ],
        ),
        # a name-only bullet: "[SOSP '19] Nexus"
        ("Nexus", 2019, ["nexus 2018|2019|2020", "nexus"]),
        # a long title is specific enough without its year
        (
            "PipeDream: Generalized Pipeline Parallelism for DNN Training",
            2019,
            [
                "pipedream generalized pipeline parallelism for dnn training",
                "pipedream 2018|2019|2020",
                "pipedream",
                "generalized parallelism pipedream 2018|2019|2020",
                "generalized parallelism pipedream",
            ],
        ),
    ],
)
def test_short_steps_are_first_narrowed_to_the_labels_year(
    title: str, year: int, expected: list[str]
) -> None:
    assert title_queries(title, year) == expected


RECORDED_ATS = {  # apis.md §1.5, chrjabs/dblp-helper recording (real record)
    "authors": {
        "author": [
            {"@pid": "28/2391", "text": "Tsuyoshi Shinogi"},
            {"@pid": "91/2238", "text": "Hiroyuki Yamada"},
        ]
    },
    "title": "A Test Cost Reduction Method by Test Response and Test Vector Overlapping for "
    "Full-Scan Test Architecture.",
    "venue": "Asian Test Symposium",
    "pages": "366-371",
    "year": "2005",
    "type": "Conference and Workshop Papers",
    "access": "closed",
    "key": "conf/ats/ShinogiYHTY05",
    "doi": "10.1109/ATS.2005.17",
    "ee": "https://doi.org/10.1109/ATS.2005.17",
    "url": "https://dblp.org/rec/conf/ats/ShinogiYHTY05",
}
RECORDED_BOOK = {  # apis.md §1.5, x402 recording: a book without doi, ee or access
    "authors": {
        "author": [
            {"@pid": "m/MarvinMinsky", "text": "Marvin Minsky"},
            {"@pid": "p/SeymourPapert", "text": "Seymour Papert"},
        ]
    },
    "title": "Perceptrons: An Introduction to Computational Geometry.",
    "venue": "MIT Press",
    "year": "1969",
    "type": "Books and Theses",
    "key": "books/daglib/0066902",
    "url": "https://dblp.org/rec/books/daglib/0066902",
}
RECORDED_SINGLE_AUTHOR = {  # one author as an object, no trailing period
    "authors": {"author": {"@pid": "92/731", "text": "H. D. Block"}},
    "title": 'A Review of "Perceptrons" by Marvin Minsky and Seymour Papert',
    "venue": "Inf. Control.",
    "volume": "17",
    "pages": "501-522",
    "year": "1970",
    "type": "Journal Articles",
    "access": "open",
    "key": "journals/iandc/Block70",
    "doi": "10.1016/S0019-9958(70)90409-2",
    "ee": "https://doi.org/10.1016/S0019-9958(70)90409-2",
    "url": "https://dblp.org/rec/journals/iandc/Block70",
}
PAGED_ATTENTION = {  # fixture facts; given names and co-authors synthetic
    "authors": {
        "author": [
            {"@pid": "ex/kwon-0", "text": "Example Kwon"},
            {"@pid": "ex/kwon-1", "text": "Ann Example 0001"},
        ]
    },
    "title": "Efficient Memory Management for Large Language Model Serving with PagedAttention.",
    "venue": "SOSP",
    "pages": "611-626",
    "year": "2023",
    "type": "Conference and Workshop Papers",
    "access": "closed",
    "key": "conf/sosp/KwonLZ0ZY0ZS23",
    "doi": "10.1145/3600006.3613165",
    "ee": ["https://doi.org/10.1145/3600006.3613165"],
    "url": "https://dblp.org/rec/conf/sosp/KwonLZ0ZY0ZS23",
}
PAGED_ATTENTION_CORR = {  # the CoRR twin: key derived from the fixture's arXiv id
    "authors": {"author": ["Example Kwon", "Ann Example"]},  # old captures: plain strings
    "title": "Efficient Memory Management for Large Language Model Serving with PagedAttention.",
    "venue": "CoRR",
    "volume": "abs/2309.06180",
    "year": "2023",
    "type": "Informal and Other Publications",
    "access": "open",
    "key": "journals/corr/abs-2309-06180",
    "doi": "10.48550/ARXIV.2309.06180",
    "ee": "https://doi.org/10.48550/arXiv.2309.06180",
    "url": "https://dblp.org/rec/journals/corr/abs-2309-06180",
}
OLD_CORR = {  # pre-2018 CoRR key scheme (fixture: Clipper's arXiv 1612.03079), older type label
    "authors": {"author": [{"@pid": "ex/crankshaw-0", "text": "Example Crankshaw"}]},
    "title": "Clipper: A Low-Latency Online Prediction Serving System.",
    "venue": "CoRR",
    "year": "2016",
    "type": "Informal Publications",
    "key": "journals/corr/ExampleCorr16",
    "ee": ["http://arxiv.org/abs/1612.03079v2"],
    "url": "https://dblp.org/rec/journals/corr/ExampleCorr16",
}


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (
            RECORDED_ATS,
            {
                "title": "A Test Cost Reduction Method by Test Response and Test Vector "
                "Overlapping "
                "for Full-Scan Test Architecture",
                "authors": (
                    Author("Tsuyoshi Shinogi", dblp_pid="28/2391"),
                    Author("Hiroyuki Yamada", dblp_pid="91/2238"),
                ),
                "year": 2005,
                "venue": "Asian Test Symposium",
                "entry_type": "inproceedings",
                "is_preprint": False,
                "doi": "10.1109/ATS.2005.17",
                "pages": "366-371",
                "links": ("https://doi.org/10.1109/ATS.2005.17",),
                "url": "https://dblp.org/rec/conf/ats/ShinogiYHTY05",
            },
        ),
        (
            RECORDED_BOOK,
            {
                "title": "Perceptrons: An Introduction to Computational Geometry",
                "entry_type": "book",
                "doi": None,
                "links": (),
                "year": 1969,
            },
        ),
        (
            RECORDED_SINGLE_AUTHOR,
            {
                "title": 'A Review of "Perceptrons" by Marvin Minsky and Seymour Papert',
                "authors": (Author("H. D. Block", dblp_pid="92/731"),),
                "entry_type": "article",
                "volume": "17",
            },
        ),
        (
            PAGED_ATTENTION,
            {
                "authors": (
                    Author("Example Kwon", dblp_pid="ex/kwon-0"),
                    Author("Ann Example", dblp_pid="ex/kwon-1"),
                ),
                "entry_type": "inproceedings",
                "is_preprint": False,
                "venue": "SOSP",
                "links": ("https://doi.org/10.1145/3600006.3613165",),
            },
        ),
        (
            PAGED_ATTENTION_CORR,
            {
                "authors": (Author("Example Kwon"), Author("Ann Example")),
                "entry_type": "misc",
                "is_preprint": True,
                "venue": "CoRR",
                "doi": "10.48550/ARXIV.2309.06180",
                "volume": "abs/2309.06180",
            },
        ),
        (OLD_CORR, {"entry_type": "misc", "is_preprint": True, "year": 2016}),
        # venue as a list, ee as a list, bogus DOI, markup, numbers not as strings
        (
            {
                "title": "<i>μ</i>Layer: Low Latency On-Device Inference.",
                "venue": ["EuroSys", "Workshop X"],
                "year": 2019,
                "volume": 3,
                "type": "Conference and Workshop Papers",
                "key": "conf/eurosys/Example19",
                "doi": "db/conf/eurosys/eurosys2019.html",
                "ee": ["https://example.org/paper", "https://doi.org/10.1145/3302424.3303950"],
            },
            {
                "title": "μLayer: Low Latency On-Device Inference",
                "venue": "EuroSys and Workshop X",
                "year": 2019,
                "volume": "3",
                "doi": "10.1145/3302424.3303950",
                "url": "https://dblp.org/rec/conf/eurosys/Example19",
            },
        ),
        # question marks stay; venue, authors, year may be missing or junk
        (
            {"title": "Is It Possible?", "year": "", "type": "Editorship", "key": "x/Example"},
            {
                "title": "Is It Possible?",
                "venue": None,
                "authors": (),
                "year": None,
                "entry_type": "misc",
            },
        ),
    ],
    ids=[
        "recorded-ats",
        "book",
        "single-author",
        "homonym",
        "corr-new",
        "corr-old",
        "lists",
        "missing",
    ],
)
def test_parse_hit_tolerates_every_quirk(info: dict, expected: dict) -> None:
    candidate = parse_hit(info)
    assert candidate is not None
    assert candidate.source == "dblp"
    assert {name: getattr(candidate, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("info", "dblp", "arxiv"),
    [
        (PAGED_ATTENTION, "conf/sosp/KwonLZ0ZY0ZS23", None),
        (PAGED_ATTENTION_CORR, "journals/corr/abs-2309-06180", "2309.06180"),
        (OLD_CORR, "journals/corr/ExampleCorr16", "1612.03079"),
        ({**PAGED_ATTENTION_CORR, "volume": None}, "journals/corr/abs-2309-06180", "2309.06180"),
    ],
)
def test_identifiers_from_key_volume_and_links(info: dict, dblp: str, arxiv: str | None) -> None:
    candidate = parse_hit(info)
    assert candidate is not None
    assert (candidate.ids.dblp, candidate.ids.arxiv) == (dblp, arxiv)


def test_parse_hits_without_hit_key_is_empty() -> None:
    payload = envelope(total="0")
    assert "hit" not in payload["result"]["hits"]
    assert parse_hits(payload) == []


def test_parse_hits_single_hit_as_object() -> None:
    candidates = parse_hits(envelope(PAGED_ATTENTION, single=True))
    assert [c.ids.dblp for c in candidates] == ["conf/sosp/KwonLZ0ZY0ZS23"]


def test_parse_hits_keeps_order_and_skips_hits_without_title() -> None:
    candidates = parse_hits(envelope(PAGED_ATTENTION, {"key": "x/NoTitle"}, PAGED_ATTENTION_CORR))
    assert [c.ids.dblp for c in candidates] == [
        "conf/sosp/KwonLZ0ZY0ZS23",
        "journals/corr/abs-2309-06180",
    ]


@pytest.mark.parametrize("payload", [[], {"error": "x"}, {"result": {"status": {}}}, "html"])
def test_parse_hits_rejects_what_is_not_a_dblp_answer(payload: Any) -> None:
    with pytest.raises(ServiceError, match="dblp"):
        parse_hits(payload)


# --- through the real HTTP client, with `responses` ---------------------------------------

DBLP = "https://dblp.org/search/publ/api"
TRIER = "https://dblp.uni-trier.de/search/publ/api"
DAGSTUHL = "https://dblp.dagstuhl.de/search/publ/api"
ORCA_LIST = "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks"
ORCA = {  # fixture facts (published title, key); authors synthetic but for the family name
    "authors": {"author": [{"@pid": "ex/yu-0", "text": "Example Yu"},
                           {"@pid": "ex/yu-1", "text": "Ann Example"}]},
    "title": "Orca: A Distributed Serving System for Transformer-Based Generative Models.",
    "venue": "OSDI", "year": "2022", "type": "Conference and Workshop Papers",
    "key": "conf/osdi/YuJKKC22", "url": "https://dblp.org/rec/conf/osdi/YuJKKC22",
}  # fmt: skip


def entry(title: str, year: int | None = None) -> Entry:
    return Entry(title=title, file="list.md", lines=(1,), year=year)


def sent_queries(calls: Any) -> list[str]:
    return [parse_qs(urlsplit(call.request.url).query)["q"][0] for call in calls]


@responses.activate
def test_find_sends_documented_parameters(client: HttpClient) -> None:
    responses.get(DBLP, json=envelope(PAGED_ATTENTION, PAGED_ATTENTION_CORR))
    found = DblpSource(client, hits=7).find(entry(PAGED_ATTENTION["title"]))
    params = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert params == {
        "q": ["efficient memory management for large language model serving with pagedattention"],
        "format": ["json"],
        "h": ["7"],
        "c": ["0"],
    }
    assert [c.ids.dblp for c in found] == [
        "conf/sosp/KwonLZ0ZY0ZS23",
        "journals/corr/abs-2309-06180",
    ]


@pytest.mark.parametrize(
    ("payload", "keys"),
    [
        (envelope(total="0"), []),  # no `hit` key
        (envelope(ORCA, single=True), ["conf/osdi/YuJKKC22"]),  # one hit as an object
        (envelope(RECORDED_SINGLE_AUTHOR, OLD_CORR), ["journals/iandc/Block70",
                                                      "journals/corr/ExampleCorr16"]),
    ],
)  # fmt: skip
@responses.activate
def test_find_reads_quirky_envelopes_over_http(
    client: HttpClient, payload: dict, keys: list[str]
) -> None:
    responses.get(DBLP, json=payload)
    found = DblpSource(client).search("anything")
    assert [c.ids.dblp for c in found] == keys


@responses.activate
def test_find_relaxes_until_something_is_found(client: HttpClient) -> None:
    empty, orca = envelope(total="0"), envelope(ORCA)
    responses.get(
        DBLP,
        match=[query_param_matcher({"q": title_queries(ORCA_LIST)[0]}, strict_match=False)],
        json=empty,
    )
    responses.get(DBLP, match=[query_param_matcher({"q": "orca"}, strict_match=False)], json=orca)
    found = DblpSource(client).find(entry(ORCA_LIST))
    assert [c.ids.dblp for c in found] == ["conf/osdi/YuJKKC22"]
    assert sent_queries(responses.calls) == title_queries(ORCA_LIST)[:2]


@responses.activate
def test_find_asks_the_year_narrowed_name_before_the_bare_one(client: HttpClient) -> None:
    empty, orca = envelope(total="0"), envelope(ORCA)
    responses.get(
        DBLP,
        match=[query_param_matcher({"q": "orca 2021|2022|2023"}, strict_match=False)],
        json=orca,
    )
    responses.get(DBLP, json=empty)
    found = DblpSource(client).find(entry(ORCA_LIST, year=2022))
    assert [c.ids.dblp for c in found] == ["conf/osdi/YuJKKC22"]
    assert sent_queries(responses.calls) == title_queries(ORCA_LIST, 2022)[:2]


@responses.activate
def test_find_gives_up_after_the_planned_steps(client: HttpClient) -> None:
    responses.get(DBLP, json=envelope(total="0"))
    title = "Achieving μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences"
    assert DblpSource(client).find(entry(title)) == []
    assert sent_queries(responses.calls) == title_queries(title)
    assert len(responses.calls) == 2


def with_hits(hits: Any) -> dict[str, Any]:
    """DBLP's envelope around a `hits` value of any kind."""
    good = envelope(ORCA)
    return {"result": {**good["result"], "hits": hits}}


@pytest.mark.parametrize(
    ("payload", "what"),
    [
        (with_hits({"@total": "1", "hit": "conf/osdi/YuJKKC22"}), "result.hits.hit is a string"),
        (with_hits({"@total": "2", "hit": ["junk", 7]}), "result.hits.hit[0] is not a hit"),
        (with_hits({"@total": "1", "hit": [{"@score": "5", "url": "URL#1"}]}), "its info is null"),
        (with_hits({"@total": "1", "hit": None}), "result.hits.hit is null"),
        (with_hits("0"), "result.hits is a string, not an object"),
        ([envelope(ORCA)], "the answer is a list, not an object"),
        ({"result": "OK"}, "result is a string, not an object"),
    ],
    ids=[
        "hit-string",
        "junk-hits",
        "hit-without-info",
        "hit-null",
        "hits-string",
        "list",
        "result",
    ],
)
@responses.activate
def test_a_search_answer_of_the_wrong_shape_is_an_error_never_no_hits(
    client: HttpClient, payload: Any, what: str
) -> None:
    """Retried like a 5xx, then reported, and never cached: the next run asks again."""
    responses.get(DBLP, json=payload)
    source = DblpSource(client, mirrors=())
    for _ in range(2):
        with pytest.raises(ServiceError, match="unexpected shape") as raised:
            source.search("orca")
        assert what in str(raised.value)
    assert len(responses.calls) == 2 * client.config.attempts
    responses.replace(responses.GET, DBLP, json=envelope(ORCA))
    assert [c.ids.dblp for c in source.search("orca")] == ["conf/osdi/YuJKKC22"]
    assert [c.ids.dblp for c in source.search("orca")] == ["conf/osdi/YuJKKC22"]  # cached now
    assert len(responses.calls) == 2 * client.config.attempts + 1


@responses.activate
def test_mirror_fallback_and_the_failing_host_moves_back(client: HttpClient) -> None:
    responses.get(DBLP, status=503, body="<html><title>503</title></html>")
    responses.get(TRIER, json=envelope(ORCA))
    source = DblpSource(client)
    assert [c.ids.dblp for c in source.search("orca")] == ["conf/osdi/YuJKKC22"]
    assert [c.ids.dblp for c in source.search("orca distributed")] == ["conf/osdi/YuJKKC22"]
    hosts = [urlsplit(call.request.url).netloc for call in responses.calls]
    # dblp.org is tried (with its retries) once, then uni-trier answers from the front
    assert hosts[-2:] == ["dblp.uni-trier.de", "dblp.uni-trier.de"]
    assert set(hosts[:-2]) == {"dblp.org"}
    assert source.bases[0] == "https://dblp.uni-trier.de"


@responses.activate
def test_html_instead_of_json_is_an_error_then_a_mirror(client: HttpClient) -> None:
    page = "<html><title>429 Too Many Requests</title></html>"
    responses.get(DBLP, body=page, content_type="text/html")
    responses.get(TRIER, body=page, content_type="text/html")
    responses.get(DAGSTUHL, json=envelope(ORCA))
    assert [c.ids.dblp for c in DblpSource(client).search("orca")] == ["conf/osdi/YuJKKC22"]


@responses.activate
def test_every_host_failing_raises_the_service_error(client: HttpClient) -> None:
    for url in (DBLP, TRIER, DAGSTUHL):
        responses.get(url, status=503, body="<html></html>")
    with pytest.raises(ServiceError):
        DblpSource(client).find(entry(ORCA_LIST))


@responses.activate
def test_a_configured_base_has_no_mirrors(client: HttpClient) -> None:
    local = "http://127.0.0.1:9/search/publ/api"
    responses.get(local, status=503, body="<html></html>")
    source = DblpSource(client, base_url="http://127.0.0.1:9/")
    assert source.bases == ["http://127.0.0.1:9"]
    with pytest.raises(ServiceError):
        source.search("orca")
    assert {urlsplit(call.request.url).netloc for call in responses.calls} == {"127.0.0.1:9"}


class OfflineClient:
    """Answers like the client in offline mode, from a cache holding `cached` URLs only."""

    def __init__(self, cached: dict[str, dict]) -> None:
        self.cached = cached
        self.urls: list[str] = []

    def get_json(
        self, service: str, url: str, params: Any = None, expect: Expect | None = None
    ) -> JsonReply:
        self.urls.append(url)
        if url not in self.cached:
            raise NotCached(service, "not cached")
        return JsonReply(status=200, data=self.cached[url], from_cache=True)


def test_offline_looks_in_every_hosts_cache_and_says_not_cached() -> None:
    offline = OfflineClient({})
    with pytest.raises(NotCached):
        DblpSource(offline).search("orca")  # type: ignore[arg-type]
    assert offline.urls == [DBLP, TRIER, DAGSTUHL]


def test_offline_finds_what_a_mirror_answered_before() -> None:
    offline = OfflineClient({TRIER: envelope(ORCA)})
    source = DblpSource(offline)  # type: ignore[arg-type]
    assert [c.ids.dblp for c in source.search("orca")] == ["conf/osdi/YuJKKC22"]
    assert source.bases[0] == "https://dblp.org"  # not cached is no failure: no demotion
