"""The reading list given back enriched, as Markdown (`enrich.emit.linkedmd`).

The shipped list is linked from a real run (the `shipped_outputs` fixture in conftest.py:
the pipeline against the local emulator), then read back: by enrich's own parser (the same
97 papers, sections and order) and by markdown-it as GitHub reads Markdown (CommonMark +
GFM tables), whose links are checked against the enriched JSON. Tricky lines use real
titles (tests/fixtures/papers_part1.json; "Algorit[h]ms - ESA '98" is a real DBLP
proceedings title from tests/fixtures/real-responses); URLs no fixture gives are obviously
synthetic (https://example.org/...).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from enrich.emit import load_records
from enrich.emit.fields import primary_url
from enrich.emit.linkedmd import render_linked_markdown
from enrich.models import Author, EnrichedRecord, Entry, Identifiers, Match, Urls
from enrich.readinglist import parse_text

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "data" / "raw" / "mlsys-reading-list.md"
FACTS = {
    paper["list_title"]: paper
    for paper in json.loads((ROOT / "tests/fixtures/papers_part1.json").read_text("utf-8"))
}
GITHUB = MarkdownIt("commonmark").enable("table")
SHORT_LABELS = {"DOI", "paper", "PDF", "arXiv", "DBLP", "code"}


# --- reading Markdown as GitHub does ------------------------------------------------------


def inline_at(tokens: list[Token], line: int) -> list[Token]:
    """The inline tokens (one per table cell) that hold 1-based `line`."""
    return [
        token
        for token in tokens
        if token.type == "inline" and token.map and token.map[0] <= line - 1 < token.map[1]
    ]


def links_of(inline: Token) -> list[tuple[str, str]]:
    """(visible text, href) of each link in an inline token, in order."""
    links, text, href = [], None, None
    for child in inline.children or []:
        if child.type == "link_open":
            text, href = [], str(child.attrGet("href"))
        elif child.type == "link_close" and text is not None:
            links.append(("".join(text), href))
            text = None
        elif text is not None and child.type in ("text", "code_inline"):
            text.append(child.content)
        elif text is not None and child.type == "softbreak":
            text.append(" ")
    return links


def visible(inline: Token) -> str:
    """What the inline shows: its text, links' text included, markup gone."""
    return "".join(
        child.content
        if child.type in ("text", "code_inline")
        else " " * (child.type == "softbreak")
        for child in inline.children or []
    )


def line_links(text: str, line: int) -> list[tuple[str, str]]:
    return [link for inline in inline_at(GITHUB.parse(text), line) for link in links_of(inline)]


def href(url: str) -> str:
    """The href a Markdown link to `url` has once GitHub (markdown-it) normalises it."""
    return GITHUB.normalizeLink(url)


def squash(text: str) -> str:
    return " ".join(text.split())


# --- the shipped list -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(shipped_outputs) -> dict[str, Any]:
    records = load_records(shipped_outputs.json)
    source = SHIPPED.read_text(encoding="utf-8")
    return {
        "records": records,
        "json": {tuple(r["list"]["lines"]): r for r in shipped_outputs.records},
        "source": source,
        "linked": render_linked_markdown(records, source),
        "detailed": render_linked_markdown(records, source, details=True),
    }


def matched(records: list[EnrichedRecord]) -> list[EnrichedRecord]:
    return [r for r in records if r.match.status == "matched"]


def title_linked(record: EnrichedRecord) -> bool:
    return primary_url(record) is not None


def test_the_shipped_run_has_matched_and_unmatched_papers(shipped) -> None:
    """The checks below see both kinds (the emulator knows the first 50 papers)."""
    records = shipped["records"]
    assert len(records) == 97
    assert 40 <= len(matched(records)) < 97
    assert any(title_linked(r) for r in matched(records))
    assert any(not title_linked(r) for r in matched(records))


def test_reparsed_it_gives_the_same_97_papers_sections_and_order(shipped) -> None:
    before = parse_text(shipped["source"], "mlsys-reading-list.md").entries
    after = parse_text(shipped["linked"], "linked.md").entries
    assert len(after) == len(before) == 97
    assert [e.lines for e in after] == [e.lines for e in before]
    assert [e.sections for e in after] == [e.sections for e in before]
    assert [e.label for e in after] == [e.label for e in before]
    # A linked title reads back exactly; so does every line left as written.
    plain = {r.entry.lines for r in matched(shipped["records"]) if not title_linked(r)}
    for old, new in zip(before, after, strict=True):
        if old.lines not in plain:
            assert new.title == old.title, old.lines


