"""Reading lists as people write them: each style, read to what a person reads in it.

Every case is a real paper with its real title, venue, year, authors and identifiers
(tests/fixtures/papers_part1.json, or the paper's own arXiv and proceedings pages); the
only synthetic identifiers look synthetic ("10.0000/example.1").
"""

from __future__ import annotations

import pytest

from enrich.readinglist import parse_text
from enrich.readinglist.markdown import parse_markdown

GAT = "Graph Attention Networks"
DISTILLING = "Distilling the knowledge in a neural network"
TVM = "TVM: An Automated End-to-End Optimizing Compiler for Deep Learning"
ATTENTION = "Attention Is All You Need"
DIRECT_HOST_ACCESS = "Fast and Efficient Model Serving Using Multi-GPUs with Direct-Host-Access"
BYTESCHEDULER = "A Generic Communication Scheduler for Distributed DNN Training Acceleration"
PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
CLOCKWORK = "Serving DNNs like Clockwork: Performance Predictability from the Bottom Up"
CHIMERA = "Chimera: Efficiently Training Large-Scale Neural Networks with Bidirectional Pipelines"
CLIPPER = "Clipper: A Low-Latency Online Prediction Serving System"
ORCA = "Orca: A Distributed Serving System for Transformer-Based Generative Models"

# (style, the Markdown, the line of the paper) -> (title, label, venue, year, authors, doi, arxiv)
# fmt: off
STYLES = [
    ("year and authors after the title",
     f"- {DISTILLING} (2015), G. Hinton et al\n",
     (DISTILLING, "(2015)", None, 2015, ("G. Hinton",), None, None)),
    ("venue and year after a period",
     f"- {GAT}. ICLR 2018.\n",
     (GAT, "ICLR 2018", "ICLR", 2018, (), None, None)),
    ("a venue link, personal notes and escaped paper badges",
     f"- {DIRECT_HOST_ACCESS} ([EuroSys 2023](https://dl.acm.org/doi/10.1145/3552326.3567508)) "
     r"\[[Personal Notes](notes/direct-host-access.md)] "
     r"\[[Paper](https://dl.acm.org/doi/pdf/10.1145/3552326.3567508)]" "\n",
     (DIRECT_HOST_ACCESS, "(EuroSys 2023)", "EuroSys", 2023, (), "10.1145/3552326.3567508", None)),
    ("a nested line of authors and an italic venue",
     f"- {TVM} [[Paper]](https://www.usenix.org/conference/osdi18/presentation/chen)\n"
     "  - Chen, Tianqi, et al. (*OSDI 2018*)\n",
     (TVM, "(OSDI 2018)", "OSDI", 2018, ("Chen, Tianqi",), None, None)),
    ("a linked title, its arXiv version dropped",
     f"- [{ATTENTION}](https://arxiv.org/abs/1706.03762v5) (NeurIPS 2017)\n",
     (ATTENTION, "(NeurIPS 2017)", "NeurIPS", 2017, (), None, "1706.03762")),
    ("a nickname in code and a cross-reference",
     f"- {BYTESCHEDULER} (`ByteScheduler`) "
     "([SOSP 2019](https://dl.acm.org/doi/10.1145/3341301.3359642)) [also in 2.1]\n",
     (BYTESCHEDULER, "(SOSP 2019)", "SOSP", 2019, (), "10.1145/3341301.3359642", None)),
    ("a citation: authors, quoted title, venue (year)",
     '- Vaswani, Ashish, et al. "Attention is all you need." Advances in neural '
     "information processing systems 30 (2017).\n",
     ("Attention is all you need", "(2017)",
      "Advances in neural information processing systems 30", 2017, ("Vaswani, Ashish",),
      None, None)),
    ("a citation naming its arXiv id",
     '- Hinton, Geoffrey, Oriol Vinyals, and Jeff Dean. "Distilling the knowledge in a '
     'neural network." arXiv preprint arXiv:1503.02531 (2015).\n',
     (DISTILLING, "(2015)", "arXiv preprint", 2015,
      ("Hinton, Geoffrey", "Oriol Vinyals", "Jeff Dean"), None, "1503.02531")),
    ("a bold title with a badge image and an escaped [Paper]",
     f"- **{PAGED}** "
     "[![Paper](https://img.shields.io/badge/Paper-SOSP-blue.svg)]"
     r"(https://dl.acm.org/doi/10.1145/3600006.3613165) \[Paper\]" "\n",
     (PAGED, None, None, None, (), "10.1145/3600006.3613165", None)),
    ("an italic venue in parentheses after a linked title",
     f"- [{ORCA}](https://www.usenix.org/conference/osdi22/presentation/yu) (*OSDI 2022*)\n",
     (ORCA, "(OSDI 2022)", "OSDI", 2022, (), None, None)),
    ("a checked task with a label and a versioned arXiv PDF",
     f"- [x] [OSDI '20] {CLOCKWORK} [[pdf]](https://arxiv.org/pdf/2006.02464v2.pdf)\n",
     (CLOCKWORK, "[OSDI '20]", "OSDI", 2020, (), None, "2006.02464")),
    ("a quoted two-digit year and two identifier links",
     f"- {CHIMERA}. SC '21. [paper](https://doi.org/10.1145/3458817.3476145) "
     "[arXiv](https://arxiv.org/abs/2107.06925)\n",
     (CHIMERA, "SC '21", "SC", 2021, (), "10.1145/3458817.3476145", "2107.06925")),
    ("authors and venue after commas",
     "- MLPerf Inference Benchmark, Reddi et al., ISCA 2020\n",
     ("MLPerf Inference Benchmark", "ISCA 2020", "ISCA", 2020, ("Reddi",), None, None)),
    ("a nested venue line and a nested arXiv badge",
     f"- {CLIPPER}\n  - NSDI 2017\n  - [[arXiv]](https://arxiv.org/abs/1612.03079)\n",
     (CLIPPER, "NSDI 2017", "NSDI", 2017, (), None, "1612.03079")),
    ("APA: authors, (year), title, arXiv preprint",
     "- Hinton, G., Vinyals, O., & Dean, J. (2015). Distilling the knowledge in a neural "
     "network. arXiv preprint arXiv:1503.02531.\n",
     (DISTILLING, "(2015)", "arXiv preprint", 2015, ("Hinton, G.", "Vinyals, O.", "Dean, J."),
      None, "1503.02531")),
    ("APA: et al., In venue",
     "- Vaswani, A., et al. (2017). Attention is all you need. In NeurIPS.\n",
     ("Attention is all you need", "(2017)", "NeurIPS", 2017, ("Vaswani, A.",), None, None)),
    ("APA: eight authors, two initials, an italic venue and its volume",
     "- Vaswani, A., Shazeer, N., Parmar, N., Uszkoreit, J., Jones, L., Gomez, A. N., Kaiser, "
     "L., & Polosukhin, I. (2017). Attention is all you need. *Advances in Neural Information "
     "Processing Systems*, 30.\n",
     ("Attention is all you need", "(2017)",
      "Advances in Neural Information Processing Systems, 30", 2017,
      ("Vaswani, A.", "Shazeer, N.", "Parmar, N.", "Uszkoreit, J.", "Jones, L.", "Gomez, A. N.",
       "Kaiser, L.", "Polosukhin, I."), None, None)),
    ("APA: proceedings with the venue's short name and pages",
     "- Chen, T., Moreau, T., Jiang, Z., et al. (2018). TVM: An automated end-to-end "
     "optimizing compiler for deep learning. In 13th USENIX Symposium on Operating Systems "
     "Design and Implementation (OSDI 18) (pp. 578-594).\n",
     ("TVM: An automated end-to-end optimizing compiler for deep learning", "(2018)", "OSDI",
      2018, ("Chen, T.", "Moreau, T.", "Jiang, Z."), None, None)),
    ("MLA/Chicago: authors, quoted title, venue (year)",
     '- Chen, Tianqi, et al. "TVM: An automated end-to-end optimizing compiler for deep '
     'learning." OSDI (2018)\n',
     ("TVM: An automated end-to-end optimizing compiler for deep learning", "(2018)", "OSDI",
      2018, ("Chen, Tianqi",), None, None)),
    ("the shipped [VENUE 'YY] style",
     f"- [SOSP '23] {PAGED}\n",
     (PAGED, "[SOSP '23]", "SOSP", 2023, (), None, None)),
    ("a synthetic DOI link",
     "- [Paper Title For An Example](https://doi.org/10.0000/example.1)\n",
     ("Paper Title For An Example", None, None, None, (), "10.0000/example.1", None)),
]
# fmt: on


