"""The parser: the shipped list, a table of tricky lines, the other formats."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enrich.errors import InputError
from enrich.readinglist import parse_text, read_list
from enrich.readinglist.labels import expand_year, split_label
from enrich.readinglist.markdown import parse_markdown

SHIPPED = Path(__file__).parent.parent / "data" / "raw" / "mlsys-reading-list.md"


@pytest.fixture(scope="module")
def shipped():
    return read_list(SHIPPED)


def by_line(parsed, line):
    (entry,) = [entry for entry in parsed.entries if line in entry.lines]
    return entry


def test_shipped_list_counts(shipped):
    assert shipped.bullets == 98
    assert len(shipped.entries) == 97
    assert len(shipped.sections) == 12
    assert shipped.sections[0] == "Generative & LLMs"
    assert shipped.sections[1] == "Serving Systems (& inference acceleration)"
    assert shipped.sections[-1] == "Frameworks"


def test_shipped_list_only_warning_is_the_duplicate(shipped):
    (warning,) = shipped.warnings
    assert warning.line == 110
    assert "line 61" in warning.message and "110" in warning.message


def test_shipped_list_duplicate_is_one_paper_with_both_sections(shipped):
    entry = by_line(shipped, 110)
    assert (
        entry.title == "A Generic Communication Scheduler for Distributed DNN Training Acceleration"
    )
    assert entry.lines == (61, 110)
    assert entry.sections == (
        "Parallelism & Distributed Systems",
        "Scheduling & Resource Management",
    )
    assert (entry.label, entry.venue, entry.year) == ("[SOSP '19]", "SOSP", 2019)


@pytest.mark.parametrize(
    ("line", "title", "label", "venue", "year"),
    [
        (
            56,
            "Chimera: Efficiently Training Large-Scale Neural Networks with Bidirectional Pipelines",
            "[SC '21']",
            "SC",
            2021,
        ),
        (
            107,
            "KungFu: Making Training in Distributed Machine Learning Adaptive",
            "[OSDI' 20]",
            "OSDI",
            2020,
        ),
        (
            64,
            "Horovod: fast and easy distributed deep learning in TensorFlow",
            "[arXiv '18]",
            "arXiv",
            2018,
        ),
        (69, "Large Scale Distributed Deep Networks", "[NIPS '12]", "NIPS", 2012),
        (
            40,
            "Achieving μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
            "[OSDI '22]",
            "OSDI",
            2022,
        ),
        (
            46,
            "μLayer: Low Latency On-Device Inference Using Cooperative Single-Layer Acceleration"
            " and Processor-Friendly Quantization",
            "[EuroSys '19]",
            "EuroSys",
            2019,
        ),
        (
            131,
            "The Architectural Implications of Facebook’s DNN-based Personalized Recommendation",
            "[HPCA '20]",
            "HPCA",
            2020,
        ),
        (
            59,
            "HetPipe: Enabling Large DNN Training on (Whimpy) Heterogeneous GPU Clusters through"
            " Integration of Pipelined Model Parallelism and Data Parallelism",
            "[ATC '20]",
            "ATC",
            2020,
        ),
    ],
)
def test_shipped_list_odd_lines(shipped, line, title, label, venue, year):
    entry = by_line(shipped, line)
    assert (entry.title, entry.label, entry.venue, entry.year) == (title, label, venue, year)
    assert entry.url is None
    assert entry.file == str(SHIPPED)


# One bullet's text -> (title, label, venue, year, url); this_year is fixed at 2026.
# fmt: off
TRICKY_BULLETS = [
    ("[SOSP '23] Efficient Memory Management", "Efficient Memory Management", "[SOSP '23]", "SOSP", 2023, None),
    ("[SC '21'] Chimera", "Chimera", "[SC '21']", "SC", 2021, None),
    ("[OSDI' 20] KungFu", "KungFu", "[OSDI' 20]", "OSDI", 2020, None),
    ("[OSDI ’23] Curly quote", "Curly quote", "[OSDI ’23]", "OSDI", 2023, None),
    ("[OSDI 2020] Four digits", "Four digits", "[OSDI 2020]", "OSDI", 2020, None),
    ("(OSDI 2020) In parentheses", "In parentheses", "(OSDI 2020)", "OSDI", 2020, None),
    ("Trailing label (OSDI 2020)", "Trailing label", "(OSDI 2020)", "OSDI", 2020, None),
    ("[USENIX ATC '21] Two-word venue", "Two-word venue", "[USENIX ATC '21]", "USENIX ATC", 2021, None),
    ("[MLSys'22]: Colon after label", "Colon after label", "[MLSys'22]", "MLSys", 2022, None),
    ("[SOSP] No year", "No year", "[SOSP]", "SOSP", None, None),
    ("[MICRO '99] Last century", "Last century", "[MICRO '99]", "MICRO", 1999, None),
    ("[ISCA '28] Two years ahead", "Two years ahead", "[ISCA '28]", "ISCA", 2028, None),
    ("No label at all", "No label at all", None, None, None, None),
    ("(De)composing Titles", "(De)composing Titles", None, None, None, None),
    ("A Paper (Extended Abstract)", "A Paper (Extended Abstract)", None, None, None, None),
    ("**[SOSP '23]** **Bold title**", "Bold title", "[SOSP '23]", "SOSP", 2023, None),
    ("[NSDI '17] *Clipper*: A _Low-Latency_ System", "Clipper: A Low-Latency System", "[NSDI '17]", "NSDI", 2017, None),
    ("[OSDI '18] snake_case_name stays", "snake_case_name stays", "[OSDI '18]", "OSDI", 2018, None),
    ("[OSDI '18] [Ray: A Framework](https://www.usenix.org/a_b)", "Ray: A Framework", "[OSDI '18]", "OSDI", 2018, "https://www.usenix.org/a_b"),
    ("[Linked title](https://x.org/p) [SOSP '19]", "Linked title", "[SOSP '19]", "SOSP", 2019, "https://x.org/p"),
    ("[ICML '20] Title [[pdf]](https://x.org/p.pdf)", "Title", "[ICML '20]", "ICML", 2020, "https://x.org/p.pdf"),
    ("[ICML '20] Title https://arxiv.org/abs/2001.00001.", "Title", "[ICML '20]", "ICML", 2020, "https://arxiv.org/abs/2001.00001"),
    ("[ICML '20] Title <https://x.org/a>", "Title", "[ICML '20]", "ICML", 2020, "https://x.org/a"),
    ("[ICML '20] Ends with a period.", "Ends with a period", "[ICML '20]", "ICML", 2020, None),
    ("[ICML '20] What Is a Question?", "What Is a Question?", "[ICML '20]", "ICML", 2020, None),
    ("[ICML '20] Facebook’s μLayer: Ünïcode", "Facebook’s μLayer: Ünïcode", "[ICML '20]", "ICML", 2020, None),
    ("[ ] [OSDI '20] Unchecked task", "Unchecked task", "[OSDI '20]", "OSDI", 2020, None),
    ("[x] [OSDI '20] Checked task", "Checked task", "[OSDI '20]", "OSDI", 2020, None),
    ("[OSDI '20] Title <!-- a note -->", "Title", "[OSDI '20]", "OSDI", 2020, None),
]
# fmt: on


@pytest.mark.parametrize(("bullet", "title", "label", "venue", "year", "url"), TRICKY_BULLETS)
@pytest.mark.parametrize("marker", ["-", "*", "+", "1.", "12)"])
def test_tricky_bullets(bullet, title, label, venue, year, url, marker):
    (entry,) = parse_markdown(f"{marker} {bullet}\n", "list.md", this_year=2026).items
    assert (entry.title, entry.label, entry.venue, entry.year, entry.url) == (
        title,
        label,
        venue,
        year,
        url,
    )


def test_expand_year_keeps_near_future_in_this_century():
    assert [expand_year(y, this_year=2026) for y in (0, 23, 28, 29, 99)] == [
        2000,
        2023,
        2028,
        1929,
        1999,
    ]


def test_label_only_bullet_is_a_warning_not_a_paper():
    parsed = parse_markdown(
        "# S\n\n- [OSDI '20]\n- [OSDI '20] Real\n- [pdf](https://x.org)\n", "l.md"
    )
    assert [entry.title for entry in parsed.items] == ["Real"]
    label_only, link_only = parsed.warnings
    assert label_only.line == 3 and "a label but no title" in label_only.message
    assert link_only.line == 5 and "only a link" in link_only.message


def test_empty_bullet_is_a_warning():
    parsed = parse_markdown("- Paper one\n-\n- Paper two\n", "l.md")
    assert [entry.title for entry in parsed.items] == ["Paper one", "Paper two"]
    assert [(w.line, w.message) for w in parsed.warnings] == [(2, "empty list item")]


MARKDOWN_DOCUMENT = """\
---
title: My list
tags:
    - not a paper
