"""What enrich shows in the terminal: tables and summaries, built with rich.

Titles, paths and messages come from a list or a service: they reach rich only as `Text`
(never parsed as markup, so "[/]" in a title is a title) with control characters removed
(an escape sequence from a service cannot restyle the terminal), on consoles that leave
emoji codes alone ("list.md:100:" is not "list.md💯").
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from enrich.emit.json import entry_to_json
from enrich.models import EnrichedRecord, Entry
from enrich.pipeline import RunReport
from enrich.readinglist import ReadingList
from enrich.review import needs_review, summarize
from enrich.text import clean_text

log = logging.getLogger("enrich")

SERVICE_NAMES = {"dblp": "DBLP", "s2": "Semantic Scholar"}
_STATUS_STYLES = {
    "matched": "green",
    "ambiguous": "yellow",
    "unmatched": "yellow",
    "skipped": "dim",
    "error": "red",
    "not_cached": "red",
}


def make_console(*, stderr: bool = False) -> Console:
    """A console that prints text as given: no emoji codes, no highlighting of numbers."""
    return Console(stderr=stderr, highlight=False, emoji=False)


def plain(text: object) -> Text:
    """Untrusted text as rich shows it: one line, controls removed, markup not parsed."""
    return Text(clean_text(str(text)))


def print_lines(console: Console, text: object) -> None:
    """Untrusted text of several lines (a message, a report), each line as `plain`."""
    for line in str(text).splitlines() or [""]:
        console.print(plain(line), soft_wrap=True)


def entry_as_json(entry: Entry) -> dict[str, Any]:
    """The parsed fields of an entry, as `enrich parse --json` prints them: the enriched
    JSON's `list` object, plus the file it was read from."""
    return {**entry_to_json(entry), "file": entry.file}


