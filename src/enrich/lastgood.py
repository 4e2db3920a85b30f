"""Last known good: a paper's record of this run replaces the previous one only where it
is at least as good; what this run could not refresh is carried over, marked stale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from enrich.match import no_decision
from enrich.merge import merge_record
from enrich.models import EnrichedRecord, Entry, Identifiers, Urls
from enrich.samerecord import paper_identities

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
    it had, keeps its previous record (marked stale); one refreshed only in part (a
    source failed for it) keeps the fields that source gave before. A paper not looked
    up keeps its previous record as it was. A paper gone from the list is gone from the
    outputs.
    """
    by_identity: dict[str, EnrichedRecord] = {}
    for record in previous:
        for identity in paper_identities(record):
            by_identity.setdefault(identity, record)
    fresh_by_entry = {record.entry.identity: record for record in fresh}
    combined = []
    for entry in entries:
        record = fresh_by_entry.get(entry.identity)
        if record is None:
            record = merge_record(entry, no_decision("unmatched", _NOT_SELECTED), None)
            looked_up = False
        else:
            looked_up = True
        combined.append(_better_of(record, _earlier(record, by_identity), looked_up))
    return combined


def _earlier(
    record: EnrichedRecord, by_identity: dict[str, EnrichedRecord]
) -> EnrichedRecord | None:
    """The previous run's record of this entry's paper; an entry with an input key only
    ever takes a record of that key, so two keyed records of one paper stay apart."""
    for identity in paper_identities(record):
        earlier = by_identity.get(identity)
        if earlier is not None and earlier.entry.key == record.entry.key:
            return earlier
    return None


def _better_of(
    record: EnrichedRecord, earlier: EnrichedRecord | None, looked_up: bool
) -> EnrichedRecord:
    if earlier is None:
        return record
    if not looked_up:
        return replace(earlier, entry=record.entry)
    if record.match.status == "skipped":
        return record
    if record.match.status == "matched":
        if _replaced_for_an_outage(record, earlier):
            return _kept(earlier, record, _failures(record) or "a less complete record")
        return _carried_over(record, earlier)
    if earlier.match.status != "matched" and record.match.status in FRESH:
        return record
    return _kept(earlier, record, "; ".join(record.match.notes) or record.match.status)


def _replaced_for_an_outage(record: EnrichedRecord, earlier: EnrichedRecord) -> bool:
    """DBLP decided the previous record, and could not be asked this time: another
    source's record (S2's title match) must not take the place of DBLP's."""
    return (
        "dblp" in record.failures
        and earlier.match.status == "matched"
        and earlier.match.decided_by in ("dblp", "override")
        and record.match.decided_by not in ("dblp", "override")
    )


_PRECEDENCE = ("override", "dblp", "s2", "list")
"""Whose value of a field merge prefers, first first."""
_PRECEDENCE_OF = {"urls.pdf": ("override", "s2", "dblp", "list")}
"""Exceptions: S2's open-access PDF comes before the link derived from an arXiv id."""


def _rank(name: str, source: str | None) -> int:
    """Higher is better; a field this run has not at all ranks lowest."""
    order = _PRECEDENCE_OF.get(name, _PRECEDENCE)
    return len(order) - order.index(source) if source in order else -1


_TOP_LEVEL = (
    "title", "authors", "year", "venue", "venue_full", "entry_type", "volume", "number",
    "pages", "publisher", "series", "editors", "doi", "citation_count", "abstract",
)  # fmt: skip
_NESTED = {"ids": Identifiers, "urls": Urls}


def _carried_over(record: EnrichedRecord, earlier: EnrichedRecord) -> EnrichedRecord:
    """This run's record, with each field a failed source gave the same paper before and
    this run has not as good: the previous value, marked stale."""
    if not record.failures or not _same_paper(record, earlier):
        return record
    names = [
        name
        for name, source in earlier.provenance.items()
        if source in record.failures
        and _rank(name, record.provenance.get(name)) < _rank(name, source)
    ]
    if not names:
        return record
    changes: dict[str, object] = {}
    nested: dict[str, dict[str, object]] = {}
    provenance = dict(record.provenance)
    for name in names:
        group, _, attribute = name.partition(".")
        if attribute and group in _NESTED:
            nested.setdefault(group, {})[attribute] = getattr(getattr(earlier, group), attribute)
        elif name in _TOP_LEVEL:
            changes[name] = getattr(earlier, name)
        else:
            continue
        provenance[name] = earlier.provenance[name]
    for group, values in nested.items():
        changes[group] = replace(getattr(record, group), **values)
    shown = ", ".join(sorted(n.replace("_", " ") for n in names))
    note = f"{_STALE_NOTE}{shown} ({_failures(record)})"
    match = replace(record.match, notes=(*record.match.notes, note))
    return replace(record, **changes, provenance=provenance, match=match, stale=True)


def _same_paper(record: EnrichedRecord, earlier: EnrichedRecord) -> bool:
    """The two records share an identifier: fields of one may complete the other."""
    pairs = (
        (record.ids.dblp, earlier.ids.dblp),
        ((record.doi or "").lower() or None, (earlier.doi or "").lower() or None),
        (record.ids.s2, earlier.ids.s2),
        (record.ids.arxiv, earlier.ids.arxiv),
    )
    return any(now is not None and now == then for now, then in pairs)


def _failures(record: EnrichedRecord) -> str:
    return "; ".join(record.failures.values())


def _kept(earlier: EnrichedRecord, record: EnrichedRecord, why: str) -> EnrichedRecord:
    """The previous record, marked stale, with this run's reason in its notes."""
    notes = tuple(n for n in earlier.match.notes if not n.startswith(_STALE_NOTE))
    match = replace(earlier.match, notes=(*notes, f"{_STALE_NOTE}this run: {why}"))
    return replace(earlier, entry=record.entry, match=match, stale=True, failures=record.failures)
