"""The labelled accuracy set as a regular test: a change that breaks a match fails CI.

The set is the 50 fixture papers with their confusables (tests/accuracy_set.py); the same
figures are printed by benchmarks/bench_accuracy.py.
"""

from __future__ import annotations

import pytest

from accuracy_set import (
    FIXTURES,
    build_set,
    dblp_search_response,
    name_only_variants,
    run,
    score,
    with_s2_copies,
)

pytestmark = pytest.mark.skipif(not FIXTURES.exists(), reason=f"{FIXTURES} not present")


def test_every_labelled_paper_matches_its_published_record() -> None:
    papers = build_set()
    outcomes = run(papers)
    wrong = [
        (o.paper.entry.title, o.status, o.key) for o in outcomes if o.key != o.paper.expected_key
    ]
    assert wrong == []
    scores = score(outcomes)
    assert scores.papers == 50
    assert (scores.key_precision, scores.key_recall) == (1.0, 1.0)
    assert (scores.doi_precision, scores.doi_recall) == (1.0, 1.0)
    assert scores.doi_expected == sum(1 for p in papers if p.expected_doi) > 0


def test_no_confident_match_when_the_paper_itself_is_missing() -> None:
    outcomes = run(build_set(), without_own=True)
    confident = [(o.paper.entry.title, o.key, o.doi) for o in outcomes if o.status == "matched"]
    assert confident == []
    assert all(o.doi is None for o in outcomes)


def test_the_traps_are_in_the_set() -> None:
    papers = build_set()
    traps = {p.trap for p in papers if p.trap}
    assert len(traps) >= 10
    poseidon = next(p for p in papers if p.entry.title.startswith("Poseidon"))
    assert any(c.title.startswith("Poseidon: A System Architecture") for c in poseidon.candidates)
    assert len(poseidon.candidates) > len(poseidon.without_own_records())


def test_name_only_bullets_resolve_by_venue_and_year_or_not_at_all() -> None:
    variants = name_only_variants(build_set())
    scores = score(run(variants))
    assert len(variants) >= 30
    assert scores.key_wrong == 0 and scores.doi_wrong == 0
    assert scores.key_correct == len(variants)


def test_s2_copies_of_the_records_change_nothing() -> None:
    outcomes = run(with_s2_copies(build_set()))
    assert [o.status for o in outcomes] == ["matched"] * 50
    assert all(o.key == o.paper.expected_key for o in outcomes)
    assert {o.decided_by for o in outcomes} == {"dblp"}
    scores = score(outcomes)
    assert (scores.doi_precision, scores.doi_recall) == (1.0, 1.0)


def test_the_set_renders_as_dblp_search_responses() -> None:
    paper = next(p for p in build_set() if p.entry.title.startswith("Efficient Memory"))
    hits = dblp_search_response(paper.candidates)["result"]["hits"]
    assert hits["@total"] == str(len(paper.candidates))
    by_key = {h["info"]["key"]: h["info"] for h in hits["hit"]}
    sosp = by_key["conf/sosp/KwonLZ0ZY0ZS23"]
    assert sosp["title"].endswith("PagedAttention.") and sosp["year"] == "2023"
    assert sosp["doi"] == "10.1145/3600006.3613165"
    assert sosp["type"] == "Conference and Workshop Papers"
    corr = by_key["journals/corr/abs-2309-06180"]
    assert corr["volume"] == "abs/2309.06180" and corr["type"] == "Informal and Other Publications"
    assert "hit" not in dblp_search_response(())["result"]["hits"]
