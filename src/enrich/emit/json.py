"""The enriched JSON output, and reading it back.

The JSON is the pipeline's memory: the next run reads it to keep every paper's
citation key and, where a service fails, the last record it had. So it holds
everything an `EnrichedRecord` holds, and nothing that changes between two runs
over the same metadata (no timestamps, no run statistics).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
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
    EntryType,
    FieldSource,
    Identifiers,
    Match,
    MatchStatus,
    Urls,
)
from enrich.urls import safe_url

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
        "url": safe_url(entry.url),
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
    """The `EnrichedRecord` a JSON record was written from (inverse of `record_to_json`).

    Every field is checked as it is read, since a person may have edited the file: a
    missing field or a value of the wrong type raises DamagedJson saying which.
    """
    record = _Fields(data, "")
    listed, match = record.object("list"), record.object("match")
    entry = Entry(
        title=listed.get("title", _TEXT),
        file=input_path,
        lines=tuple(listed.get("lines", _LINES)),
        sections=tuple(listed.get("sections", _TEXTS)),
        label=listed.get("label", _TEXT_OR_NULL),
        venue=listed.get("venue", _TEXT_OR_NULL),
        year=listed.get("year", _INT_OR_NULL),
        url=listed.get("url", _TEXT_OR_NULL, None),
        key=listed.get("key", _TEXT_OR_NULL, None),
        authors=tuple(listed.get("authors", _TEXTS, [])),
    )
    alternatives = tuple(
        Alternative(
            source=alt.get("source", _TEXT),
            title=alt.get("title", _TEXT),
            venue=alt.get("venue", _TEXT_OR_NULL),
            year=alt.get("year", _INT_OR_NULL),
            score=alt.get("score", _NUMBER),
            dblp_key=alt.get("dblp_key", _TEXT_OR_NULL, None),
            doi=alt.get("doi", _TEXT_OR_NULL, None),
        )
        for alt in match.objects("alternatives")
    )
    ids, urls = record.object("ids"), record.object("urls")
    return EnrichedRecord(
        entry=entry,
        match=Match(
            status=match.get("status", _one_of(get_args(MatchStatus))),
            score=match.get("score", _NUMBER_OR_NULL),
            decided_by=match.get("decided_by", _TEXT_OR_NULL),
            notes=tuple(match.get("notes", _TEXTS)),
            alternatives=alternatives,
        ),
        title=record.get("title", _TEXT),
        key=record.get("key", _KEY),
        authors=tuple(
            Author(
                name=author.get("name", _TEXT),
                dblp_pid=author.get("dblp_pid", _TEXT_OR_NULL, None),
                s2_id=author.get("s2_id", _TEXT_OR_NULL, None),
            )
            for author in record.objects("authors")
        ),
        year=record.get("year", _INT_OR_NULL),
        venue=record.get("venue", _TEXT_OR_NULL),
        venue_full=record.get("venue_full", _TEXT_OR_NULL),
        entry_type=record.get("type", _one_of(get_args(EntryType))),
        volume=record.get("volume", _TEXT_OR_NULL),
        number=record.get("number", _TEXT_OR_NULL),
        pages=record.get("pages", _TEXT_OR_NULL),
        publisher=record.get("publisher", _TEXT_OR_NULL),
        series=record.get("series", _TEXT_OR_NULL, None),
        editors=tuple(record.get("editors", _TEXTS, [])),
        doi=record.get("doi", _DOI_OR_NULL),
        ids=Identifiers(
            dblp=ids.get("dblp", _TEXT_OR_NULL, None),
            s2=ids.get("s2", _TEXT_OR_NULL, None),
            corpus_id=ids.get("corpus_id", _INT_OR_NULL, None),
            arxiv=ids.get("arxiv", _TEXT_OR_NULL, None),
        ),
        # A link a person (or anyone) edited into the file leaves again only if http(s).
        urls=Urls(**{name: safe_url(urls.get(name, _TEXT_OR_NULL, None)) for name in _URL_NAMES}),
        citation_count=record.get("citation_count", _INT_OR_NULL),
        abstract=record.get("abstract", _TEXT_OR_NULL, None),
        provenance=dict(record.get("provenance", _PROVENANCE)),
        stale=record.get("stale", _FLAG),
    )


def load_records(path: Path) -> list[EnrichedRecord]:
    """The records of a previous enriched JSON output, in its order.

    Raises InputError naming the file (and the record, and the field) when it is not an
    enrich JSON output of a schema version this code reads, or a person's edit broke it,
    so a run stops before its first request instead of failing halfway.
    """
    where = str(path)
    try:
        document = json.loads(Path(path).read_bytes().decode("utf-8"))
    except OSError as error:
        raise InputError(where, f"cannot be read ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise InputError(where, f"is not UTF-8 text; {_FIX}") from error
    except json.JSONDecodeError as error:
        problem = f"is not valid JSON ({error.msg}, column {error.colno}); {_FIX}"
        raise InputError(where, problem, line=error.lineno) from error
    if not isinstance(document, dict):
        raise InputError(where, f"is not an enrich JSON output (not an object); {_FIX}")
    if document.get("schema_version") != SCHEMA_VERSION:
        found = document.get("schema_version")
        raise InputError(where, f"schema_version {found!r} is not {SCHEMA_VERSION}")
    try:
        top = _Fields(document, "")
        input_path = top.object("input").get("path", _TEXT)
        records = top.get("records", _LIST)
    except DamagedJson as error:
        raise InputError(where, f"{error}; {_FIX}") from error
    loaded = []
    for index, data in enumerate(records):
        label = f"record {index + 1}"
        if not isinstance(data, dict):
            raise InputError(where, f"{label} is {_show(data)}, not an object; {_FIX}")
        if isinstance(data.get("key"), str):
            label += f" (key {data['key']!r})"
        try:
            loaded.append(record_from_json(data, input_path))
        except DamagedJson as error:
            raise InputError(where, f"{label}: {error}; {_FIX}") from error
    return loaded


def load_previous_keys(path: Path) -> dict[str, str]:
    """Identity -> citation key from a previous JSON output; empty when there is none."""
    if not Path(path).exists():
        return {}
    return keys_by_identity(load_records(path))


_FIX = "fix or remove the file"


class DamagedJson(ValueError):
    """A field of an enriched JSON that is missing or holds a value of the wrong type."""


@dataclass(frozen=True)
class _Kind:
    """What a field may hold, in words for the error message."""

    words: str
    accepts: Callable[[Any], bool]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _one_of(values: Sequence[str]) -> _Kind:
    return _Kind(f"one of {', '.join(values)}", lambda v: isinstance(v, str) and v in values)


_TEXT = _Kind("a string", lambda v: isinstance(v, str))
_KEY = _Kind("a non-empty string", lambda v: isinstance(v, str) and bool(v))
_TEXT_OR_NULL = _Kind("a string or null", lambda v: v is None or isinstance(v, str))
_DOI_OR_NULL = _Kind(
    'a DOI ("10.") or null', lambda v: v is None or (isinstance(v, str) and v.startswith("10."))
)
_INT_OR_NULL = _Kind("an integer or null", lambda v: v is None or _is_int(v))
_NUMBER = _Kind("a number", _is_number)
_NUMBER_OR_NULL = _Kind("a number or null", lambda v: v is None or _is_number(v))
_FLAG = _Kind("true or false", lambda v: isinstance(v, bool))
_OBJECT = _Kind("an object", lambda v: isinstance(v, dict))
_LIST = _Kind("a list", lambda v: isinstance(v, list))
_TEXTS = _Kind("a list of strings", _is_texts)
_LINES = _Kind(
    "a list of line numbers",
    lambda v: isinstance(v, list) and bool(v) and all(_is_int(n) and n >= 1 for n in v),
)
_SOURCES = get_args(FieldSource)
_PROVENANCE = _Kind(
    f"an object of field names to one of {', '.join(_SOURCES)}",
    lambda v: isinstance(v, dict) and all(source in _SOURCES for source in v.values()),
)
_URL_NAMES = tuple(url.name for url in fields(Urls))
_REQUIRED: Any = object()


@dataclass(frozen=True)
class _Fields:
    """A JSON object read field by field, each value checked before it is used."""

    data: Mapping[str, Any]
    where: str
    """The path to this object inside a record ("match.", "authors[2]."), for messages."""

    def get(self, name: str, kind: _Kind, default: Any = _REQUIRED) -> Any:
        """The field's value; DamagedJson when it is missing (and has no default) or wrong."""
        if name not in self.data:
            if default is _REQUIRED:
                raise DamagedJson(f"{self.where}{name} is missing")
            return default
        value = self.data[name]
        if not kind.accepts(value):
            raise DamagedJson(f"{self.where}{name} is {_show(value)}, not {kind.words}")
        return value

    def object(self, name: str) -> _Fields:
        return _Fields(self.get(name, _OBJECT), f"{self.where}{name}.")

    def objects(self, name: str) -> list[_Fields]:
        values = self.get(name, _LIST)
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                where = f"{self.where}{name}[{index}]"
                raise DamagedJson(f"{where} is {_show(value)}, not an object")
        return [_Fields(v, f"{self.where}{name}[{i}].") for i, v in enumerate(values)]


def _show(value: Any) -> str:
    """A value as the JSON file spells it (null, "20x3", 123), cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
