"""What the parser returns besides the entries themselves."""

from __future__ import annotations

from dataclasses import dataclass

from enrich.models import Entry


@dataclass(frozen=True)
class ParseWarning:
    """Something in the input the parser could not take as a paper, or took with doubt."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedItems:
    """One format reader's raw result: one entry per line that names a paper, in order."""

    items: tuple[Entry, ...]
    warnings: tuple[ParseWarning, ...] = ()


@dataclass(frozen=True)
class ReadingList:
    """A parsed reading list: distinct papers in list order, and what could not be read."""

    file: str
    format: str
    entries: tuple[Entry, ...]
    warnings: tuple[ParseWarning, ...]
    bullets: int
    """Lines that named a paper, duplicates included."""

    @property
    def sections(self) -> tuple[str, ...]:
        """The distinct sections that hold papers, in list order."""
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.update(dict.fromkeys(entry.sections))
        return tuple(seen)
