"""Choose the one record that is the paper the list names, or say that it cannot.

A wrong DOI is worse than none, so a record is chosen only on evidence a person would
accept: a near-identical title, or a reworded title confirmed by the label's venue and
year, or (for a bullet giving only a system name) the label singling out one paper whose
title starts with that name. Everything else ends `ambiguous` or `unmatched` with the
candidates kept as alternatives, for a person to settle with an override.

Every threshold below is pinned by a real case in tests/test_match.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from .models import Alternative, Candidate, Entry, Match, MatchStatus
from .overrides import Override
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
COMPANION = 85.0
"""A preprint this close to the chosen record, by the same first author, is its arXiv version
(PipeTransformer's arXiv title 89, Parallax's 87); 90 and above needs no author check."""
MARGIN = 5.0
"""Two different papers whose scores are this close are too close to call."""
NEAR = 60.0
"""Below it a record is noise, not worth showing a person as an alternative."""
NAME_ONLY_BASE = 85.0
"""The title score given to a record that a name-only bullet resolves to by venue and year."""

VenueEvidence = Literal["agree", "disagree", "foreign", "preprint", "published", "unknown"]
"""agree/disagree: both venues in the alias table. foreign: the label's venue is known but the
record's is not (a workshop, a tech report, a same-title item elsewhere). preprint: the record is
arXiv, the label is not. published: the label says arXiv, the record is published. unknown: no
label venue, or one the table does not know."""
_AGAINST = ("disagree", "foreign")
AuthorEvidence = Literal["agree", "disagree", "unknown"]
Reason = Literal["title", "reworded", "name", "override"]

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


@dataclass(frozen=True)
class Decision:
    """The outcome of matching one entry: the Match, the record chosen and its arXiv companion."""

    match: Match
    chosen: Candidate | None = None
    preprint: Candidate | None = None
    """The arXiv/CoRR version of the chosen published record, for its arXiv id and link."""
    override: Override | None = None


def no_decision(status: MatchStatus, note: str) -> Decision:
    """A decision for an entry the sources could not be asked about (error, not_cached)."""
    return Decision(Match(status=status, notes=(note,)))


def title_similarity(a: str, b: str) -> float:
    """rapidfuzz ratio of the two titles' normal forms (0-100)."""
    return float(fuzz.ratio(normalize_title(a), normalize_title(b)))


def choose_record(
    entry: Entry,
    candidates: tuple[Candidate, ...] | list[Candidate],
    override: Override | None = None,
) -> Decision:
    """Pick the entry's record among the candidates, or explain why none can be picked.

    An override always wins. Otherwise the published version wins over its preprint (whose
    arXiv id is kept as the companion) unless only the preprint exists; when the label points
    to one of several versions of a title (workshop, conference, journal), the label wins.
    """
    if override is not None:
        return _decide_by_override(entry, list(candidates), override)
    evidence = sorted(
        (_weigh(entry, c) for c in candidates if c.title.strip()),
        key=lambda e: (e.score, e.candidate.source == "dblp"),
        reverse=True,
    )
    confident = [e for e in evidence if e.reason is not None]
    if not confident:
        return _unmatched(entry, evidence)
    top = confident[0]
    versions = [e for e in confident if _same_work(e.candidate, top.candidate)]
    rivals = [
        e
        for e in confident
        if e not in versions and e.score >= top.score - MARGIN and not _is_version_pair(e, versions)
    ]
    if rivals:
        return _ambiguous(
            [top, *rivals],
            f"{1 + len(rivals)} different papers fit the list's title within {MARGIN:g} points",
        )
    return _choose_version(entry, versions, evidence)


def _is_version_pair(rival: Evidence, versions: list[Evidence]) -> bool:
    return any(_same_work(rival.candidate, v.candidate) for v in versions)


