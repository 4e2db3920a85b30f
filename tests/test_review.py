"""The review report of a list: what a person must settle, in the order they can act on it,
each paper with what is needed to settle it and lines that work when pasted."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pytest

from enrich.match import choose_record
from enrich.merge import merge_record
from enrich.models import EnrichedRecord, Match
from enrich.overrides import HEADER, Override, OverridesFile, find_override, parse_overrides
from enrich.review import needs_review, render_review, review_section, summarize
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

LIST = "data/raw/mlsys-reading-list.md"
FRESH = OverridesFile("data/overrides.csv", None)
"""No overrides file yet: the report says the header line to start it with."""
STARTED = OverridesFile(
    "data/overrides.csv", ("title", "key", "dblp_key", "doi", "s2_id", "action")
)
MERGES = (
    f"{LIST}:110: same paper as line 61 ('A Generic Communication Scheduler for Distributed "
    "DNN Training Acceleration'); listed once with both lines 61 and 110",
)


def enrich(
    label: str | None, title: str, candidates: tuple, line: int, override: Override | None = None
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
        enrich("[OSDI '18] ", "An Example Paper Nobody Wrote", (), 70),
    ]


def report(overrides: OverridesFile = STARTED) -> str:
    return render_review(records(), overrides, source=LIST, merges=MERGES)


def block(text: str, heading: str) -> str:
    """The text of one paper's (or one section's) block: from its heading to the next."""
    start = text.index(heading)
    following = re.search(r"^#{2,3} ", text[start + len(heading) :], re.MULTILINE)
    return text[start : start + len(heading) + following.start()] if following else text[start:]


def pasted(text: str) -> list[str]:
    """Every line the report offers to paste, in order (the ```csv blocks' lines)."""
    lines: list[str] = []
    fence = None
    for line in (raw.strip() for raw in text.splitlines()):
        opening = re.fullmatch(r"(`{3,})csv", line)
        if fence is None and opening:
            fence = opening[1]
        elif fence is not None and line == fence:
            fence = None
        elif fence is not None:
            lines.append(line)
    return lines


def test_sections_come_in_the_order_a_person_acts_on_them() -> None:
    text = report()
    assert text.startswith(f"# Review of {LIST}\n")
    assert "6 papers: 1 ambiguous, 2 unmatched, 2 matched, 1 skipped." in text
    headings = re.findall(r"^## (.*)$", text, re.MULTILINE)
    assert headings == [
        "Matched with notes (1)",
        "Ambiguous (1)",
        "Not matched (2)",
        "Merged lines (1)",
        "Overrides used (1)",
    ]
    papers = re.findall(r"^### (.*)$", text, re.MULTILINE)
    assert papers == [
        f"\\[OSDI '22\\] {ORCA_LIST}",
        "\\[SOSP '19\\] Nexus",
        f"\\[ATC '17\\] {POSEIDON}",
        "No candidate found (1)",
    ]
    assert "Efficient Memory Management" not in text  # matched cleanly: nothing to review


def test_a_match_with_notes_shows_list_against_record_authors_links_and_both_fixes() -> None:
    orca = block(report(), "### \\[OSDI '22\\] Orca")
    assert f"- list: {LIST}:26; **matched** by dblp" in orca
    assert (
        "- list's title: Orca: A Distributed Serving System for Transformer-Based ~~Language Generation Tasks~~"
        in orca
    )
    assert (
        "- record's title: Orca: A Distributed Serving System for Transformer-Based **Generative Models**"
        in orca
    )
    assert "- authors: " + ", ".join(a.name for a in ORCA.authors) in orca
    assert "- record: OSDI 2022" in orca
    assert "[DBLP](https://dblp.org/rec/conf/osdi/YuJKKC22)" in orca
    # the note no longer quotes the record's title beside itself
    assert (
        "- note: the list's title differs from the record's (accepted because venue and year agree)"
        in orca
    )
    assert "record's: 'Orca" not in orca
    assert f"writing the record's title at {LIST}:26 settles it" in orca
    assert pasted(orca) == [f"{ORCA_LIST},,conf/osdi/YuJKKC22,,,pin"]


