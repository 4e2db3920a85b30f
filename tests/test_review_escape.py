"""What enters the review's Markdown from a list or a service: escaped, one line, no controls;
titles marked word by word; links built from identifiers only."""

from __future__ import annotations

import pytest

from enrich.models import Alternative
from enrich.review.escape import code_block, escape_md
from enrich.review.links import alternative_links, markdown_links, search_links
from enrich.review.titles import differs, marked_plain, marked_titles, title_note
from enrich.text import clean_text
from fixture_records import ORCA, ORCA_LIST, PAELLA, PAELLA_LIST, REEF, REEF_LIST

ESCAPED = [
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("Orca\n## injected", "Orca ## injected"),  # folded into one line: no heading
    ("\n## injected", "\\## injected"),
    ("# Heading-like title", "\\# Heading-like title"),
    ("C# and F# Compilers", "C# and F# Compilers"),
    ("A\x00B", "A B"),  # a control is a space, as in every other output
    ("abc\u202edef", "abcdef"),
    ("\u2066isolated\u2069 \u200fmarks\u200e", "isolated marks"),
    ("\x1b[31mred\x1b[0m", "\\[31mred \\[0m"),
    ("tab\tand\r\nCRLF\u2028LS", "tab and CRLF LS"),
    ("  spaced   out  ", "spaced out"),
    ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
    ("![img](https://example.org/x.png)", "!\\[img\\](https://example.org/x.png)"),
    ("*starred* and _under_ and **bold**", "\\*starred\\* and \\_under\\_ and \\*\\*bold\\*\\*"),
    ("`code` span", "\\`code\\` span"),
    ("a | b | c", "a \\| b \\| c"),
    ("~~struck~~", "\\~\\~struck\\~\\~"),
    ("Tom & Jerry &amp; &#60;", "Tom &amp; Jerry &amp;amp; &amp;#60;"),
    ("back\\slash", "back\\\\slash"),
    ("μs-scale Preemption: 3–5× faster", "μs-scale Preemption: 3–5× faster"),
]


@pytest.mark.parametrize(("raw", "escaped"), ESCAPED)
def test_escape_md(raw: str, escaped: str) -> None:
    assert escape_md(raw) == escaped


@pytest.mark.parametrize(("raw", "escaped"), ESCAPED)
def test_an_escaped_value_is_one_line_without_controls(raw: str, escaped: str) -> None:
    assert "\n" not in escaped and "\r" not in escaped
    assert not any(ord(c) < 32 or 0x202A <= ord(c) <= 0x202E for c in escaped)
    assert "<" not in escaped and ">" not in escaped


def test_clean_text_keeps_markdown_as_it_is() -> None:
    """What the terminal and a code block show: controls gone, the text otherwise verbatim."""
    assert clean_text("A *b*\n<c>\x00\u202e") == "A *b* <c>"


def test_a_code_block_cannot_be_closed_by_a_value() -> None:
    lines = ["Fenced ``` Title,,,,,skip", "plain"]
    block = code_block(lines, "csv", indent="  ")
    assert block == ["  ````csv", "  Fenced ``` Title,,,,,skip", "  plain", "  ````"]
    assert code_block(["a\nb"]) == ["```", "a b", "```"]


MARKED = [
    (
        ORCA_LIST,
        ORCA.title,
        "Orca: A Distributed Serving System for Transformer-Based ~~Language Generation Tasks~~",
        "Orca: A Distributed Serving System for Transformer-Based **Generative Models**",
    ),
    (
        PAELLA_LIST,
        PAELLA.title,
        "Paella: Low-latency Model Serving with ~~Virtualized~~ GPU Scheduling",
        "Paella: Low-latency Model Serving with **Software-defined** GPU Scheduling",
    ),
    (  # "μs-scale" is "Microsecond-scale" as titles compare: not a difference
        REEF_LIST,
        REEF.title,
        "~~Achieving~~ μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
        "Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
    ),
    (  # case and a trailing period are no difference either
        "clipper: a low-latency online prediction serving system.",
        "Clipper: A Low-Latency Online Prediction Serving System",
        "clipper: a low-latency online prediction serving system.",
        "Clipper: A Low-Latency Online Prediction Serving System",
    ),
    (
        "An Example <b>Bold</b> Title",
        "An Example Title",
        "An Example ~~&lt;b&gt;Bold&lt;/b&gt;~~ Title",
        "An Example Title",
    ),
]


@pytest.mark.parametrize(("listed", "recorded", "ours", "theirs"), MARKED)
def test_the_differing_words_are_marked(listed: str, recorded: str, ours: str, theirs: str) -> None:
    assert marked_titles(listed, recorded) == (ours, theirs)


def test_the_terminal_marks_words_as_wdiff_does() -> None:
    assert marked_plain(PAELLA_LIST, PAELLA.title) == (
        "Paella: Low-latency Model Serving with [-Virtualized-] GPU Scheduling",
        "Paella: Low-latency Model Serving with {+Software-defined+} GPU Scheduling",
    )


def test_differs_compares_as_matching_does() -> None:
    assert differs(ORCA_LIST, ORCA.title)
    assert not differs(
        "clipper: a low-latency online prediction serving system.",
        "Clipper: A Low-Latency Online Prediction Serving System",
    )


TITLE_NOTES = [
    (
        "the list's title differs from the record's: 'Orca: A Distributed Serving System for "
        "Transformer-Based Generative Models' (accepted because venue and year agree)",
        "the list's title differs from the record's (accepted because venue and year agree)",
    ),
    (
        "the list's title differs from the record's: 'It's a Title with an Apostrophe'",
        "the list's title differs from the record's",
    ),
    ("the list says 2019, the record says 2018", None),
]


@pytest.mark.parametrize(("note", "shown"), TITLE_NOTES)
def test_the_title_note_loses_its_quoted_title(note: str, shown: str | None) -> None:
    assert title_note(note) == shown


def test_links_are_built_from_identifiers_and_encoded() -> None:
    alt = Alternative(
        "dblp", "Example", "OSDI", 2022, 80.0, dblp_key="conf/osdi/Example22", doi="10.1000/x(y)z"
    )
    assert alternative_links(alt) == [
        ("DBLP", "https://dblp.org/rec/conf/osdi/Example22"),
        ("DOI", "https://doi.org/10.1000/x%28y%29z"),
    ]
    searched = markdown_links(search_links("Orca: A | B ) <img> & C"))
    assert searched == (
        "[DBLP](https://dblp.org/search?q=Orca%3A+A+%7C+B+%29+%3Cimg%3E+%26+C) · "
        "[Semantic Scholar](https://www.semanticscholar.org/search?q=Orca%3A+A+%7C+B+%29+%3Cimg%3E+%26+C)"
    )
