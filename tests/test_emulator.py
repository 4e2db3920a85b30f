"""The DBLP/S2 emulator: its corpus keeps to the facts, its answers to apis.md; faults fire."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import bibtexparser
import pytest
import requests

from enrich.emulator import Corpus, Emulator, Faults
from enrich.emulator.build_corpus import CONFUSABLES, FACTS, build, s2_publication
from enrich.emulator.dblp_export import tex, tex_name, tex_pages
from enrich.emulator.export_facts import DBLP_FACTS, export_values, read_dblp_facts
from enrich.emulator.services import (
    CORPUS_FILE,
    _dblp_text,
    _term_matches,
    _title_score,
    _words,
    best_title,
    dblp_record_export,
    s2_batch,
)
from enrich.text import normalize_title

CORPUS = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))
BY_KEY = {record["key"]: record for record in CORPUS["dblp"]}


def facts() -> list[dict[str, Any]]:
    return json.loads(FACTS.read_text(encoding="utf-8"))


def dblp_facts() -> list[dict[str, Any]]:
    return read_dblp_facts(DBLP_FACTS)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as running:
        yield running


def dblp(emulator: Emulator, q: str, **params: Any) -> dict[str, Any]:
    answer = requests.get(
        f"{emulator.url}/search/publ/api", params={"q": q, "format": "json", "c": 0, **params}
    )
    assert answer.status_code == 200
    return answer.json()["result"]["hits"]


def keys(hits: dict[str, Any]) -> list[str]:
    return [hit["info"]["key"] for hit in hits.get("hit", [])]


# --- the corpus ----------------------------------------------------------------------------


def test_corpus_is_what_the_generator_makes_of_the_facts() -> None:
    assert build(facts(), dblp_facts()) == CORPUS


def test_the_dblp_facts_are_the_shared_fixture_one_line_per_list_paper() -> None:
    assert [line["list_title"] for line in dblp_facts()] == [f["list_title"] for f in facts()]


def test_every_fixture_paper_has_its_published_record() -> None:
    for fact in facts():
        title = fact["published_title"] + "."
        (record,) = (
            r for r in CORPUS["dblp"] if r["title"] == title and r["venue"] == fact["venue"]
        )
        assert (record["venue"], record["year"], record.get("doi")) == (
            fact["venue"],
            str(fact["year"]),
            fact["doi"],
        )
        if fact["dblp_key"]:
            assert record["key"] == fact["dblp_key"]
        people = record["authors"]["author"]
        assert people[0]["text"] == f"Example {fact['first_author_family']}"
        assert len(people) == (fact["n_authors"] or 1)


def test_values_not_in_the_facts_look_synthetic() -> None:
    fact_list = facts()
    real_keys = {f["dblp_key"] for f in fact_list if f["dblp_key"]}
    named = {
        k
        for f in fact_list
        for k in re.findall(r"journals/corr/abs-[\d-]+", f["confusables"] or "")
    }
    real_dois = {f["doi"] for f in fact_list if f["doi"]}
    real_dois |= {
        d for f in fact_list for d in re.findall(r"10\.\d+/[\w.]+", f["confusables"] or "")
    }
    families = {f["first_author_family"] for f in fact_list}
    families |= {name for c in CONFUSABLES for name in c["families"]}
    for record in CORPUS["dblp"]:
        assert record["key"] in real_keys | named or "/Example" in record["key"]
        assert record.get("doi") in real_dois | {None}
        for person in record["authors"]["author"]:
            given, family = person["text"].removesuffix(" 0001").split(" ", 1)
            assert (given == "Example" and family in families) or family.startswith("Example")
            assert person["@pid"].startswith("ex/")
    for paper in CORPUS["s2"]:
        assert paper["paperId"].startswith("fixture-")
        assert paper["corpusId"] is None and paper["citationCount"] is None


def test_labels_name_each_list_papers_published_record() -> None:
    by_key = {r["key"]: r for r in CORPUS["dblp"]}
    assert [(lb["list_label"], lb["list_title"]) for lb in CORPUS["labels"]] == [
        (f["list_label"], f["list_title"]) for f in facts()
    ]
    for fact, label in zip(facts(), CORPUS["labels"], strict=True):
        record = by_key[label["dblp_key"]]
        assert record["title"] == fact["published_title"] + "."
        assert (record["venue"], record.get("doi"), label["doi"]) == (
            fact["venue"],
            fact["doi"],
            fact["doi"],
        )
        assert label["own_keys"][0] == label["dblp_key"]
        for key in label["own_keys"][1:]:  # the paper's preprints, whatever their titles
            assert by_key[key]["volume"] == f"abs/{fact['arxiv']}"


# --- DBLP answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("pipedream", {"conf/sosp/ExampleNarayanan19", "journals/corr/abs-1806-03377"}),
        ("pipedream gen", {"conf/sosp/ExampleNarayanan19"}),  # words are prefixes, ANDed
        ("pipedream$ generalized$", {"conf/sosp/ExampleNarayanan19"}),
        ("pipe$", set()),  # '$' asks for the exact word
        ("poseidon efficient|xyz", {"conf/usenix/ExampleZhang17", "journals/corr/ExampleZhang17",
                                    "journals/corr/ExampleZhang15"}),
        ("ORCA GENERATIVE", {"conf/osdi/YuJKKC22"}),
        ("orca 2021|2022", {"conf/osdi/YuJKKC22"}),  # year words match the record's year
        ("mulayer", {"conf/eurosys/ExampleKim19"}),  # ASCII query, diacritic-insensitive
        ("μs scale", set()),  # a diacritic switches to exact matching
        ("microsecond scale preemption", {"conf/osdi/ExampleHan22"}),
    ],
)  # fmt: skip
def test_dblp_prefix_and_matching(emulator: Emulator, q: str, expected: set[str]) -> None:
    assert set(keys(dblp(emulator, q, h=30))) == expected


DBLP_QUERIES = ["pipedream", "pipedream gen", "pipedream$ generalized$", "pipe$", "exam",
                "poseidon efficient|xyz", "ORCA", "mulayer", "ann$ example", "osdi 2022",
                "microsecond scale preemption", "deep learn", "a|b c", "zzzz qqqq", "$"]  # fmt: skip


@pytest.mark.parametrize("q", DBLP_QUERIES)
def test_dblp_index_never_hides_a_record_the_rules_match(q: str) -> None:
    """The index only narrows the records checked; the matching rules still decide."""
    corpus = Corpus.load()
    terms = q.split()
    matched = {
        number
        for number, info in enumerate(corpus.dblp)
        if all(_term_matches(t, _words(_dblp_text(info))) for t in terms)
    }
    assert matched <= corpus.index.dblp_candidates(terms)


def s2_match_queries() -> list[str]:
    """Every corpus title, whole, cut to its first words, misspelt; list titles; nothing."""
    titles = [normalize_title(paper["title"]) for paper in CORPUS["s2"]]
    queries = [""]
    for title in titles:
        words = title.split()
        queries += [title, " ".join(words[:4]), " ".join(words[:3]), title.replace("e", "a", 1)]
    queries += [normalize_title(fact["list_title"]) for fact in facts()]
    return queries


def test_the_fast_title_match_gives_the_answer_of_scoring_every_title() -> None:
    """best_title only computes faster: scored one by one, the first best is the same."""
    titles = [normalize_title(paper["title"]) for paper in CORPUS["s2"]]
    for query in s2_match_queries():
        scores = [_title_score(query, title) for title in titles]
        best = max(scores)
        assert best_title(query, titles) == pytest.approx((best, scores.index(best))), query


def test_a_large_corpus_is_indexed_once_and_answers_by_identifier() -> None:
    """5,000 extra records (the pipeline benchmark's size) answer a 500-id batch at once."""
    extra = [{"paperId": f"fixture-bench-{n}", "title": f"Bench Paper {n}", "corpusId": n,
              "externalIds": {"DBLP": f"bench/Example{n}"}} for n in range(5000)]  # fmt: skip
    corpus = Corpus.load().extended([], extra)
    ids = [f"CorpusId:{n}" for n in range(10, 5000, 10)] + ["fixture-bench-nothing"]
    answer = s2_batch(corpus, {"fields": "title"}, {"ids": ids})
    titles = [paper["title"] if paper else None for paper in answer.body]
    assert titles == [f"Bench Paper {n}" for n in range(10, 5000, 10)] + [None]


def test_dblp_envelope_is_all_strings_and_respects_h(emulator: Emulator) -> None:
    hits = dblp(emulator, "deep", h=3, f=1)
    assert int(hits["@total"]) > 3
    assert (hits["@sent"], hits["@first"], len(hits["hit"])) == ("3", "1", 3)
    info = hits["hit"][0]["info"]
    assert all(isinstance(info[name], str) for name in ("title", "year", "key", "type", "url"))


def test_dblp_sends_the_newest_namesakes_first_and_only_h_of_them(emulator: Emulator) -> None:
    hits = dblp(emulator, "orca", h=10)
    assert int(hits["@total"]) == 13 and len(hits["hit"]) == 10
    assert "conf/osdi/YuJKKC22" not in keys(hits)


def test_dblp_zero_hits_has_no_hit_key(emulator: Emulator) -> None:
    hits = dblp(emulator, "zzzz qqqq")
    assert hits["@total"] == "0" and "hit" not in hits


def test_bad_parameters_are_a_400_not_a_crash(emulator: Emulator) -> None:
    answer = requests.get(f"{emulator.url}/search/publ/api", params={"format": "json", "h": "x"})
    assert answer.status_code == 400


def test_dblp_single_author_is_an_object(emulator: Emulator) -> None:
    hits = dblp(emulator, "optimus dynamic resource scheduler")
    assert isinstance(hits["hit"][0]["info"]["authors"]["author"], dict)


# --- DBLP record exports ------------------------------------------------------------------


def export(base: str, key: str, **params: Any) -> requests.Response:
    return requests.get(f"{base}/rec/{key}.bib", params={"param": 1, **params})


def only_entry(body: str) -> Any:
    library = bibtexparser.parse_string(body)
    assert not library.failed_blocks
    (entry,) = library.entries
    return entry


def bare(value: str) -> str:
    """A value without TeX braces, page ranges with one dash: to compare with the facts."""
    return " ".join(re.sub(r"[{}]", "", value).replace("--", "-").split())


@pytest.mark.parametrize(
    ("key", "list_title"),
    [
        ("conf/sosp/ShenCJZKPKS19", "Nexus: A GPU Cluster Engine for Accelerating DNN-Based Video Analysis"),
        # The facts do not name BPipe's key (conf/icml/KimKYC23): its record is the stand-in.
        ("conf/icml/ExampleKim23", "BPipe: Memory-Balanced Pipeline Parallelism for Training Large Language Models"),
    ],
)  # fmt: skip
def test_export_of_a_fact_backed_record_holds_the_facts(
    emulator: Emulator, key: str, list_title: str
) -> None:
    (line,) = (line for line in dblp_facts() if line["list_title"] == list_title)
    answer = export(emulator.url, key)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/x-bibtex; charset=utf-8"
    entry = only_entry(answer.text)
    assert (entry.entry_type, entry.key) == ("inproceedings", f"DBLP:{key}")
    fields = {field.key: str(field.value) for field in entry.fields}
    for name in ("booktitle", "publisher", "pages"):
        assert bare(fields[name]) == bare(line[name])
    assert fields["url"] == line["ee"]
    assert fields["biburl"] == f"https://dblp.org/rec/{key}.bib"
    assert fields["bibsource"] == "dblp computer science bibliography, https://dblp.org"


def test_pmlr_proceedings_have_their_series_and_volume(emulator: Emulator) -> None:
    fields = {
        f.key: f.value
        for f in only_entry(export(emulator.url, "conf/icml/ExampleKim23").text).fields
    }
    assert (fields["series"], fields["volume"], fields["publisher"]) == (
        "Proceedings of Machine Learning Research", "202", "{PMLR}")  # fmt: skip


def test_export_is_dblps_layout_without_homonym_numbers(emulator: Emulator) -> None:
    hit_names = [a["text"] for a in BY_KEY["conf/sosp/KwonLZ0ZY0ZS23"]["authors"]["author"]]
    assert "Bob Example 0001" in hit_names
    body = export(emulator.url, "conf/sosp/KwonLZ0ZY0ZS23").text
    assert body.startswith(
        "@inproceedings{DBLP:conf/sosp/KwonLZ0ZY0ZS23,\n  author       = {Example Kwon and\n                  Bob Example and\n"
    )
    assert "0001" not in body
    assert "  booktitle    = {Proceedings of the Example Conference, {SOSP} 2023},\n" in body
    assert "  doi          = {10.1145/3600006.3613165},\n" in body
    assert body.endswith(
        "  bibsource    = {dblp computer science bibliography, https://dblp.org}\n}\n"
    )


def test_corr_export_is_an_article_with_its_eprint(emulator: Emulator) -> None:
    entry = only_entry(export(emulator.url, "journals/corr/abs-2309-06180").text)
    fields = {field.key: field.value for field in entry.fields}
    assert (entry.entry_type, entry.key) == ("article", "DBLP:journals/corr/abs-2309-06180")
    assert (fields["journal"], fields["volume"], fields["eprinttype"], fields["eprint"]) == (
        "CoRR", "abs/2309.06180", "arXiv", "2309.06180")  # fmt: skip
    assert fields["url"] == "https://arxiv.org/abs/2309.06180" and "booktitle" not in fields


def test_unknown_key_is_a_404_page(emulator: Emulator) -> None:
    answer = export(emulator.url, "conf/nowhere/Nobody99")
    assert answer.status_code == 404 and "text/html" in answer.headers["Content-Type"]
    assert "<html>" in answer.text
    assert export(emulator.url, "conf/sosp/KwonLZ0ZY0ZS23", param=0).status_code == 400


def test_every_export_parses_and_agrees_with_its_hit() -> None:
    corpus = Corpus.load()
    for info in corpus.dblp:
        answer = dblp_record_export(corpus, info["key"], {"param": "1"})
        entry = only_entry(answer.body)
        fields = {field.key: str(field.value) for field in entry.fields}
        assert (entry.key, entry.entry_type) == (f"DBLP:{info['key']}", info["export"]["type"])
        assert fields["year"] == info["year"] and fields.get("doi") == info.get("doi")
        assert len(fields["author"].split(" and\n")) == len(info["authors"]["author"])


def test_export_values_are_facts_or_look_synthetic() -> None:
    """Booktitles, publishers, volumes, pages and titles come from the DBLP facts (a proceedings
    value serves its venue's year) or the hit; what no fact gives is named and says Example."""
    seen: dict[str, set[str]] = {}
    for line in dblp_facts():
        for name, value in export_values(line).items():
            seen.setdefault(name, set()).add(value)
    for info in CORPUS["dblp"]:
        values = info["export"]
        for name in values.get("synthetic", []):
            assert "Example" in values[name]
        for name in ("booktitle", "publisher", "pages", "ee"):
            if name in values and name not in values.get("synthetic", []):
                assert values[name] in seen[name] | {info.get("ee")}, (info["key"], name)
        if values["type"] == "inproceedings":
            assert values.get("volume") in seen["volume"] | {None}
            assert "series" not in values or values["publisher"] == "{PMLR}"
        assert values["title"] in seen["title"] | {tex(info["title"].removesuffix("."))}


def test_search_hits_carry_no_export(emulator: Emulator) -> None:
    hits = dblp(emulator, "19|20", h=1000)
    assert int(hits["@total"]) == len(CORPUS["dblp"])
    for hit in hits["hit"]:
        record = {k: v for k, v in BY_KEY[hit["info"]["key"]].items() if k != "export"}
        people = record["authors"]["author"]
        if len(people) == 1:
            record["authors"] = {"author": people[0]}
        assert "export" not in hit["info"] and hit["info"] == record


def test_records_without_an_export_get_one_from_their_hit() -> None:
    """A benchmark's extra records have none: journals keep their hit's values, conference
    papers get the synthetic proceedings."""
    journal = {"title": "An Example Journal Paper.", "key": "journals/example/Example09",
               "venue": "PVLDB", "volume": "2", "number": "2", "pages": "1493-1500",
               "year": "2009", "type": "Journal Articles",
               "authors": {"author": {"@pid": "ex/1", "text": "Ann Example-Ley 0002"}}}  # fmt: skip
    paper = {**journal, "key": "conf/example/Example09", "venue": "EuroSys",
             "type": "Conference and Workshop Papers", "volume": None, "pages": None}  # fmt: skip
    corpus = Corpus.load().extended([journal, paper], [])
    article = only_entry(dblp_record_export(corpus, "journals/example/Example09", {}).body)
    fields = {f.key: f.value for f in article.fields}
    assert article.entry_type == "article" and fields["author"] == "Ann Example{-}Ley"
    assert (fields["journal"], fields["volume"], fields["number"], fields["pages"]) == (
        "{PVLDB}", "2", "2", "1493--1500")  # fmt: skip
    assert "publisher" not in fields
    conference = only_entry(dblp_record_export(corpus, "conf/example/Example09", {}).body)
    fields = {f.key: f.value for f in conference.fields}
    assert (fields["booktitle"], fields["publisher"]) == (
        "Proceedings of the Example Conference, EuroSys 2009", "Example Publisher")  # fmt: skip
    assert "pages" not in fields


@pytest.mark.parametrize(
    ("plain", "written"),
    [
        ("Nexus - a GPU cluster engine for DNN-based video", "Nexus - a {GPU} cluster engine for DNN-based video"),
        ("Clipper: A Low-Latency System", "Clipper: {A} Low-Latency System"),
        ("A Unified Architecture on GPU/CPU Clusters", "A Unified Architecture on {GPU/CPU} Clusters"),
        ("LILOG-DB: Support", "{LILOG-DB:} Support"),
        ("Toronto, ON, Canada (GI), USA", "Toronto, ON, Canada (GI), {USA}"),
        ("μLayer & Kraków", "{\\(\\mu\\)}Layer {\\&} Krak{\\'{o}}w"),
    ],
)  # fmt: skip
def test_text_is_written_as_dblp_writes_it(plain: str, written: str) -> None:
    assert tex(plain) == written


def test_names_and_pages_are_written_as_dblp_writes_them() -> None:
    assert tex_name("Gyeong-In Yu 0001") == "Gyeong{-}In Yu"
    assert tex_name("Stéphane Bressan") == "St{\\'{e}}phane Bressan"
    assert (tex_pages("521-538"), tex_pages("45:1-45:15"), tex_pages("1--15")) == (
        "521--538", "45:1--45:15", "1--15")  # fmt: skip


# --- S2 answers ----------------------------------------------------------------------------


def test_s2_batch_is_positional_with_nulls(emulator: Emulator) -> None:
    ids = ["DOI:10.1145/3600006.3613165", "ARXIV:1802.05799", "DBLP:conf/osdi/YuJKKC22",
           "10.1145/3341301.3359646", "CorpusId:1",
           "CorpusId:None", "DOI:", "ARXIV:"]  # ids no record has must not find one  # fmt: skip
    answer = requests.post(
        f"{emulator.url}/graph/v1/paper/batch", params={"fields": "title,year"}, json={"ids": ids}
    )
    papers = answer.json()
    assert [p["year"] if p else None for p in papers] == [2023, 2018, None, 2019] + [None] * 4
    assert set(papers[0]) == {"paperId", "title", "year"}


@pytest.mark.parametrize(
    ("params", "body", "error"),
    [
        ({"fields": "title"}, {"ids": ["DOI:10.1/x"] * 501}, "Too many ids"),
        ({"fields": "title,unknown"}, {"ids": []}, "Unrecognized or unsupported fields"),
    ],
)
def test_s2_batch_errors(emulator: Emulator, params: dict, body: dict, error: str) -> None:
    answer = requests.post(f"{emulator.url}/graph/v1/paper/batch", params=params, json=body)
    assert answer.status_code == 400 and error in answer.json()["error"]


def test_s2_sends_publication_types_venues_and_journals(emulator: Emulator) -> None:
    fields = "publicationTypes,publicationVenue,journal,venue"
    ids = ["DOI:10.1145/3600006.3613165", "ARXIV:1802.05799", "ARXIV:2302.11665"]
    answer = requests.post(
        f"{emulator.url}/graph/v1/paper/batch", params={"fields": fields}, json={"ids": ids}
    )
    sosp, horovod, alpaserve = answer.json()
    assert sosp["publicationTypes"] == ["Conference"] and sosp["journal"] is None
    assert sosp["publicationVenue"] == {
        "id": "fixture-venue-sosp", "name": "Symposium on Operating Systems Principles",
        "type": "conference", "alternate_names": ["SOSP"]}  # fmt: skip
    assert (horovod["publicationTypes"], horovod["publicationVenue"]) == (None, None)
    assert horovod["journal"] == {"name": "ArXiv", "volume": "abs/1802.05799"}
    assert alpaserve["publicationVenue"]["name"].startswith("USENIX Symposium on Operating")
    every = [p for p in CORPUS["s2"] if p["venue"] != "arXiv.org"]
    assert all(p["publicationTypes"] == ["Conference"] and p["publicationVenue"] for p in every)


def test_s2_journal_articles_name_their_journal() -> None:
    assert s2_publication("PVLDB", None, journal=True) == {
        "publicationTypes": ["JournalArticle"],
        "publicationVenue": {"id": "fixture-venue-vldb", "name": "Proceedings of the VLDB Endowment",
                             "type": "journal", "alternate_names": ["PVLDB"]},
        "journal": {"name": "Proceedings of the VLDB Endowment"},
    }  # fmt: skip


def test_s2_does_not_resolve_the_dblp_keys_its_records_name(emulator: Emulator) -> None:
    """apis.md §2.3: a DBLP: id is an unknown id (null), even for a paper S2 knows."""
    key = "conf/sosp/KwonLZ0ZY0ZS23"
    paper = next(p for p in CORPUS["s2"] if p["externalIds"].get("DBLP") == key)
    ids = [f"DBLP:{key}", f"DOI:{paper['externalIds']['DOI']}"]
    answer = requests.post(
        f"{emulator.url}/graph/v1/paper/batch", params={"fields": "title"}, json={"ids": ids}
    )
    assert answer.status_code == 200
    assert answer.json() == [None, {"paperId": paper["paperId"], "title": paper["title"]}]


@pytest.mark.parametrize(
    "ids",
    [
        ["DBLP:conf/osdi/YuJKKC22"],
        ["DOI:10.9999/example.1", "ARXIV:0000.00000", "CorpusId:0", "fixture-unknown"],
    ],
)
def test_s2_batch_of_unknown_ids_is_refused_like_the_real_one(
    emulator: Emulator, ids: list[str]
) -> None:
    answer = requests.post(
        f"{emulator.url}/graph/v1/paper/batch", params={"fields": "title"}, json={"ids": ids}
    )
    assert (answer.status_code, answer.json()) == (400, {"error": "No valid paper ids given"})


def test_s2_title_match_and_its_404(emulator: Emulator) -> None:
    url = f"{emulator.url}/graph/v1/paper/search/match"
    orca = requests.get(
        url,
        params={
            "query": "Orca: A Distributed Serving System for Transformer-Based Generative Models",
            "fields": "title",
        },
    )
    assert orca.json()["data"][0]["title"].startswith("Orca")
    assert orca.json()["data"][0]["matchScore"] > 0
    missing = requests.get(url, params={"query": "Nothing Like Any Paper Here", "fields": "title"})
    assert (missing.status_code, missing.json()) == (404, {"error": "Title match not found"})


def test_s2_search_pages_and_omits_data_when_empty(emulator: Emulator) -> None:
    url = f"{emulator.url}/graph/v1/paper/search"
    page = requests.get(url, params={"query": "GPU Cluster Scheduling", "limit": 1}).json()
    assert page["total"] >= 2 and page["next"] == 1 and len(page["data"]) == 1
    empty = requests.get(url, params={"query": "zzzz qqqq"}).json()
    assert empty == {"total": 0, "offset": 0}


# --- faults --------------------------------------------------------------------------------


def test_faults_fire_every_nth_request_and_are_counted() -> None:
    faults = Faults(every=2, kinds=("429", "503", "drop", "slow"), slow_seconds=0.5)
    with Emulator(faults=faults) as running:
        search = f"{running.url}/search/publ/api"
        params = {"q": "orca", "format": "json"}
        assert requests.get(search, params=params).status_code == 200
        throttled = requests.get(search, params=params)
        assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
        assert "text/html" in throttled.headers["Content-Type"]
        assert requests.get(search, params=params).status_code == 200
        assert requests.get(search, params=params).status_code == 503
        requests.get(search, params=params)
        with pytest.raises(requests.ConnectionError):
            requests.get(search, params=params)
        requests.get(search, params=params)
        with pytest.raises(requests.Timeout):
            requests.get(search, params=params, timeout=0.2)
        assert running.requests["dblp.search"] == 8
        assert running.faults_injected == {"429": 1, "503": 1, "drop": 1, "slow": 1}


def test_exports_are_faulted_delayed_and_counted_like_searches() -> None:
    faults = Faults(every=2, kinds=("429", "503", "drop"), latency=0.05)
    with Emulator(faults=faults) as running:
        key = "conf/sosp/ShenCJZKPKS19"
        started = time.perf_counter()
        assert export(running.url, key).status_code == 200
        assert time.perf_counter() - started >= 0.05
        throttled = export(running.url, key)
        assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
        assert "text/html" in throttled.headers["Content-Type"]  # DBLP's page, not S2's JSON
        assert dblp(running, "nexus")["@total"] == "1"
        assert export(running.url, key).status_code == 503
        export(running.url, key)
        with pytest.raises(requests.ConnectionError):
            export(running.url, key)
        assert running.requests == {"dblp.export": 5, "dblp.search": 1}
        assert running.per_service() == {"dblp": 6}
        assert running.faults_injected == {"429": 1, "503": 1, "drop": 1}


def test_s2_429_is_json_without_retry_after_unless_asked() -> None:
    with Emulator(faults=Faults(every=1, kinds=("429",))) as running:
        answer = requests.get(f"{running.url}/graph/v1/paper/search", params={"query": "x"})
    assert answer.status_code == 429 and "Retry-After" not in answer.headers
    assert answer.json()["code"] == "429"


def test_seeded_probability_is_reproducible() -> None:
    def run() -> dict[str, int]:
        with Emulator(faults=Faults(probability=0.5, seed=7, kinds=("503",))) as running:
            statuses = [
                requests.get(
                    f"{running.url}/search/publ/api", params={"format": "json"}
                ).status_code
                for _ in range(20)
            ]
        return {"503": statuses.count(503), "200": statuses.count(200)}

    first = run()
    assert first == run() and first["503"] > 0 and first["200"] > 0


def test_extended_corpus_serves_extra_records() -> None:
    extra = {"title": "A Synthetic Benchmark Paper.", "key": "bench/Example1", "year": "2020",
             "venue": "Example", "type": "Conference and Workshop Papers",
             "authors": {"author": [{"@pid": "ex/1", "text": "Ann Example"}]},
             "url": "https://dblp.org/rec/bench/Example1"}  # fmt: skip
    with Emulator(Corpus.load().extended([extra], [])) as running:
        assert keys(dblp(running, "synthetic benchmark")) == ["bench/Example1"]


def test_command_line_serves_until_stopped() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "enrich.emulator", "--port", "0", "--latency", "0.01"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline())
        assert url is not None
        assert keys(dblp_at(url.group(0), "gandiva introspective")) == [
            "conf/osdi/XiaoBRSKHPPZZYZ18"
        ]
    finally:
        process.terminate()
        process.wait(timeout=10)


def dblp_at(base: str, q: str) -> dict[str, Any]:
    answer = requests.get(f"{base}/search/publ/api", params={"q": q, "format": "json"})
    return answer.json()["result"]["hits"]


def test_answers_are_sent_with_nagle_off() -> None:
    """Headers and body leave in two writes: with Nagle's algorithm on, the body would wait
    for the client's delayed ACK (~40 ms), so every answer would come that much late."""
    options: list[int] = []
    with Emulator() as running:
        handler = running._server.RequestHandlerClass

        class Spy(handler):  # type: ignore[valid-type,misc]
            def setup(self) -> None:
                super().setup()
                options.append(self.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        running._server.RequestHandlerClass = Spy
        assert keys(dblp(running, "gandiva introspective")) == ["conf/osdi/XiaoBRSKHPPZZYZ18"]
    assert options and all(options)