def _choose_version(entry: Entry, versions: list[Evidence], evidence: list[Evidence]) -> Decision:
    """Among records of one title: published over preprint, the label's venue and year first."""
    published = _distinct([e for e in versions if not e.candidate.is_preprint])
    if published:
        picked = _follow_label(published)
        if picked is None:
            return _ambiguous(
                published,
                "several published versions of this title (e.g. workshop, conference, journal) "
                "and the label does not single one out",
            )
    else:
        picked = _distinct(versions)[0]
    companion = None if picked.candidate.is_preprint else _companion(picked.candidate, evidence)
    return Decision(
        Match(
            status="matched",
            score=_reported(picked.score),
            decided_by=picked.candidate.source,
            notes=tuple(_notes(entry, picked)),
        ),
        chosen=picked.candidate,
        preprint=companion,
    )


def _distinct(versions: list[Evidence]) -> list[Evidence]:
    """One evidence per record: a DBLP record and S2's copy of it count once (DBLP kept)."""
    kept: list[Evidence] = []
    for e in sorted(versions, key=lambda e: (e.candidate.source != "dblp", -e.score)):
        if not any(_same_record(e.candidate, k.candidate) for k in kept):
            kept.append(e)
    return kept


def _follow_label(published: list[Evidence]) -> Evidence | None:
    """The one published version the label points to; None when it points to none or several."""
    if len(published) == 1:
        return published[0]
    for narrowed in (
        [e for e in published if e.venue == "agree"],
        [e for e in published if e.venue == "agree" and e.year_delta == 0],
        [e for e in published if e.year_delta == 0],
    ):
        if len(narrowed) == 1:
            return narrowed[0]
    return None


def _companion(chosen: Candidate, evidence: list[Evidence]) -> Candidate | None:
    """The preprint of the chosen record: same arXiv id, or the same title (and first author)."""
    best: tuple[float, Candidate] | None = None
    for e in evidence:
        pre = e.candidate
        if not pre.is_preprint:
            continue
        if chosen.ids.arxiv and pre.ids.arxiv == chosen.ids.arxiv:
            return pre
        if chosen.year and pre.year and not chosen.year - 3 <= pre.year <= chosen.year + 1:
            continue
        similarity = title_similarity(pre.title, chosen.title)
        same_first = _first_family(pre) is not None and _first_family(pre) == _first_family(chosen)
        if similarity >= HIGH or (similarity >= COMPANION and same_first):
            rank = similarity + (1 if pre.source == "dblp" else 0)
            if best is None or rank > best[0]:
                best = (rank, pre)
    return best[1] if best else None


def _weigh(entry: Entry, candidate: Candidate) -> Evidence:
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
    if (title >= EXACT and venue != "foreign") or (title >= HIGH and venue not in _AGAINST):
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
    name = _DBLP_HOMONYM.sub("", name.strip())
    family = name.split(",")[0] if "," in name else (name.split() or [""])[-1]
    folded = _NOT_LETTER.sub("", fold_to_ascii(family))
    return folded or None


def _first_family(candidate: Candidate) -> str | None:
    return _family(candidate.authors[0].name) if candidate.authors else None


