"""What enrich shows in the terminal: tables and summaries, built with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from enrich.models import Entry
from enrich.readinglist import ReadingList


def entry_as_json(entry: Entry) -> dict[str, Any]:
    """The parsed fields of an entry, under the names `enrich parse --json` documents."""
    data: dict[str, Any] = {
        "title": entry.title,
        "sections": list(entry.sections),
        "label": entry.label,
        "venue": entry.venue,
        "year": entry.year,
        "file": entry.file,
        "lines": list(entry.lines),
        "url": entry.url,
    }
    if entry.key is not None:
        data["key"] = entry.key
    if entry.authors:
        data["authors"] = list(entry.authors)
    return data


def show_reading_list(parsed: ReadingList, console: Console) -> None:
    """A readable table of the parsed papers, then the counts."""
    table = Table(title=f"{parsed.file} ({parsed.format})", show_lines=False, expand=False)
    table.add_column("line", justify="right", style="dim", no_wrap=True)
    table.add_column("venue", no_wrap=True)
    table.add_column("year", justify="right", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("section", style="cyan", overflow="fold")
    for entry in parsed.entries:
        table.add_row(
            ",".join(str(line) for line in entry.lines),
            entry.venue or "",
            str(entry.year or ""),
            entry.title,
            "; ".join(entry.sections),
        )
    console.print(table)
    console.print(
        f"{parsed.bullets} list items, {len(parsed.entries)} distinct papers, "
        f"{len(parsed.sections)} sections, {len(parsed.warnings)} warnings"
    )
