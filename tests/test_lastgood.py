"""Last known good, field by field: what a failed source gave before survives this run.

The records are the emulator corpus's PagedAttention (its DBLP hit, DBLP's export of it and
S2's record, read by the real parsers and merged by the real merge), seen through the ways a
night can go wrong: DBLP down, S2 down, DBLP's export failing, and the services answering.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from enrich.emulator import Corpus, dblp_export
from enrich.lastgood import combine
from enrich.match import choose_record, no_decision
from enrich.merge import merge_record
from enrich.models import Candidate, EnrichedRecord, Entry, Identifiers
from enrich.sources.dblp import parse_export, parse_hit
from enrich.sources.s2 import parse_paper

TITLE = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
KEY = "conf/sosp/KwonLZ0ZY0ZS23"
CORPUS = Corpus.load()
INFO = next(info for info in CORPUS.dblp if info["key"] == KEY)
HIT = parse_hit(INFO)
EXPORT = parse_export(dblp_export.render(INFO), KEY)
S2_RAW = next(raw for raw in CORPUS.s2 if raw["externalIds"].get("DBLP") == KEY)
S2 = parse_paper({**S2_RAW, "citationCount": 4242})  # the corpus has no count: a synthetic one
DBLP_DOWN = {"dblp": "dblp: dblp.org: connection refused"}
S2_DOWN = {"s2": "s2: HTTP 503 Service Unavailable after 3 attempts"}


def entry(key: str | None = None, line: int = 1) -> Entry:
    return Entry(
        title=TITLE,
        file="l.md",
        lines=(line,),
        label="[SOSP '23]",
        venue="SOSP",
        year=2023,
        key=key,
    )


def record(
    chosen: Candidate | None,
    s2: Candidate | None,
    export: Candidate | None,
    failures: dict[str, str] | None = None,
    listed: Entry | None = None,
) -> EnrichedRecord:
    """The record resolve would make of these source answers."""
    listed = listed or entry()
    decision = choose_record(listed, [chosen]) if chosen is not None else None
    if decision is None:
        decision = no_decision("error", "; ".join((failures or {}).values()))
    merged = merge_record(listed, decision, s2, export)
    return replace(merged, failures=failures or {})


GOOD = record(HIT, S2, EXPORT)


@pytest.mark.parametrize(
    ("night", "fresh", "kept_fields"),
    [
        # DBLP unreachable: S2's title match decides; DBLP's record must not give way to it
        ("dblp down", record(S2, S2, None, DBLP_DOWN), "whole record"),
        # S2 unreachable: DBLP refreshes its fields, S2's count, id and links are carried over
        (
            "s2 down",
            record(HIT, None, EXPORT, S2_DOWN),
            {"citation_count", "ids.s2", "ids.arxiv", "urls.s2", "urls.arxiv", "urls.pdf"},
        ),
        # DBLP's export failed: the proceedings title and publisher the export gave survive
        (
            "export failed",
            record(HIT, S2, None, DBLP_DOWN),
            {"venue_full", "publisher"},
        ),
    ],
)
def test_what_a_failed_source_gave_is_kept_and_marked_stale(night, fresh, kept_fields):
    (combined,) = combine([fresh.entry], [fresh], [GOOD])
    assert combined.stale, night
    for name in ("title", "authors", "venue_full", "publisher", "doi", "entry_type"):
        assert getattr(combined, name) == getattr(GOOD, name), (night, name)
    assert combined.ids == GOOD.ids and combined.urls == GOOD.urls
    assert combined.citation_count == 4242
    assert combined.provenance == GOOD.provenance
    stale_notes = [n for n in combined.match.notes if n.startswith("kept from the previous run")]
    assert len(stale_notes) == 1
    assert next(iter(fresh.failures.values())) in stale_notes[0]
    if kept_fields == "whole record":
        assert combined.match == replace(GOOD.match, notes=combined.match.notes)
    else:
        shown = {name.replace("_", " ") for name in kept_fields}
        assert set(stale_notes[0].split(": ", 1)[1].split(" (", 1)[0].split(", ")) == shown


def test_a_run_where_every_source_answered_replaces_the_record_whole():
    # S2 answered that it has no record of the paper: its fields go, nothing is stale
    fresh = record(HIT, None, EXPORT)
    (combined,) = combine([fresh.entry], [fresh], [GOOD])
    assert combined == fresh
    assert combined.citation_count is None and not combined.stale


def test_another_paper_this_run_takes_nothing_from_the_previous_one():
    # DBLP now decides another record (no identifier in common), S2 is down: the previous
    # record's S2 data is the other paper's and must not be carried over
    other = replace(HIT, doi=None, ids=Identifiers(dblp="conf/osdi/Example22"))
    fresh = record(other, None, None, S2_DOWN)
    (combined,) = combine([fresh.entry], [fresh], [GOOD])
    assert combined == fresh


def test_a_carried_record_is_carried_again_with_one_stale_note():
    fresh = record(HIT, None, EXPORT, S2_DOWN)
    (once,) = combine([fresh.entry], [fresh], [GOOD])
    (twice,) = combine([fresh.entry], [fresh], [once])
    assert twice.citation_count == 4242 and twice.stale
    assert sum(n.startswith("kept from the previous run") for n in twice.match.notes) == 1


def test_entries_with_their_own_input_keys_keep_their_own_previous_records():
    # a .bib holding two records of one title, under two keys (as DBLP's own exports do)
    first, second = entry("Example:report", 1), entry("Example:paper", 9)
    previous = [
        replace(record(HIT, S2, EXPORT, listed=first), key="Example:report"),
        replace(record(None, None, None, DBLP_DOWN, listed=second), key="Example:paper"),
    ]
    fresh = [record(None, None, None, DBLP_DOWN, listed=e) for e in (first, second)]
    combined = combine([first, second], fresh, previous)
    assert [r.entry.key for r in combined] == ["Example:report", "Example:paper"]
    assert combined[0].ids.dblp == KEY and combined[0].stale
    assert combined[1].ids.dblp is None
