"""merge_record: DBLP wins on bibliographic fields, S2 fills the rest, provenance for each."""

from __future__ import annotations

from dataclasses import replace

from enrich.match import choose_record
from enrich.merge import merge_record
from enrich.models import Author, Candidate, Identifiers
from enrich.overrides import Override
from fixture_records import (
    CLOCKWORK,
    CLOCKWORK_LIST,
    ORCA,
    ORCA_LIST,
    PAGED,
    PAGED_CORR,
    PAGED_SOSP,
    POSEIDON_15,
    POSEIDON_LIST,
    entry,
)

S2_ID = "fixture-paged-attention"


def s2_record(base: Candidate, **changes: object) -> Candidate:
    """S2's record for a paper: S2 ids, citation count, open-access PDF; synthetic values."""
    record = Candidate(
        source="s2",
        title=base.title,
        authors=tuple(
            Author(name=a.name, s2_id=f"fixture-author-{i}") for i, a in enumerate(base.authors)
        ),
        year=base.year,
        venue="Symposium on Operating Systems Principles",
        doi=base.doi,
        ids=Identifiers(dblp=base.ids.dblp, s2=S2_ID, corpus_id=1),
        url=f"https://www.semanticscholar.org/paper/{S2_ID}",
        pdf_url="https://example.org/fixture-paged.pdf",
        citation_count=7,
        abstract="A fixture abstract.",
    )
    return replace(record, **changes)


def test_published_record_with_companion_and_s2() -> None:
    listed = entry("[SOSP '23]", PAGED)
    decision = choose_record(listed, (PAGED_CORR, PAGED_SOSP))
    record = merge_record(listed, decision, s2_record(PAGED_SOSP))
    assert record.title == PAGED and record.year == 2023 and record.venue == "SOSP"
    assert record.doi == "10.1145/3600006.3613165"
    assert record.venue_full == "Symposium on Operating Systems Principles"
    assert record.ids == Identifiers(
        dblp="conf/sosp/KwonLZ0ZY0ZS23", s2=S2_ID, corpus_id=1, arxiv="2309.06180"
    )
    assert record.urls.doi == "https://doi.org/10.1145/3600006.3613165"
    assert record.urls.dblp == "https://dblp.org/rec/conf/sosp/KwonLZ0ZY0ZS23"
    assert record.urls.s2 == f"https://www.semanticscholar.org/paper/{S2_ID}"
    assert record.urls.arxiv == "https://arxiv.org/abs/2309.06180"
    assert record.urls.pdf == "https://example.org/fixture-paged.pdf"
    assert record.citation_count == 7 and record.abstract == "A fixture abstract."
    assert [a.dblp_pid for a in record.authors] == [a.dblp_pid for a in PAGED_SOSP.authors]
    assert [a.s2_id for a in record.authors] == [
        f"fixture-author-{i}" for i in range(len(PAGED_SOSP.authors))
    ]
    assert dict(record.provenance) == {
        "title": "dblp",
        "year": "dblp",
        "venue": "dblp",
        "doi": "dblp",
        "entry_type": "dblp",
        "ids.dblp": "dblp",
        "ids.arxiv": "dblp",
        "venue_full": "s2",
        "ids.s2": "s2",
        "ids.corpus_id": "s2",
        "citation_count": "s2",
        "abstract": "s2",
        "authors": "dblp",
        "urls.doi": "dblp",
        "urls.dblp": "dblp",
        "urls.s2": "s2",
        "urls.arxiv": "dblp",
        "urls.pdf": "s2",
    }
    assert record.match is decision.match


def test_arxiv_doi_from_s2_never_lands_on_a_published_paper() -> None:
    # Clockwork (OSDI '20) has no DOI; S2 merges versions and may offer the arXiv DataCite DOI.
    osdi = CLOCKWORK
    listed = entry("[OSDI '20]", CLOCKWORK_LIST)
    s2 = s2_record(
        osdi,
        doi="10.48550/arXiv.2006.02464",
        ids=Identifiers(dblp=osdi.ids.dblp, s2=S2_ID, arxiv="2006.02464"),
    )
    record = merge_record(listed, choose_record(listed, (osdi,)), s2)
    assert record.doi is None and record.urls.doi is None
    assert record.ids.arxiv == "2006.02464" and record.provenance["ids.arxiv"] == "s2"


