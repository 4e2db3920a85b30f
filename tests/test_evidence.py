"""Evidence: how one candidate compares with the entry, on real cases from the fixtures."""

from __future__ import annotations

import pytest

from enrich.evidence import EXACT, HIGH, REWORDED, title_similarity, weigh
from enrich.match import COMPANION
from fixture_records import (
    GEEPS,
    GEEPS_LIST,
    MLPERF_LIST,
    MLPERF_MOBILE,
    MLPERF_TRAINING,
    NEXUS,
    NEXUS_ELSEWHERE,
    ORCA,
    ORCA_LIST,
    PAELLA,
    PAELLA_LIST,
    PIPEDREAM_18,
    PIPEDREAM_19,
    PIPEDREAM_LIST,
    PIPETRANSFORMER_CORR,
    PIPETRANSFORMER_LIST,
    REEF,
    REEF_LIST,
    THEMIS_CORR,
    THEMIS_LIST,
    corr,
    dblp,
    entry,
)


@pytest.mark.parametrize(
    ("a", "b", "lower", "upper"),
    [
        # Each threshold sits between a pair that must pass and one that must not.
        (REEF_LIST, REEF.title, HIGH, 100),
        ("MLPerf Inference Benchmark", "MLPerf Mobile Inference Benchmark", REWORDED, HIGH),
        (ORCA_LIST, ORCA.title, REWORDED, HIGH),
        (PAELLA_LIST, PAELLA.title, REWORDED, HIGH),
        (PIPEDREAM_LIST, PIPEDREAM_18.title, 0, REWORDED),
        (MLPERF_LIST, MLPERF_TRAINING.title, 0, REWORDED),
        (PIPETRANSFORMER_LIST, PIPETRANSFORMER_CORR.title, COMPANION, HIGH),
        (THEMIS_LIST, THEMIS_CORR.title, 0, COMPANION),
        ("Pretzel: Opening the Black Box", "PRETZEL: Opening the Black Box.", EXACT, 100),
    ],
)
def test_thresholds_sit_between_real_cases(a: str, b: str, lower: float, upper: float) -> None:
    assert lower <= title_similarity(a, b) <= upper


VENUES = [
    # (label, record venue, preprint?, evidence)
    ("NIPS '12", "NIPS", False, "agree"),
    ("NIPS '19", "NeurIPS", False, "agree"),
    ("ATC '19", "USENIX Annual Technical Conference", False, "agree"),
    ("VLDB '20", "Proc. VLDB Endow.", False, "agree"),
    ("EuroSys '20", "NSDI", False, "disagree"),
    ("OSDI '14", "BigDataScience", False, "foreign"),
    ("ICML '23", "CoRR", True, "preprint"),
    ("arXiv '20", "OSDI", False, "published"),
    ("arXiv '18", "CoRR", True, "agree"),
    ("HotFoo '21", "OSDI", False, "unknown"),
    ("HotFoo '21", "HotFoo", False, "agree"),
    (None, "OSDI", False, "unknown"),
    ("OSDI '22", "", False, "unknown"),
]


@pytest.mark.parametrize(("label", "venue", "preprint", "expected"), VENUES)
def test_venue_evidence(label: str | None, venue: str, preprint: bool, expected: str) -> None:
    title = "Serving DNNs like Clockwork: Performance Predictability from the Bottom Up"
    listed = entry(f"[{label}]" if label else None, title)
    record = corr(title, "2006.02464") if preprint else dblp(title, venue, 2020, "conf/x/Example20")
    assert weigh(listed, record).venue == expected


@pytest.mark.parametrize(
    ("label", "title", "record", "reason"),
    [
        ("[OSDI '22]", ORCA_LIST, ORCA, "reworded"),
        ("[OSDI '21]", ORCA_LIST, ORCA, None),
        ("[SOSP '19]", "Nexus", NEXUS, "name"),
        ("[SOSP '19]", "Nexus", NEXUS_ELSEWHERE, None),
        ("[SOSP '19]", PIPEDREAM_LIST, PIPEDREAM_19, "title"),
        ("[SOSP '19]", PIPEDREAM_LIST, PIPEDREAM_18, None),
        ("[ISCA '20]", MLPERF_LIST, MLPERF_MOBILE, None),
        ("[EuroSys '14]", GEEPS_LIST, GEEPS, None),
    ],
)
def test_reason(label: str, title: str, record: object, reason: str | None) -> None:
    assert weigh(entry(label, title), record).reason == reason  # type: ignore[arg-type]
