"""Last known good: a paper's record of this run replaces the previous one only where it
is at least as good; what this run could not refresh is carried over, marked stale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from enrich.emit.keys import paper_identities
from enrich.match import no_decision
from enrich.merge import merge_record
from enrich.models import EnrichedRecord, Entry
from enrich.text import normalize_title

FRESH = frozenset({"matched", "ambiguous", "unmatched", "skipped"})
"""Statuses that mean the services answered this run (even if the answer was "no")."""
_STALE_NOTE = "kept from the previous run: "
_NOT_SELECTED = "not looked up in this run (--only/--limit)"


def combine(
    entries: Sequence[Entry],
    fresh: Sequence[EnrichedRecord],
    previous: Sequence[EnrichedRecord],
) -> list[EnrichedRecord]:
    """One record per entry, in list order: this run's, or the last known good one.

    A paper this run did not refresh, or refreshed into something worse than a match
    it had, keeps its previous record (marked stale). A paper not looked up keeps its
    previous record as it was. A paper gone from the list is gone from the outputs.
    """
    by_identity: dict[str, EnrichedRecord] = {}
    for record in previous:
        for identity in paper_identities(record):
            by_identity.setdefault(identity, record)
    fresh_by_title = {normalize_title(record.entry.title): record for record in fresh}
    combined = []
    for entry in entries:
        record = fresh_by_title.get(normalize_title(entry.title))
        if record is None:
            record = merge_record(entry, no_decision("unmatched", _NOT_SELECTED), None)
            looked_up = False
        else:
            looked_up = True
        earlier = next((by_identity[i] for i in paper_identities(record) if i in by_identity), None)
        combined.append(_better_of(record, earlier, looked_up))
    return combined


def _better_of(
    record: EnrichedRecord, earlier: EnrichedRecord | None, looked_up: bool
) -> EnrichedRecord:
    if earlier is None:
        return record
    if _less_complete(record, earlier):
        return _kept(earlier, record, "; ".join(record.match.notes) or "a less complete record")
    if record.match.status in ("matched", "skipped"):
        return record
    if not looked_up:
        return replace(earlier, entry=record.entry)
    if earlier.match.status != "matched" and record.match.status in FRESH:
        return record
    return _kept(earlier, record, "; ".join(record.match.notes) or record.match.status)


def _less_complete(record: EnrichedRecord, earlier: EnrichedRecord) -> bool:
    """Both runs matched the same DBLP record, but only the previous one had what DBLP's
    export adds (this run's export failed): the previous record is the better one."""
    return (
        record.match.status == earlier.match.status == "matched"
        and earlier.ids.dblp == record.ids.dblp
        and earlier.provenance.get("venue_full") == "dblp"
        and record.provenance.get("venue_full") != "dblp"
    )


def _kept(earlier: EnrichedRecord, record: EnrichedRecord, why: str) -> EnrichedRecord:
    """The previous record, marked stale, with this run's reason in its notes."""
    notes = tuple(n for n in earlier.match.notes if not n.startswith(_STALE_NOTE))
    match = replace(earlier.match, notes=(*notes, f"{_STALE_NOTE}this run: {why}"))
    return replace(earlier, entry=record.entry, match=match, stale=True)
