"""Papers the list links to: the link's identifier decides, and a title must not contradict it.

The records are the emulator corpus's (fixture_records), S2's read by its real parser."""

from __future__ import annotations

from dataclasses import replace

import pytest

from enrich.emulator import Corpus, Emulator
from enrich.linked import carries, check_links, choose_linked
from enrich.match import choose_record
from enrich.pipeline import read_inputs, run
from enrich.sources.s2 import parse_paper
from fixture_records import PAELLA, PAGED, PAGED_CORR, PAGED_SOSP, entry
from pipeline_support import emulated_options

S2_PAGED = parse_paper(
    next(raw for raw in Corpus.load().s2 if raw["externalIds"].get("DBLP") == PAGED_SOSP.ids.dblp)
)
SOSP_DOI = "10.1145/3600006.3613165"  # PagedAttention's (tests/fixtures/papers_part1.json)
PAELLA_DOI = "10.1145/3600006.3613163"  # Paella's, another SOSP '23 paper


@pytest.mark.parametrize(
    ("case", "listed", "candidates", "chosen", "noted"),
    [
        (
            "DOI link, list's title as published",
            replace(entry("[SOSP '23]", PAGED), doi=SOSP_DOI),
            [PAGED_SOSP, PAGED_CORR],
            PAGED_SOSP,
            False,
        ),
        (
            "arXiv link to a published paper: DBLP's published record, the preprint its companion",
            replace(entry("[SOSP '23]", PAGED), arxiv="2309.06180"),
            [PAGED_CORR, PAGED_SOSP],
            PAGED_SOSP,
            False,
        ),
        (
            "the list's title is only a nickname: the link names the paper",
            replace(entry("[SOSP '23]", "vLLM"), doi=SOSP_DOI),
            [PAGED_SOSP, PAGED_CORR],
            PAGED_SOSP,
            True,
        ),
        (
            "DBLP has no record that agrees with the link: S2's record of it",
            replace(entry("[SOSP '23]", PAGED), doi=SOSP_DOI),
            [PAELLA],
            S2_PAGED,
            False,
        ),
    ],
)
def test_the_link_decides_which_paper(case, listed, candidates, chosen, noted):
    decision = choose_linked(listed, S2_PAGED, candidates)
    assert decision.match.status == "matched", case
    assert decision.chosen == chosen, case
    assert carries(listed, decision, S2_PAGED), case
    assert any("the link wins" in note for note in decision.match.notes) == noted, case


def test_a_title_match_that_contradicts_the_link_is_left_to_a_person():
    listed = replace(entry("[SOSP '23]", PAGED), doi=PAELLA_DOI)
    decision = check_links(listed, choose_record(listed, [PAGED_SOSP]))
    assert decision.match.status == "ambiguous" and decision.chosen is None
    assert decision.match.notes[-1] == (
        f"the list links DOI {PAELLA_DOI}, but the record its title finds has DOI {SOSP_DOI}"
    )
    assert [alt.dblp_key for alt in decision.match.alternatives] == [PAGED_SOSP.ids.dblp]


def test_a_record_without_that_kind_of_identifier_is_not_contradicted():
    listed = replace(entry("[SOSP '23]", PAGED), arxiv="2309.06180")
    no_ids = replace(PAGED_SOSP, ids=replace(PAGED_SOSP.ids, arxiv=None))
    decision = choose_record(listed, [no_ids])
    assert carries(listed, decision) is None
    assert check_links(listed, decision) == decision


def test_a_list_that_links_its_papers_is_resolved_by_the_links(tmp_path):
    """End to end against the emulator: the item names the system only, its link names the
    paper; the published SOSP record is chosen, with a note for the reader of the review."""
    path = tmp_path / "links.md"
    path.write_text("- [vLLM](https://arxiv.org/abs/2309.06180v1)\n", encoding="utf-8")
    with Emulator() as emulator:
        options = emulated_options(tmp_path, emulator.url)
        (record,) = run(read_inputs([path]), options).records
        asked = dict(emulator.requests)
    assert record.entry.arxiv == "2309.06180"
    assert record.match.status == "matched" and record.ids.dblp == PAGED_SOSP.ids.dblp
    assert record.doi == SOSP_DOI and record.ids.arxiv == "2309.06180"
    assert any("the link wins" in note for note in record.match.notes)
    assert asked.get("s2.match", 0) == 0  # found by its link, not by a title match
