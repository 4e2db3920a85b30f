"""The review in a few lines for the terminal: counts, and the first papers to settle."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from enrich.models import EnrichedRecord
from enrich.text import clean_text

from .sections import (
    AMBIGUOUS,
    NOT_MATCHED,
    NOTED,
    OVERRIDDEN,
    list_order,
    needs_review,
    papers,
    review_section,
    status_counts,
    where,
)

SHOWN = 10


def summarize(records: Sequence[EnrichedRecord], review_path: str | None = None) -> str:
    """A few lines for the terminal: counts per status and what to look at."""
    counts = status_counts(records)
    text = [papers(len(records)) + ": " + ", ".join(f"{n} {s}" for s, n in counts)]
    sections = Counter(review_section(r) for r in records)
    if sections[NOTED]:
        text.append(f"{sections[NOTED]} matched with notes (label disagreements, reworded titles)")
    if sections[OVERRIDDEN]:
        text.append(f"{sections[OVERRIDDEN]} decided by overrides")
    unsettled = sorted(
        (r for r in records if review_section(r) in (AMBIGUOUS, NOT_MATCHED)), key=list_order
    )
    for record in unsettled[:SHOWN]:
        text.append(
            f"  {record.match.status:<10} {where(record)}  {clean_text(record.entry.title)}"
        )
    if len(unsettled) > SHOWN:
        text.append(f"  ... and {len(unsettled) - SHOWN} more")
    if review_path and any(needs_review(r) for r in records):
        text.append(f"details: {review_path}")
    return "\n".join(text)
