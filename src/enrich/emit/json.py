"""The enriched JSON output, and reading it back.

The JSON is the pipeline's memory: the next run reads it to keep every paper's
citation key and, where a service fails, the last record it had. So it holds
everything an `EnrichedRecord` holds, and nothing that changes between two runs
over the same metadata (no timestamps, no run statistics).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, get_args

from enrich import __version__
from enrich.emit.keys import keys_by_identity
from enrich.errors import InputError
from enrich.models import (
    Alternative,
    Author,
    EnrichedRecord,
    Entry,
    Identifiers,
    Match,
    MatchStatus,
    Urls,
)

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("enriched.schema.json")


def entry_to_json(entry: Entry) -> dict[str, Any]:
    """What the list said about a paper (also what `enrich parse --json` prints)."""
    return {
        "title": entry.title,
        "label": entry.label,
        "venue": entry.venue,
        "year": entry.year,
        "sections": list(entry.sections),
        "lines": list(entry.lines),
        "url": entry.url,
        "key": entry.key,
        "authors": list(entry.authors),
    }


def record_to_json(record: EnrichedRecord) -> dict[str, Any]:
    """One record as a JSON object, fields in the documented order."""
    entry, match = record.entry, record.match
    return {
        "key": record.key,
        "title": record.title,
        "authors": [
            {"name": a.name, "dblp_pid": a.dblp_pid, "s2_id": a.s2_id} for a in record.authors
        ],
        "year": record.year,
        "venue": record.venue,
        "venue_full": record.venue_full,
        "type": record.entry_type,
        "volume": record.volume,
        "number": record.number,
        "pages": record.pages,
        "publisher": record.publisher,
        "series": record.series,
        "editors": list(record.editors),
        "doi": record.doi,
        "ids": {
            "dblp": record.ids.dblp,
            "s2": record.ids.s2,
            "corpus_id": record.ids.corpus_id,
            "arxiv": record.ids.arxiv,
        },
        "urls": {
            "doi": record.urls.doi,
            "dblp": record.urls.dblp,
            "s2": record.urls.s2,
            "arxiv": record.urls.arxiv,
            "pdf": record.urls.pdf,
            "published": record.urls.published,
        },
        "citation_count": record.citation_count,
        "abstract": record.abstract,
        "list": entry_to_json(entry),
        "match": {
            "status": match.status,
            "score": match.score,
            "decided_by": match.decided_by,
            "notes": list(match.notes),
            "alternatives": [
                {
                    "source": alt.source,
                    "title": alt.title,
                    "venue": alt.venue,
                    "year": alt.year,
                    "score": alt.score,
                    "dblp_key": alt.dblp_key,
                    "doi": alt.doi,
                }
                for alt in match.alternatives
            ],
        },
        "provenance": {name: record.provenance[name] for name in sorted(record.provenance)},
        "stale": record.stale,
    }


def summary(records: Sequence[EnrichedRecord]) -> dict[str, int]:
    """How many records have each status (every status listed, zeros too)."""
    counts = {"total": len(records)}
    for status in get_args(MatchStatus):
        counts[status] = sum(1 for r in records if r.match.status == status)
    counts["stale"] = sum(1 for r in records if r.stale)
    return counts


def to_json(records: Sequence[EnrichedRecord], input_path: str, input_bytes: bytes) -> str:
    """The enriched JSON document for `records`, read from `input_path`."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "enrich", "version": __version__},
        "input": {"path": input_path, "sha256": hashlib.sha256(input_bytes).hexdigest()},
        "summary": summary(records),
        "records": [record_to_json(r) for r in records],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def record_from_json(data: Mapping[str, Any], input_path: str) -> EnrichedRecord:
    """The `EnrichedRecord` a JSON record was written from (inverse of `record_to_json`)."""
    listed, match = data["list"], data["match"]
    entry = Entry(
        title=listed["title"],
        file=input_path,
        lines=tuple(listed["lines"]),
        sections=tuple(listed["sections"]),
        label=listed["label"],
        venue=listed["venue"],
        year=listed["year"],
        url=listed.get("url"),
        key=listed.get("key"),
        authors=tuple(listed.get("authors", ())),
    )
    return EnrichedRecord(
        entry=entry,
        match=Match(
            status=match["status"],
            score=match["score"],
            decided_by=match["decided_by"],
            notes=tuple(match["notes"]),
            alternatives=tuple(Alternative(**alt) for alt in match["alternatives"]),
        ),
        title=data["title"],
        key=data["key"],
        authors=tuple(Author(**a) for a in data["authors"]),
        year=data["year"],
        venue=data["venue"],
        venue_full=data["venue_full"],
        entry_type=data["type"],
        volume=data["volume"],
        number=data["number"],
        pages=data["pages"],
        publisher=data["publisher"],
        series=data.get("series"),
        editors=tuple(data.get("editors", ())),
        doi=data["doi"],
        ids=Identifiers(**data["ids"]),
        urls=Urls(**data["urls"]),
        citation_count=data["citation_count"],
        abstract=data.get("abstract"),
        provenance=dict(data["provenance"]),
        stale=data["stale"],
    )


def load_records(path: Path) -> list[EnrichedRecord]:
    """The records of a previous enriched JSON output, in its order.

    Raises InputError naming the file when it is not an enrich JSON output of a
    schema version this code reads.
    """
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        if document.get("schema_version") != SCHEMA_VERSION:
            found = document.get("schema_version")
            raise InputError(str(path), f"schema_version {found!r} is not {SCHEMA_VERSION}")
        input_path = document["input"]["path"]
        return [record_from_json(r, input_path) for r in document["records"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(str(path), f"cannot read enriched JSON: {error}") from error


def load_previous_keys(path: Path) -> dict[str, str]:
    """Identity -> citation key from a previous JSON output; empty when there is none."""
    if not Path(path).exists():
        return {}
    return keys_by_identity(load_records(path))