def show_reading_list(parsed: ReadingList, console: Console) -> None:
    """A readable table of the parsed papers, then the counts."""
    table = Table(title=plain(f"{parsed.file} ({parsed.format})"), show_lines=False, expand=False)
    table.add_column("line", justify="right", style="dim", no_wrap=True)
    table.add_column("venue", no_wrap=True)
    table.add_column("year", justify="right", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("section", style="cyan", overflow="fold")
    for entry in parsed.entries:
        table.add_row(
            ",".join(str(line) for line in entry.lines),
            plain(entry.venue or ""),
            str(entry.year or ""),
            plain(entry.title),
            plain("; ".join(entry.sections)),
        )
    console.print(table)
    console.print(
        f"{parsed.bullets} list items, {len(parsed.entries)} distinct papers, "
        f"{len(parsed.sections)} sections, {len(parsed.warnings)} warnings, "
        f"{len(parsed.skipped)} skipped"
    )


class BarProgress:
    """A progress bar for a terminal, one per list; it disappears when the list is done."""

    def __init__(self, console: Console) -> None:
        columns = (
            TextColumn("[bold]resolving"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", style="dim"),
        )
        self._progress = Progress(*columns, console=console, transient=True)
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task("", total=total)

    def __enter__(self) -> BarProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def advance(self, entry: Entry, status: str) -> None:
        if self._task is not None:
            description = escape(clean_text(f"{status}: {entry.title[:50]}"))
            self._progress.update(self._task, advance=1, description=description)


class LogProgress:
    """Plain log lines (CI, pipes, files): one every tenth of a list, with the outcomes so far."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.start(0)

    def start(self, total: int) -> None:
        with self._lock:
            self._total, self._done, self._outcomes = total, 0, Counter[str]()

    def advance(self, entry: Entry, status: str) -> None:
        with self._lock:
            self._done += 1
            self._outcomes[status] += 1
            if self._done % max(1, self._total // 10) == 0 or self._done == self._total:
                counts = ", ".join(
                    f"{n} {s.replace('_', ' ')}" for s, n in sorted(self._outcomes.items())
                )
                log.info("looked up %d of %d papers (%s)", self._done, self._total, counts)


@contextmanager
def progress_reporter(console: Console) -> Iterator[BarProgress | LogProgress]:
    """A progress bar on a terminal; plain log lines otherwise."""
    if not console.is_terminal:
        yield LogProgress()
        return
    with BarProgress(console) as bar:
        yield bar


def show_summary(report: RunReport, console: Console) -> None:
    """The end-of-run summary: outcomes, cache and requests per service, where things went."""
    records = report.looked_up
    counts = Counter(record.match.status for record in records)
    stale = sum(record.stale for record in records)
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    papers = str(len(records))
    if len(records) != len(report.records):
        papers += f" looked up (of {len(report.records)} in the list)"
    table.add_row("papers", papers)
    for status, style in _STATUS_STYLES.items():
        if counts[status] or status in ("matched", "ambiguous", "unmatched", "error"):
            table.add_row(status.replace("_", " "), f"[{style}]{counts[status]}[/]")
    table.add_row("stale", f"{stale}" + (" (kept from the previous run)" if stale else ""))
    http = report.http
    table.add_row("cache hits", str(http.total_cache_hits))
    requests = ", ".join(f"{name} {count}" for name, count in sorted(http.requests.items()))
    table.add_row("requests", requests or "none")
    table.add_row("wall time", f"{report.seconds:.1f} s")
    console.print(table)
    show_where_things_went(report, console)


def show_where_things_went(report: RunReport, console: Console) -> None:
    """What was written, what needs review, and which service failed (shown even with -q)."""
    records = report.looked_up
    for result in report.lists:
        for path in result.written:
            console.print(plain(f"wrote {path}"), soft_wrap=True)
        if not result.written:
            file = result.reading_list.file
            message = f"{file}: no paper refreshed, outputs left as they were"
            console.print(plain(message), soft_wrap=True)
    if report.review is not None and any(needs_review(record) for record in records):
        # The review report's short version, without its counts (the table has them).
        for line in summarize(records, str(report.review)).splitlines()[1:]:
            console.print(plain(line), soft_wrap=True)
    for service, error in sorted(report.service_errors.items()):
        name = SERVICE_NAMES.get(service, service)
        console.print(Text(f"{name} failed: ", style="red") + plain(error), soft_wrap=True)


def show_outcomes(records: Sequence[EnrichedRecord], console: Console) -> None:
    """One row per paper: how it ended, and the record it ended with."""
    table = Table(show_lines=False)
    table.add_column("status", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("list title", overflow="fold")
    table.add_column("record", overflow="fold")
    table.add_column("doi", overflow="fold")
    for record in records:
        status = record.match.status + (" (stale)" if record.stale else "")
        style = _STATUS_STYLES.get(record.match.status, "")
        score = f"{record.match.score:.0f}" if record.match.score is not None else ""
        where = " ".join(str(part) for part in (record.venue, record.year) if part)
        table.add_row(
            Text(status, style=style),
            score,
            plain(record.entry.title),
            plain(f"{record.title} ({where})" if where else record.title),
            plain(record.doi or ""),
        )
    console.print(table)


class IndexProgress:
    """`enrich index build`'s progress: bytes while downloading, then records read and
    records per second. A live bar on a terminal; otherwise a line every `every` seconds."""

    def __init__(self, console: Console, every: float = 10.0) -> None:
        self.console = console
        self.every = every
        self._said = 0.0
        self._bar: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> IndexProgress:
        if self.console.is_terminal:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[note]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
            )
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def _show(self, name: str, done: float, total: float | None, note: str, seconds: float) -> None:
        if self._bar is not None:
            if name not in self._tasks:
                self._tasks[name] = self._bar.add_task(name, total=total, note="")
            self._bar.update(self._tasks[name], completed=done, total=total, note=note)
        elif seconds - self._said >= self.every:
            self._said = seconds
            self.console.print(plain(f"{name}: {note}"), soft_wrap=True)

    def downloaded(self, done: int, total: int | None, seconds: float) -> None:
        of = f" of {total / 1e6:,.0f}" if total else ""
        rate = done / seconds / 1e6 if seconds > 0 else 0.0
        self._show("download", done, total, f"{done / 1e6:,.0f}{of} MB, {rate:,.1f} MB/s", seconds)

    def records(self, count: int, seconds: float) -> None:
        rate = count / seconds if seconds > 0 else 0.0
        self._show("index", count, None, f"{count:,} records, {rate:,.0f} records/s", seconds)
