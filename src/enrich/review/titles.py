"""The list's title against the record's, word by word, so a person sees what differs.

"the list's title differs" is only useful with the words that differ marked: the list's
words the record lacks are struck through, the record's words the list lacks are bold.
Words compare as `normalize_title` compares titles (case, accents, punctuation), so a
capital letter or a trailing period is not a difference.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from enrich.match import TITLE_DIFFERS
from enrich.text import clean_text, normalize_title

from .escape import escape_md

_TITLE_NOTE = re.compile(rf"^{re.escape(TITLE_DIFFERS)}'.*'(?P<how>[^']*)$")


def marked_titles(listed: str, recorded: str) -> tuple[str, str]:
    """Markdown of both titles: the list's with ~~its own words~~, the record's with
    **its own words**; every word escaped."""
    ours, theirs = _segments(listed, recorded)
    return _join(ours, "~~", "~~", escape_md), _join(theirs, "**", "**", escape_md)


def marked_plain(listed: str, recorded: str) -> tuple[str, str]:
    """Both titles for the terminal, marked as wdiff does: [-the list's own-] and
    {+the record's own+} words."""
    ours, theirs = _segments(listed, recorded)
    return _join(ours, "[-", "-]", clean_text), _join(theirs, "{+", "+}", clean_text)


Segment = tuple[list[str], bool]
"""Words in a row, and whether only this title has them."""


def _segments(listed: str, recorded: str) -> tuple[list[Segment], list[Segment]]:
    ours, theirs = clean_text(listed).split(), clean_text(recorded).split()
    matcher = difflib.SequenceMatcher(
        a=[_comparable(w) for w in ours], b=[_comparable(w) for w in theirs], autojunk=False
    )
    left: list[Segment] = []
    right: list[Segment] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if a1 > a0:
            left.append((ours[a0:a1], op != "equal"))
        if b1 > b0:
            right.append((theirs[b0:b1], op != "equal"))
    return left, right


def _join(segments: list[Segment], start: str, end: str, show: Callable[[str], str]) -> str:
    parts = []
    for words, own in segments:
        text = " ".join(show(word) for word in words)
        parts.append(f"{start}{text}{end}" if own else text)
    return " ".join(parts)


def differs(listed: str, recorded: str) -> bool:
    """True when the titles are not the same words (as matching compares them)."""
    return normalize_title(listed) != normalize_title(recorded)


def title_note(note: str) -> str | None:
    """match.py's "the list's title differs from the record's: 'X' (why)" without the quoted
    title, which the report shows marked beside the list's; None for any other note."""
    found = _TITLE_NOTE.match(note)
    if found is None:
        return None
    return "the list's title differs from the record's" + found["how"]


def _comparable(word: str) -> str:
    return normalize_title(word) or word
