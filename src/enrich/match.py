"""Choose the one record that is the paper the list names, or say that it cannot.

A wrong DOI is worse than none, so a record is chosen only on evidence a person would
accept: a near-identical title, or a reworded title confirmed by the label's venue and
year, or (for a bullet giving only a system name) the label singling out one paper whose
title starts with that name. Everything else ends `ambiguous` or `unmatched` with the
candidates kept as alternatives, for a person to settle with an override.

How each candidate compares with the entry lives in evidence.py; every threshold is pinned
by a real case in tests/test_evidence.py or tests/test_match.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .evidence import (
    AGAINST,
    EXACT,
    HIGH,
    Evidence,
    first_family,
    title_similarity,
    weigh,
)
from .models import Alternative, Candidate, Entry, Match, MatchStatus
from .overrides import Override

COMPANION = 85.0
"""A preprint this close to the chosen record, by the same first author, is its arXiv version
(PipeTransformer's arXiv title 89, Parallax's 87); 90 and above needs no author check."""
MARGIN = 5.0
"""Two different papers whose scores are this close are too close to call."""
TITLE_DIFFERS = "the list's title differs from the record's: "
"""How the note on a reworded title starts; the review shows the two titles marked up."""
LABEL_DIFFERS = "the list says "
"""How a note on the list's year or venue against the record's starts."""
PIN_NOT_FOUND = "the pinned record was not among the candidates; only its identifiers are known"
"""The note of a pin no search returned; merge drops it when DBLP's export completes the record."""
NEAR = 60.0
"""Below it a record is noise, not worth showing a person as an alternative."""


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
        (weigh(entry, c) for c in candidates if c.title.strip()),
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
        same_first = first_family(pre) is not None and first_family(pre) == first_family(chosen)
        if similarity >= HIGH or (similarity >= COMPANION and same_first):
            rank = similarity + (1 if pre.source == "dblp" else 0)
            if best is None or rank > best[0]:
                best = (rank, pre)
    return best[1] if best else None


def _same_record(a: Candidate, b: Candidate) -> bool:
    """One record seen twice (DBLP's and S2's copy): same DBLP key or DOI."""
    if a.ids.dblp and a.ids.dblp == b.ids.dblp:
        return True
    return bool(a.doi and b.doi and a.doi.lower() == b.doi.lower())


def _same_work(a: Candidate, b: Candidate) -> bool:
    """Versions of one paper: the same record, the same arXiv id, near-identical titles, or a
    preprint and a published record that are companions (see COMPANION)."""
    if _same_record(a, b) or (a.ids.arxiv and a.ids.arxiv == b.ids.arxiv):
        return True
    similarity = title_similarity(a.title, b.title)
    if a.is_preprint != b.is_preprint and similarity >= COMPANION:
        return first_family(a) is not None and first_family(a) == first_family(b)
    return similarity >= HIGH


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
        notes.append(f"{TITLE_DIFFERS}'{c.title}'{how}")
    if e.year_delta:
        notes.append(f"{LABEL_DIFFERS}{entry.year}, the record says {c.year}")
    if e.venue in AGAINST:
        notes.append(f"{LABEL_DIFFERS}{entry.venue}, the record says {c.venue}")
    elif e.venue == "preprint":
        notes.append(f"only the arXiv preprint was found; the list says {entry.venue}")
    elif e.venue == "published":
        notes.append(f"the list says {entry.venue}; the paper was published at {c.venue} {c.year}")
    elif e.venue == "unknown" and entry.venue and c.venue:
        notes.append(f"venue not compared: the list says {entry.venue}, the record says {c.venue}")
    return notes


def _reported(score: float) -> float:
    return round(min(100.0, max(0.0, score)), 1)


def alternative(e: Evidence) -> Alternative:
    """A candidate summarised for a person choosing among them."""
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
    alternatives = tuple(alternative(e) for e in tied[:5])
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
            alternatives=tuple(alternative(e) for e in near),
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
        notes.append(PIN_NOT_FOUND)
        return Decision(
            Match(status="matched", decided_by="override", notes=tuple(notes)), override=override
        )
    evidence = [weigh(entry, c) for c in candidates]
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