def _author_evidence(listed: tuple[str, ...], authors: tuple) -> AuthorEvidence:
    """Agreement of the input's authors (a .bib) with the record's, by family name."""
    wanted = [f for f in (_family(n) for n in listed) if f]
    have = [f for f in (_family(a.name) for a in authors) if f]
    if not wanted or not have:
        return "unknown"
    shared = set(wanted) & set(have)
    if wanted[0] == have[0] or len(shared) >= max(1, len(wanted) // 2):
        return "agree"
    return "disagree" if not shared else "unknown"


def _same_record(a: Candidate, b: Candidate) -> bool:
    """One record seen twice (DBLP's and S2's copy): same DBLP key or DOI."""
    if a.ids.dblp and a.ids.dblp == b.ids.dblp:
        return True
    return bool(a.doi and b.doi and a.doi.lower() == b.doi.lower())


def _same_work(a: Candidate, b: Candidate) -> bool:
    """Versions of one title: the same record, the same arXiv id, or near-identical titles."""
    if _same_record(a, b) or (a.ids.arxiv and a.ids.arxiv == b.ids.arxiv):
        return True
    return title_similarity(a.title, b.title) >= HIGH


def _notes(entry: Entry, e: Evidence) -> list[str]:
    """Every way the chosen record disagrees with what the list says."""
    c = e.candidate
    notes: list[str] = []
    if e.reason == "name":
        notes.append(
            f"the list gives only the name '{entry.title}'; its label's venue and year single "
            f"out '{c.title}'"
        )
    elif e.title < EXACT:
        how = " (accepted because venue and year agree)" if e.reason == "reworded" else ""
        notes.append(f"the list's title differs from the record's: '{c.title}'{how}")
    if e.year_delta:
        notes.append(f"the list says {entry.year}, the record says {c.year}")
    if e.venue in _AGAINST:
        notes.append(f"the list says {entry.venue}, the record says {c.venue}")
    elif e.venue == "preprint":
        notes.append(f"only the arXiv preprint was found; the list says {entry.venue}")
    elif e.venue == "published":
        notes.append(f"the list says {entry.venue}; the paper was published at {c.venue} {c.year}")
    elif e.venue == "unknown" and entry.venue and c.venue:
        notes.append(f"venue not compared: the list says {entry.venue}, the record says {c.venue}")
    return notes


def _reported(score: float) -> float:
    return round(min(100.0, max(0.0, score)), 1)


def _alternative(e: Evidence) -> Alternative:
    c = e.candidate
    return Alternative(
        source=c.source,
        title=c.title,
        venue=c.venue,
        year=c.year,
        score=_reported(e.score),
        dblp_key=c.ids.dblp,
        doi=c.doi,
    )


def _ambiguous(tied: list[Evidence], why: str) -> Decision:
    alternatives = tuple(_alternative(e) for e in tied[:5])
    return Decision(
        Match(
            status="ambiguous",
            score=_reported(tied[0].score),
            notes=(why,),
            alternatives=alternatives,
        )
    )


def _unmatched(entry: Entry, evidence: list[Evidence]) -> Decision:
    near = [e for e in evidence if e.title >= NEAR or e.name_only][:3]
    if near:
        best = near[0].candidate
        note = (
            f"no record is close enough; the nearest is '{best.title}' "
            f"({best.venue or 'no venue'} {best.year or ''})".rstrip()
        )
    else:
        note = "no candidate record resembles the list's title"
    return Decision(
        Match(
            status="unmatched",
            score=_reported(near[0].score) if near else None,
            notes=(note,),
            alternatives=tuple(_alternative(e) for e in near),
        )
    )


def _decide_by_override(entry: Entry, candidates: list[Candidate], override: Override) -> Decision:
    """An override wins whatever the scores say; a pin the candidates lack keeps its ids only."""
    if override.action == "skip":
        return Decision(
            Match(
                status="skipped", decided_by="override", notes=(f"skipped by {override.origin}",)
            ),
            override=override,
        )
    pinned = next((c for c in candidates if override.pins(c)), None)
    notes = [f"pinned by {override.origin}"]
    if pinned is None:
        notes.append(
            "the pinned record was not among the candidates; only its identifiers are known"
        )
        return Decision(
            Match(status="matched", decided_by="override", notes=tuple(notes)), override=override
        )
    evidence = [_weigh(entry, c) for c in candidates]
    picked = next(e for e in evidence if e.candidate is pinned)
    notes.extend(_notes(entry, picked))
    companion = None if pinned.is_preprint else _companion(pinned, evidence)
    return Decision(
        Match(
            status="matched",
            score=_reported(picked.score),
            decided_by="override",
            notes=tuple(notes),
        ),
        chosen=pinned,
        preprint=companion,
        override=override,
    )
