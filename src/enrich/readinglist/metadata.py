"""What people write around a title: venue and year, authors, link words, cross-references.

"Distilling the knowledge in a neural network (2015), G. Hinton et al" is a title, a year
and an author; "Graph Attention Networks. ICLR 2018" a title, a venue and a year. `peel`
reads such a tail off the end of a text, piece by piece, and leaves the title;
`read_metadata_line` tells a whole line of metadata ("Chen, Tianqi, et al. (OSDI 2018)")
apart, so a nested one is taken as a note on the paper above it. Venue and year are read
by labels.py, the one place for them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from enrich.readinglist.inline import LINK_WORDS
from enrich.readinglist.labels import current_year, read_label, split_trailing_label
from enrich.venues import canonical_venue


@dataclass(frozen=True, slots=True)
class Metadata:
    """Venue, year and authors an item gives besides its title."""

    label: str | None = None
    """The venue and year as written, e.g. "(OSDI 2018)", "ICLR 2018"."""
    venue: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.label or self.venue or self.year or self.authors)

    def then(self, right: Metadata) -> Metadata:
        """This, followed by what is written after it: the first venue, year and label
        written win (a leading label over a trailing one); authors in reading order."""
        return Metadata(
            self.label or right.label,
            self.venue or right.venue,
            self.year or right.year,
            self.authors + right.authors,
        )


EDGE = " \t.,;:|-–—*_~"
"""Punctuation that separates a title from what follows it, never part of either end."""

_BADGE = re.compile(rf"[\[(]\s*(?:(?:{LINK_WORDS})[\s/&,+|]*)*[\])]$", re.IGNORECASE)
_CROSS_REFERENCE = re.compile(
    r"[\[(]\s*(?:also|see|cf\.?|same as|dup(?:licate)?(?: of)?|previously|repeated)\b"
    r"[^\[\]()]*[\])]$",
    re.IGNORECASE,
)
_REMARK = re.compile(
    r"[\[(]\s*(?:oral|spotlight|poster|highlight|best (?:student )?paper|outstanding paper"
    r"|distinguished paper|award|workshop|short paper|long paper)\b[^\[\]()]*[\])]$",
    re.IGNORECASE,
)
_CLOSED = ("]", ")", "]\n", ")\n")
"""How a text ends that a badge, a cross-reference or a remark ends (`$` allows a newline)."""
_TAIL_SEPARATOR = re.compile(r"[.,;]\s+|\s+[-–—|]\s+|\s+by\s+", re.IGNORECASE)
_IN = re.compile(r"^(?:in|published (?:in|at)|appeared (?:in|at)|at)\s+", re.IGNORECASE)
_ET_AL = re.compile(r"[,\s]*\b(?:et\.?\s*al\b\.?|and others)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and|&)\s+|\s+(?:and|&)\s+|;|,)\s*", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’\-]*\.?$")
_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "le", "la"}
    | {"dos", "das", "ter", "bin", "al", "el"}
)
_ACRONYM = re.compile(r"^(?:[A-Z][^A-Z\s]*){2,}|^(?:arXiv|CoRR)\b")
_ARXIV_IN_TEXT = re.compile(r"\barXiv:\s*\S+", re.IGNORECASE)
_FIELD_NAME = re.compile(
    r"^(?:authors?|by|venue|conference|published(?: in| at)?|year)\s*[:：]?\s+", re.IGNORECASE
)
_LOWER_WORD = re.compile(r"(?<!\S)[a-z]{2}\S*")
"""A word that starts in lower case, as words of titles and sentences do."""
_METADATA_WORDS = _PARTICLES | {"et", "al", "al.", "and", "others", "in", "at", "by", "arxiv"}
_METADATA_WORDS |= {"arXiv", "preprint", "arxiv:", "arXiv:"}
_YEAR_WRITTEN = re.compile(r"(?:(?<!\d)(?:19|20)\d{2}|['’]\s*\d{2})$")
"""A year at the end, as venues are cited: "ICLR 2018", "OSDI '22"."""


def peel(text: str, this_year: int | None = None) -> tuple[str, Metadata]:
    """Split trailing metadata off a text: (what is left, what was read)."""
    this_year = current_year(this_year)
    found = Metadata()
    rest = text.strip(EDGE)
    while rest:
        shorter, read = _peel_once(rest, this_year)
        if shorter == rest:
            break
        rest, found = shorter.strip(EDGE), read.then(found)
    return rest, found


@functools.lru_cache(maxsize=4096)
def _peel_once(text: str, this_year: int) -> tuple[str, Metadata]:
    """One piece of metadata off the end, or the text unchanged.

    Cached: an item's text is peeled for its title, then the same text again when it is
    tried as a line of metadata; and tails ("ICLR 2018", "G. Hinton et al") repeat."""
    closed = text.endswith(_CLOSED)  # else none of the three can match: no search
    for pattern in (_BADGE, _CROSS_REFERENCE, _REMARK) if closed else ():
        match = pattern.search(text)
        if match:
            return text[: match.start()], Metadata()
    label, rest = split_trailing_label(text, this_year)
    if label is not None:
        return rest, Metadata(label.text, label.venue, label.year)
    tails = [(match.start(), text[match.end() :]) for match in _TAIL_SEPARATOR.finditer(text)]
    for start, tail in reversed(tails):  # the shortest venue first: "Part 2. ICLR 2018"
        venue_year = read_venue_year(tail, this_year)
        if venue_year is not None:
            return text[:start], venue_year
    for start, tail in tails:  # the longest author list first: ", Chen, Tianqi, et al."
        authors = read_authors(tail)
        if authors:
            return text[:start], Metadata(authors=authors)
    return text, Metadata()


def read_metadata_line(text: str, this_year: int | None = None) -> Metadata | None:
    """A whole text that is only authors, venue or year ("G. Hinton et al", "OSDI 2020"),
    with link words and labels around it; None when anything else is left."""
    this_year = current_year(this_year)
    rest = text.strip(EDGE)
    named = _FIELD_NAME.match(rest)
    rest = rest[named.end() :] if named else rest
    if any(word.group() not in _METADATA_WORDS for word in _LOWER_WORD.finditer(rest)):
        return None  # a lower-case word of a title or a sentence, not of names or venues
    found = Metadata()
    while rest:
        label, left = split_trailing_label(rest, this_year)
        if label is not None and not left:
            return Metadata(label.text, label.venue, label.year).then(found)
        whole = read_venue_year(rest, this_year) or Metadata(
            authors=read_authors(rest, strict=named is None)
        )
        if not whole.empty:
            return whole.then(found)
        shorter, read = _peel_once(rest, this_year)
        if shorter == rest:
            return None
        rest, found = shorter.strip(EDGE), read.then(found)
    return None if found.empty else found


def read_venue_year(text: str, this_year: int | None = None) -> Metadata | None:
    """ "ICLR 2018", "In NeurIPS 2017", "OSDI '22", "2015": a year, and a venue that
    looks like one; None for anything else."""
    return _venue_year(text, current_year(this_year))


@functools.lru_cache(maxsize=4096)
def _venue_year(text: str, this_year: int) -> Metadata | None:
    """Cached: every tail of an item is tried as a venue and year, and tails repeat."""
    written = text.strip(EDGE)
    plain = _IN.sub("", written)
    venue, year = read_label(plain, this_year)
    if year is None or not _YEAR_WRITTEN.search(plain.rstrip("'’")):
        return None
    if venue is not None and not looks_like_venue(venue):
        return None
    return Metadata(written, venue, year)


def looks_like_venue(name: str) -> bool:
    """A short name led by an acronym ("USENIX ATC", "NeurIPS"), or one venues.py knows."""
    if canonical_venue(name) is not None:
        return True
    words = name.split()
    return 0 < len(words) <= 4 and is_acronym(words[0])


def is_acronym(word: str) -> bool:
    """ "OSDI", "NeurIPS", "EuroSys", "arXiv": how venues are named, unlike most words."""
    return len(word) <= 12 and bool(_ACRONYM.match(word))


def clean_venue(text: str) -> str | None:
    """A citation's venue as a person reads it, without an arXiv id or a leading "In"."""
    venue = " ".join(_IN.sub("", _ARXIV_IN_TEXT.sub(" ", text.strip())).split())
    return venue.strip(EDGE) or None