---
[TOC]

> - a quoted bullet is not a paper
> Refer to https://example.org

<!--
- a commented-out paper
-->

# **Systems:**

- [OSDI '20] Paper One
    - a note about paper one, not a paper
    - [OSDI '20] a labelled note is still a note
- [SOSP '19] Paper Two that wraps
  onto a second line

```
- code is not a paper
```

## *Learning* `Systems`

1. [ICML '20] Paper Three
2) Paper Four

* Category with labelled children:
  * [NSDI '21] Paper Five
  * [NSDI '21] Paper Six

Setext Heading
--------------

+ [MLSys '22] Paper Seven

---

- [EuroSys '22] Paper Eight
"""


def test_markdown_structure():
    parsed = parse_text(MARKDOWN_DOCUMENT, "doc.md")
    assert [(e.title, e.sections, e.lines) for e in parsed.entries] == [
        ("Paper One", ("Systems",), (17,)),
        ("Paper Two that wraps onto a second line", ("Systems",), (20,)),
        ("Paper Three", ("Learning Systems",), (29,)),
        ("Paper Four", ("Learning Systems",), (30,)),
        ("Paper Five", ("Category with labelled children",), (33,)),
        ("Paper Six", ("Category with labelled children",), (34,)),
        ("Paper Seven", ("Setext Heading",), (39,)),
        ("Paper Eight", ("Setext Heading",), (43,)),
    ]
    assert parsed.warnings == ()
    assert [(item.line, item.reason) for item in parsed.skipped] == [(8, "in a blockquote")]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("A Generic Communication Scheduler", "Generic Communication Scheduler"),
        ("The Tail at Scale", "tail at scale."),
        ("Out-Of-Order BackProp", "Out of Order Backprop"),
        ("Café: Résumé", "Cafe Resume"),
        ("Facebook’s DNNs", "Facebook's DNNs"),
    ],
)
def test_duplicates_compare_after_normalisation(first, second):
    text = f"## One\n- [SOSP '19] {first}\n## Two\n- [SOSP '19] {second}\n"
    parsed = parse_text(text, "dup.md")
    (entry,) = parsed.entries
    assert entry.title == first
    assert entry.sections == ("One", "Two")
    assert entry.lines == (2, 4)
    (warning,) = parsed.warnings
    assert warning.line == 4 and "line 2" in warning.message


def test_duplicates_with_different_labels_say_so():
    parsed = parse_text("- [SOSP '19] Same Title\n- [OSDI '20] Same Title\n", "dup.md")
    assert "labels differ" in parsed.warnings[0].message
    assert parsed.entries[0].year == 2019


def test_plain_text_format():
    text = "# my list\n\nFirst Paper Title\n[OSDI '20] Second Paper\n  \n- Third Paper\n"
    parsed = parse_text(text, "list.txt", "text")
    assert [(e.title, e.year, e.lines) for e in parsed.entries] == [
        ("First Paper Title", None, (3,)),
        ("Second Paper", 2020, (4,)),
        ("Third Paper", None, (6,)),
    ]


def test_csv_format_matches_headers_case_insensitively():
    text = (
        "Title,VENUE,Year,Section\n"
        "Paella: Low-latency Model Serving,SOSP,2023,Serving\n"
        '"A title, with a comma",OSDI,2022,\n'
        '"A title\nacross lines",,,\n'
        "Bad year paper,OSDI,22x,\n"
    )
    parsed = parse_text(text, "list.csv", "csv")
    assert [(e.title, e.venue, e.year, e.sections, e.lines) for e in parsed.entries] == [
        ("Paella: Low-latency Model Serving", "SOSP", 2023, ("Serving",), (2,)),
        ("A title, with a comma", "OSDI", 2022, (), (3,)),
        ("A title across lines", None, None, (), (4,)),
        ("Bad year paper", "OSDI", None, (), (6,)),
    ]
    (warning,) = parsed.warnings
    assert warning.line == 6 and "22x" in warning.message


def test_csv_without_title_column_is_an_input_error():
    with pytest.raises(
        InputError, match=r"list.csv:1: has no 'title' column \(columns: name, year\)"
    ):
        parse_text("name,year\nx,2020\n", "list.csv", "csv")


BIBTEX = r"""
@inproceedings{kwon2023efficient,
  title = {Efficient Memory Management for {Large} {Language} Model Serving with {PagedAttention}},
  author = {Kwon, Woosuk and Li, Zhuohan},
  booktitle = {Proceedings of the 29th Symposium on Operating Systems Principles, {SOSP} 2023},
  year = {2023},
  keywords = {Generative \& LLMs},
}

@inproceedings{kim2019mulayer,
  title = {{$\mu$Layer}: Low Latency On-Device Inference},
  booktitle = {EuroSys},
  year = 2019,
}

@article{broken,
  title = {Unclosed
"""


def test_bibtex_format_keeps_keys_and_removes_markup():
    parsed = parse_text(BIBTEX, "refs.bib", "bibtex")
    first, second = parsed.entries
    assert first.key == "kwon2023efficient"
    assert (
        first.title
        == "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    )
    assert first.authors == ("Kwon, Woosuk", "Li, Zhuohan")
    assert first.year == 2023 and first.venue.endswith("SOSP 2023")
    assert first.lines == (2,)
    assert (
        second.key == "kim2019mulayer" and second.title == "μLayer: Low Latency On-Device Inference"
    )
    (warning,) = parsed.warnings
    assert warning.line == 16 and "malformed" in warning.message


def test_format_is_chosen_by_extension(tmp_path):
    for name, text in [
        ("l.txt", "Just A Title\n"),
        ("l.csv", "title\nJust A Title\n"),
        ("l.md", "- Just A Title\n"),
    ]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        parsed = read_list(path)
        assert [e.title for e in parsed.entries] == ["Just A Title"], name


def test_unknown_extension_is_sniffed(tmp_path):
    (tmp_path / "papers").write_text("- [OSDI '20] Bullet Paper\n", encoding="utf-8")
    (tmp_path / "titles").write_text("Line Paper\n", encoding="utf-8")
    assert read_list(tmp_path / "papers").format == "markdown"
    assert read_list(tmp_path / "titles").format == "text"


def test_large_list_parses(tmp_path):
    lines = [f"- [OSDI '{i % 30:02d}] Paper number {i} about systems" for i in range(20_000)]
    parsed = parse_text("# Big\n" + "\n".join(lines), "big.md")
    assert len(parsed.entries) == 20_000


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parser_never_raises_and_never_returns_an_empty_title(text):
    for format_name in ("markdown", "text", "csv"):
        try:
            parsed = parse_text(text, "fuzz", format_name)
        except InputError:
            continue
        assert all(entry.title.strip() for entry in parsed.entries)


MARKDOWN_PIECES = "- |* |1. |  - |# |[|]|(|)|'2|**|_|<!--|-->|---|`|http://a.b |x|μ|\n| ".split("|")  # noqa: SIM905


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=60))
def test_markdown_never_raises_on_markdown_like_noise(pieces):
    parsed = parse_markdown("".join(pieces), "noise.md")
    assert all(entry.title.strip() for entry in parsed.items)


def test_split_label_never_raises_on_brackets():
    for text in ["[", "]", "[]", "()", "[''] x", "('99)", "[ '] t", "[2020] t"]:
        split_label(text)


def test_a_dblp_export_keeps_different_records_of_one_title_apart():
    """DBLP's real export holds a report, a paper and a chapter titled alike: three keys,
    three entries, as the user's \\cite{}s name each of them."""
    path = Path(__file__).parent / "fixtures/real-responses/dblp/bibtex-dblp_ley_standard_2019.bib"
    parsed = read_list(path)
    text = path.read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE)
    assert [entry.key for entry in parsed.entries] == keys
    lilog = [e for e in parsed.entries if e.title.startswith("LILOG-DB: Database Support")]
    assert len(lilog) == 3 and len({e.key for e in lilog}) == 3
    assert parsed.warnings == ()


def test_a_key_given_twice_is_read_once_and_said():
    text = "@misc{Example:a, title={One Title}}\n@misc{Example:a, title={Another Title}}\n"
    parsed = parse_text(text, "refs.bib", "bibtex")
    assert [entry.title for entry in parsed.entries] == ["One Title"]
    (warning,) = parsed.warnings
    assert (warning.line, warning.message) == (
        2,
        "not read: the key 'Example:a' is already the entry at line 1",
    )


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_a_list_leaves_the_cycle_collector_as_it_found_it(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        parse_text("- [SOSP '23] A Paper\n", "list.md")
        with pytest.raises(InputError):
            parse_text("no list here\n", "list.md")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