def test_an_ambiguous_paper_lists_its_candidates_with_links_and_a_line_for_each() -> None:
    nexus = block(report(), "### \\[SOSP '19\\] Nexus")
    assert "**ambiguous**" in nexus
    assert (
        "  1. Nexus: **A GPU Cluster Engine for Accelerating DNN-Based Video Analysis** (SOSP 2019, score 93)"
        in nexus
    )
    assert (
        "  2. Nexus: **An Example Second Paper with the Same Name** (SOSP 2019, score 93)" in nexus
    )
    assert "[DBLP](https://dblp.org/rec/conf/sosp/ShenCJZKPKS19)" in nexus
    assert "[DOI](https://doi.org/10.1145/3341301.3359658)" in nexus
    assert "[DBLP](https://dblp.org/rec/conf/sosp/ExampleNexus19)" in nexus
    assert (
        "- search: [DBLP](https://dblp.org/search?q=Nexus) · [Semantic Scholar](https://www.semanticscholar.org/search?q=Nexus)"
        in nexus
    )
    assert pasted(nexus) == [
        "Nexus,,conf/sosp/ShenCJZKPKS19,10.1145/3341301.3359658,,pin",
        "Nexus,,conf/sosp/ExampleNexus19,,,pin",
        "Nexus,,,,,skip",
    ]


def test_an_unmatched_paper_gets_its_nearest_candidates_search_links_and_the_list_fix() -> None:
    poseidon = block(report(), "### \\[ATC '17\\] Poseidon")
    assert "**unmatched**" in poseidon
    assert "(CoRR 2015, score" in poseidon and "journals/corr/ExampleZhang15" in poseidon
    query = "Poseidon%3A+An+Efficient+Communication+Architecture+for+Distributed+Deep+Learning+on+GPU+Clusters"
    assert f"[DBLP](https://dblp.org/search?q={query})" in poseidon
    assert f"[Semantic Scholar](https://www.semanticscholar.org/search?q={query})" in poseidon
    assert f"write its title in the list at {LIST}:65" in poseidon
    assert pasted(poseidon) == [
        f"{POSEIDON},,journals/corr/ExampleZhang15,,,pin",
        f"{POSEIDON},,,,,skip",
    ]


def test_unmatched_papers_without_candidates_are_one_table_row_each() -> None:
    rows = block(report(), "### No candidate found (1)")
    assert (
        "| 70 | unmatched | An Example Paper Nobody Wrote | \\[OSDI '18\\] | "
        "[DBLP](https://dblp.org/search?q=An+Example+Paper+Nobody+Wrote) · "
        "[Semantic Scholar](https://www.semanticscholar.org/search?q=An+Example+Paper+Nobody+Wrote) |"
    ) in rows
    assert pasted(rows) == ["An Example Paper Nobody Wrote,,,,,skip"]


def test_merges_and_overrides_come_last() -> None:
    text = report()
    merged = block(text, "## Merged lines (1)")
    assert f"- {LIST}:110: same paper as line 61 ('A Generic Communication Scheduler" in merged
    used = block(text, "## Overrides used (1)")
    assert f"- {LIST}:64 Horovod: **skipped**, skipped by data/overrides.csv:2" in used


def test_without_an_overrides_file_the_report_gives_its_header_line() -> None:
    fresh, started = report(FRESH), report(STARTED)
    assert "data/overrides.csv does not exist yet: start it with this header line" in fresh
    assert "`enrich review --init`" in fresh
    assert pasted(fresh)[0] == HEADER == "title,key,dblp_key,doi,s2_id,action"
    assert "does not exist yet" not in started and HEADER not in pasted(started)
    assert pasted(fresh)[1:] == pasted(started)


