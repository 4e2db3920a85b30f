"""`enrich review`: settle the flagged papers one key press each, on a terminal.

A thin front end over the overrides file: it reads the last run's enriched JSON (no
request is made), walks the papers the review report lists in the report's order, and
appends one row per decision, so quitting keeps what was decided. Without a terminal it
prints the review report instead, so a pipe or a CI log gets the same information.
"""

from __future__ import annotations

import os
import sys
import termios
import tty
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from enrich.emit import load_records, output_paths
from enrich.errors import InputError
from enrich.lastgood import combine
from enrich.models import EnrichedRecord
from enrich.overrides import (
    HEADER,
    append_overrides,
    find_override,
    inspect_overrides,
    read_overrides,
    start_overrides,
)
from enrich.readinglist import ReadingList, read_list
from enrich.samerecord import merge_same_records
from enrich.text import clean_text

from .fixes import Pin, pin_row, pins, skip_row
from .links import record_links, search_links
from .report import render_review
from .sections import papers, repeats, review_section, to_act_on, where
from .titles import marked_plain, title_note

KEYS = "1-9 pin that record · p pin the first · s skip the paper · l or Enter leave it · q quit"


@dataclass(frozen=True)
class Flagged:
    """One list's records as the last run left them, and its merged lines."""

    reading_list: ReadingList
    records: tuple[EnrichedRecord, ...]
    merges: tuple[str, ...]


def start(overrides: Path, write: Callable[[str], None]) -> int:
    """`enrich review --init`: the overrides file with its header, never over an old one."""
    start_overrides(overrides)
    write(f"wrote {overrides} with its header line: {HEADER}\n")
    return 0


def load_flagged(inputs: Sequence[Path], out_dir: Path, format: str | None = None) -> list[Flagged]:
    """Each list's records from its enriched JSON, as `enrich emit` reads them (offline)."""
    found = []
    for path in inputs:
        reading_list = read_list(path, format)
        json_path = output_paths(path, out_dir)["json"]
        if not json_path.exists():
            raise InputError(str(json_path), "not there yet: run `enrich run` first")
        records, merged = merge_same_records(
            combine(reading_list.entries, [], load_records(json_path))
        )
        merges = (*repeats(reading_list.warnings), *merged)
        found.append(Flagged(reading_list, tuple(records), merges))
    return found


def review(
    inputs: Sequence[Path],
    out_dir: Path,
    overrides: Path,
    format: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Walk the flagged papers on a terminal; print the review reports without one."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout

    def write(text: str) -> None:
        stdout.write(text)
        stdout.flush()

    lists = load_flagged(inputs, out_dir, format)
    if not stdin.isatty():
        for flagged in lists:
            shape = inspect_overrides(overrides)
            source = flagged.reading_list.file
            write(render_review(flagged.records, shape, source=source, merges=flagged.merges))
        return 0
    records = [record for flagged in lists for record in flagged.records]
    return walk(records, overrides, lambda: read_key(stdin), write)


def walk(
    records: Sequence[EnrichedRecord],
    overrides: Path,
    key: Callable[[], str],
    write: Callable[[str], None],
) -> int:
    """Ask about each paper to settle that no override names yet; append each decision."""
    existing = read_overrides(overrides)
    todo = [r for r in to_act_on(records) if find_override(existing, r.entry, r.key) is None]
    if not todo:
        write("Nothing to settle: every flagged paper has an override or needs none.\n")
        return 0
    write(f"{papers(len(todo))} to settle; rows go to {overrides}.\nKeys: {KEYS}.\n")
    written = 0
    for number, record in enumerate(todo, start=1):
        offered = pins(record)
        write("\n" + card(record, offered, number, len(todo)))
        while True:
            write(_prompt(offered))
            pressed = key()
            row = _row_for(pressed, record, offered, overrides)
            if row is not None or pressed in "lq\n":
                break
            write(f"{_shown(pressed)}: not a choice here\n")
        if pressed == "q":
            write("quit\n")
            break
        if row is None:
            write("left as it is\n")
            continue
        try:
            (origin,) = append_overrides(overrides, [row])
        except InputError as error:
            write(f"not written: {clean_text(str(error))}\n")
            continue
        written += 1
        write(f"{row['action']}: wrote {origin}\n")
    if written:
        rows = "1 row" if written == 1 else f"{written} rows"
        write(f"\n{rows} added to {overrides}; `enrich run` applies them.\n")
    else:
        write(f"\nNothing written to {overrides}.\n")
    return 0


def card(record: EnrichedRecord, offered: Sequence[Pin], number: int, total: int) -> str:
    """One paper as plain text for the terminal (controls removed from every value)."""
    entry, match = record.entry, record.match
    label = f"{entry.label} " if entry.label else ""
    listed, recorded = marked_plain(entry.title, record.title)
    lines = [
        f"[{number}/{total}] {review_section(record)} · {clean_text(where(record))}",
        f"  list:       {clean_text(label)}{listed}",
        f"  status:     {match.status}"
        + (f" by {clean_text(match.decided_by)}" if match.decided_by else ""),
    ]
    if match.status == "matched":
        venue = " ".join(str(v) for v in (record.venue, record.year) if v)
        lines.append(f"  record:     {recorded} ({clean_text(venue or 'no venue')})")
        names = ", ".join(a.name for a in record.authors[:6])
        if names:
            lines.append(f"  authors:    {clean_text(names)}")
        lines += [f"  link:       {url}" for _, url in record_links(record)]
    lines += [f"  note:       {clean_text(title_note(note) or note)}" for note in match.notes]
    for index, pin in enumerate(offered, start=1):
        chosen = " (the record chosen)" if pin.chosen else ""
        venue = f"{pin.venue or 'no venue'} {pin.year or '?'}"
        ident = clean_text(pin.dblp_key or pin.doi or pin.s2_id or "")
        lines.append(f"  {index}  {clean_text(pin.title)} ({clean_text(venue)}; {ident}){chosen}")
    if match.status != "matched":
        lines += [f"  search:     {url}" for _, url in search_links(entry.title)]
    return "\n".join(lines) + "\n"


def read_key(stdin: TextIO) -> str:
    """One key press, without Enter; Enter is "\\n", Ctrl-D is "q"."""
    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)  # Ctrl-C still stops enrich as everywhere else
        data = os.read(fd, 1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    char = data.decode("utf-8", "replace").lower() if data else "q"
    return {"\r": "\n", "\x04": "q"}.get(char, char)


def _row_for(
    pressed: str, record: EnrichedRecord, offered: Sequence[Pin], overrides: Path
) -> dict[str, str] | None:
    shape = inspect_overrides(overrides)
    if pressed == "s":
        return skip_row(record, shape)
    if pressed == "p" and offered:
        return pin_row(record, offered[0], shape)
    if pressed.isdigit() and 1 <= int(pressed) <= len(offered):
        return pin_row(record, offered[int(pressed) - 1], shape)
    return None


def _prompt(offered: Sequence[Pin]) -> str:
    numbers = "1" if len(offered) == 1 else f"1-{len(offered)}"
    pin = f"[{numbers}/p] pin  " if offered else ""
    return f"{pin}[s] skip  [l/Enter] leave  [q] quit > "


def _shown(pressed: str) -> str:
    return repr(pressed) if not pressed.isprintable() else pressed