def test_reparsed_every_title_is_the_same(shipped) -> None:
    before = parse_text(shipped["source"], "mlsys-reading-list.md").entries
    after = parse_text(shipped["linked"], "linked.md").entries
    assert [e.title for e in after] == [e.title for e in before]


def test_titles_link_to_the_published_version_and_short_links_match_the_json(shipped) -> None:
    text = shipped["linked"]
    for record in matched(shipped["records"]):
        line = record.entry.lines[0]
        data = shipped["json"][record.entry.lines]
        links = line_links(text, line)
        published = primary_url(record)
        if published:
            # The published version is the JSON's DOI link, else its publisher's page.
            assert published in (
                data["urls"]["doi"],
                data["urls"]["published"],
                data["urls"]["arxiv"],
            )
            title_text, title_href = links[0]
            assert squash(title_text) == record.entry.title, line
            assert title_href == href(published), line
            links = links[1:]
        else:
            assert all(squash(t) != record.entry.title for t, _ in links), line
        expected = []
        for label, url in (
            ("PDF", data["urls"]["pdf"]),
            ("arXiv", data["urls"]["arxiv"]),
            ("DBLP", data["urls"]["dblp"]),
        ):
            if url and url != published and href(url) not in [h for _, h in expected]:
                expected.append((label, href(url)))
        assert links == expected, line


def test_every_other_line_is_byte_identical(shipped) -> None:
    source = shipped["source"].splitlines(keepends=True)
    linked = shipped["linked"].splitlines(keepends=True)
    assert len(linked) == len(source)
    firsts = {r.entry.lines[0] for r in matched(shipped["records"])}
    for number, (old, new) in enumerate(zip(source, linked, strict=True), start=1):
        if number not in firsts:
            assert new == old, number
    unmatched = [r for r in shipped["records"] if r.match.status != "matched"]
    assert unmatched
    for record in unmatched:
        for number in record.entry.lines:
            assert linked[number - 1] == source[number - 1]
    # The merged duplicate's second line (110) stays as written; its first is linked.
    merged = [r for r in shipped["records"] if len(r.entry.lines) > 1]
    assert [r.entry.lines for r in merged] == [(61, 110)]
    assert linked[109] == source[109] and linked[60] != source[60]


def test_a_paper_line_shows_its_text_then_only_the_appended_links(shipped) -> None:
    """What GitHub shows of an edited line: the line's own text, then labels and details."""
    before, after = GITHUB.parse(shipped["source"]), GITHUB.parse(shipped["detailed"])
    for record in matched(shipped["records"]):
        line = record.entry.lines[0]
        (old,), (new,) = inline_at(before, line), inline_at(after, line)
        shown, rest = visible(new)[: len(visible(old))], visible(new)[len(visible(old)) :]
        assert shown == visible(old), line
        labels, _, details = rest.partition(" — ")
        assert set(labels.split()) <= SHORT_LABELS, line
        assert details.startswith(record.authors[0].name), line
        assert f"{record.venue} {record.year}" in details, line
    assert "](" not in "".join(visible(t) for t in after if t.type == "inline")


def test_rendering_is_byte_stable_and_a_rerun_adds_nothing(shipped) -> None:
    records, source, linked = shipped["records"], shipped["source"], shipped["linked"]
    assert render_linked_markdown(records, source) == linked
    assert render_linked_markdown(list(reversed(records)), source) == linked
    assert render_linked_markdown(records, linked) == linked
    detailed = shipped["detailed"]
    assert render_linked_markdown(records, detailed, details=True) == detailed
    assert render_linked_markdown(records, detailed) == linked
    assert render_linked_markdown(records, linked, details=True) == detailed
    # Records read back from the linked list (a re-run over its own output) carry its links.
    again = parse_text(linked, "linked.md").entries
    with_links = [
        replace(r, entry=replace(r.entry, url=e.url)) for r, e in zip(records, again, strict=True)
    ]
    assert render_linked_markdown(with_links, linked) == linked


def test_the_shipped_line_as_it_is_written(shipped) -> None:
    lines = shipped["detailed"].splitlines()
    assert lines[24] == (
        "- [SOSP '23] [Efficient Memory Management for Large Language Model Serving with "
        "PagedAttention](https://doi.org/10.1145/3600006.3613165) "
        "[PDF](https://arxiv.org/pdf/2309.06180) [arXiv](https://arxiv.org/abs/2309.06180) "
        "[DBLP](https://dblp.org/rec/conf/sosp/KwonLZ0ZY0ZS23) "
        "— Example Kwon, Bob Example, Cy Example et al. · SOSP 2023"
    )


