"""The ways to settle a paper, as rows of the overrides file: pin a record, or skip.

The report prints them as lines to paste and `enrich review` appends them; both go through
`OverridesFile.line`, so a row fits the file as it is (its columns, its order, CSV quoting)
and is read back by overrides.py as the override it means.
"""

from __future__ import annotations

from dataclasses import dataclass

from enrich.models import EnrichedRecord
from enrich.overrides import COLUMNS, OverridesFile
from enrich.text import clean_text

MAX_PINS = 9
"""Keys 1..9 pin a candidate in `enrich review`; the report offers as many."""


@dataclass(frozen=True)
class Pin:
    """A record a paper can be pinned to: the chosen one, or a candidate."""

    title: str
    venue: str | None
    year: int | None
    score: float | None
    dblp_key: str | None = None
    doi: str | None = None
    s2_id: str | None = None
    chosen: bool = False
    """True for the record matching chose (pinning it confirms the match)."""


def pins(record: EnrichedRecord) -> list[Pin]:
    """The records to offer, best first: the chosen record of a match with notes, then the
    candidates with an identifier to pin them by, each record once."""
    found: list[Pin] = []
    if record.match.status == "matched" and (record.ids.dblp or record.doi or record.ids.s2):
        found.append(
            Pin(
                title=record.title,
                venue=record.venue,
                year=record.year,
                score=record.match.score,
                dblp_key=record.ids.dblp,
                doi=record.doi,
                s2_id=record.ids.s2,
                chosen=True,
            )
        )
    for alt in record.match.alternatives:
        if not (alt.dblp_key or alt.doi):
            continue
        if any(_same(p, alt.dblp_key, alt.doi) for p in found):
            continue
        found.append(Pin(alt.title, alt.venue, alt.year, alt.score, alt.dblp_key, alt.doi))
    return found[:MAX_PINS]


def pin_row(record: EnrichedRecord, pin: Pin, file: OverridesFile) -> dict[str, str]:
    """The overrides row pinning the paper to `pin`: by DBLP key and DOI (the S2 id only
    when it has neither), leaving out an identifier the file has no column for as long as
    another one is left."""
    ids = {"dblp_key": pin.dblp_key or "", "doi": pin.doi or ""}
    if not any(ids.values()):
        ids = {"s2_id": pin.s2_id or ""}
    columns = file.columns or COLUMNS
    fitting = {name: value for name, value in ids.items() if value and name in columns}
    return {**_naming(record, file), **(fitting or ids), "action": "pin"}


def skip_row(record: EnrichedRecord, file: OverridesFile) -> dict[str, str]:
    """The overrides row that leaves the paper out of the bibliography."""
    return {**_naming(record, file), "action": "skip"}


def _naming(record: EnrichedRecord, file: OverridesFile) -> dict[str, str]:
    """The cell naming the paper: its title, or its citation key where the file has no
    title column or the title would start the line with '#' (read as a comment)."""
    columns = file.columns or COLUMNS
    title = clean_text(record.entry.title)
    key = record.entry.key or record.key
    comment = columns[0] == "title" and title.startswith("#")
    if key and "key" in columns and ("title" not in columns or comment):
        return {"key": key}
    return {"title": title}


def _same(pin: Pin, dblp_key: str | None, doi: str | None) -> bool:
    if dblp_key and pin.dblp_key == dblp_key:
        return True
    return bool(doi and pin.doi and pin.doi.lower() == doi.lower())
