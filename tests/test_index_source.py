"""The local index as DBLP: the same Candidates as the (emulated) API for the same records,
and the shipped list resolved to the same records and entries, with no DBLP request."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
import responses

from enrich.emulator import Emulator, dblp_export
from enrich.emulator.services import Corpus, dblp_search
from enrich.errors import ConfigError
from enrich.http import HttpConfig
from enrich.models import Entry
from enrich.pipeline import RunOptions, read_inputs, run
from enrich.sources.dblp import parse_export, parse_hits
from enrich.sources.dblp.local import LocalDblpSource, build_index
from enrich.sources.dblp.local.choice import DblpChoice, dblp_choice, index_to_use
from enrich.sources.dblp.local.source import fts_query
from enrich.sources.dblp.search import title_queries
from index_support import write_small_dump

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "data" / "raw" / "mlsys-reading-list.md"
HIT_ONLY_FIELDS = {"pages", "links", "doi"}
"""What a real DBLP hit has and the emulated corpus's hits often lack (the export has them)."""


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    dump = write_small_dump(folder)
    return build_index(dump, folder / "dblp-index.sqlite").path


@pytest.fixture(scope="module")
def local(index) -> LocalDblpSource:
    return LocalDblpSource(index)


def differences(one, other) -> dict[str, tuple]:
    return {
        f.name: (getattr(one, f.name), getattr(other, f.name))
        for f in dataclasses.fields(one)
        if getattr(one, f.name) != getattr(other, f.name)
    }


def test_queries_become_fts_prefix_expressions():
    assert fts_query("orca 2022|2023|2024") == (
        '(("orca"*)) AND (("2022"*) OR ("2023"*) OR ("2024"*))'
    )
    assert fts_query("graph$ pipe-dream") == '(("graph")) AND (("pipe"* AND "dream"*))'
    assert fts_query(" - : ") is None


@pytest.mark.parametrize("asked", [1, 2, 100])
def test_every_planned_query_of_every_record_hits_what_the_emulated_search_hits(
    local, asked, monkeypatch
):
    """However many of its words a query asks the FTS5 table for (the rest are checked on
    the records found), the hits are the emulated search's."""
    monkeypatch.setattr("enrich.sources.dblp.local.source.ASKED_TERMS", asked)
    corpus = Corpus.load()
    for info in corpus.dblp:
        for query in title_queries(info["title"], int(info["year"])):
            api = parse_hits(dblp_search(corpus, {"q": query, "format": "json", "h": "10"}).body)
            mine = local.search(query)
            assert [c.ids.dblp for c in mine] == [c.ids.dblp for c in api], query
            for theirs, ours in zip(api, mine, strict=True):
                assert set(differences(theirs, ours)) <= HIT_ONLY_FIELDS, query


def test_fetch_gives_what_the_export_gives_booktitle_and_publisher_from_the_proceedings(local):
    corpus = Corpus.load()
    for info in corpus.dblp:
        key = info["key"]
        paper = dataclasses.replace(parse_hits({"result": {"hits": {"hit": [{"info": info}]}}})[0])
        [ours] = local.fetch([paper])
        if key.startswith("journals/corr/"):
            assert ours is None  # as DblpSource.export: a CoRR hit holds all a preprint has
            continue
        theirs = parse_export(dblp_export.render(info), key)
        # The corpus's TeX title is sometimes another wording of its hit's ("Nexus - a GPU
        # cluster engine ..."); a real record has one title, and the dump holds the hit's.
        assert set(differences(theirs, ours)) <= {"title"}, key
    kim = local.export("conf/icml/ExampleKim23")
    assert kim.venue_full.startswith("International Conference on Machine Learning, ICML 2023")
    assert (kim.publisher, kim.series, kim.volume, kim.pages) == (
        "PMLR", "Proceedings of Machine Learning Research", "202", "16639-16653",
    )  # fmt: skip
    assert local.export("conf/osdi/Example99") is None


def test_synthetic_records_of_other_types_read_as_the_api_would(local):
    [article] = local.search("example journal article mukern")
    assert (article.entry_type, article.venue, article.volume, article.number) == (
        "article", "Example J.", "12", "3",
    )  # fmt: skip
    assert article.authors[0].name == "J\u00fcrgen Ex\u00e4mple"  # the homonym number goes
    assert article.authors[0].dblp_pid == "ex/jm-0"  # the pid stays
    assert article.doi == "10.0000/example.article.21"
    full = local.export("journals/examplej/Example21")
    assert (full.venue_full, full.pages, full.entry_type) == ("Example J.", "45-67", "article")
    [book] = local.search("example book systems")
    assert book.entry_type == "book"


def test_find_relaxes_as_the_api_path_does(local):
    entry = Entry(
        title="Orca: a reworded subtitle nobody indexed", file="x.md", lines=(1,), year=2022
    )
    found = local.find(entry)
    assert found and all("Orca" in c.title for c in found)