# --- tricky lines -------------------------------------------------------------------------------


def record_for(
    title: str,
    line: int = 3,
    *,
    status: str = "matched",
    published: str | None = None,
    pdf: str | None = None,
    doi: str | bool | None = True,
    **urls: str | None,
) -> EnrichedRecord:
    """An enriched record of a real paper, its facts from papers_part1.json where it is there."""
    facts = FACTS.get(title, {})
    doi_value = facts.get("doi") if doi is True else doi or None
    arxiv = facts.get("arxiv")
    dblp_key = facts.get("dblp_key")
    return EnrichedRecord(
        entry=Entry(
            title=title,
            file="list.md",
            lines=(line,),
            label=facts.get("list_label"),
        ),
        match=Match(status=status),  # type: ignore[arg-type]
        title=facts.get("published_title") or title,
        doi=doi_value,
        ids=Identifiers(dblp=dblp_key, arxiv=arxiv),
        urls=Urls(
            doi=f"https://doi.org/{doi_value}" if doi_value else None,
            dblp=urls.get("dblp", f"https://dblp.org/rec/{dblp_key}" if dblp_key else None),
            arxiv=urls.get("arxiv", f"https://arxiv.org/abs/{arxiv}" if arxiv else None),
            pdf=pdf,
            published=published,
        ),
        authors=(Author(f"Example {facts.get('first_author_family', 'Author')}"),),
        venue=facts.get("venue"),
        year=facts.get("year"),
    )


PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
HETPIPE = (
    "HetPipe: Enabling Large DNN Training on (Whimpy) Heterogeneous GPU Clusters through "
    "Integration of Pipelined Model Parallelism and Data Parallelism"
)
BPIPE = "BPipe: Memory-Balanced Pipeline Parallelism for Training Large Language Models"
ORCA = "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks"
ORCA_PUBLISHED = "Orca: A Distributed Serving System for Transformer-Based Generative Models"
ACHIEVING = "Achieving μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences"
ARK = "ARK: GPU-driven Code Execution for Distributed Deep Learning"
PAELLA = "Paella: Low-latency Model Serving with Virtualized GPU Scheduling"
ESA = "Algorit[h]ms - ESA '98 : 6th Annual European Symposium"

PAGED_DOI = "https://doi.org/10.1145/3600006.3613165"
PAGED_LINKS = " [arXiv](https://arxiv.org/abs/2309.06180) [DBLP](https://dblp.org/rec/conf/sosp/KwonLZ0ZY0ZS23)"
USENIX = "https://www.usenix.org/conference/atc20/presentation/park"
MLR = "https://proceedings.mlr.press/v202/kim23l.html"
PAELLA_DOI = "https://doi.org/10.1145/3600006.3613163"

