"""How one candidate record compares with what the list says: title, venue, year, authors.

Each comparison is evidence; `weigh` turns it into a score (to rank candidates) and a reason
(the rule that makes the candidate choosable, or None). Deciding among candidates is
match.py's job. Every threshold is pinned by a real case in tests/test_evidence.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from .models import Author, Candidate, Entry
from .text import fold_to_ascii, normalize_title
from .venues import PREPRINT, canonical_venue

EXACT = 97.0
"""At or above: the same title up to noise; no note about the wording."""
HIGH = 90.0
"""At or above: the title alone identifies the paper, unless the year is off by more than one.
"MLPerf Inference Benchmark" vs "MLPerf Mobile Inference Benchmark" (a different paper) is 88;
the list's "Achieving μs-scale Preemption ..." vs the published "Microsecond-scale ..." is 94."""
REWORDED = 80.0
"""At or above, with the label's venue AND year agreeing: the list reworded the title (Orca 86,
Paella 87). Below it sit different papers of one system or group: PipeDream 2018 vs 2019 is 76,
"MLPerf Training" vs "MLPerf Inference Benchmark" 78."""
NAME_ONLY_BASE = 85.0
"""The title score given to a record that a name-only bullet resolves to by venue and year."""

VenueEvidence = Literal["agree", "disagree", "foreign", "preprint", "published", "unknown"]
"""agree/disagree: both venues in the alias table. foreign: the label's venue is known but the
record's is not (a workshop, a tech report, a same-title item elsewhere). preprint: the record is
arXiv, the label is not. published: the label says arXiv, the record is published. unknown: no
label venue, or one the table does not know."""
AGAINST: tuple[VenueEvidence, ...] = ("disagree", "foreign")
"""Venue evidence that speaks against a record."""
AuthorEvidence = Literal["agree", "disagree", "unknown"]
Reason = Literal["title", "reworded", "name"]

_HEAD_SEPARATOR = re.compile(r"\s*(?::|\s[-\u2013\u2014]\s)\s*")
_DBLP_HOMONYM = re.compile(r"\s+\d{4}$")
_NOT_LETTER = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class Evidence:
    """How one candidate compares with the entry, and whether that is enough to choose it."""

    candidate: Candidate
    title: float
    """rapidfuzz ratio of the normalised titles, 0-100."""
    name_only: bool
    """The entry is only the system name that heads this candidate's title."""
    venue: VenueEvidence
    year_delta: int | None
    """Record year minus label year."""
    authors: AuthorEvidence
    score: float
    """Title score adjusted by the label and authors; ranks candidates (reported clipped 0-100)."""
    reason: Reason | None
    """Why the candidate is good enough to choose, or None when it is not."""


def title_similarity(a: str, b: str) -> float:
    """rapidfuzz ratio of the two titles' normal forms (0-100)."""
    return float(fuzz.ratio(normalize_title(a), normalize_title(b)))


def weigh(entry: Entry, candidate: Candidate) -> Evidence:
    """Compare one candidate with the entry: title, name-only, venue, year and authors."""
    title = title_similarity(entry.title, candidate.title)
    name_only = _is_name_only(entry.title, candidate.title)
    venue = _venue_evidence(entry.venue, candidate)
    year_delta = candidate.year - entry.year if candidate.year and entry.year else None
    authors = _author_evidence(entry.authors, candidate.authors)
    heads_differ = _heads_differ(entry.title, candidate.title)
    reason = _reason(title, name_only, venue, year_delta, authors, heads_differ)
    base = max(title, NAME_ONLY_BASE) if reason == "name" else title
    score = base + _VENUE_POINTS[venue] + _year_points(year_delta) + _AUTHOR_POINTS[authors]
    return Evidence(candidate, title, name_only, venue, year_delta, authors, score, reason)


