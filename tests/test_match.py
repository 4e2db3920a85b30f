"""choose_record on real tricky cases from tests/fixtures/papers_part1.json."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from enrich.match import choose_record, no_decision
from enrich.models import Candidate, Entry, Identifiers
from enrich.overrides import Override
from fixture_records import (
    CHIMERA,
    CHIMERA_LIST,
    CLOCKWORK,
    CLOCKWORK_CORR,
    CLOCKWORK_LIST,
    DFX_HOTCHIPS,
    DFX_LIST,
    DFX_MICRO,
    DISTBELIEF,
    DISTBELIEF_LIST,
    FLEXGEN_CORR,
    FLEXGEN_LIST,
    GANDIVA_FAIR,
    GANDIVA_FAIR_LIST,
    GEEPS,
    GEEPS_LIST,
    GPIPE,
    GPIPE_LIST,
    HOROVOD,
    HOROVOD_LIST,
    INFAAS,
    INFAAS_CORR,
    INFAAS_LIST,
    MLPERF,
    MLPERF_LIST,
    MLPERF_MOBILE,
    MLPERF_TRAINING,
    MULAYER,
    MULAYER_LIST,
    NEXUS,
    NEXUS_ELSEWHERE,
    NEXUS_TWIN,
    OPTIMUS,
    OPTIMUS_CC,
    OPTIMUS_CC_LIST,
    OPTIMUS_LIST,
    ORCA,
    ORCA_LIST,
    PAELLA,
    PAELLA_LIST,
    PAGED,
    PAGED_CORR,
    PAGED_SOSP,
    PHILLY,
    PHILLY_LIST,
    PIPEDREAM_18,
    PIPEDREAM_19,
    PIPEDREAM_LIST,
    PIPETRANSFORMER,
    PIPETRANSFORMER_CORR,
    PIPETRANSFORMER_LIST,
    POSEIDON_15,
    POSEIDON_17,
    POSEIDON_17_CORR,
    POSEIDON_LIST,
    PS_ELSEWHERE,
    PS_LIST,
    PS_OSDI,
    REEF,
    REEF_LIST,
    THEMIS,
    THEMIS_CORR,
    THEMIS_LIST,
    dblp,
    entry,
)


@dataclass(frozen=True)
class Case:
    entry: Entry
    candidates: tuple[Candidate, ...]
    status: str
    key: str | None = None
    """DBLP key of the chosen record (None when nothing must be chosen)."""
    note: str | None = None
    """A substring one of the notes must contain; None: there must be no note."""
    companion: str | None = None
    alternatives: tuple[str, ...] = field(default=())


CASES = {
    "published SOSP record over its CoRR copy, CoRR kept as companion": Case(
        entry("[SOSP '23]", PAGED),
        (PAGED_CORR, PAGED_SOSP),
        "matched",
        "conf/sosp/KwonLZ0ZY0ZS23",
        companion="journals/corr/abs-2309-06180",
    ),
    "Orca: list wording differs, venue and year confirm": Case(
        entry("[OSDI '22]", ORCA_LIST),
        (ORCA,),
        "matched",
        "conf/osdi/YuJKKC22",
        note="title differs",
    ),
    "Paella: list wording differs, venue and year confirm": Case(
        entry("[SOSP '23]", PAELLA_LIST),
        (PAELLA, PAGED_SOSP),
        "matched",
        PAELLA.ids.dblp,
        note="Software-defined",
    ),
    "Orca's wording with the wrong year is not enough": Case(
        entry("[OSDI '21]", ORCA_LIST),
        (ORCA,),
        "unmatched",
        alternatives=(ORCA.ids.dblp,),
    ),
    "μs-scale in the list finds Microsecond-scale": Case(
        entry("[OSDI '22]", REEF_LIST),
        (REEF,),
        "matched",
        REEF.ids.dblp,
        note="Microsecond",
    ),
    "Greek mu in the list, micro sign in the record": Case(
        entry("[EuroSys '19]", MULAYER_LIST),
        (MULAYER,),
        "matched",
        MULAYER.ids.dblp,
    ),
    "PipeDream 2019, not the 2018 PipeDream preprint (a different paper)": Case(
        entry("[SOSP '19]", PIPEDREAM_LIST),
        (PIPEDREAM_18, PIPEDREAM_19),
        "matched",
        PIPEDREAM_19.ids.dblp,
    ),
    "only the 2018 PipeDream paper found: never it": Case(
        entry("[SOSP '19]", PIPEDREAM_LIST),
        (PIPEDREAM_18,),
        "unmatched",
        alternatives=(PIPEDREAM_18.ids.dblp,),
    ),
    "Poseidon 2017 with its preprint, not Poseidon 2015": Case(
        entry("[ATC '17]", POSEIDON_LIST),
        (POSEIDON_15, POSEIDON_17_CORR, POSEIDON_17),
        "matched",
        POSEIDON_17.ids.dblp,
        companion="journals/corr/ExampleZhang17",
    ),
    "only Poseidon 2015 found: never it": Case(
        entry("[ATC '17]", POSEIDON_LIST),
        (POSEIDON_15,),
        "unmatched",
        alternatives=(POSEIDON_15.ids.dblp,),
    ),
    "Optimus-CC, not Optimus": Case(
        entry("[ASPLOS '23]", OPTIMUS_CC_LIST),
        (OPTIMUS, OPTIMUS_CC),
        "matched",
        OPTIMUS_CC.ids.dblp,
    ),
    "Optimus, not Optimus-CC": Case(
        entry("[EuroSys '18]", OPTIMUS_LIST),
        (OPTIMUS_CC, OPTIMUS),
        "matched",
        OPTIMUS.ids.dblp,
    ),
    "only Optimus found for Optimus-CC: never it": Case(
        entry("[ASPLOS '23]", OPTIMUS_CC_LIST),
        (OPTIMUS,),
        "unmatched",
    ),
    "arXiv-only Horovod: the CoRR record, no note": Case(
        entry("[arXiv '18]", HOROVOD_LIST),
        (HOROVOD,),
        "matched",
        HOROVOD.ids.dblp,
    ),
    "label says arXiv but a published version exists: the published one, noted": Case(
        entry("[arXiv '20]", CLOCKWORK_LIST),
        (CLOCKWORK_CORR, CLOCKWORK),
        "matched",
        CLOCKWORK.ids.dblp,
        note="published at OSDI 2020",
        companion=CLOCKWORK_CORR.ids.dblp,
    ),
    "label says ICML, only the preprint found: the preprint, noted": Case(
        entry("[ICML '23]", FLEXGEN_LIST),
        (FLEXGEN_CORR,),
        "matched",
        FLEXGEN_CORR.ids.dblp,
        note="only the arXiv preprint",
    ),
    "INFaaS: published record, preprint under another title is no companion": Case(
        entry("[ATC '21]", INFAAS_LIST),
        (INFAAS_CORR, INFAAS),
        "matched",
        INFAAS.ids.dblp,
    ),
    "INFaaS: only the differently titled 2019 preprint: not confident": Case(
        entry("[ATC '21]", INFAAS_LIST),
        (INFAAS_CORR,),
        "unmatched",
    ),
    "Themis: only the longer-titled preprint: not confident": Case(
        entry("[NSDI '20]", THEMIS_LIST),
        (THEMIS_CORR,),
        "unmatched",
    ),
    "PipeTransformer: reworded preprint by the same first author is the companion": Case(
        entry("[ICML '21]", PIPETRANSFORMER_LIST),
        (PIPETRANSFORMER_CORR, PIPETRANSFORMER),
        "matched",
        PIPETRANSFORMER.ids.dblp,
        companion=PIPETRANSFORMER_CORR.ids.dblp,
    ),
    "the list writes the arXiv title: the published version, noted, preprint as companion": Case(
        entry("[ICML '21]", PIPETRANSFORMER_CORR.title),
        (PIPETRANSFORMER_CORR, PIPETRANSFORMER),
        "matched",
        PIPETRANSFORMER.ids.dblp,
        note="Large-scale Models",
        companion=PIPETRANSFORMER_CORR.ids.dblp,
    ),
    "same title at another venue with a wrong DOI: the label's OSDI record": Case(
        entry("[OSDI '14]", PS_LIST),
        (PS_ELSEWHERE, PS_OSDI),
        "matched",
        PS_OSDI.ids.dblp,
    ),
    "same title only at a venue the label does not name: never it": Case(
        entry("[OSDI '14]", PS_LIST),
        (PS_ELSEWHERE,),
        "unmatched",
        alternatives=(PS_ELSEWHERE.ids.dblp,),
    ),
    "DFX at MICRO, not the same-title Hot Chips poster": Case(
        entry("[MICRO '22]", DFX_LIST),
        (DFX_HOTCHIPS, DFX_MICRO),
        "matched",
        DFX_MICRO.ids.dblp,
    ),
    "two same-title versions and no label: ambiguous": Case(
        entry(None, DFX_LIST),
        (DFX_HOTCHIPS, DFX_MICRO),
        "ambiguous",
        alternatives=(DFX_MICRO.ids.dblp, DFX_HOTCHIPS.ids.dblp),
    ),
    "MLPerf Inference at ISCA among the MLPerf family": Case(
        entry("[ISCA '20]", MLPERF_LIST),
        (MLPERF_MOBILE, MLPERF_TRAINING, MLPERF),
        "matched",
        MLPERF.ids.dblp,
    ),
    "MLPerf Inference absent: neither Mobile nor Training": Case(
        entry("[ISCA '20]", MLPERF_LIST),
        (MLPERF_MOBILE, MLPERF_TRAINING),
        "unmatched",
    ),
    "name-only bullet resolved by venue and year": Case(
        entry("[SOSP '19]", "Nexus"),
        (NEXUS_ELSEWHERE, NEXUS),
        "matched",
        NEXUS.ids.dblp,
        note="only the name",
    ),
    "name-only bullet, two papers of that name at that venue and year: ambiguous": Case(
        entry("[SOSP '19]", "Nexus"),
        (NEXUS, NEXUS_TWIN),
        "ambiguous",
        alternatives=(NEXUS.ids.dblp, NEXUS_TWIN.ids.dblp),
    ),
    "name-only bullet with the wrong year: unmatched": Case(
        entry("[SOSP '18]", "Nexus"),
        (NEXUS,),
        "unmatched",
    ),
    "year off by one: matched with a note": Case(
        entry("[EuroSys '19]", GANDIVA_FAIR_LIST),
        (GANDIVA_FAIR,),
        "matched",
        GANDIVA_FAIR.ids.dblp,
        note="the list says 2019, the record says 2020",
    ),
    "year off by two: not confident": Case(
        entry("[EuroSys '14]", GEEPS_LIST),
        (GEEPS,),
        "unmatched",
    ),
    "label names the wrong conference: matched with a note": Case(
        entry("[EuroSys '20]", THEMIS_LIST),
        (THEMIS,),
        "matched",
        THEMIS.ids.dblp,
        note="the list says EuroSys, the record says NSDI",
    ),
    "NIPS label, NIPS record: no note": Case(
        entry("[NIPS '12]", DISTBELIEF_LIST),
        (DISTBELIEF,),
        "matched",
        DISTBELIEF.ids.dblp,
    ),
    "NIPS label, NeurIPS record: no note": Case(
        entry("[NIPS '19]", GPIPE_LIST),
        (GPIPE,),
        "matched",
        GPIPE.ids.dblp,
    ),
    "ATC label, DBLP's long USENIX name: no note": Case(
        entry("[ATC '19]", PHILLY_LIST),
        (PHILLY,),
        "matched",
        PHILLY.ids.dblp,
    ),
    "the list's stray apostrophe [SC '21']": Case(
        entry("[SC '21']", CHIMERA_LIST),
        (CHIMERA,),
        "matched",
        CHIMERA.ids.dblp,
    ),
    "authors from a .bib agree": Case(
        entry("[SOSP '23]", PAGED, authors=("Kwon, W.", "Ann Example")),
        (PAGED_SOSP,),
        "matched",
        PAGED_SOSP.ids.dblp,
    ),
    "authors from a .bib disagree: never matched": Case(
        entry("[SOSP '23]", PAGED, authors=("Zed Nobody", "Yan Nobody")),
        (PAGED_SOSP,),
        "unmatched",
    ),
    "DBLP's record and S2's copy of it are one paper, DBLP decides": Case(
        entry("[SOSP '19]", NEXUS.title),
        (
            dblp(
                NEXUS.title,
                "SOSP",
                2019,
                NEXUS.ids.dblp or "",
                doi=NEXUS.doi,
                source="s2",
                s2_id="fixture-nexus",
            ),
            NEXUS,
        ),
        "matched",
        NEXUS.ids.dblp,
    ),
    "no candidates at all": Case(entry("[OSDI '22]", ORCA_LIST), (), "unmatched"),
    "S2 record with an empty venue (S2's 'unknown'): title decides": Case(
        entry("[SOSP '19]", NEXUS.title),
        (replace(NEXUS, source="s2", venue="", ids=Identifiers(s2="fixture-nexus")),),
        "matched",
        None,
    ),
    "label dates the paper by its arXiv year, published three years later": Case(
        entry("[arXiv '17]", CLOCKWORK_LIST),
        (CLOCKWORK,),
        "matched",
        CLOCKWORK.ids.dblp,
        note="published at OSDI 2020",
    ),
    "an exact title and a reworded one both fit: the exact one, no tie": Case(
        entry("[OSDI '22]", ORCA.title),
        (ORCA, dblp(ORCA_LIST, "OSDI", 2022, "conf/osdi/ExampleOrcaReworded22")),
        "matched",
        ORCA.ids.dblp,
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_choose_record(case: Case) -> None:
    decision = choose_record(case.entry, case.candidates)
    match = decision.match
    assert match.status == case.status, match.notes
    chosen_key = decision.chosen.ids.dblp if decision.chosen else None
    assert chosen_key == case.key
    if case.note is None:
        assert match.status != "matched" or match.notes == ()
    else:
        assert any(case.note in note for note in match.notes), match.notes
    companion = decision.preprint.ids.dblp if decision.preprint else None
    assert companion == case.companion
    alternative_keys = [a.dblp_key for a in match.alternatives]
    assert all(key in alternative_keys for key in case.alternatives), alternative_keys
    if match.status == "matched":
        assert 0 <= (match.score or 0) <= 100
        assert match.decided_by == decision.chosen.source  # type: ignore[union-attr]
    else:
        assert decision.chosen is None and match.notes


PIN = Override(
    origin="data/overrides.csv:2", action="pin", title=POSEIDON_LIST, dblp_key=POSEIDON_15.ids.dblp
)


def test_override_pin_wins_over_the_scores() -> None:
    decision = choose_record(entry("[ATC '17]", POSEIDON_LIST), (POSEIDON_17, POSEIDON_15), PIN)
    assert decision.chosen is POSEIDON_15
    assert decision.match.decided_by == "override"
    assert decision.match.status == "matched"
    assert "pinned by data/overrides.csv:2" in decision.match.notes
    assert decision.override is PIN


def test_override_pin_by_doi_and_missing_record() -> None:
    by_doi = Override(origin="o.csv:3", action="pin", title=DFX_LIST, doi=DFX_MICRO.doi.upper())  # type: ignore[union-attr]
    decision = choose_record(entry(None, DFX_LIST), (DFX_HOTCHIPS, DFX_MICRO), by_doi)
    assert decision.chosen is DFX_MICRO
    absent = choose_record(entry(None, DFX_LIST), (DFX_HOTCHIPS,), by_doi)
    assert absent.chosen is None and absent.match.decided_by == "override"
    assert any("not among the candidates" in n for n in absent.match.notes)


def test_override_skip() -> None:
    skip = Override(origin="o.csv:4", action="skip", title=PAGED)
    decision = choose_record(entry("[SOSP '23]", PAGED), (PAGED_SOSP,), skip)
    assert decision.match.status == "skipped" and decision.chosen is None
    assert decision.match.decided_by == "override"


def test_no_decision_for_service_errors() -> None:
    decision = no_decision("error", "DBLP answered 503 three times")
    assert decision.match.status == "error" and decision.chosen is None
