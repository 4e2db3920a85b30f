"""Not a paper, and said so: every list item and table row is a paper, a note on one, a
category, a counted skip or a warning; nothing is dropped silently and nothing crashes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import enrich.readinglist.mdtokens as mdtokens
from enrich.readinglist import parse_text
from enrich.readinglist.markdown import parse_markdown
from enrich.readinglist.mdtokens import block_chunks
from enrich.readinglist.skips import (
    BLOG,
    CODE_ONLY,
    COURSE,
    EMPTY_ROW,
    NO_TITLE_COLUMN,
    PROSE,
    QUOTED,
    TABLE_OF_CONTENTS,
    UNDER_SKIPPED,
)

TVM = "TVM: An Automated End-to-End Optimizing Compiler for Deep Learning"

# (the Markdown, why its one item is skipped)
# fmt: off
SKIPPED = [
    ("- [Serving Systems](#serving-systems)", TABLE_OF_CONTENTS),
    ("- **[Serving Systems](#serving-systems)**", TABLE_OF_CONTENTS),
    ("- [vLLM](https://github.com/vllm-project/vllm) - a high-throughput and memory-efficient inference and serving engine for LLMs", CODE_ONLY),
    ("- Apache TVM [[code]](https://github.com/apache/tvm)", CODE_ONLY),
    ("- Summary: PagedAttention keeps the KV cache in fixed-size blocks.", PROSE),
    ("- Note: read the evaluation section first, it answers most questions about the design.", PROSE),
    ("- We read this paper in the reading group. It explains how the compiler searches schedules for each operator.", PROSE),
    ("> - [SOSP '23] Efficient Memory Management for Large Language Model Serving with PagedAttention", QUOTED),
    ("- ```\n  code\n  ```", "not text (code or HTML)"),
]
# fmt: on


@pytest.mark.parametrize(("markdown", "reason"), SKIPPED)
def test_what_is_not_a_paper_is_skipped_with_its_reason(markdown, reason):
    parsed = parse_markdown(markdown + "\n", "list.md")
    assert parsed.items == () and parsed.warnings == ()
    assert [(item.line, item.reason) for item in parsed.skipped] == [(1, reason)]


# (the Markdown of an item whose only links go to a course or a blog, why it is skipped)
# fmt: off
COURSES_AND_BLOGS = [
    ("- [Convolutional Networks for Visual Recognition](http://cs231n.stanford.edu/)", COURSE),
    ("- Natural Language Processing with Deep Learning [[course]](https://web.stanford.edu/class/cs224n/)", COURSE),
    ("- [Machine Learning Systems](https://cs.stanford.edu/class/cs329s/)", COURSE),
    ("- [Systems for ML](https://www.cs.example.edu/~someone/courses/mlsys/)", COURSE),
    ("- [Deep Learning Systems](https://dlsys.example.edu/teaching/fall/)", COURSE),
    ("- [Introduction to Deep Learning](https://ocw.mit.edu/courses/6-s191-introduction-to-deep-learning/)", COURSE),
    ("- [Machine Learning Specialization](https://www.coursera.org/specializations/machine-learning)", COURSE),
    ("- Lecture 5: Distributed Training [[video]](https://www.youtube.com/watch?v=aaaaaaaaaaa)", COURSE),
    ("- [An Illustrated Guide to Transformers](https://jalammar.github.io/illustrated-transformer/)", BLOG),
    ("- [What Agents Can Do](https://lilianweng.github.io/posts/2023-06-23-agent/)", BLOG),
    ("- Understanding Recurrent Networks [[blog]](https://someone.github.io/posts/2015-08-rnns/)", BLOG),
    ("- [How Serving Engines Batch Requests](https://medium.com/@someone/how-serving-engines-batch-requests-123)", BLOG),
    ("- [Notes on Pipeline Parallelism](https://someone.substack.com/p/pipeline-parallelism)", BLOG),
    ("- [A Tour of Quantisation](https://towardsdatascience.com/a-tour-of-quantisation-456)", BLOG),
    ("- [Faster Inference Tricks](https://huggingface.co/blog/faster-inference)", BLOG),
    ("- [Our Training Cluster](https://ai.googleblog.com/2022/04/our-training-cluster.html)", BLOG),
    ("- [KV Caches Explained](https://blog.example.org/kv-caches-explained)", BLOG),
    ("- [Serving at Scale](https://bair.berkeley.edu/blog/2020/01/serving-at-scale/)", BLOG),
    ("- Attention Tricks [[blog]](https://medium.com/@someone/attention-123) [[code]](https://github.com/someone/attention)", BLOG),
]
# fmt: on


@pytest.mark.parametrize(("markdown", "reason"), COURSES_AND_BLOGS)
def test_an_item_linking_only_a_course_or_a_blog_is_skipped_with_its_reason(markdown, reason):
    parsed = parse_markdown(markdown + "\n", "list.md")
    assert parsed.items == () and parsed.warnings == ()
    assert [(item.line, item.reason) for item in parsed.skipped] == [(1, reason)]


ATTENTION = "Attention Is All You Need"
DISTILL = "Feature Visualization"


# (an item that links a course or a blog besides the paper, or is a paper there) -> title
# fmt: off
PAPERS_BESIDE_COURSES_AND_BLOGS = [
    (f"- [{ATTENTION}](https://arxiv.org/abs/1706.03762) [[blog]](https://jalammar.github.io/illustrated-transformer/)", ATTENTION),
    (f"- {ATTENTION} [[pdf]](https://papers.nips.cc/paper/7181-attention-is-all-you-need.pdf) [[lecture]](https://www.youtube.com/watch?v=aaaaaaaaaaa)", ATTENTION),
    (f"- {TVM} [[Paper]](https://www.usenix.org/conference/osdi18/presentation/chen) [[blog]](https://tvm.apache.org/blog)", TVM),
    (f"- {TVM} [[ACM]](https://dl.acm.org/doi/10.5555/3291168.3291211) [[course]](https://web.stanford.edu/class/cs329s/)", TVM),
    (f"- [{TVM}](https://web.stanford.edu/class/cs329s/readings/tvm.pdf)", TVM),
    (f"- [OSDI '18] {TVM} [[slides]](https://www.cs.example.edu/~someone/courses/mlsys/tvm-slides)", TVM),
    (f"- [{ATTENTION}](https://huggingface.co/papers/1706.03762)", ATTENTION),
    (f"- [{DISTILL}](https://distill.pub/2017/feature-visualization/)", DISTILL),
]
# fmt: on


@pytest.mark.parametrize(("markdown", "title"), PAPERS_BESIDE_COURSES_AND_BLOGS)
def test_an_item_with_a_paper_link_or_its_own_metadata_beside_a_course_or_blog_is_a_paper(
    markdown, title
):
    parsed = parse_markdown(markdown + "\n", "list.md")
    assert [entry.title for entry in parsed.items] == [title]
    assert parsed.skipped == ()


@pytest.mark.parametrize(
    "markdown",
    [
        f"- {TVM} (OSDI 2018) [[Code]](https://github.com/apache/tvm)",
        f"- {TVM} [also in [2.1](#21-compilers)]",
        f"- [{TVM}](https://github.com/apache/tvm/blob/main/paper.pdf)",
    ],
)
def test_a_paper_with_code_or_contents_links_is_still_a_paper(markdown):
    (entry,) = parse_markdown(markdown + "\n", "list.md").items
    assert entry.title == TVM


def test_items_under_a_skipped_item_are_skipped_unless_they_show_they_are_papers():
    text = (
        "- Summary: the papers below are about serving.\n"
        "  - a plain sentence under it\n"
        "  - [OSDI '20] Serving DNNs like Clockwork: Performance Predictability from the Bottom Up\n"
        "- [Contents](#contents)\n"
        "  - [Serving](#serving)\n"
    )
    parsed = parse_markdown(text, "list.md")
    assert [e.lines for e in parsed.items] == [(3,)]
    assert [(s.line, s.reason) for s in parsed.skipped] == [
        (1, PROSE),
        (2, UNDER_SKIPPED),
        (4, TABLE_OF_CONTENTS),
        (5, TABLE_OF_CONTENTS),
    ]


def test_table_rows_that_are_not_papers_are_skipped():
    text = (
        "| Name | Affiliation |\n|---|---|\n| Tianqi Chen | CMU |\n\n"
        "| Title | Venue |\n|---|---|\n|  |  |\n| [vLLM](https://github.com/vllm-project/vllm) | |\n"
    )
    parsed = parse_markdown(text, "list.md")
    assert parsed.items == ()
    assert [(s.line, s.reason) for s in parsed.skipped] == [
        (3, NO_TITLE_COLUMN),
        (7, EMPTY_ROW),
        (8, CODE_ONLY),
    ]


def test_the_reading_list_counts_its_skips_by_reason():
    text = (
        "- [Serving](#serving)\n- [Training](#training)\n"
        "- [vLLM](https://github.com/vllm-project/vllm)\n"
        f"- [OSDI '18] {TVM}\n"
    )
    parsed = parse_text(text, "list.md")
    assert [e.title for e in parsed.entries] == [TVM]
    assert parsed.skipped_by_reason == {TABLE_OF_CONTENTS: 2, CODE_ONLY: 1}
    assert str(parsed.skipped[0]) == (
        f"list.md:1: skipped ({TABLE_OF_CONTENTS}): '[Serving](#serving)'"
    )
    assert parsed.warnings == ()


def _items_in(text: str) -> int:
    """List items and table body rows, as markdown-it finds them."""
    count = 0
    for _, tokens in block_chunks(text):
        in_body = False
        for token in tokens:
            in_body = token.type == "tbody_open" or (in_body and token.type != "tbody_close")
            count += token.type == "list_item_open" or (in_body and token.type == "tr_open")
    return count


def _accounted(parsed) -> int:
    return sum(
        map(len, (parsed.items, parsed.warnings, parsed.skipped, parsed.notes, parsed.categories))
    )


PIECES = [
    "- ", "* ", "1. ", "  - ", "    - ", "# ", "## 2024\n", "### OSDI\n", "[", "]", "(", ")",
    "**", "*", "_", "`", "```\n", "<!--", "-->", "<pre>\n", "> ", "\\[", "![b](x.svg)",
    "[Paper](https://arxiv.org/abs/1706.03762)", "[x](#a)", "https://github.com/a/b ",
    "(2015)", ", G. Hinton et al", ". ICLR 2018", '"Title words"', "Chen, Tianqi, et al.",
    "| x |\n", "|---|\n", "| Title | Venue |\n|---|---|\n| [T](u) | OSDI '20 |\n", "Summary: ",
    "x", "μ", "深度", "\t", ":", "\n", "\n\n", " ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80))
def test_every_item_and_row_is_accounted_for_and_nothing_crashes(pieces):
    text = "".join(pieces)
    parsed = parse_markdown(text, "noise.md")
    assert _accounted(parsed) == _items_in(text)
    assert all(entry.title.strip() for entry in parsed.items)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "\n\n# H\n", "\n\n## S\n", "~~~\n"]), max_size=150))
def test_a_long_list_parsed_in_chunks_reads_as_if_parsed_whole(pieces):
    text = "".join(pieces)
    whole = parse_markdown(text, "list.md")
    chunked = mdtokens.CHUNK_LINES
    try:
        mdtokens.CHUNK_LINES = 2
        assert parse_markdown(text, "list.md") == whole
    finally:
        mdtokens.CHUNK_LINES = chunked