def test_a_file_that_cannot_be_read_is_named_at_the_top() -> None:
    broken = OverridesFile(
        "data/overrides.csv", None, problem="data/overrides.csv:1: unknown column 'venue'"
    )
    text = report(broken)
    assert (
        "**data/overrides.csv cannot be read:** data/overrides.csv:1: unknown column 'venue'; fix it first."
        in text
    )


@pytest.mark.parametrize(
    ("columns", "orca_line", "skip_line"),
    [
        (("title", "dblp_key", "action"), f"{ORCA_LIST},conf/osdi/YuJKKC22,pin", "An Example Paper Nobody Wrote,,skip"),
        (("action", "dblp_key", "doi", "title"), f"pin,conf/osdi/YuJKKC22,,{ORCA_LIST}", "skip,,,An Example Paper Nobody Wrote"),
        (("title", "doi", "action"), None, "An Example Paper Nobody Wrote,,skip"),  # no dblp_key column
    ],
)  # fmt: skip
def test_lines_fit_the_overrides_file_as_it_is(columns, orca_line, skip_line) -> None:
    shape = OverridesFile("data/overrides.csv", columns)
    text = report(shape)
    orca = block(text, "### \\[OSDI '22\\] Orca")
    assert pasted(orca) == ([orca_line] if orca_line else [])
    if orca_line is None:
        assert "need a column data/overrides.csv does not have: dblp\\_key" in orca
    assert skip_line in pasted(text)
    header = ",".join(columns) + "\n"
    for line in pasted(text):  # each line, pasted under the file's header, is one override
        (override,) = parse_overrides(header + line + "\n", "data/overrides.csv")
        assert override.action in ("pin", "skip")


TRICKY_TITLES = [
    "Orca, Revisited: An Example Title with a Comma",
    'The "Quoted" Example: A Title with Quotes',
    "# Hashtag Example: A Title Starting with a Hash",
    "<img src=x onerror=alert(1)> An Example Title",
    "An Example ``` Title with a Fence",
    "An Example\u202e Title with a Bidi Override",
]


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_the_pasted_line_names_the_paper_whatever_its_title(title: str) -> None:
    record = replace(enrich("[OSDI '22]", title, (), 3), key="example2022title")
    text = render_review([record], STARTED, source=LIST)
    (line,) = pasted(text)
    (override,) = parse_overrides(HEADER + "\n" + line + "\n", "data/overrides.csv")
    assert override.action == "skip"
    assert find_override([override], record.entry, key=record.key) is override
    if title.startswith("#"):  # a line starting with '#' is a comment: named by its key
        assert line == "," + "example2022title,,,,skip"
    outside = re.sub(r"^ *(`{3,})csv\n.*?^ *\1$", "", text, flags=re.MULTILINE | re.DOTALL)
    assert "<" not in outside and "\u202e" not in text


def test_a_csv_special_title_is_quoted() -> None:
    title = "A *starred* [title], with <html> | pipes"
    text = render_review([enrich(None, title, (), 3)], STARTED)
    assert "A \\*starred\\* \\[title\\], with &lt;html&gt; \\| pipes" in text
    assert f'"{title}",,,,,skip' in pasted(text)
    assert next(csv.reader(io.StringIO(f'"{title}",,,,,skip')))[0] == title


def test_a_big_list_gives_a_short_report() -> None:
    """1,645 papers, 1,000 unmatched: one table row and one skip line each."""
    base = enrich("[OSDI '18]", "An Example Paper Nobody Wrote", (), 1)
    many = [
        replace(base, entry=replace(base.entry, title=f"Example Unmatched Paper {i}", lines=(i,)))
        for i in range(1, 1001)
    ]
    clean = enrich("[SOSP '23]", PAGED, (PAGED_SOSP,), 1001)
    text = render_review([*many, *[clean] * 645], STARTED, source=LIST)
    assert len(text.splitlines()) < 2 * 1000 + 40
    assert text.count("| unmatched |") == 1000


