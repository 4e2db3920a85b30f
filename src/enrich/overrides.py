"""Hand-written decisions that beat matching: data/overrides.csv.

A person settles what matching could not (or got wrong) with one CSV line: pin a paper to
a record by DBLP key, DOI or Semantic Scholar id, or mark it `skip`. The file is read
strictly: a bad row stops the run with one line naming file:line, because a silently
ignored override would let a wrong record through. Lines are written for the file as it
is (its header's columns, in its order), so a line the review suggests or `enrich review`
appends is read back as exactly the override it means.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import InputError
from .models import Candidate, Entry
from .text import allow_long_csv_fields, normalize_title

OverrideAction = Literal["pin", "skip"]

COLUMNS = ("title", "key", "dblp_key", "doi", "s2_id", "action")
"""Recognised columns; `title` or `key` names the paper, the rest say what to do."""
HEADER = ",".join(COLUMNS)
"""The header line a new overrides file starts with."""

_DBLP_KEY = re.compile(r"^[a-z]+/[\w.+-]+/[\w.+-]+$", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/", re.IGNORECASE)
_S2_ID = re.compile(r"^(?:[0-9a-f]{40}|CorpusId:\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Override:
    """One row of the overrides file."""

    origin: str
    """Where it was written, "data/overrides.csv:3", shown wherever the override is used."""
    action: OverrideAction
    title: str | None = None
    key: str | None = None
    dblp_key: str | None = None
    doi: str | None = None
    s2_id: str | None = None

    def applies_to(self, entry: Entry, key: str | None = None) -> bool:
        """True for the entry this row names, by citation key or by normalised title."""
        keys = {k for k in (entry.key, key) if k}
        if self.key and self.key in keys:
            return True
        return bool(self.title) and normalize_title(self.title) == normalize_title(entry.title)

    def pins(self, candidate: Candidate) -> bool:
        """True when the candidate is the record this row pins."""
        if self.dblp_key and candidate.ids.dblp == self.dblp_key:
            return True
        if self.doi and candidate.doi and candidate.doi.lower() == self.doi.lower():
            return True
        return bool(self.s2_id) and self.s2_id in {candidate.ids.s2, _corpus(candidate)}


def _corpus(candidate: Candidate) -> str | None:
    return f"CorpusId:{candidate.ids.corpus_id}" if candidate.ids.corpus_id else None


def read_overrides(path: str | Path) -> tuple[Override, ...]:
    """The overrides in the file; none when the file does not exist (it is optional)."""
    file = Path(path)
    if not file.exists():
        return ()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read overrides file: {exc}") from exc
    return parse_overrides(text, str(path))


def parse_overrides(text: str, path: str) -> tuple[Override, ...]:
    """Parse the CSV text; raise InputError naming path:line for the first bad row."""
    allow_long_csv_fields()
    rows = csv.reader(io.StringIO(text))
    try:
        return _overrides_of(rows, path)
    except csv.Error as error:
        raise InputError(path, f"is not valid CSV ({error})", rows.line_num + 1) from None


def _overrides_of(rows: Any, path: str) -> tuple[Override, ...]:
    header = _read_header(rows, path) or list(COLUMNS)
    overrides: list[Override] = []
    seen: dict[tuple[str, str], str] = {}
    for cells in rows:
        line = rows.line_num
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) > len(header):
            raise InputError(path, f"{len(cells)} cells but the header has {len(header)}", line)
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        override = _row_to_override(row, f"{path}:{line}", path, line)
        for ident in _identities(override):
            if ident in seen:
                raise InputError(
                    path, f"a second override for {ident[1]!r} (first: {seen[ident]})", line
                )
            seen[ident] = override.origin
        overrides.append(override)
    return tuple(overrides)


@dataclass(frozen=True)
class OverridesFile:
    """The overrides file as a line written for it must fit: its path and its header."""

    path: str
    columns: tuple[str, ...] | None
    """The header's columns, in its order; None while the file has no header (missing, empty)."""
    problem: str | None = None
    """Why the file cannot be read as it is; the next run stops on it too."""

    def line(self, values: Mapping[str, str]) -> str | None:
        """`values` (column -> cell) as one CSV line of this file, or None when one of them
        has no column here, or the line would start with '#' (read as a comment)."""
        columns = self.columns or COLUMNS
        if any(value and name not in columns for name, value in values.items()):
            return None
        cells = [values.get(name, "") for name in columns]
        if cells[0].lstrip().startswith("#"):
            return None
        return _csv_line(cells)

    def lacks(self, values: Mapping[str, str]) -> list[str]:
        """The columns `values` needs that the file's header does not have."""
        columns = self.columns or COLUMNS
        return [name for name, value in values.items() if value and name not in columns]


