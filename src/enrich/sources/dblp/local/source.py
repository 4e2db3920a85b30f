"""DBLP answered from the local index: the same questions, the same Candidates, no request.

`LocalDblpSource.find` asks the same planned queries as the API path (`title_queries`)
and answers each as DBLP's search does (search.py): every query word a case-insensitive
prefix ('$' exact, '|' or) of a word of the record's title, authors, venue or year, all
of them ANDed, through the FTS5 table. The hits are ordered as the emulated search orders
them (the most query words in the title first, then the newest) and the first `hits`
read by `parse_hit`, from the hit DBLP would send for the record. `fetch` reads a record
and its crossref'd proceedings into what DBLP's export says (`export_candidate`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from enrich.models import Candidate, Entry
from enrich.sources.base import KnownPaper, Source
from enrich.sources.dblp.export import export_candidate
from enrich.sources.dblp.local.build import IndexInfo, index_words, read_info
from enrich.sources.dblp.search import (
    HIT_TYPES,
    INFORMAL_TYPE,
    first_found,
    is_corr_key,
    parse_hit,
    without_homonym,
)

ASKED_TERMS = 2
"""A query asks the FTS5 table for its two rarest words only (by `vocab`): their records are
few (a handful, for two words of a title), and every other word is checked on those. Asking
for all the words costs the sum of their records: for a title with "learning" and
"systems" in it, 300 ms instead of 1 on a million records."""
_SPREAD = 2_000
"""Words of the index that one prefix is counted over at most; more is as good as common."""
MAX_MATCHES = 10_000
"""DBLP never sends more than the first 10,000 hits of a query (apis.md §1.2); ranking looks
at no more either, so one common word costs milliseconds, not a scan of millions."""
_CONTAINERS = ("proceedings", "book")
_COLUMNS = "id, key, kind, publtype, title, authors, venue, year, volume, number, pages, ee, doi"


def _alternatives(term: str) -> list[tuple[list[str], bool]]:
    """A query term's '|'-separated alternatives: (words, exact)."""
    found = []
    for alternative in term.split("|"):
        words = index_words(alternative.rstrip("$"))
        if words:
            found.append((words, alternative.endswith("$")))
    return found


def _fts_term(term: str) -> str | None:
    options = [
        " AND ".join(f'"{word}"' if exact else f'"{word}"*' for word in words)
        for words, exact in _alternatives(term)
    ]
    return "(" + " OR ".join(f"({option})" for option in options) + ")" if options else None


def fts_query(query: str) -> str | None:
    """A DBLP query in FTS5: `orca 2022|2023` -> (("orca"*)) AND (("2022"*) OR ("2023"*))."""
    terms = [found for found in map(_fts_term, query.split()) if found]
    return " AND ".join(terms) or None


def _term_in(term: str, words: Sequence[str]) -> bool:
    return any(
        all(any(w == p if exact else w.startswith(p) for w in words) for p in parts)
        for parts, exact in _alternatives(term)
    )


def hit_info(row: Mapping[str, Any]) -> dict[str, Any]:
    """The `hit.info` DBLP's search sends for a record of the index."""
    corr = row["kind"] == "article" and row["venue"] == "CoRR"
    informal = row["publtype"] == "informal" or corr
    authors = [{"@pid": pid, "text": name} for name, pid in json.loads(row["authors"])]
    return {
        "authors": {"author": authors},
        "title": row["title"],
        "venue": row["venue"],
        "volume": row["volume"],
        "number": row["number"],
        "pages": row["pages"],
        "year": str(row["year"]) if row["year"] is not None else None,
        "type": INFORMAL_TYPE if informal else HIT_TYPES.get(row["kind"], ""),
        "key": row["key"],
        "doi": row["doi"],
        "ee": row["ee"].split("\n") if row["ee"] else [],
        "url": f"https://dblp.org/rec/{row['key']}",
    }


