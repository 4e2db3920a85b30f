"""The review: everything a person should look at in a list's results, and how to settle it.

`<name>.review.md` (report.py, written by the pipeline with the other outputs) and
`enrich review` (interactive.py, a terminal front end writing the same overrides file) show
the same papers: matched with notes, ambiguous, not matched, then merges and overrides used.
"""

from __future__ import annotations

from .report import render_review
from .sections import (
    AMBIGUOUS,
    NOT_MATCHED,
    NOTED,
    OVERRIDDEN,
    SECTIONS,
    needs_review,
    repeats,
    review_section,
)
from .summary import summarize

REVIEW_SUFFIX = ".review.md"
"""mlsys-reading-list.md's review is mlsys-reading-list.review.md, beside its other outputs."""

__all__ = [
    "AMBIGUOUS",
    "NOTED",
    "NOT_MATCHED",
    "OVERRIDDEN",
    "REVIEW_SUFFIX",
    "SECTIONS",
    "needs_review",
    "render_review",
    "repeats",
    "review_section",
    "summarize",
]