_VENUE_POINTS: dict[VenueEvidence, float] = {
    "agree": 5.0,
    "disagree": -10.0,
    "foreign": -10.0,
    "preprint": -3.0,
    "published": 0.0,
    "unknown": 0.0,
}
_AUTHOR_POINTS: dict[AuthorEvidence, float] = {"agree": 5.0, "disagree": -25.0, "unknown": 0.0}


def _year_points(delta: int | None) -> float:
    if delta is None:
        return 0.0
    return {0: 3.0, 1: -3.0}.get(abs(delta), -15.0)


def _reason(
    title: float,
    name_only: bool,
    venue: VenueEvidence,
    year_delta: int | None,
    authors: AuthorEvidence,
    heads_differ: bool,
) -> Reason | None:
    """The rule that makes a candidate choosable (see the thresholds above), or None."""
    if authors == "disagree" or not _year_fits(venue, year_delta):
        return None
    if (title >= EXACT and venue != "foreign") or (title >= HIGH and venue not in AGAINST):
        return "title"
    if title >= REWORDED and venue == "agree" and year_delta == 0 and not heads_differ:
        return "reworded"
    if name_only and venue == "agree" and year_delta == 0:
        return "name"
    return None


def _year_fits(venue: VenueEvidence, delta: int | None) -> bool:
    """Exact or off by one; a paper the list dates by its arXiv preprint may appear up to
    three years later at its venue."""
    if delta is None or abs(delta) <= 1:
        return True
    return venue == "published" and 0 <= delta <= 3


def _venue_evidence(label_venue: str | None, candidate: Candidate) -> VenueEvidence:
    wanted = canonical_venue(label_venue)
    have = PREPRINT if candidate.is_preprint else canonical_venue(candidate.venue)
    if not label_venue or (not (candidate.venue or "").strip() and not candidate.is_preprint):
        return "unknown"
    if wanted is not None and wanted == have:
        return "agree"
    if have == PREPRINT:
        return "preprint"
    if wanted == PREPRINT:
        return "published"
    if normalize_title(label_venue) == normalize_title(candidate.venue or ""):
        return "agree"
    if wanted is None:
        return "unknown"
    return "disagree" if have is not None else "foreign"


def _head(title: str) -> str | None:
    """The system name before a colon or spaced dash ("Nexus" in "Nexus: A GPU ..."), if any."""
    parts = _HEAD_SEPARATOR.split(title, maxsplit=1)
    if len(parts) < 2 or not parts[1].strip():
        return None
    head = normalize_title(parts[0])
    return head if head and len(head.split()) <= 4 else None


def _heads_differ(a: str, b: str) -> bool:
    head_a, head_b = _head(a), _head(b)
    return head_a is not None and head_b is not None and head_a != head_b


def _is_name_only(entry_title: str, candidate_title: str) -> bool:
    name = normalize_title(entry_title)
    return bool(name) and len(name.split()) <= 3 and name == _head(candidate_title)


def _family(name: str) -> str | None:
    """Family name of "Given Family", "Family, Given" or DBLP's "Given Family 0001"."""
    name = _DBLP_HOMONYM.sub("", name.strip())
    family = name.split(",")[0] if "," in name else (name.split() or [""])[-1]
    folded = _NOT_LETTER.sub("", fold_to_ascii(family))
    return folded or None


def first_family(candidate: Candidate) -> str | None:
    """The first author's family name, folded ("kwon"), to tell a paper's versions apart."""
    return _family(candidate.authors[0].name) if candidate.authors else None


def _author_evidence(listed: tuple[str, ...], authors: tuple[Author, ...]) -> AuthorEvidence:
    """Agreement of the input's authors (a .bib) with the record's, by family name."""
    wanted = [f for f in (_family(n) for n in listed) if f]
    have = [f for f in (_family(a.name) for a in authors) if f]
    if not wanted or not have:
        return "unknown"
    shared = set(wanted) & set(have)
    if wanted[0] == have[0] or len(shared) >= max(1, len(wanted) // 2):
        return "agree"
    return "disagree" if not shared else "unknown"