def run_options(tmp: Path, url: str, **changes) -> RunOptions:
    http = HttpConfig(
        cache_path=tmp / "cache" / "http.sqlite",
        rates={"dblp": 1000.0, "s2": 1000.0},
        attempts=2,
        backoff_initial=0.0,
        backoff_max=0.0,
        max_retry_after=0.0,
    )
    return RunOptions(out_dir=tmp / "out", http=http, dblp_url=url, s2_url=url,
                      overrides=tmp / "overrides.csv", jobs=4, **changes)  # fmt: skip


def test_the_shipped_list_through_the_index_gives_the_apis_records_and_entries(index, tmp_path):
    lists = read_inputs([SHIPPED])
    with Emulator() as emulator:
        api = run(lists, run_options(tmp_path / "api", emulator.url, dblp=DblpChoice("api")))
        local = run(lists, run_options(tmp_path / "local", emulator.url,
                                       dblp=DblpChoice("local", index)))  # fmt: skip
    assert local.http.requests.get("dblp", 0) == 0 and api.http.requests["dblp"] > 0
    assert [r.ids.dblp for r in local.records] == [r.ids.dblp for r in api.records]
    assert [r.match.status for r in local.records] == [r.match.status for r in api.records]
    for ours, theirs in zip(local.records, api.records, strict=True):
        assert ours == theirs, differences(ours, theirs)
    assert (tmp_path / "local/out/mlsys-reading-list.bib").read_bytes() == (
        tmp_path / "api/out/mlsys-reading-list.bib"
    ).read_bytes()


def test_offline_with_s2_off_every_paper_resolves_with_no_request(index, tmp_path):
    lists = read_inputs([SHIPPED])
    with Emulator() as emulator:
        api = run(lists, run_options(tmp_path / "api", emulator.url, dblp=DblpChoice("api"),
                                     s2=False))  # fmt: skip
    options = run_options(tmp_path / "local", "http://127.0.0.1:9", dblp=DblpChoice("local", index),
                          s2=False)  # fmt: skip
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        report = run(lists, options)
        assert len(mock.calls) == 0  # nothing even tried the network
    assert report.http.total_requests == 0
    assert report.service_errors == {}
    assert [r.match.status for r in report.records] == [r.match.status for r in api.records]
    # Every paper settled as online: matched, or unmatched where the emulated DBLP has no
    # record of it (the corpus holds 51 of the list's papers); none failed or uncached.
    assert not {r.match.status for r in report.looked_up} & {"error", "not_cached"}
    assert sum(r.match.status == "matched" for r in report.looked_up) == 51
    assert [r.ids.dblp for r in report.records] == [r.ids.dblp for r in api.records]


def test_auto_uses_a_fresh_index_and_the_api_otherwise(tmp_path, index):
    cache = tmp_path / "http.sqlite"
    assert index_to_use(DblpChoice("auto"), cache) is None  # none beside the cache
    assert index_to_use(DblpChoice("auto", index, max_age_days=100_000), cache).path == index
    said: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("enrich.sources.dblp.local.choice")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        assert index_to_use(DblpChoice("auto", index, max_age_days=30), cache) is None
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert "days old (more than 30): asking DBLP's API" in said[0]  # its dump is of 2026-01-01
    assert index_to_use(DblpChoice("api", index), cache) is None
    with pytest.raises(ConfigError, match=r"--dblp local: .*no local DBLP index"):
        index_to_use(DblpChoice("local"), cache)
    fresh = tmp_path / "fresh"
    build_index(write_small_dump(fresh, mdate="2099-01-01"), cache.with_name("dblp-index.sqlite"))
    assert index_to_use(DblpChoice("auto"), cache) is not None  # beside the cache by default


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"ENRICH_DBLP": "offline"}, "ENRICH_DBLP='offline' is not one of: auto, local, api"),
        ({"ENRICH_INDEX_MAX_AGE_DAYS": "soon"}, "ENRICH_INDEX_MAX_AGE_DAYS='soon'"),
        ({"ENRICH_INDEX_MAX_AGE_DAYS": "-3"}, "ENRICH_INDEX_MAX_AGE_DAYS='-3'"),
    ],
)
def test_bad_settings_name_their_variable(environ, message):
    with pytest.raises(ConfigError, match=message):
        dblp_choice(environ=environ)


def test_settings_from_the_environment_and_flags_first():
    env = {
        "ENRICH_DBLP": "LOCAL",
        "ENRICH_DBLP_INDEX": "/x/i.sqlite",
        "ENRICH_INDEX_MAX_AGE_DAYS": "7",
    }
    assert dblp_choice(environ=env) == DblpChoice("local", Path("/x/i.sqlite"), 7)
    assert dblp_choice("api", Path("/y"), 1, environ=env) == DblpChoice("api", Path("/y"), 1)
    assert dblp_choice(environ={}) == DblpChoice("auto", None, 60)
    with pytest.raises(ConfigError, match="--index-max-age-days -1"):
        dblp_choice(max_age_days=-1, environ={})
