"""Stage 1: read a reading list (Markdown, plain text, CSV or BibTeX) into entries.

`read_list` is the only function the pipeline needs; `parse_text` is the same
without the file system, for tests and other callers that already hold the text.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from enrich.errors import InputError
from enrich.readinglist.bibfile import parse_bibtex
from enrich.readinglist.csvlist import parse_csv
from enrich.readinglist.dedupe import merge_duplicates
from enrich.readinglist.loading import MAX_INPUT_BYTES, load_text
from enrich.readinglist.markdown import parse_markdown
from enrich.readinglist.model import ParsedItems, ParseWarning, ReadingList, SkippedItem
from enrich.readinglist.plaintext import parse_plaintext

__all__ = [
    "FORMATS",
    "MAX_INPUT_BYTES",
    "ParseWarning",
    "ReadingList",
    "SkippedItem",
    "detect_format",
    "named_format",
    "parse_text",
    "read_list",
]

FORMATS: dict[str, Callable[[str, str], ParsedItems]] = {
    "markdown": parse_markdown,
    "text": parse_plaintext,
    "csv": parse_csv,
    "bibtex": parse_bibtex,
}
"""Input formats by name, as `--format` accepts them."""

_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".csv": "csv",
    ".tsv": "csv",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
}
_MARKDOWN_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\S", re.MULTILINE)


def named_format(path: Path) -> str | None:
    """The format a file's extension names (".md" is markdown), None for other names."""
    return _EXTENSIONS.get(Path(path).suffix.lower())


def detect_format(path: Path, text: str) -> str:
    """The format a file's extension names; for other names, Markdown if it has list items."""
    known = named_format(path)
    if known:
        return known
    return "markdown" if _MARKDOWN_LIST_ITEM.search(text) else "text"


def parse_text(text: str, file: str, format: str = "markdown") -> ReadingList:
    """Parse a reading list already in memory; duplicates merged, with warnings."""
    with _collector_paused():
        parsed = FORMATS[format](text, file)
        entries, duplicate_warnings = merge_duplicates(parsed.items)
    warnings = sorted([*parsed.warnings, *duplicate_warnings], key=lambda w: (w.file, w.line))
    if not entries:
        raise InputError(file, f"no papers found (read as {format})")
    return ReadingList(
        file,
        format,
        tuple(entries),
        tuple(warnings),
        bullets=len(parsed.items),
        skipped=parsed.skipped,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a list is read, as it was before afterwards.

    Reading a long list makes millions of small objects (markdown-it's tokens, the pieces
    of every item) that hold no reference cycles; the collector would walk all the ones
    still alive again and again, a fifth of the time, and free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_list(path: str | Path, format: str | None = None) -> ReadingList:
    """Read and parse a reading list file; every problem is an InputError naming the file."""
    shown = str(path)
    path = Path(path)
    if format is not None and format not in FORMATS:
        raise InputError(shown, f"unknown format {format!r} (one of: {', '.join(FORMATS)})")
    text = load_text(path, shown)
    return parse_text(text, shown, format or detect_format(path, text))
