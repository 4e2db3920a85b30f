"""Items that are not papers, and the reason each is skipped.

A list holds more than papers: its table of contents (links to #anchors), links to code
repositories, courses and blog posts, notes and other prose. Each is skipped with one of
the reasons below and counted, so a run can say how many items it passed over and why;
nothing is dropped silently. Which sites hold code, courses or blogs is said once, in
`_SITES` and the rules below it.
"""

from __future__ import annotations

import functools
import re
from typing import Final
from urllib.parse import urlsplit

from enrich.readinglist.linkids import identifiers_from_url
from enrich.readinglist.mdtokens import Link
from enrich.readinglist.reading import ItemReading, followable

TABLE_OF_CONTENTS: Final = "a table-of-contents link"
CODE_ONLY: Final = "a link to code, not to a paper"
COURSE: Final = "a link to a course or lecture, not to a paper"
BLOG: Final = "a link to a blog post, not to a paper"
PROSE: Final = "prose, not a paper title"
QUOTED: Final = "in a blockquote"
NOT_TEXT: Final = "not text (code or HTML)"
UNDER_SKIPPED: Final = "under an item that is not a paper"
NO_TITLE_COLUMN: Final = "a table without a title column"
EMPTY_ROW: Final = "an empty table row"

SKIP_REASONS: Final = (
    TABLE_OF_CONTENTS,
    CODE_ONLY,
    COURSE,
    BLOG,
    PROSE,
    QUOTED,
    NOT_TEXT,
    UNDER_SKIPPED,
    NO_TITLE_COLUMN,
    EMPTY_ROW,
)
"""Every reason an item is skipped for, in the order a summary lists them."""

_SITES: Final = {
    **dict.fromkeys(
        ("github.com", "gitlab.com", "bitbucket.org", "gitee.com", "codeberg.org"), CODE_ONLY
    ),
    "sourceforge.net": CODE_ONLY,
    **dict.fromkeys(
        ("ocw.mit.edu", "coursera.org", "edx.org", "udacity.com", "udemy.com", "course.fast.ai"),
        COURSE,
    ),
    **dict.fromkeys(("youtube.com", "youtu.be", "bilibili.com"), COURSE),
    **dict.fromkeys(
        ("medium.com", "substack.com", "towardsdatascience.com", "blogspot.com", "wordpress.com"),
        BLOG,
    ),
    **dict.fromkeys(
        ("jalammar.github.io", "lilianweng.github.io", "colah.github.io", "karpathy.github.io"),
        BLOG,
    ),
}
"""Sites whose pages are code, courses (and lectures) or blogs, subdomains included.
distill.pub is a journal, not a blog."""
_PATH_SEGMENTS: Final = {
    **dict.fromkeys(("class", "classes", "course", "courses", "teaching"), COURSE),
    **dict.fromkeys(("blog", "blogs"), BLOG),
}
"""A folder of any site that holds courses or blog posts: "/class/cs224n/", "/blog/"."""
_COURSE_HOST = re.compile(r"^cs\d{2,4}[a-z]*\.(?:[\w-]+\.)*edu$")
"""A course's own site at a university: cs231n.stanford.edu."""
_BLOG_HOST_LABEL = re.compile(r"^blog[\w-]*$|^[\w-]+blog$")
"""A host named for its blog: blog.example.org, blogs.example.com, ai.googleblog.com."""
_GITHUB_PAGES_POST = re.compile(r"^/(?:posts?/|\d{4}/\d{2}/)")
"""A post of a blog kept on GitHub Pages: /posts/2023-06-23-agent/, /2015/05/21/rnns/."""
_NOTE_LEAD = re.compile(
    r"^(?:summary|notes?|tl;?dr|abstract|comments?|takeaways?|key ideas?|ideas?|motivation"
    r"|contributions?|problems?|solutions?|pros|cons|questions?|insights?|limitations?"
    r"|results?|background|why|how|what|todo|q|a)\s*[:：]",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?:[^\W\d_]{3,}[.!?]\s+|。\s*)(?=[^\W\d_])")
_ABBREVIATIONS = ("vs.", "etc.", "al.", "e.g.", "i.e.", "cf.")
MAX_TITLE_WORDS = 40
"""More words than any real title: such an item is a paragraph."""


def skip_reason(reading: ItemReading) -> str | None:
    """Why an item that has a title is still not a paper, or None when it is one."""
    if reading.title_link is not None and is_anchor(reading.title_link):
        return TABLE_OF_CONTENTS
    followed = [link for link in reading.links if followable(link)]
    kinds = [link_kind(link) for link in followed]
    if followed and None not in kinds and not _own_evidence(reading):
        title_kind = link_kind(reading.title_link) if reading.title_link else None
        return title_kind or kinds[0]
    if reading.source == "text" and _is_prose(reading.title or "", reading.text):
        return PROSE
    return None


def is_anchor(link: Link) -> bool:
    return link.href.startswith("#")


@functools.lru_cache(maxsize=1024)
def link_kind(link: Link) -> str | None:
    """CODE_ONLY, COURSE or BLOG for a link to code, a course or a blog post; None for any
    other link. A PDF, or a link naming a DOI or an arXiv id, is a paper wherever it is."""
    try:
        parts = urlsplit(link.href)
    except ValueError:
        return None
    path = parts.path.lower()
    if path.endswith(".pdf") or _names_a_paper(link.href):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    for start in range(len(labels) - 1):
        kind = _SITES.get(".".join(labels[start:]))
        if kind is not None:
            return kind
    if _COURSE_HOST.match(host):
        return COURSE
    if any(_BLOG_HOST_LABEL.match(label) for label in labels[:-1]):
        return BLOG
    if host.endswith(".github.io") and _GITHUB_PAGES_POST.match(path):
        return BLOG
    return next((_PATH_SEGMENTS[part] for part in path.split("/") if part in _PATH_SEGMENTS), None)


def _names_a_paper(url: str) -> bool:
    ids = identifiers_from_url(url)
    return bool(ids.doi or ids.arxiv)


def _own_evidence(reading: ItemReading) -> bool:
    """The item itself says it is a paper: a label, venue, year, authors or an id."""
    meta = reading.meta
    ids = reading.ids
    return bool(reading.label or meta.venue or meta.year or meta.authors or ids.doi or ids.arxiv)


def _is_prose(title: str, text: str) -> bool:
    """A note or a paragraph: "Summary: ...", sentences, or more words than a title."""
    words = len(title.split())
    if _NOTE_LEAD.match(text) or words > MAX_TITLE_WORDS:
        return True
    if words < 12:
        return False
    ends = _SENTENCE_END.finditer(title)
    return any(not m.group().lower().startswith(_ABBREVIATIONS) for m in ends)