@functools.lru_cache(maxsize=4096)
def read_authors(text: str, strict: bool = True) -> tuple[str, ...]:
    """The names of an author list, or () when the text is not one.

    `strict` (a tail after a title) asks for a sign that these are names: "et al", or an
    initial in every name ("G. Hinton, O. Vinyals"); without it (a citation's lead, an
    "Authors:" field) names only need to look like names. "Family, Given" stays one name.
    Cached, as every tail of an item is tried as authors and author lists repeat.
    """
    body = text.strip(EDGE)
    et_al = _ET_AL.search(body)
    if et_al:
        body = body[: et_al.start()].strip(EDGE)
    parts = [part.strip(" .") for part in _NAME_SPLIT.split(body)]
    parts = [part for part in parts if part]
    if not parts or not all(_is_name(part) for part in parts):
        return ()
    names = _pair_family_given(parts)
    if strict and not et_al and not all(_has_initial(name) for name in names):
        return ()
    if not et_al and len(names) == 1 and " " not in names[0] and "," not in names[0]:
        return ()
    return tuple(names)


def _is_name(part: str) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 5 or not words[0][0].isupper():
        return False
    return all(
        word.lower() in _PARTICLES or (word[0].isupper() and _NAME_WORD.match(word))
        for word in words
    )


def _is_initial(word: str, bare: bool = False) -> bool:
    """ "G.", "J.-P." (or, `bare`, "G" as APA lists lose the period): a given name's initials."""
    letters = word.replace(".", "").replace("-", "")
    if not (0 < len(letters) <= 2 and letters.isalpha() and letters.isupper()):
        return False
    return bare or "." in word


def _are_initials(given: str) -> bool:
    """ "G", "A. N", "J.-P.": a given name of initials only, as APA writes it."""
    words = given.split()
    return bool(words) and all(_is_initial(word, bare=True) for word in words)


def _has_initial(name: str) -> bool:
    given = name.split(",", 1)[1] if "," in name else name
    return any(_is_initial(word) for word in given.split())


def _pair_family_given(parts: list[str]) -> list[str]:
    """ "Hinton, G., Vinyals, O." -> two names; "Chen, Tianqi" -> one; else as written."""
    single = [len(part.split()) == 1 for part in parts]
    pairs = range(0, len(parts) - 1, 2)
    if len(parts) % 2 == 0 and all(single[i] and _are_initials(parts[i + 1]) for i in pairs):
        return [f"{parts[i]}, {parts[i + 1]}." for i in pairs]
    if len(parts) >= 2 and single[0] and single[1] and (len(parts) == 2 or not single[2]):
        return [f"{parts[0]}, {parts[1]}", *parts[2:]]
    return parts