# (case, the line as the list writes it, record, the line linked: None when only links
#  are appended, the title then keeping no link)
TRICKY = [
    (
        "plain",
        f"- [SOSP '23] {PAGED}",
        record_for(PAGED),
        f"- [SOSP '23] [{PAGED}]({PAGED_DOI}){PAGED_LINKS}",
    ),
    (
        "bold title",
        f"- [SOSP '23] **{PAGED}**",
        record_for(PAGED),
        f"- [SOSP '23] **[{PAGED}]({PAGED_DOI})**{PAGED_LINKS}",
    ),
    (
        "bold label and title",
        f"- **[SOSP '23] {PAGED}**",
        record_for(PAGED),
        f"- **[SOSP '23] [{PAGED}]({PAGED_DOI})**{PAGED_LINKS}",
    ),
    (
        "emphasis on the title's first word",
        f"- [ATC '20] *HetPipe*: {HETPIPE.removeprefix('HetPipe: ')}",
        record_for(HETPIPE, published=USENIX),
        f"- [ATC '20] [*HetPipe*: {HETPIPE.removeprefix('HetPipe: ')}]({USENIX})",
    ),
    (
        "a code span in the title",
        f"1. [NSDI '23] `ARK`: {ARK.removeprefix('ARK: ')}",
        record_for(ARK, published="https://example.org/paper"),
        f"1. [NSDI '23] [`ARK`: {ARK.removeprefix('ARK: ')}](https://example.org/paper)"
        " [DBLP](https://dblp.org/rec/conf/nsdi/HwangP0Q0X23)",
    ),
    (
        "an HTML entity in the title",
        f"- [OSDI '22] {ACHIEVING.replace('μ', '&mu;')}",
        record_for(ACHIEVING, published="https://example.org/paper"),
        f"- [OSDI '22] [{ACHIEVING.replace('μ', '&mu;')}](https://example.org/paper)",
    ),
    (
        "HTML tags in the title",
        f"- [SOSP '23] <i>Paella</i>: {PAELLA.removeprefix('Paella: ')}",
        record_for(PAELLA),
        f"- [SOSP '23] [<i>Paella</i>: {PAELLA.removeprefix('Paella: ')}]({PAELLA_DOI})",
    ),
    (
        "escaped brackets in the title",
        "- [ESA '98] Algorit\\[h\\]ms - ESA '98 : 6th Annual European Symposium",
        record_for(ESA, published="https://example.org/paper"),
        "- [ESA '98] [Algorit\\[h\\]ms - ESA '98 : 6th Annual European Symposium]"
        "(https://example.org/paper)",
    ),
    (
        "brackets in the title, unescaped",
        "- [ESA '98] Algorit[h]ms - ESA '98 : 6th Annual European Symposium",
        record_for(ESA, published="https://example.org/paper"),
        "- [ESA '98] [Algorit\\[h\\]ms - ESA '98 : 6th Annual European Symposium]"
        "(https://example.org/paper)",
    ),
    (
        "the title already an http link: the user's link stays",
        f"- [ICML '23] [{BPIPE}](https://example.org/paper)",
        record_for(BPIPE, published=MLR),
        f"- [ICML '23] [{BPIPE}](https://example.org/paper) [paper]({MLR})",
    ),
    (
        "the title already the published link",
        f"- [ICML '23] [{BPIPE}]({MLR})",
        record_for(BPIPE, published=MLR),
        f"- [ICML '23] [{BPIPE}]({MLR})",
    ),
    (
        "the title a javascript: link: replaced",
        f"- [ICML '23] [{BPIPE}](javascript:alert(1))",
        record_for(BPIPE, published=MLR),
        f"- [ICML '23] [{BPIPE}]({MLR})",
    ),
    (
        "the title a relative link: replaced",
        f"- [ICML '23] [{BPIPE}](papers/bpipe.pdf)",
        record_for(BPIPE, published=MLR),
        f"- [ICML '23] [{BPIPE}]({MLR})",
    ),
    (
        "the title a reference link: kept",
        f"- [ICML '23] [{BPIPE}][bpipe]\n\n[bpipe]: https://example.org/paper",
        record_for(BPIPE, published=MLR),
        f"- [ICML '23] [{BPIPE}][bpipe] [paper]({MLR})",
    ),
    (
        "the line words the title differently: links appended",
        f"- [OSDI '22] {ORCA_PUBLISHED}",
        record_for(ORCA, published="https://www.usenix.org/conference/osdi22/presentation/yu"),
        None,
    ),
    (
        "a link of the user's after the title stays",
        f"- [SOSP '23] {PAGED} [slides](https://example.org/slides)",
        record_for(PAGED),
        f"- [SOSP '23] [{PAGED}]({PAGED_DOI}) [slides](https://example.org/slides){PAGED_LINKS}",
    ),
    (
        "a short link the line has already is not repeated",
        f"- [SOSP '23] {PAGED} [pdf](https://arxiv.org/abs/2309.06180)",
        record_for(PAGED),
        f"- [SOSP '23] [{PAGED}]({PAGED_DOI}) [pdf](https://arxiv.org/abs/2309.06180)"
        " [DBLP](https://dblp.org/rec/conf/sosp/KwonLZ0ZY0ZS23)",
    ),
    (
        "a table cell",
        f"| Venue | Title |\n|---|---|\n| SOSP | {PAELLA} |",
        record_for(PAELLA),
        f"| SOSP | [{PAELLA}]({PAELLA_DOI}) |",
    ),
    (
        "a heading with a closing sequence",
        f"### {PAELLA} ###",
        record_for(PAELLA),
        f"### [{PAELLA}]({PAELLA_DOI}) ###",
    ),
    (
        "a URL with parentheses and a pipe, in a table",
        f"| Venue | Title |\n|---|---|\n| SOSP | {PAELLA} |",
        record_for(PAELLA, doi=None, published="https://example.org/paper_(v2)|x"),
        f"| SOSP | [{PAELLA}](<https://example.org/paper_(v2)%7Cx>) |",
    ),
    (
        "a '!' before the title (a link would read as an image): links appended",
        f"- [SOSP '23] NEW!{PAELLA}",
        record_for(PAELLA),
        None,
    ),
]


