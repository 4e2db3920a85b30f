"""resolve_entries wiring, with sources that answer as planned (no HTTP): which paper is
asked where, and what a failing request costs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from enrich.http import ServiceError
from enrich.models import Candidate, Entry, Identifiers
from enrich.resolve import resolve_entries
from enrich.sources.base import KnownPaper, PartialFetch, Source
from fixture_records import CLOCKWORK, CLOCKWORK_LIST, PAGED, PAGED_SOSP, entry


class PlannedDblp(Source):
    """DBLP that finds the given records and exports nothing."""

    name = "dblp"

    def __init__(self, records: Sequence[Candidate]) -> None:
        self.records = list(records)

    def find(self, entry: Entry) -> list[Candidate]:
        return [r for r in self.records if r.title.split(":")[0] in entry.title]


class PlannedS2(Source):
    """S2 whose batch answers `batch` (or raises it) and whose title match knows `by_title`."""

    name = "s2"

    def __init__(self, batch: list[Candidate | None] | ServiceError, by_title: Candidate) -> None:
        self.batch, self.by_title, self.asked_by_title = batch, by_title, []

    def find(self, entry: Entry) -> list[Candidate]:
        self.asked_by_title.append(entry.title)
        return [self.by_title] if self.by_title.title == entry.title else []

    def fetch(self, papers: Sequence[KnownPaper]) -> list[Candidate | None]:
        if isinstance(self.batch, ServiceError):
            raise self.batch
        return self.batch


def s2_copy(record: Candidate) -> Candidate:
    return replace(record, source="s2", ids=Identifiers(s2=f"fixture-{record.ids.dblp}"))


def test_a_paper_the_batch_does_not_know_goes_on_to_the_title_match() -> None:
    entries = [entry("[SOSP '23]", PAGED)]
    s2 = PlannedS2([None], by_title=s2_copy(PAGED_SOSP))
    (record,), trouble = resolve_entries(entries, PlannedDblp([PAGED_SOSP]), s2, jobs=1)
    assert s2.asked_by_title == [PAGED_SOSP.title]
    assert record.ids.s2 == f"fixture-{PAGED_SOSP.ids.dblp}" and not trouble.errors


def test_a_failed_batch_costs_its_own_papers_only_and_no_title_match() -> None:
    entries = [entry("[SOSP '23]", PAGED), entry("[OSDI '20]", CLOCKWORK_LIST)]
    failure = ServiceError("s2", "HTTP 500 Internal Server Error after 5 attempts", status=500)
    partial = PartialFetch(failure, [None, s2_copy(CLOCKWORK)], failed={0})
    s2 = PlannedS2(partial, by_title=s2_copy(PAGED_SOSP))
    records, trouble = resolve_entries(entries, PlannedDblp([PAGED_SOSP, CLOCKWORK]), s2, jobs=1)
    assert [r.ids.s2 for r in records] == [None, f"fixture-{CLOCKWORK.ids.dblp}"]
    assert [r.match.status for r in records] == ["matched", "matched"]
    assert s2.asked_by_title == [] and "s2" in trouble.errors
    # the failure is the failed paper's own, for lastgood to carry its S2 fields over
    assert [set(r.failures) for r in records] == [{"s2"}, set()]


class AskedS2(PlannedS2):
    """PlannedS2 that remembers what each batch was asked by."""

    def __init__(self, batch: list[Candidate | None], by_title: Candidate) -> None:
        super().__init__(batch, by_title)
        self.batches: list[list[tuple[str | None, str | None]]] = []

    def fetch(self, papers: Sequence[KnownPaper]) -> list[Candidate | None]:
        self.batches.append([(p.doi, p.ids.arxiv) for p in papers])
        return super().fetch(papers)[: len(papers)]


def test_a_linked_paper_is_asked_by_its_link_first_and_no_title_match_follows() -> None:
    # the list names PagedAttention by its system's name only, and links its DOI
    listed = replace(entry("[SOSP '23]", "vLLM"), doi="10.1145/3600006.3613165")
    s2_record = replace(s2_copy(PAGED_SOSP), doi=listed.doi)
    s2 = AskedS2([s2_record], by_title=s2_record)
    (record,), trouble = resolve_entries([listed], PlannedDblp([PAGED_SOSP]), s2, jobs=1)
    assert s2.batches == [[(listed.doi, None)]]  # one batch, by the link; none after it
    assert s2.asked_by_title == []
    assert record.match.status == "matched" and record.ids.dblp == PAGED_SOSP.ids.dblp
    assert record.ids.s2 == s2_record.ids.s2 and not trouble.errors