@pytest.mark.parametrize(("style", "markdown", "expected"), STYLES, ids=[s[0] for s in STYLES])
def test_each_style_reads_as_a_person_reads_it(style, markdown, expected):
    (entry,) = parse_markdown(markdown, "list.md", this_year=2026).items
    read = (
        entry.title,
        entry.label,
        entry.venue,
        entry.year,
        entry.authors,
        entry.doi,
        entry.arxiv,
    )
    assert read == expected
    assert entry.lines == (1,)


def test_a_nested_metadata_line_is_a_note_and_never_makes_its_parent_a_section():
    text = (
        "## Compilers\n\n"
        f"- {TVM} [[Paper]](https://www.usenix.org/conference/osdi18/presentation/chen)\n"
        "  - Chen, Tianqi, et al. (*OSDI 2018*)\n"
        f"- {CLIPPER}\n"
        "  - NSDI 2017\n"
    )
    parsed = parse_markdown(text, "list.md")
    assert [(e.title, e.sections, e.lines) for e in parsed.items] == [
        (TVM, ("Compilers",), (3,)),
        (CLIPPER, ("Compilers",), (5,)),
    ]
    assert parsed.notes == (4, 6)
    assert parsed.categories == () and parsed.warnings == () and parsed.skipped == ()


def test_a_line_that_is_only_a_venue_is_a_warning_at_the_top_level():
    parsed = parse_markdown("- NSDI 2017\n- G. Hinton et al\n", "list.md")
    assert parsed.items == ()
    assert [(w.line, w.message) for w in parsed.warnings] == [
        (1, "not read as a paper (a label but no title): 'NSDI 2017'"),
        (2, "not read as a paper (only authors, a venue or a year, no title): 'G. Hinton et al'"),
    ]