def rendered(line: str, record: EnrichedRecord, **options: Any) -> tuple[str, str]:
    """The document "# List\\n\\n<line>\\n" and its linked version; `record` names line 3
    (line 5 for a table: its header and delimiter rows come first)."""
    source = f"# List\n\n{line}\n"
    if line.startswith("|"):
        record = replace(record, entry=replace(record.entry, lines=(5,)))
    return source, render_linked_markdown([record], source, **options)


def paper_line(text: str, record_line: str) -> str:
    return text.splitlines()[4 if record_line.startswith("|") else 2]


@pytest.mark.parametrize(("case", "line", "record", "expected"), TRICKY, ids=[c[0] for c in TRICKY])
def test_tricky_lines(case: str, line: str, record: EnrichedRecord, expected: str | None) -> None:
    source, linked = rendered(line, record)
    got = paper_line(linked, line)
    number = 5 if line.startswith("|") else 3
    # Everything but the paper's line is as written.
    assert [x for i, x in enumerate(linked.splitlines()) if i != number - 1] == [
        x for i, x in enumerate(source.splitlines()) if i != number - 1
    ]
    published = primary_url(record)
    if expected is not None:
        assert got == expected
        # GitHub reads the title as a link: to the published version, unless the user's
        # http(s) link was kept.
        title_text, title_href = line_links(linked, number)[0]
        assert squash(title_text) == record.entry.title
        kept = re.search(r"\]\((https://example\.org/paper)\)|\]\[bpipe\]", line)
        assert title_href == (href("https://example.org/paper") if kept else href(published))
    else:
        # No span: the line as written, then the short links (the published one first).
        original = paper_line(source, line)
        assert got.startswith(original + " ")
        links = line_links(linked, number)
        assert all(squash(text) != record.entry.title for text, _ in links)
        assert ("DOI" if record.doi else "paper", href(published)) in links
    assert render_linked_markdown([record_at(record, line)], linked) == linked


def record_at(record: EnrichedRecord, line: str) -> EnrichedRecord:
    if line.startswith("|"):
        return replace(record, entry=replace(record.entry, lines=(5,)))
    return record


def test_a_javascript_url_in_a_record_is_never_written() -> None:
    hostile = "javascript:alert(1)"
    record = replace(
        record_for(PAELLA, doi=None),
        urls=Urls(
            doi=hostile,
            published=hostile,
            pdf=hostile,
            arxiv=hostile,
            dblp="https://dblp.org/rec/conf/sosp/ExampleNg23",
        ),
    )
    _source, linked = rendered(f"- [SOSP '23] {PAELLA}", record)
    assert "javascript" not in linked
    assert (
        paper_line(linked, "-")
        == f"- [SOSP '23] {PAELLA} [DBLP](https://dblp.org/rec/conf/sosp/ExampleNg23)"
    )


def test_a_record_without_links_leaves_its_line_alone() -> None:
    record = replace(record_for(PAELLA, doi=None), urls=Urls())
    source, linked = rendered(f"- [SOSP '23] {PAELLA}", record)
    assert linked == source


@pytest.mark.parametrize("status", ["ambiguous", "unmatched", "error", "not_cached", "skipped"])
def test_papers_not_matched_are_left_as_written(status: str) -> None:
    source, linked = rendered(f"- [SOSP '23] **{PAGED}**", record_for(PAGED, status=status))
    assert linked == source


def test_a_record_pointing_at_another_line_changes_nothing() -> None:
    """A line that holds few of the title's words is not the paper's: nothing is appended."""
    source = f"# Serving\n\n- [SOSP '23] {PAELLA}\n"
    record = replace(record_for(PAGED), entry=replace(record_for(PAGED).entry, lines=(1,)))
    assert render_linked_markdown([record], source) == source
    record = replace(record, entry=replace(record.entry, lines=(3,)))
    assert render_linked_markdown([record], source) == source


