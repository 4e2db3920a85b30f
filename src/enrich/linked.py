"""Papers the list links to: its own DOI or arXiv id names the paper before its title does.

Most lists link each paper (arxiv.org/abs/..., doi.org/...). Such an identifier is the
strongest evidence there is, so the record S2 holds under it decides which paper is meant;
DBLP's record of that paper is preferred when one agrees with the identifier. A record
found by title alone must not contradict the identifier: if it does, a person decides.
"""

from __future__ import annotations

from dataclasses import replace

from .evidence import EXACT, title_similarity, weigh
from .match import Decision, alternative, choose_record
from .models import Candidate, Entry, Match


def linked_id(entry: Entry) -> str | None:
    """The identifier the item links to, as the notes name it."""
    if entry.doi:
        return f"DOI {entry.doi}"
    if entry.arxiv:
        return f"arXiv {entry.arxiv}"
    return None


def carries(entry: Entry, decision: Decision, linked: Candidate | None = None) -> bool | None:
    """Does the decided record agree with the entry's identifier? None when it cannot tell
    (the record carries no identifier of that kind)."""
    chosen = decision.chosen
    if chosen is None:
        return None
    if linked is not None and chosen is linked:
        return True
    versions = [c for c in (chosen, decision.preprint) if c is not None]
    if (
        linked is not None
        and linked.ids.dblp
        and any(linked.ids.dblp == c.ids.dblp for c in versions)
    ):
        return True
    if entry.doi:
        dois = [c.doi.lower() for c in versions if c.doi]
        if dois:
            return entry.doi.lower() in dois
    if entry.arxiv:
        arxivs = [c.ids.arxiv for c in versions if c.ids.arxiv]
        if arxivs:
            return entry.arxiv in arxivs
    return None


def choose_linked(entry: Entry, linked: Candidate, candidates: list[Candidate]) -> Decision:
    """The paper the entry's identifier names: among the candidates, the record that agrees
    with the identifier (DBLP's when it has one), else S2's record of it."""
    named = replace(entry, title=linked.title)
    decision = choose_record(named, [*candidates, linked])
    if decision.match.status != "matched" or not carries(entry, decision, linked):
        decision = Decision(
            Match(status="matched", score=100.0, decided_by=linked.source), chosen=linked
        )
    notes = list(decision.match.notes)
    if title_similarity(entry.title, linked.title) < EXACT:
        notes.append(
            f"the list's link ({linked_id(entry)}) is '{linked.title}', which the list's "
            "title does not quite say; the link wins"
        )
    return replace(decision, match=replace(decision.match, notes=tuple(notes)))


def check_links(entry: Entry, decision: Decision) -> Decision:
    """A record found by title that contradicts the list's own link is not chosen: the
    list names two different papers, and only a person can say which is meant."""
    if decision.match.status != "matched" or carries(entry, decision) is not False:
        return decision
    chosen = decision.chosen
    assert chosen is not None
    found = f"DOI {chosen.doi}" if chosen.doi else f"arXiv {chosen.ids.arxiv}"
    note = f"the list links {linked_id(entry)}, but the record its title finds has {found}"
    match = Match(
        status="ambiguous",
        score=decision.match.score,
        notes=(*decision.match.notes, note),
        alternatives=(alternative(weigh(entry, chosen)),),
    )
    return Decision(match)