def test_s2_record_of_another_paper_is_not_used() -> None:
    listed = entry("[SOSP '23]", PAGED)
    other = s2_record(
        PAGED_SOSP,
        title="An Example Different Paper",
        doi=None,
        ids=Identifiers(dblp="conf/sosp/ExampleOther23", s2="fixture-other"),
    )
    record = merge_record(listed, choose_record(listed, (PAGED_SOSP,)), other)
    assert record.ids.s2 is None and record.citation_count is None
    assert any("was not used" in note for note in record.match.notes)


def test_unmatched_paper_keeps_the_list_data() -> None:
    listed = entry("[ATC '17]", POSEIDON_LIST)
    poseidon_15 = POSEIDON_15
    decision = choose_record(listed, (poseidon_15,))
    record = merge_record(listed, decision, s2_record(poseidon_15))
    assert decision.match.status == "unmatched"
    assert (record.title, record.year, record.venue) == (listed.title, 2017, "ATC")
    assert record.doi is None and record.ids == Identifiers() and record.authors == ()
    assert dict(record.provenance) == {"title": "list", "year": "list", "venue": "list"}


def test_override_pin_without_the_record_keeps_its_identifiers() -> None:
    title = "Paella: Low-latency Model Serving with Virtualized GPU Scheduling"
    listed = entry("[SOSP '23]", title)
    pin = Override(
        origin="data/overrides.csv:2",
        action="pin",
        title=title,
        dblp_key="conf/sosp/ExampleNg23",
        doi="10.1145/3600006.3613163",
    )
    record = merge_record(listed, choose_record(listed, (), pin), None)
    assert record.match.decided_by == "override"
    assert record.doi == "10.1145/3600006.3613163" and record.ids.dblp == "conf/sosp/ExampleNg23"
    assert record.provenance["doi"] == "override" and record.provenance["urls.dblp"] == "override"
    assert record.title == title and record.provenance["title"] == "list"


def test_s2_only_record_when_dblp_found_nothing() -> None:
    listed = entry("[SOSP '23]", PAGED)
    s2 = s2_record(PAGED_SOSP)
    record = merge_record(listed, choose_record(listed, (s2,)), None)
    assert record.match.decided_by == "s2"
    assert record.ids.dblp == "conf/sosp/KwonLZ0ZY0ZS23" and record.provenance["ids.dblp"] == "s2"
    assert record.provenance["title"] == "s2" and record.provenance["authors"] == "s2"
    assert record.authors[0].s2_id == "fixture-author-0"


def test_authors_align_by_family_name_when_lists_differ() -> None:
    listed = entry("[SOSP '23]", PAGED)
    s2 = s2_record(
        PAGED_SOSP,
        authors=(
            Author("Bob Example", s2_id="fixture-bob"),
            Author("E. Kwon", s2_id="fixture-kwon"),
        ),
    )
    record = merge_record(listed, choose_record(listed, (PAGED_SOSP,)), s2)
    by_name = {a.name: a.s2_id for a in record.authors}
    assert [a.name for a in record.authors] == [a.name for a in PAGED_SOSP.authors]
    assert (by_name["Example Kwon"], by_name["Bob Example"]) == ("fixture-kwon", "fixture-bob")
    assert {by_name[a.name] for a in PAGED_SOSP.authors[2:]} == {None}


def test_s2_pointing_at_the_corr_record_is_the_same_paper() -> None:
    # S2 merges versions; its DBLP id for a published paper is often the CoRR record's key.
    listed = entry("[SOSP '23]", PAGED)
    decision = choose_record(listed, (PAGED_SOSP, PAGED_CORR))
    s2 = s2_record(PAGED_SOSP, doi=None, ids=Identifiers(dblp=PAGED_CORR.ids.dblp, s2=S2_ID))
    record = merge_record(listed, decision, s2)
    assert record.ids.s2 == S2_ID and record.ids.dblp == PAGED_SOSP.ids.dblp
    assert record.match.notes == ()


def test_s2_data_never_reaches_an_unmatched_paper() -> None:
    listed = entry("[SOSP '23]", "An Example Paper Nobody Wrote")
    decision = choose_record(listed, (PAGED_SOSP,))
    record = merge_record(listed, decision, s2_record(PAGED_SOSP))
    assert decision.match.status == "unmatched"
    assert record.ids == Identifiers() and record.citation_count is None and record.doi is None


def test_skipped_paper_is_the_list_data() -> None:
    listed = entry("[SOSP '23]", PAGED)
    skip = Override(origin="o.csv:2", action="skip", title=PAGED)
    record = merge_record(listed, choose_record(listed, (PAGED_SOSP,), skip), None)
    assert record.match.status == "skipped" and record.doi is None
    assert record.provenance["title"] == "list"