class LocalDblpSource(Source):
    """DBLP's search and record export, answered by the local index at `path`."""

    name = "dblp"

    def __init__(self, path: Path, hits: int = 10) -> None:
        self.info: IndexInfo = read_info(path)  # raises IndexUnusable first
        self.client = None  # type: ignore[assignment]
        self.base_url = path.resolve().as_uri()
        self.path = path
        self.hits = hits
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA mmap_size=268435456")
            self._local.db = db
        return db

    def find(self, entry: Entry) -> list[Candidate]:
        return first_found(entry, self.search)

    def search(self, query: str) -> list[Candidate]:
        """What DBLP's publication search answers for `query`: its first `hits` hits.

        The FTS5 table is asked for the query's rarest words only (`ASKED_TERMS`); the
        others are then checked on each record found, so the answer is the same as asking
        for all of them, at the cost of the rarest. (Were the rarest words in more than
        MAX_MATCHES records together, the records checked would be their first
        MAX_MATCHES: a query of only common words is answered from a sample, as DBLP
        answers it from its first hits.)
        """
        terms = [term for term in query.split() if _alternatives(term)]
        if not terms:
            return []
        asked = self._rarest(terms)
        expression = " AND ".join(t for t in map(_fts_term, asked) if t)
        rows = self._db().execute(
            f"SELECT {_COLUMNS} FROM records WHERE id IN "
            "(SELECT rowid FROM words WHERE words MATCH ? LIMIT ?)",
            (expression, MAX_MATCHES),
        )
        unchecked = [term for term in terms if term not in asked]
        ranked = []
        for row in rows:
            if unchecked:
                names = " ".join(name for name, _ in json.loads(row["authors"]))
                text = f"{row['title']} {names} {row['venue'] or ''} {row['year'] or ''}"
                words = index_words(text)
                if not all(_term_in(term, words) for term in unchecked):
                    continue
            title_words = index_words(row["title"])
            in_title = sum(_term_in(term, title_words) for term in terms)
            ranked.append((-in_title, -(row["year"] or 0), row["id"], row))
        ranked.sort(key=lambda item: item[:3])
        hits = (parse_hit(hit_info(row)) for *_, row in ranked[: self.hits])
        return [candidate for candidate in hits if candidate is not None]

    def _rarest(self, terms: Sequence[str]) -> list[str]:
        """The ASKED_TERMS terms in the fewest records, to ask the FTS5 table for."""
        counted = sorted((self._records_with(term), number) for number, term in enumerate(terms))
        return [terms[number] for _, number in counted[:ASKED_TERMS]]

    def _records_with(self, term: str) -> int:
        """About how many records have the term: the sum over its alternatives of their
        rarest word's records (a prefix counts every word it begins)."""
        total = 0
        for words, exact in _alternatives(term):
            total += min(self._records_of(word, exact) for word in words)
        return total

    def _records_of(self, word: str, exact: bool) -> int:
        cache: dict[tuple[str, bool], int] = self._local.__dict__.setdefault("counts", {})
        if (word, exact) not in cache:
            if len(cache) > 100_000:
                cache.clear()
            if exact:
                sql, args = "SELECT docs FROM vocab WHERE term = ?", (word,)
            else:
                sql = "SELECT docs FROM vocab WHERE term >= ? AND term < ? LIMIT ?"
                args = (word, word + "\U0010ffff", _SPREAD)  # type: ignore[assignment]
            counts = [docs for (docs,) in self._db().execute(sql, args)]
            spread = len(counts) >= _SPREAD
            cache[(word, exact)] = 10**12 if spread else sum(counts)
        return cache[(word, exact)]

    def fetch(self, papers: Sequence[KnownPaper]) -> list[Candidate | None]:
        """Each paper's complete record, as DBLP's export has it; None as the API path
        gives it: no DBLP key, a CoRR record, a key the index does not hold."""
        return [self.export(paper.ids.dblp) if paper.ids.dblp else None for paper in papers]

    def export(self, key: str) -> Candidate | None:
        if is_corr_key(key):
            return None
        db = self._db()
        row = db.execute(
            f"SELECT {_COLUMNS}, crossref FROM records WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        own = row["kind"] in _CONTAINERS  # a book or proceedings: its own publisher, series
        container = row["key"] if own else row["crossref"]
        proceedings = None
        if container:
            proceedings = db.execute(
                "SELECT * FROM proceedings WHERE key = ?", (container,)
            ).fetchone()
        return record_candidate(row, proceedings, own)


def record_candidate(
    row: Mapping[str, Any], proceedings: Mapping[str, Any] | None, own: bool = False
) -> Candidate | None:
    """A record and its proceedings as DBLP's standard export reads: the proceedings' (or
    the book's, for a chapter) full title as booktitle, their publisher, series, editors
    and (PMLR, LNCS) volume. `own`: `proceedings` is the record's own entry (a book's
    publisher and series), not one it crossrefs."""
    bare = row["kind"] == "article" or own  # no booktitle: a journal's, or the book itself
    links = row["ee"].split("\n")[:1] if row["ee"] else []
    proc = dict(proceedings) if proceedings is not None else {}
    fields = {
        "title": row["title"],
        "journal": row["venue"] if row["kind"] == "article" else None,
        "booktitle": None if bare else (proc.get("title") or row["venue"]),
        "volume": row["volume"] or proc.get("volume"),
        "number": row["number"],
        "pages": row["pages"],
        "publisher": proc.get("publisher"),
        "series": proc.get("series"),
        "year": str(row["year"]) if row["year"] is not None else None,
    }
    editors = [without_homonym(name) for name, _ in json.loads(proc.get("editors") or "[]")]
    authors = [without_homonym(name) for name, _ in json.loads(row["authors"])]
    return export_candidate(
        row["key"], row["kind"], fields, authors, editors, links=links, doi=row["doi"]
    )
