"""One paper, one entry: list lines that resolve to the same record become one record.

The parser already merges lines whose titles are equal; this catches what only the
sources can tell, e.g. "A Generic Communication Scheduler ..." under one heading and a
reworded title under another that DBLP resolves to the same key. Two entries of one paper
would cite it twice under two keys (peng2019generic, peng2019generica).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from enrich.models import EnrichedRecord
from enrich.readinglist.dedupe import combine_entries
from enrich.text import normalize_title


def record_identity(record: EnrichedRecord) -> tuple[str, ...]:
    """What makes two records one paper: its DBLP key, its DOI. Only a matched record has one."""
    if record.match.status != "matched":
        return ()
    identity = []
    if record.ids.dblp:
        identity.append(f"dblp:{record.ids.dblp}")
    if record.doi:
        identity.append(f"doi:{record.doi.lower()}")
    return tuple(identity)


def merge_same_records(
    records: Sequence[EnrichedRecord],
) -> tuple[list[EnrichedRecord], list[str]]:
    """The records in list order with each paper once, and a warning per merged line.

    The first record of a paper stays, with the later entries' lines and sections.
    """
    kept: list[EnrichedRecord] = []
    where: dict[str, int] = {}
    warnings: list[str] = []
    for record in records:
        index = next((where[i] for i in record_identity(record) if i in where), None)
        if index is not None and _keyed_apart(kept[index], record):
            first = kept[index]
            warnings.append(
                f"{record.entry.file}:{record.entry.lines[0]}: {record.entry.key} is the same "
                f"record as {first.entry.key} (line {first.entry.lines[0]}, {_name(first)}); "
                "both kept, as the input gives them different keys"
            )
            continue
        if index is None:
            for identity in record_identity(record):
                where.setdefault(identity, len(kept))
            kept.append(record)
            continue
        first = kept[index]
        kept[index] = replace(first, entry=combine_entries(first.entry, record.entry))
        warnings.append(
            f"{record.entry.file}:{record.entry.lines[0]}: {record.entry.title!r} is the same "
            f"record as line {first.entry.lines[0]} ({_name(first)}); one entry with lines "
            f"{', '.join(map(str, kept[index].entry.lines))}"
        )
    return kept, warnings


def _keyed_apart(first: EnrichedRecord, record: EnrichedRecord) -> bool:
    """Two entries the input gave different keys: each key is cited, so both must stay."""
    keys = (first.entry.key, record.entry.key)
    return all(keys) and keys[0] != keys[1]


def paper_identities(record: EnrichedRecord) -> tuple[str, ...]:
    """The names a paper is known by from run to run, most specific first.

    An input key (a .bib's) comes first, and then stands for the entry alone; else the
    list's own title (normalised), which changes only when the user edits it. DOI and
    DBLP key catch a paper whose list title was corrected.
    """
    entry = record.entry
    identities = [f"key:{entry.key}" if entry.key else f"list:{normalize_title(entry.title)}"]
    if record.doi:
        identities.append(f"doi:{record.doi.lower()}")
    if record.ids.dblp:
        identities.append(f"dblp:{record.ids.dblp}")
    return tuple(identities)


def repeated_in_other_lists(
    records: Sequence[EnrichedRecord], seen: dict[str, EnrichedRecord]
) -> list[str]:
    """A warning for each record an earlier list of the run already holds; `seen` (identity
    -> record) learns this list's records. Each list keeps its own outputs, so the paper
    stays in both, under the key each list gave it."""
    warnings = []
    for record in records:
        earlier = next((seen[i] for i in record_identity(record) if i in seen), None)
        if earlier is not None and earlier.entry.file != record.entry.file:
            warnings.append(
                f"{record.entry.file}:{record.entry.lines[0]}: {record.entry.title!r} is the "
                f"same record as {earlier.entry.file}:{earlier.entry.lines[0]} ({_name(record)}, "
                f"key {earlier.key} there, {record.key} here)"
            )
        for identity in record_identity(record):
            seen.setdefault(identity, record)
    return warnings


def _name(record: EnrichedRecord) -> str:
    return f"DBLP {record.ids.dblp}" if record.ids.dblp else f"DOI {record.doi}"
