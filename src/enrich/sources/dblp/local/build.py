"""The local index: one SQLite database built from DBLP's dump.

Tables: `records` (every publication record: key, type, title, authors with pids and
homonym numbers, venue, year, volume, number, pages, ee, DOI, crossref), `proceedings`
(what a paper's export takes from the record it crossrefs, proceedings or a book of
chapters: full title, publisher, series, volume, editors), `words` (FTS5 over each
record's title, authors, venue and year, as DBLP's search matches them), `vocab` (each
word's number of records, for a query to start from its rarest words) and `meta` (the
dump, its date, the counts, when it was built). Nothing a lookup never reads is kept
(DBLP's `url` page, an ISBN): at 7 million records each column costs disk.

The database is built as `<path>.partial` and renamed over `<path>` only once complete,
so an interrupted build leaves the previous index (or none) in use, never half of one;
the next build starts the partial file again.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from enrich.sources.dblp.local.dump import DumpRecord, Person, read_dump
from enrich.sources.dblp.search import doi_from
from enrich.text import fold_to_ascii

FORMAT = "3"
"""The schema's version; an index of another version is rebuilt, never read."""
_WORD_SPLIT = re.compile(r"[^\w]+|_")
_BATCH = 20_000
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, publtype TEXT,
    title TEXT NOT NULL, authors TEXT NOT NULL, venue TEXT, year INTEGER, volume TEXT,
    number TEXT, pages TEXT, ee TEXT, doi TEXT, crossref TEXT
);
CREATE TABLE proceedings (
    key TEXT PRIMARY KEY, title TEXT, publisher TEXT, series TEXT, volume TEXT,
    editors TEXT NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE words USING fts5(
    text, content='', detail=none, tokenize='unicode61 remove_diacritics 0'
);
CREATE TABLE vocab (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
"""

Progress = Callable[[int, float], None]
"""Told (records read so far, seconds since the start) every few thousand records."""


def index_words(text: str) -> list[str]:
    """The words a query word can match in `text`: folded to ASCII, lower case, split at
    anything not a letter or digit (as the emulated and the real search split them)."""
    return [word for word in _WORD_SPLIT.split(fold_to_ascii(text)) if word]


def searchable_text(record: DumpRecord) -> str:
    """Everything DBLP's search matches a query word against: title, authors, venue, year."""
    names = [person.name for person in record.authors]
    parts = [record.title, *names, record.venue or "", str(record.year or "")]
    return " ".join(index_words(" ".join(parts)))


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


@dataclass(frozen=True)
class BuildResult:
    path: Path
    records: int
    proceedings: int
    seconds: float
    dump_date: str | None

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else float(self.records)


def _people(people: Iterable[Person]) -> str:
    return json.dumps([[p.name, p.pid] for p in people], ensure_ascii=False)


def _row(number: int, record: DumpRecord) -> tuple[object, ...]:
    return (
        number,
        record.key,
        record.kind,
        record.publtype,
        record.title,
        _people(record.authors),
        record.venue,
        record.year,
        record.volume,
        record.number,
        record.pages,
        "\n".join(record.ee) or None,
        doi_from(None, record.ee),
        record.crossref,
    )


def build_index(
    dump: Path,
    path: Path,
    dtd: Path | None = None,
    progress: Progress | None = None,
    source: str | None = None,
    every: int = 10_000,
) -> BuildResult:
    """Read the dump at `dump` (dblp.xml or .xml.gz, its DTD beside it) into an index at
    `path`, replacing the one there only once the new one is complete.

    `source` is what `meta` names as the dump (a URL it came from); default its path.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(path)
    for leftover in (partial, Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    connection = sqlite3.connect(partial, isolation_level=None)
    try:
        result = _fill(connection, dump, dtd, progress, every, started)
        _write_meta(connection, result, source or str(dump))
        connection.execute("CREATE INDEX records_key ON records(key)")  # a repeat never fails
        connection.execute("INSERT INTO words(words) VALUES ('optimize')")
        connection.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, words, row)")
        connection.execute("INSERT INTO vocab SELECT term, doc FROM temp.terms")
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.close()
        os.replace(partial, path)
    except BaseException:
        connection.close()
        partial.unlink(missing_ok=True)
        raise
    seconds = time.perf_counter() - started
    return BuildResult(path, result.records, result.proceedings, seconds, result.date)


@dataclass(frozen=True)
class _Filled:
    """What filling the tables counted, for `meta` and the build's result."""

    records: int
    proceedings: int
    date: str | None
    """The newest record's mdate: the dump's date."""
    kinds: Mapping[str, int]


def _fill(
    connection: sqlite3.Connection,
    dump: Path,
    dtd: Path | None,
    progress: Progress | None,
    every: int,
    started: float,
) -> _Filled:
    connection.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;" + _SCHEMA
    )
    rows: list[tuple[object, ...]] = []
    texts: list[tuple[int, str]] = []
    containers: list[tuple[object, ...]] = []
    kinds: Counter[str] = Counter()
    proceedings = 0
    latest = ""
    count = 0

    def flush() -> None:
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO records VALUES ({', '.join('?' * 14)})", rows)
        connection.executemany("INSERT INTO words(rowid, text) VALUES (?, ?)", texts)
        connection.executemany(
            "INSERT OR REPLACE INTO proceedings VALUES (?, ?, ?, ?, ?, ?)", containers
        )
        connection.execute("COMMIT")
        rows.clear()
        texts.clear()
        containers.clear()

    for record in read_dump(dump, dtd):
        count += 1
        kinds[record.kind] += 1
        if record.mdate and record.mdate > latest:
            latest = record.mdate
        rows.append(_row(count, record))
        texts.append((count, searchable_text(record)))
        if record.is_container:
            proceedings += 1
            containers.append(
                (record.key, record.title, record.publisher, record.series, record.volume,
                 _people(record.editors))
            )  # fmt: skip
        if len(rows) >= _BATCH:
            flush()
        if progress is not None and count % every == 0:
            progress(count, time.perf_counter() - started)
    flush()
    if progress is not None:
        progress(count, time.perf_counter() - started)
    return _Filled(count, proceedings, latest or None, dict(sorted(kinds.items())))


def _write_meta(connection: sqlite3.Connection, result: _Filled, source: str) -> None:
    meta = {
        "format": FORMAT,
        "dump": source,
        "dump_date": result.date or "",
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "records": str(result.records),
        "proceedings": str(result.proceedings),
        "kinds": json.dumps(result.kinds),
        "complete": "1",
    }
    connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())


