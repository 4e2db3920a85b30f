"""One paper listed twice is one paper: merged, with both sections and both lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from enrich.models import Entry
from enrich.readinglist.model import ParseWarning
from enrich.text import normalize_title


def merge_duplicates(items: Iterable[Entry]) -> tuple[list[Entry], list[ParseWarning]]:
    """Entries in first-seen order, each paper once; a warning for every repeat.

    Titles are the same paper when they compare equal after case, punctuation,
    accents and a leading article are normalised ("A Generic Communication
    Scheduler ..." and "Generic Communication Scheduler ..."), unless the input gave
    them different citation keys: a .bib's report and paper of one title stay two.
    """
    merged: list[Entry] = []
    by_title: dict[str, list[int]] = {}
    warnings: list[ParseWarning] = []
    for item in items:
        title = normalize_title(item.title)
        same = by_title.setdefault(title, [])
        index = next((i for i in same if merged[i].same_paper(item)), None)
        if index is None:
            same.append(len(merged))
            merged.append(item)
            continue
        first = merged[index]
        merged[index] = combine_entries(first, item)
        message = _repeat_message(first, item)
        warnings.append(ParseWarning(item.file, item.lines[0], message, repeat=True))
    return merged, warnings


def _repeat_message(first: Entry, item: Entry) -> str:
    where = (
        f"line {first.lines[0]}" if first.file == item.file else f"{first.file}:{first.lines[0]}"
    )
    disagreement = ""
    if (item.venue, item.year) != (first.venue, first.year) and item.label and first.label:
        disagreement = f"; the labels differ ({first.label} vs {item.label}), the first is kept"
    return (
        f"same paper as {where} ({first.title!r}); listed once with both "
        f"lines {first.lines[0]} and {item.lines[0]}{disagreement}"
    )


def combine_entries(first: Entry, repeat: Entry) -> Entry:
    """The first mention, plus the repeat's sections and lines and anything it adds."""
    return replace(
        first,
        lines=first.lines + tuple(line for line in repeat.lines if line not in first.lines),
        sections=first.sections + tuple(s for s in repeat.sections if s not in first.sections),
        label=first.label or repeat.label,
        venue=first.venue if first.label else repeat.venue,
        year=first.year if first.label else repeat.year,
        url=first.url or repeat.url,
        key=first.key or repeat.key,
        authors=first.authors or repeat.authors,
        doi=first.doi or repeat.doi,
        arxiv=first.arxiv or repeat.arxiv,
    )