def test_papers_an_only_run_left_out_are_named_by_line() -> None:
    base = enrich("[OSDI '18]", "An Example Paper Nobody Wrote", (), 1)
    left = Match("unmatched", notes=("not looked up in this run (--only/--limit)",))
    skipped = [
        replace(base, match=left, entry=replace(base.entry, title=f"Example {i}", lines=(i,)))
        for i in range(1, 31)
    ]
    text = render_review(skipped, STARTED, source=LIST)
    assert "30 papers not looked up by the last run (--only/--limit): lines 1, 2, 3," in text
    assert "20 and 10 more." in text
    assert "| unmatched |" not in text and pasted(text) == []


def test_a_pinned_paper_counts_as_an_override_in_the_report_and_the_summary() -> None:
    pin = Override(
        origin="data/overrides.csv:3", action="pin", title=ORCA_LIST, dblp_key=ORCA.ids.dblp
    )
    pinned = enrich("[OSDI '22]", ORCA_LIST, (ORCA,), 26, pin)
    assert pinned.match.decided_by == "override" and pinned.match.notes  # "pinned by ..."
    text = render_review([pinned], STARTED)
    assert "## Matched with notes (0)" in text and "## Overrides used (1)" in text
    assert "pinned by data/overrides.csv:3" in text
    assert (
        "→ Orca: A Distributed Serving System for Transformer-Based Generative Models (OSDI 2022)"
        in text
    )
    summary = summarize([pinned])
    assert "matched with notes" not in summary and "1 decided by overrides" in summary


def test_clean_run_has_nothing_to_review() -> None:
    clean = [enrich("[SOSP '23]", PAGED, (PAGED_SOSP,), 20)]
    assert render_review(clean, STARTED).count("Nothing.") == 5
    assert summarize(clean, "data/enriched/mlsys-reading-list.review.md") == "1 paper: 1 matched"


def test_needs_review_sections_and_summary() -> None:
    recs = records()
    assert [needs_review(r) for r in recs] == [False, True, True, True, True, True]
    assert [review_section(r) for r in recs] == [
        None,
        "Matched with notes",
        "Ambiguous",
        "Not matched",
        "Overrides used",
        "Not matched",
    ]
    summary = summarize(recs, "data/enriched/mlsys-reading-list.review.md")
    assert summary.splitlines()[0] == "6 papers: 1 ambiguous, 2 unmatched, 2 matched, 1 skipped"
    assert "1 matched with notes" in summary and "1 decided by overrides" in summary
    assert f"ambiguous  {LIST}:40  Nexus" in summary
    assert summary.endswith("details: data/enriched/mlsys-reading-list.review.md")


def test_hostile_values_render_as_text_in_commonmark_with_gfm_tables() -> None:
    """Rendered as GitHub would (CommonMark, tables, strikethrough: markdown-it, rich's own
    parser): a title or a service's value adds no element, no heading, no link."""
    from markdown_it import MarkdownIt

    hostile = [
        "<img src=x onerror=alert(1)> Example",
        "Example\n## injected heading",
        "[Example](javascript:alert(1)) | cell",
        "Example \u202egnp.exe\x00",
    ]
    recs = [enrich("[OSDI '22]", title, (), i) for i, title in enumerate(hostile, 1)]
    noted = replace(records()[1], title="Orca <script>alert(1)</script>")
    html = (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .render(
            render_review([noted, *recs], STARTED, source="lists/<b>.md", merges=["x <i>merge</i>"])
        )
    )
    assert "<img" not in html and "<script" not in html and "<b>" not in html
    assert "<i>" not in html and 'href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt; Example" in html
    assert html.count("<h2>") == 5
    assert "<h2>injected heading" not in html and "\u202e" not in html and "\x00" not in html
    assert html.count("<tr>") == 1 + len(hostile)  # the header row and one row per paper
    assert "record's title: Orca <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in html
    assert "list's title: Orca: <s>A Distributed Serving System for Transformer-Based" in html
