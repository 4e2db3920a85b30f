"""Only http(s) links leave a list (#11): a link's target in a title is never kept unless it
is an absolute http(s) URL, and its text stays the title whatever the target."""

from __future__ import annotations

import pytest

from enrich.readinglist import parse_text
from enrich.readinglist.markdown import parse_markdown

TVM = "TVM: An Automated End-to-End Optimizing Compiler for Deep Learning"

# (the item, its url, its arXiv id): the title is always TVM
# fmt: off
TARGETS = [
    (f"- [{TVM}](javascript:alert(1))", None, None),
    (f"- [{TVM}](JaVaScRiPt:alert(document.cookie))", None, None),
    (f"- [{TVM}](java%0ascript:alert(1))", None, None),
    (f"- [{TVM}](<java\tscript:alert(1)>)", None, None),
    (f"- [{TVM}](vbscript:msgbox(1))", None, None),
    (f"- [{TVM}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", None, None),
    (f"- [{TVM}](file:///etc/passwd)", None, None),
    (f"- [{TVM}](ftp://example.org/tvm.pdf)", None, None),
    (f"- [{TVM}](notes/tvm.md)", None, None),
    (f"- [{TVM}](//arxiv.org/abs/1802.04799)", None, None),
    (f"- [{TVM}](www.usenix.org/conference/osdi18/presentation/chen)", None, None),
    (f"- [{TVM}](data:/doi/10.0000/example.1)", None, None),
    (f"- [{TVM}](javascript:alert(1)) [[pdf]](https://arxiv.org/pdf/1802.04799)",
     "https://arxiv.org/pdf/1802.04799", "1802.04799"),
    (f"- {TVM} [[Paper]](javascript:alert(1)) [[arXiv]](https://arxiv.org/abs/1802.04799)",
     "https://arxiv.org/abs/1802.04799", "1802.04799"),
    (f"- [{TVM}](https://arxiv.org/abs/1802.04799)",
     "https://arxiv.org/abs/1802.04799", "1802.04799"),
    (f"- [{TVM}](HTTP://www.usenix.org/conference/osdi18/presentation/chen)",
     "HTTP://www.usenix.org/conference/osdi18/presentation/chen", None),
]
# fmt: on


@pytest.mark.parametrize(("markdown", "url", "arxiv"), TARGETS)
def test_a_title_keeps_its_text_and_only_an_http_target_becomes_its_url(markdown, url, arxiv):
    parsed = parse_markdown(markdown + "\n", "list.md")
    assert [(entry.title, entry.url, entry.arxiv) for entry in parsed.items] == [(TVM, url, arxiv)]
    assert parsed.warnings == () and parsed.skipped == ()


@pytest.mark.parametrize(
    ("text", "format"),
    [
        (f"[OSDI '18] [{TVM}](javascript:alert(1))\n", "text"),
        (f"title,url\n{TVM},javascript:alert(1)\n", "csv"),
        (
            f"@inproceedings{{chen2018tvm, title = {{{TVM}}}, url = {{javascript:alert(1)}}}}\n",
            "bibtex",
        ),
    ],
)
def test_other_formats_keep_no_unsafe_url_either(text, format):
    (entry,) = parse_text(text, "list", format).entries
    assert (entry.title, entry.url) == (TVM, None)


def test_a_table_row_takes_no_unsafe_link_as_its_url():
    text = f"| Title | Code |\n|---|---|\n| [{TVM}](javascript:alert(1)) | [Code](file:///x) |\n"
    (entry,) = parse_markdown(text, "list.md").items
    assert (entry.title, entry.url) == (TVM, None)