@dataclass(frozen=True)
class IndexInfo:
    """What `enrich index info` says of an index."""

    path: Path
    dump: str
    dump_date: str | None
    built: str
    records: int
    proceedings: int
    kinds: Mapping[str, int]
    size: int
    """The database file's size in bytes."""

    def age_days(self, now: datetime | None = None) -> float:
        """Days since the dump's date (its newest record), else since the build."""
        stamp = self.dump_date or self.built[:10]
        then = datetime.strptime(stamp[:10], "%Y-%m-%d").replace(tzinfo=UTC)
        return ((now or datetime.now(UTC)) - then).total_seconds() / 86400


class IndexUnusable(Exception):
    """No index at the path, or one that is not a complete index of this version."""


def read_info(path: Path) -> IndexInfo:
    """The index's meta table; raises IndexUnusable when there is no usable index."""
    if not path.is_file():
        raise IndexUnusable(f"{path}: no local DBLP index there (build one: enrich index build)")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    except sqlite3.DatabaseError as error:
        raise IndexUnusable(f"{path}: not a local DBLP index ({error})") from error
    if meta.get("complete") != "1" or meta.get("format") != FORMAT:
        raise IndexUnusable(f"{path}: an incomplete or older index; rebuild it")
    return IndexInfo(
        path=path,
        dump=meta.get("dump", ""),
        dump_date=meta.get("dump_date") or None,
        built=meta.get("built", ""),
        records=int(meta.get("records", "0")),
        proceedings=int(meta.get("proceedings", "0")),
        kinds=json.loads(meta.get("kinds", "{}")),
        size=path.stat().st_size,
    )
