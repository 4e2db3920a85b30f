"""Which papers a person must look at, and in what order: what they can act on first.

A matched paper with a note is settled in seconds (a reworded title, a label off by a
year), an ambiguous one needs a choice among a few records, an unmatched one a search;
overrides already used are there to be re-read, not acted on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from enrich.models import EnrichedRecord
from enrich.readinglist.model import ParseWarning

NOTED = "Matched with notes"
AMBIGUOUS = "Ambiguous"
NOT_MATCHED = "Not matched"
OVERRIDDEN = "Overrides used"
SECTIONS = (NOTED, AMBIGUOUS, NOT_MATCHED, OVERRIDDEN)
"""The review's sections, in the order a person works through them."""

STATUS_ORDER = ("error", "not_cached", "ambiguous", "unmatched", "matched", "skipped")
NOT_LOOKED_UP = "not looked up in this run (--only/--limit)"
"""lastgood's note on a paper an --only/--limit run did not ask about: nothing to settle."""


def repeats(warnings: Iterable[ParseWarning]) -> list[str]:
    """The parser's warnings on papers listed twice, as "file:line: same paper as ..."."""
    return [str(warning) for warning in warnings if warning.repeat]


def review_section(record: EnrichedRecord) -> str | None:
    """The review report's section for a record, or None when nobody needs to look at it."""
    match = record.match
    if match.decided_by == "override":
        return OVERRIDDEN
    if match.status == "ambiguous":
        return AMBIGUOUS
    if match.status not in ("matched", "skipped"):
        return NOT_MATCHED
    if match.status == "matched" and match.notes:
        return NOTED
    return None


def needs_review(record: EnrichedRecord) -> bool:
    """True when a person should look at the record: not matched, a note, or an override."""
    return review_section(record) is not None


def not_looked_up(record: EnrichedRecord) -> bool:
    """True for a paper the last run left out (--only/--limit): run it, don't settle it."""
    return record.match.status == "unmatched" and NOT_LOOKED_UP in record.match.notes


def to_act_on(records: Sequence[EnrichedRecord]) -> list[EnrichedRecord]:
    """The papers a person can settle, section by section, each in list order."""
    chosen = [r for r in records if review_section(r) in (NOTED, AMBIGUOUS, NOT_MATCHED)]
    return sorted(
        (r for r in chosen if not not_looked_up(r)),
        key=lambda r: (SECTIONS.index(review_section(r) or NOTED), list_order(r)),
    )


def in_section(records: Sequence[EnrichedRecord], section: str) -> list[EnrichedRecord]:
    """The records of one section, in list order."""
    return sorted((r for r in records if review_section(r) == section), key=list_order)


def status_counts(records: Sequence[EnrichedRecord]) -> list[tuple[str, int]]:
    """(status, count) for each status present, troubles first."""
    counts = Counter(r.match.status for r in records)
    return [(s, counts[s]) for s in STATUS_ORDER if counts[s]]


def papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"


def list_order(record: EnrichedRecord) -> tuple[int, ...]:
    return record.entry.lines or (0,)


def where(record: EnrichedRecord) -> str:
    """file:line of the paper's first mention in the list."""
    entry = record.entry
    return f"{entry.file}:{entry.lines[0]}" if entry.lines else entry.file
