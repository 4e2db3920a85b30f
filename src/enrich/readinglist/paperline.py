"""One line of a list that names a paper -> an Entry, or a warning saying why not."""

from __future__ import annotations

import re

from enrich.models import Entry
from enrich.readinglist.inline import strip_markdown, tidy_title
from enrich.readinglist.labels import split_label
from enrich.readinglist.model import ParseWarning
from enrich.urls import safe_url

MAX_TITLE_CHARS = 500
"""Longer than any real title: such a line is a paragraph, not a paper."""

_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def read_paper_line(
    text: str,
    file: str,
    line: int,
    section: str | None = None,
    this_year: int | None = None,
) -> Entry | ParseWarning:
    """Read "[SOSP '23] Title" (with any markdown around it) into an Entry.

    Never raises: a line that holds no usable title comes back as a ParseWarning
    naming the line, so the caller can report it instead of dropping it.
    """
    plain, url = strip_markdown(_CHECKBOX.sub("", text.strip()))
    label, rest = split_label(_CHECKBOX.sub("", plain), this_year)
    title = tidy_title(rest)
    if not title:
        reason = "a label but no title" if label else "only a link, no title" if url else "no title"
        return not_a_paper(file, line, reason, text)
    problem = title_problem(title)
    if problem:
        return not_a_paper(file, line, problem, text)
    return Entry(
        title=title,
        file=file,
        lines=(line,),
        sections=(section,) if section else (),
        label=label.text if label else None,
        venue=label.venue if label else None,
        year=label.year if label else None,
        url=safe_url(url),
    )


def title_problem(title: str) -> str | None:
    """Why a title read from a line cannot be a paper's, or None when it can."""
    if len(title) > MAX_TITLE_CHARS:
        return f"over {MAX_TITLE_CHARS} characters"
    if not _HAS_LETTER.search(title):
        return "no words in the title"
    return None


def not_a_paper(file: str, line: int, reason: str, text: str) -> ParseWarning:
    """The warning for a line that looks like a paper but cannot be read as one."""
    return ParseWarning(file, line, f"not read as a paper ({reason}): {shorten(text)!r}")


def shorten(text: str) -> str:
    """An item as messages show it: one line, at most 60 characters."""
    shown = " ".join(text.split())
    return shown if len(shown) <= 60 else shown[:57] + "..."
