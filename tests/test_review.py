"""The review report lists what a person must settle, with ready-to-paste override lines."""

from __future__ import annotations

import csv
import io

from enrich.match import choose_record
from enrich.merge import merge_record
from enrich.models import EnrichedRecord
from enrich.overrides import Override, parse_overrides
from enrich.review import needs_review, render_review, summarize
from fixture_records import (
    NEXUS,
    NEXUS_TWIN,
    ORCA,
    ORCA_LIST,
    PAGED,
    PAGED_SOSP,
    POSEIDON_15,
    entry,
)
from fixture_records import POSEIDON_LIST as POSEIDON


def enrich(
    label: str, title: str, candidates: tuple, line: int, override: Override | None = None
) -> EnrichedRecord:
    listed = entry(label, title, line=line)
    return merge_record(listed, choose_record(listed, candidates, override), None)


def records() -> list[EnrichedRecord]:
    skip = Override(origin="data/overrides.csv:2", action="skip", title="Horovod")
    return [
        enrich("[SOSP '23]", PAGED, (PAGED_SOSP,), 20),
        enrich("[OSDI '22]", ORCA_LIST, (ORCA,), 26),
        enrich("[SOSP '19]", "Nexus", (NEXUS, NEXUS_TWIN), 40),
        enrich("[ATC '17]", POSEIDON, (POSEIDON_15,), 65),
        enrich("[arXiv '18]", "Horovod", (), 64, skip),
    ]


def test_review_lists_every_paper_that_needs_a_person() -> None:
    text = render_review(records())
    assert text.startswith("# Review\n")
    assert "5 papers: 1 ambiguous, 1 unmatched, 2 matched, 1 skipped." in text
    assert "Efficient Memory Management" not in text  # matched cleanly: nothing to review
    nexus = text.index("### [SOSP '19] Nexus")
    assert "status **ambiguous**" in text[nexus:]
    assert "conf/sosp/ShenCJZKPKS19" in text and "conf/sosp/ExampleNexus19" in text
    assert "(SOSP 2019; conf/sosp/ShenCJZKPKS19" in text
    assert "Poseidon: A System Architecture" in text and "(CoRR 2015;" in text
    orca = text.index("### [OSDI '22] Orca")
    assert "title differs" in text[orca:] and "chosen: Orca: A Distributed" in text[orca:]
    assert "## Overrides used (1)" in text and "skipped by data/overrides.csv:2" in text
    assert text.index("Not matched") < nexus < text.index("Poseidon: An Efficient")


def test_suggested_override_lines_parse_and_pin_the_candidates() -> None:
    text = render_review(records())
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().endswith((",pin", ",skip"))]
    header = "title,key,dblp_key,doi,s2_id,action\n"
    pinned = []
    for line in lines:  # each suggestion is a complete override on its own
        (override,) = parse_overrides(header + line + "\n", "pasted.csv")
        pinned.append(override.dblp_key or override.action)
    assert pinned == [
        "conf/sosp/ShenCJZKPKS19",
        "conf/sosp/ExampleNexus19",
        "skip",
        "journals/corr/ExampleZhang15",
        "skip",
        "conf/osdi/YuJKKC22",
    ]
    poseidon = next(ln for ln in lines if ln.startswith("Poseidon"))
    assert next(csv.reader(io.StringIO(poseidon)))[0] == POSEIDON


def test_needs_review_and_summary() -> None:
    recs = records()
    assert [needs_review(r) for r in recs] == [False, True, True, True, True]
    summary = summarize(recs, "data/enriched/review.md")
    assert summary.splitlines()[0] == "5 papers: 1 ambiguous, 1 unmatched, 2 matched, 1 skipped"
    assert "1 matched with notes" in summary and "1 decided by overrides" in summary
    assert "ambiguous  data/raw/mlsys-reading-list.md:40  Nexus" in summary
    assert summary.endswith("details: data/enriched/review.md")


def test_clean_run_has_nothing_to_review() -> None:
    clean = [enrich("[SOSP '23]", PAGED, (PAGED_SOSP,), 20)]
    assert render_review(clean).count("Nothing.") == 3
    assert summarize(clean, "data/enriched/review.md") == "1 paper: 1 matched"


def test_markdown_in_titles_is_escaped_and_csv_quoted() -> None:
    title = "A *starred* [title], with <html> | pipes"
    text = render_review([enrich(None, title, (), 3)])
    assert "A \\*starred\\* \\[title\\], with \\<html\\> \\| pipes" in text
    assert f'"{title}",,,,,skip' in text


def test_a_pinned_paper_counts_as_an_override_in_the_report_and_the_summary() -> None:
    pin = Override(
        origin="data/overrides.csv:3", action="pin", title=ORCA_LIST, dblp_key=ORCA.ids.dblp
    )
    pinned = enrich("[OSDI '22]", ORCA_LIST, (ORCA,), 26, pin)
    assert pinned.match.decided_by == "override" and pinned.match.notes  # "pinned by ..."
    text = render_review([pinned])
    assert "## Matched with notes (0)" in text and "## Overrides used (1)" in text
    summary = summarize([pinned])
    assert "matched with notes" not in summary and "1 decided by overrides" in summary
