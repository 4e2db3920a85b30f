"""The `export` of each corpus record: what DBLP's record export holds, from real facts.

tests/fixtures/papers_part1_dblp.jsonl gives, per list paper, what DBLP itself publishes
(proceedings title, publisher, pages, `ee`, ...), each line saying where it was seen. A
record's export takes its own line's values, then those its proceedings share with the
other papers of that venue and year, then obviously synthetic ones (dblp_export's
`default_export`) for what no source gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from enrich.emulator.dblp_export import PMLR_SERIES, default_export, tex, tex_pages

# The real DBLP facts, kept in the repository beside the tests (a copy of the shared fixture).
DBLP_FACTS = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "papers_part1_dblp.jsonl"

_DBLP_BIBTEX_SOURCE = re.compile(r"DBLP (?:standard|condensed) BibTeX")
"""A `from` naming DBLP's own BibTeX: that line's values are already in its spelling."""
_EXPORT_FIELDS = ("title", "booktitle", "journal", "volume", "number", "pages", "publisher")
_PROCEEDINGS_FIELDS = ("booktitle", "publisher", "volume")
"""Export values that belong to a venue's proceedings of a year, not to one paper."""
_EXPORT_ORDER = ("type", "title", "booktitle", "journal", "series", "volume", "number",
                 "pages", "publisher", "editors", "ee", "eprint", "synthetic")  # fmt: skip


def read_dblp_facts(path: Path = DBLP_FACTS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def export_values(line: Mapping[str, Any]) -> dict[str, str]:
    """A DBLP facts line's values as the export writes them.

    Values seen in DBLP's own BibTeX are kept verbatim; the others (search hits, citation
    texts) get DBLP's spelling: braced capitals, LaTeX accents, "--" in page ranges, and
    no final period (DBLP's hits end titles with one, its BibTeX does not).
    """
    verbatim = any(_DBLP_BIBTEX_SOURCE.search(source) for source in line["from"])
    values: dict[str, str] = {}
    for name in _EXPORT_FIELDS:
        if line.get(name) is None:
            continue
        value = str(line[name])
        if not verbatim:
            value = value.removesuffix(".") if name == "title" else value
            value = tex_pages(value) if name == "pages" else tex(value)
        values[name] = value
    if line.get("ee"):
        values["ee"] = line["ee"]
    return values


def lines_by_record(
    lines: list[Mapping[str, Any]],
    published: Mapping[str, Mapping[str, Any]],
    by_key: Mapping[str, Mapping[str, Any]],
) -> dict[str, Mapping[str, Any]]:
    """Record key -> its DBLP facts line: by the line's key where the corpus has that key,
    else by list title (the published record of the list paper). Year and DOI must agree."""
    found: dict[str, Mapping[str, Any]] = {}
    for line in lines:
        record = by_key.get(line["dblp_key"] or "") or published.get(line["list_title"])
        if record is None:
            raise ValueError(f"no corpus record for DBLP facts line {line['list_title']!r}")
        if line["year"] is not None and str(line["year"]) != record["year"]:
            raise ValueError(f"{record['key']}: year {record['year']} but the line says "
                             f"{line['year']}")  # fmt: skip
        if line["doi"] and line["doi"].lower() != (record.get("doi") or line["doi"]).lower():
            raise ValueError(f"{record['key']}: DOI {record.get('doi')} vs {line['doi']}")
        found[record["key"]] = line
    return found


def proceedings_values(
    dblp: list[Mapping[str, Any]], values: Mapping[str, Mapping[str, str]]
) -> dict[tuple[str, str], dict[str, str]]:
    """(venue, year) -> the proceedings values its papers' lines give; they must agree."""
    shared: dict[tuple[str, str], dict[str, str]] = {}
    for record in dblp:
        of_venue = shared.setdefault((record["venue"], record["year"]), {})
        for name, value in values.get(record["key"], {}).items():
            if name in _PROCEEDINGS_FIELDS and of_venue.setdefault(name, value) != value:
                raise ValueError(f"{record['venue']} {record['year']}: two {name}s, "
                                 f"{of_venue[name]!r} and {value!r}")  # fmt: skip
    return shared


def export_for(
    record: Mapping[str, Any], own: Mapping[str, str], proceedings: Mapping[str, str]
) -> dict[str, Any]:
    """The record's `export`: its own facts, then its proceedings', then synthetic values."""
    export = default_export(record)
    if export["type"] == "inproceedings":
        for name, value in {**proceedings, **own}.items():
            export[name] = value
            if name in export.get("synthetic", ()):
                export["synthetic"].remove(name)
        if export.get("publisher") == "{PMLR}":
            export["series"] = PMLR_SERIES
        if not export.get("synthetic"):
            export.pop("synthetic", None)
    return {name: export[name] for name in _EXPORT_ORDER if name in export}
