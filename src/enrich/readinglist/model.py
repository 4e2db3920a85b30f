"""What the parser returns besides the entries themselves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from enrich.models import Entry


@dataclass(frozen=True)
class ParseWarning:
    """Something in the input the parser could not take as a paper, or took with doubt."""

    file: str
    line: int
    message: str
    repeat: bool = False
    """The paper was listed before (dedupe.py): the review lists these apart."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class SkippedItem:
    """A list item or table row that is not a paper, and why (one of skips.SKIP_REASONS).

    Not a warning: a table of contents or a link to code is meant to be there. It is
    counted so a run can say how many items it skipped and why.
    """

    file: str
    line: int
    reason: str
    text: str
    """The item as written, shortened to 60 characters."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: skipped ({self.reason}): {self.text!r}"


@dataclass(frozen=True)
class ParsedItems:
    """One format reader's raw result: one entry per item that names a paper, in order.

    Every list item and table row of a Markdown list is exactly one of: an entry, a
    warning, a skipped item, a note (on the paper above it) or a category.
    """

    items: tuple[Entry, ...]
    warnings: tuple[ParseWarning, ...] = ()
    skipped: tuple[SkippedItem, ...] = ()
    notes: tuple[int, ...] = ()
    """Lines of items read as notes on the paper above them, metadata lines included."""
    categories: tuple[int, ...] = ()
    """Lines of items that name a group of papers nested under them (a section)."""


@dataclass(frozen=True)
class ReadingList:
    """A parsed reading list: distinct papers in list order, and what could not be read."""

    file: str
    format: str
    entries: tuple[Entry, ...]
    warnings: tuple[ParseWarning, ...]
    bullets: int
    """Lines that named a paper, duplicates included."""
    skipped: tuple[SkippedItem, ...] = ()
    """Items that are not papers (contents links, code links, prose), in list order."""

    @property
    def sections(self) -> tuple[str, ...]:
        """The distinct sections that hold papers, in list order."""
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.update(dict.fromkeys(entry.sections))
        return tuple(seen)

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        """How many items were skipped for each reason, the most frequent first."""
        return dict(Counter(item.reason for item in self.skipped).most_common())