HEADINGS = """\
## 2019

### SOSP

- PipeDream: Generalized Pipeline Parallelism for DNN Training
- [OSDI '18] Pretzel: Opening the Black Box of Machine Learning Prediction Serving Systems

## OSDI '22

- Unity: Accelerating DNN Training Through Joint Optimization of Algebraic Transformations and Parallelization

## Serving Systems

- Clipper: A Low-Latency Online Prediction Serving System
"""


def test_headings_that_name_a_year_or_a_venue_give_it_to_items_without_their_own():
    parsed = parse_markdown(HEADINGS, "list.md")
    assert [
        (e.title.split(":")[0], e.venue, e.year, e.label, e.sections) for e in parsed.items
    ] == [
        ("PipeDream", "SOSP", 2019, None, ("SOSP",)),
        ("Pretzel", "OSDI", 2018, "[OSDI '18]", ("SOSP",)),
        ("Unity", "OSDI", 2022, None, ("OSDI '22",)),
        ("Clipper", None, None, None, ("Serving Systems",)),
    ]


def test_a_category_item_naming_a_venue_gives_it_to_its_papers():
    text = f"- NSDI 2017\n  - [{CLIPPER}](https://arxiv.org/abs/1612.03079)\n"
    parsed = parse_markdown(text, "list.md")
    (entry,) = parsed.items
    assert (entry.title, entry.venue, entry.year, entry.sections) == (
        CLIPPER,
        "NSDI",
        2017,
        ("NSDI 2017",),
    )
    assert parsed.categories == (1,)


def test_nested_categories_name_the_innermost_as_section():
    text = f"- Systems\n  - Serving\n    - [OSDI '20] {CLOCKWORK}\n- Read later:\n  - {CLIPPER}\n"
    parsed = parse_markdown(text, "list.md")
    assert [(e.title, e.sections) for e in parsed.items] == [
        (CLOCKWORK, ("Serving",)),
        (CLIPPER, ("Read later",)),
    ]
    assert parsed.categories == (1, 2, 4)


TABLES = f"""\
# Serving

| Date | Title | Paper | Code |
|---|---|---|---|
| 2023-09 | {PAGED} | [Paper](https://arxiv.org/abs/2309.06180) | [Code](https://github.com/vllm-project/vllm) |

| Paper | Venue | Authors |
|---|---|---|
| [{CHIMERA}](https://arxiv.org/abs/2107.06925) | SC '21 | Shigang Li, Torsten Hoefler |

| Conference | Link |
|---|---|
| NSDI '17 | [{CLIPPER}](https://arxiv.org/abs/1612.03079) |
"""


def test_tables_give_one_paper_per_row_from_the_column_of_titles():
    parsed = parse_markdown(TABLES, "list.md")
    assert [
        (e.title, e.venue, e.year, e.authors, e.arxiv, e.url, e.lines, e.sections)
        for e in parsed.items
    ] == [
        (
            PAGED,
            None,
            2023,
            (),
            "2309.06180",
            "https://arxiv.org/abs/2309.06180",
            (5,),
            ("Serving",),
        ),
        (
            CHIMERA,
            "SC",
            2021,
            ("Shigang Li", "Torsten Hoefler"),
            "2107.06925",
            "https://arxiv.org/abs/2107.06925",
            (9,),
            ("Serving",),
        ),
        (
            CLIPPER,
            "NSDI",
            2017,
            (),
            "1612.03079",
            "https://arxiv.org/abs/1612.03079",
            (13,),
            ("Serving",),
        ),
    ]
    assert parsed.warnings == () and parsed.skipped == ()


def test_a_table_under_a_venue_heading_takes_its_venue():
    text = f"## NSDI '17\n\n| Title |\n|---|\n| {CLIPPER} |\n"
    (entry,) = parse_markdown(text, "list.md").items
    assert (entry.title, entry.venue, entry.year, entry.lines) == (CLIPPER, "NSDI", 2017, (5,))


def test_titles_of_other_scripts_are_different_papers_not_duplicates():
    text = "- 深度学习系统\n- 机器学习系统\n- Глубокое обучение\n- Машинное обучение\n"
    parsed = parse_text(text, "list.md")
    assert len(parsed.entries) == 4
    assert parsed.warnings == ()


def test_the_shipped_style_and_a_new_style_of_one_paper_are_one_paper():
    text = f"- [SOSP '23] {PAGED}\n- [{PAGED}](https://arxiv.org/abs/2309.06180)\n"
    parsed = parse_text(text, "list.md")
    (entry,) = parsed.entries
    assert (entry.lines, entry.label, entry.arxiv) == ((1, 2), "[SOSP '23]", "2309.06180")
    assert "same paper as line 1" in parsed.warnings[0].message