def test_code_blocks_and_html_blocks_are_never_edited() -> None:
    for source in (
        f"# List\n\n```\n{PAELLA}\n```\n",
        f"# List\n\n<div>\n{PAELLA}\n</div>\n",
        f"# List\n\n    {PAELLA}\n",
    ):
        number = source.splitlines().index(next(x for x in source.splitlines() if PAELLA in x)) + 1
        record = replace(
            record_for(PAELLA), entry=replace(record_for(PAELLA).entry, lines=(number,))
        )
        assert render_linked_markdown([record], source) == source


def test_line_endings_and_trailing_spaces_are_kept() -> None:
    source = f"# List\r\n\r\n- [SOSP '23] {PAELLA}  \r\n- next\r\n"
    linked = render_linked_markdown([record_for(PAELLA)], source)
    assert linked == f"# List\r\n\r\n- [SOSP '23] [{PAELLA}]({PAELLA_DOI})  \r\n- next\r\n"


def test_a_hard_break_stays_at_the_end_of_the_line() -> None:
    source = f"SOSP 2023\\\n{PAELLA}\\\nnext\n"
    record = replace(record_for(PAELLA), entry=replace(record_for(PAELLA).entry, lines=(2,)))
    linked = render_linked_markdown([record], source)
    assert linked.splitlines()[1] == f"[{PAELLA}]({PAELLA_DOI})\\"
    assert [t.type for t in inline_at(GITHUB.parse(linked), 2)[0].children or []].count(
        "hardbreak"
    ) == 2


# --- details -------------------------------------------------------------------------------------


def detailed_record(**changes: Any) -> EnrichedRecord:
    authors = ("Example Kwon", "Bob *Example*", "Cy [Example]", "Dee Example")
    record = replace(
        record_for(PAGED), authors=tuple(Author(name) for name in authors), citation_count=123
    )
    return replace(record, **changes)


def test_details_name_three_authors_the_venue_and_the_citations() -> None:
    _source, linked = rendered(f"- [SOSP '23] {PAGED}", detailed_record(), details=True)
    line = paper_line(linked, "-")
    assert line == (
        f"- [SOSP '23] [{PAGED}]({PAGED_DOI}){PAGED_LINKS}"
        " — Example Kwon, Bob \\*Example\\*, Cy \\[Example\\] et al. · SOSP 2023 · 123 citations"
    )
    (inline,) = inline_at(GITHUB.parse(linked), 3)
    assert visible(inline).endswith(
        " — Example Kwon, Bob *Example*, Cy [Example] et al. · SOSP 2023 · 123 citations"
    )
    assert len(links_of(inline)) == 3


def test_details_are_rewritten_on_a_rerun_not_appended_again() -> None:
    _source, linked = rendered(f"- [SOSP '23] {PAGED} — my note", detailed_record(), details=True)
    assert paper_line(linked, "-").count(" — ") == 2
    refreshed = detailed_record(citation_count=124, authors=(Author("Example Kwon"),))
    again = render_linked_markdown([refreshed], linked, details=True)
    assert paper_line(again, "-") == (
        f"- [SOSP '23] [{PAGED}]({PAGED_DOI}) — my note{PAGED_LINKS}"
        " — Example Kwon · SOSP 2023 · 124 citations"
    )
    assert paper_line(render_linked_markdown([refreshed], again), "-") == (
        f"- [SOSP '23] [{PAGED}]({PAGED_DOI}) — my note{PAGED_LINKS}"
    )


def test_one_citation_and_no_authors() -> None:
    record = detailed_record(authors=(), citation_count=1)
    _, linked = rendered(f"- [SOSP '23] {PAGED}", record, details=True)
    assert paper_line(linked, "-").endswith(" — SOSP 2023 · 1 citation")


def test_front_matter_is_read_as_the_parser_reads_it_and_never_edited() -> None:
    """A fence inside YAML front matter does not swallow the list; a byte-order mark stays."""
    source = (
        f"\ufeff---\ntitle: A Reading List for MLSys\nnote: ```\n---\n\n- [SOSP '23] {PAELLA}\n"
    )
    record = replace(record_for(PAELLA), entry=replace(record_for(PAELLA).entry, lines=(6,)))
    linked = render_linked_markdown([record], source)
    assert linked == source.replace(
        f"- [SOSP '23] {PAELLA}", f"- [SOSP '23] [{PAELLA}]({PAELLA_DOI})"
    )
    record = replace(
        record, entry=replace(record.entry, title="A Reading List for MLSys", lines=(2,))
    )
    assert render_linked_markdown([record], source) == source
