"""Both sources against the local emulator on a bad day: 429s, 503s, slow answers, dropped
connections. Every fixture paper must still come back with its published record, from
DBLP and then from S2, and nothing may be lost on the way.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from enrich.emulator import Emulator, Faults
from enrich.emulator.build_corpus import FACTS
from enrich.http import HttpClient, HttpConfig
from enrich.models import Candidate, Entry
from enrich.sources import DblpSource, S2Source
from enrich.text import normalize_title

FAULTS = Faults(every=3, kinds=("429", "503", "slow", "drop"), retry_after=1, slow_seconds=0.6)


@pytest.fixture(scope="module")
def facts() -> list[dict[str, Any]]:
    return json.loads(FACTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(faults=FAULTS) as running:
        yield running


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpClient]:
    config = HttpConfig(
        cache_path=Path(tmp_path_factory.mktemp("cache")) / "http.sqlite",
        rates={"dblp": 1000.0, "s2": 1000.0},
        attempts=4,  # a fault is every 3rd request: a retry always gets through
        backoff_initial=0.01,
        backoff_max=0.02,
        max_retry_after=0.02,  # the emulator's Retry-After: 1 is capped to keep the test short
        read_timeout=0.3,  # shorter than a slow answer: the slow one times out and is retried
        connect_timeout=1.0,
    )
    http = HttpClient(config)
    yield http
    http.close()


def listed(fact: dict[str, Any]) -> Entry:
    """The list's entry for a fact paper, with its label's year as the pipeline passes it."""
    return Entry(title=fact["list_title"], file="list.md", lines=(1,), year=fact["year"])


def published(fact: dict[str, Any], candidates: list[Candidate]) -> Candidate | None:
    """The candidate that is the paper's published record, by the facts (not by matching)."""
    title = normalize_title(fact["published_title"])
    for candidate in candidates:
        same = normalize_title(candidate.title) == title and candidate.year == fact["year"]
        if same and candidate.venue == fact["venue"]:
            return candidate
    return None


def test_every_paper_resolves_through_faults(
    facts: list[dict[str, Any]], emulator: Emulator, client: HttpClient
) -> None:
    dblp = DblpSource(client, base_url=emulator.url)
    s2 = S2Source(client, base_url=emulator.url, batch_size=20)

    chosen: list[Candidate] = []
    for fact in facts:
        candidates = dblp.find(listed(fact))
        record = published(fact, candidates)
        assert record is not None, fact["list_title"]
        assert record.doi == fact["doi"]
        if fact["dblp_key"]:
            assert record.ids.dblp == fact["dblp_key"]
        else:  # no key was seen: the corpus's stand-in is visibly synthetic
            assert "/Example" in (record.ids.dblp or "")
        assert record.authors[0].name.endswith(fact["first_author_family"])
        preprint = next((c for c in candidates if c.ids.arxiv == fact["arxiv"]), None)
        arxiv = preprint.ids.arxiv if preprint and fact["arxiv"] else record.ids.arxiv
        chosen.append(dataclasses.replace(record, ids=dataclasses.replace(record.ids, arxiv=arxiv)))

    from_batch = s2.fetch(chosen)
    assert len(from_batch) == len(facts)
    for fact, known, paper in zip(facts, chosen, from_batch, strict=True):
        if known.doi or known.ids.arxiv:
            assert paper is not None, fact["list_title"]
        else:  # S2 cannot be asked by identifier: by title, as the pipeline does
            assert paper is None
            matches = s2.find(Entry(title=known.title, file="list.md", lines=(1,)))
            paper = matches[0] if matches else None
            assert paper is not None, fact["list_title"]
            assert paper.ids.dblp == known.ids.dblp  # the DBLP key comes from externalIds
        assert normalize_title(paper.title) == normalize_title(fact["published_title"])
        assert paper.doi == fact["doi"]

    assert set(emulator.faults_injected) == {"429", "503", "slow", "drop"}
    assert emulator.requests["dblp.search"] >= len(facts)
    assert emulator.requests["s2.batch"] >= 2  # 31 askable papers in chunks of 20


def test_a_second_run_is_answered_from_the_cache(
    facts: list[dict[str, Any]], emulator: Emulator, client: HttpClient
) -> None:
    dblp = DblpSource(client, base_url=emulator.url)
    for fact in facts:  # fills the cache, whether or not the test above ran first
        dblp.find(listed(fact))
    emulator.reset_counts()
    for fact in facts:
        assert published(fact, dblp.find(listed(fact)))
    assert sum(emulator.requests.values()) == 0