# DBLP's export of the chosen record: what a search hit lacks. SOSP '23 booktitle and
# publisher are obviously synthetic (no source gives them); the key and DOI are real facts.
PAGED_EXPORT = Candidate(
    source="dblp",
    title=PAGED,
    authors=tuple(Author(name=a.name) for a in PAGED_SOSP.authors),
    year=2023,
    venue_full="Proceedings of the Example Conference, SOSP 2023",
    entry_type="inproceedings",
    publisher="Example Publisher",
    editors=("Ann Example",),
    doi="10.1145/3600006.3613165",
    ids=Identifiers(dblp="conf/sosp/KwonLZ0ZY0ZS23"),
    url="https://dblp.org/rec/conf/sosp/KwonLZ0ZY0ZS23",
    links=("https://doi.org/10.1145/3600006.3613165",),
)


def test_the_export_completes_the_chosen_record() -> None:
    listed = entry("[SOSP '23]", PAGED)
    decision = choose_record(listed, (PAGED_CORR, PAGED_SOSP))
    record = merge_record(listed, decision, s2_record(PAGED_SOSP), PAGED_EXPORT)
    assert record.venue == "SOSP"
    assert record.venue_full == "Proceedings of the Example Conference, SOSP 2023"
    assert (record.publisher, record.editors) == ("Example Publisher", ("Ann Example",))
    assert record.provenance["publisher"] == "dblp"
    assert record.provenance["venue_full"] == "dblp"
    assert [a.dblp_pid for a in record.authors] == [a.dblp_pid for a in PAGED_SOSP.authors]
    assert record.urls.published is None  # its ee is the DOI link


def test_a_conference_paper_decided_by_s2_is_inproceedings() -> None:
    """DBLP found nothing; S2's title match decides, and links the paper's DBLP record."""
    listed = entry("[SOSP '23]", PAGED)
    by_s2 = replace(
        s2_record(PAGED_SOSP), entry_type="inproceedings", venue_full="Symposium on Operating "
        "Systems Principles", ids=Identifiers(dblp="conf/sosp/KwonLZ0ZY0ZS23", s2=S2_ID),
    )  # fmt: skip
    decision = choose_record(listed, (by_s2,))
    assert decision.match.decided_by == "s2"
    alone = merge_record(listed, decision, None)
    assert (alone.entry_type, alone.venue, alone.venue_full) == (
        "inproceedings",
        "SOSP",
        "Symposium on Operating Systems Principles",
    )
    completed = merge_record(listed, decision, None, PAGED_EXPORT)
    assert completed.entry_type == "inproceedings"
    assert completed.venue_full == PAGED_EXPORT.venue_full
    assert completed.ids.s2 == S2_ID and completed.ids.dblp == "conf/sosp/KwonLZ0ZY0ZS23"


def test_an_export_of_another_paper_is_not_used_for_an_s2_decision() -> None:
    listed = entry("[SOSP '23]", PAGED)
    decision = choose_record(listed, (replace(s2_record(PAGED_SOSP), entry_type="inproceedings"),))
    other = replace(PAGED_EXPORT, title="An Example Workshop Paper on Something Else")
    assert merge_record(listed, decision, None, other).publisher is None


def test_a_pin_no_search_returned_takes_the_whole_export() -> None:
    listed = entry("[SOSP '23]", "A title nobody indexes")
    pin = Override(
        title=None, key=None, dblp_key="conf/sosp/KwonLZ0ZY0ZS23", doi=None, s2_id=None,
        action="pin", origin="overrides.csv:2",
    )  # fmt: skip
    decision = choose_record(listed, [], pin)
    record = merge_record(listed, decision, None, PAGED_EXPORT)
    assert (record.title, record.entry_type, record.publisher) == (
        PAGED,
        "inproceedings",
        "Example Publisher",
    )
    assert [a.name for a in record.authors] == [a.name for a in PAGED_EXPORT.authors]
    assert record.match.notes == ("pinned by overrides.csv:2",)


def test_the_publishers_page_comes_from_dblps_ee() -> None:
    listed = entry("[OSDI '22]", ORCA_LIST)
    decision = choose_record(listed, (ORCA,))
    export = replace(
        PAGED_EXPORT, title=ORCA.title, doi=None, ids=Identifiers(dblp=ORCA.ids.dblp),
        links=("https://www.usenix.org/conference/osdi22/presentation/yu",),
    )  # fmt: skip
    record = merge_record(listed, decision, None, export)
    assert record.urls.published == "https://www.usenix.org/conference/osdi22/presentation/yu"
    assert record.provenance["urls.published"] == "dblp"
