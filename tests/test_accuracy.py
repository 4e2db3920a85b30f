"""The labelled accuracy set as a regular test: a change that breaks a match fails CI.

The 50 labelled papers of the shipped list are resolved over HTTP against the emulator
(through enrich.resolve.resolve_entries, as `enrich run` does; see tests/accuracy_set.py); the same figures
are printed by benchmarks/bench_accuracy.py. Targets (issue 4): every labelled paper matched
to its published record, and no wrong confident match.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from accuracy_set import (
    LabelledPaper,
    every_query,
    find,
    load_set,
    local_client,
    name_only_variants,
    resolve,
    resolve_as_pipeline,
    score,
    serving,
    without_own_records,
    wrong,
)
from enrich.emulator import Emulator
from enrich.sources import DblpSource


@pytest.fixture(scope="module")
def papers() -> list[LabelledPaper]:
    return load_set()


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with serving() as running:
        yield running


@pytest.mark.parametrize("variant", ["pipeline", "every-query"])
def test_every_labelled_paper_matches_its_published_record(
    papers: list[LabelledPaper], emulator: Emulator, variant: str
) -> None:
    if variant == "pipeline":
        outcomes = resolve_as_pipeline(papers, emulator)
    else:
        outcomes = resolve(papers, emulator, search=every_query)
    assert wrong(outcomes) == []
    scores = score(outcomes)
    assert (scores.papers, scores.matched, scores.key_expected) == (50, 50, 50)
    assert (scores.key_precision, scores.key_recall) == (1.0, 1.0)
    assert (scores.doi_precision, scores.doi_recall) == (1.0, 1.0)
    assert scores.doi_expected == sum(1 for p in papers if p.expected_doi) == 18


@pytest.mark.parametrize("search", [find, every_query], ids=["find", "every-query"])
def test_no_confident_match_when_the_paper_itself_is_missing(
    papers: list[LabelledPaper], emulator: Emulator, search
) -> None:
    outcomes = resolve(without_own_records(papers), emulator, search=search, own_records=False)
    confident = [(o.paper.entry.title, o.key, o.doi) for o in outcomes if o.status == "matched"]
    assert confident == []
    assert all(o.doi is None for o in outcomes)
    met = {o.paper.entry.title.split(":")[0] for o in outcomes if o.candidates}
    # the confusables were there to be chosen: the other PipeDream, Poseidon 2015, MLPerf
    # Mobile, the Hot Chips DFX, the longer-titled Themis preprint, the ACM same-title record
    assert {"PipeDream", "Poseidon", "MLPerf Inference Benchmark", "DFX", "Themis"} <= met
    assert "Scaling Distributed Machine Learning with the Parameter Server" in met


def test_name_only_bullets_resolve_by_venue_and_year_or_not_at_all(
    papers: list[LabelledPaper], emulator: Emulator
) -> None:
    variants = name_only_variants(papers)
    scores = score(resolve(variants, emulator))
    assert len(variants) >= 30
    assert scores.key_wrong == 0 and scores.doi_wrong == 0
    assert scores.key_correct == len(variants)


def test_semantic_scholar_records_change_no_decision(
    papers: list[LabelledPaper], emulator: Emulator
) -> None:
    outcomes = resolve(papers, emulator, with_s2=True)
    assert wrong(outcomes) == []
    assert {o.decided_by for o in outcomes} == {"dblp"}
    assert emulator.requests["s2.match"] > 0 and emulator.requests["s2.batch"] > 0


def test_the_set_is_the_shipped_lists_own_wording(papers: list[LabelledPaper]) -> None:
    by_start = {p.entry.title.split(":")[0].split()[0]: p for p in papers}
    assert by_start["Orca"].entry.title.endswith("Language Generation Tasks")
    assert by_start["Paella"].entry.title.endswith("Virtualized GPU Scheduling")
    assert by_start["Achieving"].entry.title.startswith("Achieving μs-scale")
    assert by_start["Chimera"].entry.label == "[SC '21']" and by_start["Chimera"].entry.year == 2021
    assert len({p.trap for p in papers if p.trap}) >= 10


@pytest.mark.parametrize(
    ("start", "confusable", "venue"),
    [
        ("PipeDream", "PipeDream: Fast and Efficient Pipeline Parallel DNN Training", "CoRR"),
        ("Poseidon", "Poseidon: A System Architecture for Efficient GPU-based Deep Learning on Multiple Machines", "CoRR"),
        ("MLPerf", "MLPerf Mobile Inference Benchmark", "MLSys"),
        ("BPipe", "Re-evaluating the Memory-balanced Pipeline Parallelism: BPipe", "CoRR"),
        ("DFX", "DFX: A Low-latency Multi-FPGA Appliance for Accelerating Transformer-based Text Generation", "HCS"),
        ("Scaling Distributed", "Scaling Distributed Machine Learning with the Parameter Server", "BigDataScience"),
        ("INFaaS", "INFaaS: A Model-less and Managed Inference Serving System", "CoRR"),
        ("Themis", "Themis: Fair and Efficient GPU Cluster Scheduling for Machine Learning Workloads", "CoRR"),
        ("Scaling Distributed", "Parameter Server for Distributed Machine Learning", "NIPS Workshop"),
        ("AntMan", "Optimus: An Efficient Dynamic Resource Scheduler for Deep Learning Clusters", "EuroSys"),
    ],
)  # fmt: skip
def test_the_confusables_are_served_with_the_paper(
    papers: list[LabelledPaper], emulator: Emulator, start: str, confusable: str, venue: str
) -> None:
    paper = next(p for p in papers if p.entry.title.startswith(start))
    with local_client() as client:
        candidates = every_query(DblpSource(client, base_url=emulator.url), paper.entry)
    assert (confusable, venue) in {(c.title, c.venue) for c in candidates}
    assert paper.expected_key in {c.ids.dblp for c in candidates}
