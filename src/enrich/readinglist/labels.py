"""Reading a paper's label: "[SOSP '23]" -> venue "SOSP", year 2023.

Hand-kept lists write labels every which way: stray or curly quotes, a quote before
the space, two- or four-digit years, square brackets or parentheses, at the start of
the line or at its end. These functions accept all of them and never raise.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

_QUOTES = "'’‘`´′"

# A label at the start: [ ... ] or ( ... ), but not a markdown link "[text](url)".
_LEADING_LABEL = re.compile(r"^(?P<label>\[(?P<sq>[^\[\]]{1,60})\](?!\()|\((?P<par>[^()]{1,60})\))")
# A label at the end, only when it holds a year: "Title (OSDI 2020)", "Title [SOSP '19]".
_TRAILING_LABEL = re.compile(r"(?P<label>\[(?P<sq>[^\[\]]{1,60})\]|\((?P<par>[^()]{1,60})\))\s*$")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_QUOTED_TWO_DIGIT_YEAR = re.compile(
    rf"[{_QUOTES}]\s*(\d{{2}})(?!\d)|(?<![\d\w])(\d{{2}})\s*[{_QUOTES}]?\s*$"
)
_SEPARATORS = " \t-–—:|,;"
_CLOSING = ("]", ")")


@dataclass(frozen=True, slots=True)
class Label:
    """A label as written and what it says."""

    text: str
    venue: str | None
    year: int | None


def expand_year(two_digits: int, this_year: int | None = None) -> int:
    """Map a two-digit year to a full one: '23 -> 2023, '98 -> 1998.

    A year more than two years ahead of today cannot be a paper's year yet, so it
    belongs to the previous century.
    """
    candidate = 2000 + two_digits
    return candidate if candidate <= current_year(this_year) + 2 else 1900 + two_digits


def current_year(this_year: int | None = None) -> int:
    """The year two-digit years are read against: the one given, else today's."""
    return this_year or dt.date.today().year


def read_label(inner: str, this_year: int | None = None) -> tuple[str | None, int | None]:
    """The venue and year inside a label's brackets ("OSDI' 20" -> ("OSDI", 2020))."""
    return _read_label(inner.strip(), current_year(this_year))


@functools.lru_cache(maxsize=4096)
def _read_label(text: str, this_year: int) -> tuple[str | None, int | None]:
    """Cached: a list writes the same few venues and years again and again."""
    year: int | None = None
    match = _FOUR_DIGIT_YEAR.search(text)
    if match:
        year = int(match.group())
    else:
        match = _QUOTED_TWO_DIGIT_YEAR.search(text)
        if match:
            year = expand_year(int(match.group(1) or match.group(2)), this_year)
    if match:
        text = text[: match.start()] + " " + text[match.end() :]
    venue = " ".join(text.strip(_QUOTES + _SEPARATORS).split()).strip(_QUOTES + _SEPARATORS)
    return (venue or None), year


def split_label(text: str, this_year: int | None = None) -> tuple[Label | None, str]:
    """Split a bullet's text into its label and the rest (the title part).

    A leading square bracket is a label; parentheses, and anything trailing, only when
    they hold a year, since titles use them too ("(De)composing", "(Extended Abstract)").
    """
    stripped = text.strip()
    found = _LEADING_LABEL.match(stripped)
    if found and (found.group("sq") is not None or _holds_year(found.group("par"), this_year)):
        venue, year = read_label(found.group("sq") or found.group("par") or "", this_year)
        rest = stripped[found.end() :].strip(_SEPARATORS)
        return Label(found.group("label"), venue, year), rest
    return split_trailing_label(stripped, this_year)


def split_trailing_label(text: str, this_year: int | None = None) -> tuple[Label | None, str]:
    """A label at the end of the text, only when it holds a year: "Title (OSDI 2020)"."""
    stripped = text.strip()
    if not stripped.endswith(_CLOSING):  # no label: spares a search from every position
        return None, stripped
    found = _TRAILING_LABEL.search(stripped)
    if not found or not _holds_year(found.group("sq") or found.group("par"), this_year):
        return None, stripped
    venue, year = read_label(found.group("sq") or found.group("par") or "", this_year)
    return Label(found.group("label"), venue, year), stripped[: found.start()].strip(_SEPARATORS)


def _holds_year(inner: str | None, this_year: int | None) -> bool:
    """Parentheses are a label only when they hold a year: "(De)composing" is a title."""
    return bool(inner) and read_label(inner or "", this_year)[1] is not None