def inspect_overrides(path: str | Path) -> OverridesFile:
    """What the file looks like now; never raises (a broken file is the run's to report)."""
    file = Path(path)
    if not file.exists():
        return OverridesFile(str(path), None)
    try:
        text = file.read_text(encoding="utf-8-sig")
        header = _read_header(csv.reader(io.StringIO(text)), str(path))
    except (OSError, UnicodeDecodeError, InputError, csv.Error) as exc:
        return OverridesFile(str(path), None, problem=str(exc))
    return OverridesFile(str(path), tuple(header) if header else None)


def start_overrides(path: str | Path) -> None:
    """Create the file with its header line; an existing file is never replaced."""
    file = Path(path)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with file.open("x", encoding="utf-8", newline="") as handle:
            handle.write(HEADER + "\n")
    except FileExistsError:
        raise InputError(str(path), "already exists; its rows are kept as they are") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be created ({exc.strerror or exc})") from exc


def append_overrides(path: str | Path, rows: Sequence[Mapping[str, str]]) -> list[str]:
    """Append rows (column -> cell) to the file, started with its header when it has none;
    the existing rows are kept byte for byte. The whole file is parsed first, so a row that
    would stop the next run (a second override of a paper) is refused here. Returns where
    each new row went, "data/overrides.csv:7"."""
    file = Path(path)
    shape = inspect_overrides(path)
    if shape.problem is not None:
        raise InputError(str(path), f"cannot add to it: {shape.problem}")
    try:
        text = file.read_bytes().decode("utf-8-sig") if file.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read overrides file: {exc}") from exc
    newline = "\r\n" if "\r\n" in text else "\n"
    added = [] if shape.columns else [HEADER]
    for row in rows:
        line = shape.line(row)
        if line is None:
            missing = ", ".join(shape.lacks(row)) or "title"
            raise InputError(str(path), f"its header has no column for this row ({missing})")
        added.append(line)
    lead = newline if text and not text.endswith(("\n", "\r")) else ""
    addition = lead + newline.join(added) + newline
    overrides = parse_overrides(text + addition, str(path))
    try:
        with file.open("a", encoding="utf-8", newline="") as handle:
            handle.write(addition)
    except OSError as exc:
        raise InputError(str(path), f"cannot be written ({exc.strerror or exc})") from exc
    return [override.origin for override in overrides[len(overrides) - len(rows) :]]


def _csv_line(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def find_override(
    overrides: Iterable[Override], entry: Entry, key: str | None = None
) -> Override | None:
    """The override for this entry (by key first, then by title), if any."""
    candidates = list(overrides)
    for override in candidates:
        if override.key and override.applies_to(entry, key):
            return override
    return next((o for o in candidates if o.applies_to(entry, key)), None)


def _read_header(rows: Iterable[list[str]], path: str) -> list[str] | None:
    """The header row's columns, or None when the text has no row yet (blank, comments)."""
    for cells in rows:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        header = [c.strip().lower() for c in cells]
        unknown = [c for c in header if c not in COLUMNS]
        line = getattr(rows, "line_num", None)
        if unknown:
            raise InputError(
                path, f"unknown column {unknown[0]!r}; expected some of {', '.join(COLUMNS)}", line
            )
        if "title" not in header and "key" not in header:
            raise InputError(path, "the header needs a 'title' or a 'key' column", line)
        return header
    return None


def _row_to_override(row: dict[str, str], origin: str, path: str, line: int) -> Override:
    title, key = row.get("title") or None, row.get("key") or None
    if not title and not key:
        raise InputError(path, "give the paper's title or its citation key", line)
    doi = row.get("doi") or None
    if doi:
        doi = _DOI_URL.sub("", doi)
        if not _DOI.match(doi):
            raise InputError(path, f"not a DOI: {row['doi']!r} (a DOI starts with '10.')", line)
    dblp_key = row.get("dblp_key") or None
    if dblp_key and not _DBLP_KEY.match(dblp_key):
        raise InputError(path, f"not a DBLP key: {dblp_key!r} (e.g. conf/osdi/YuJKKC22)", line)
    s2_id = row.get("s2_id") or None
    if s2_id and not _S2_ID.match(s2_id):
        raise InputError(
            path, f"not a Semantic Scholar id: {s2_id!r} (40 hex digits or CorpusId:N)", line
        )
    action = (row.get("action") or "pin").lower()
    if action not in ("pin", "skip"):
        raise InputError(path, f"unknown action {row['action']!r}; use 'pin' or 'skip'", line)
    if action == "pin" and not (dblp_key or doi or s2_id):
        raise InputError(path, "a pin needs a dblp_key, a doi or an s2_id", line)
    return Override(
        origin=origin,
        action="skip" if action == "skip" else "pin",
        title=title,
        key=key,
        dblp_key=dblp_key,
        doi=doi,
        s2_id=s2_id,
    )


def _identities(override: Override) -> list[tuple[str, str]]:
    found = [("key", override.key)] if override.key else []
    if override.title:
        found.append(("title", normalize_title(override.title)))
    return [(kind, value) for kind, value in found if value]
