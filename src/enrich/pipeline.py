"""One run, every stage: parse -> resolve (sources, match, merge) -> keep last-known-good -> emit.

The pipeline never makes the bibliography worse: a paper this run could not refresh
keeps its previous record, marked stale; a run that refreshed nothing leaves the
outputs as they were; outputs are replaced only once all of them are rendered.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from enrich.emit import (
    BooktitleStyle,
    assign_keys,
    keys_by_identity,
    load_records,
    output_paths,
    write_outputs,
)
from enrich.emit.files import write_atomically
from enrich.errors import ExitCode, InputError
from enrich.http import HttpClient, HttpConfig, HttpStats
from enrich.lastgood import FRESH, combine
from enrich.models import EnrichedRecord, Entry
from enrich.overrides import read_overrides
from enrich.readinglist import ReadingList, read_list
from enrich.resolve import resolve_entries
from enrich.review import render_review
from enrich.samerecord import merge_same_records, repeated_in_other_lists
from enrich.sources import DblpSource, S2Source
from enrich.sources.dblp import DEFAULT_URL as DBLP_URL
from enrich.sources.s2 import DEFAULT_URL as S2_URL
from enrich.text import normalize_title

DEFAULT_INPUT = Path("data/raw/mlsys-reading-list.md")
DEFAULT_OUT = Path("data/enriched")
DEFAULT_OVERRIDES = Path("data/overrides.csv")
REVIEW_NAME = "review.md"


@dataclass(frozen=True)
class RunOptions:
    """Everything a run needs besides the parsed lists; the CLI fills it from flags and env."""

    out_dir: Path = DEFAULT_OUT
    http: HttpConfig = field(default_factory=HttpConfig)
    dblp_url: str = DBLP_URL
    s2_url: str = S2_URL
    overrides: Path = DEFAULT_OVERRIDES
    only: tuple[str, ...] = ()
    limit: int | None = None
    jobs: int = 4
    abstracts: bool = False
    booktitle: BooktitleStyle = "full"
    """How the .bib names a conference: DBLP's proceedings title, or "SOSP '23"."""
    write: bool = True
    """False for `enrich resolve`: look everything up, write nothing."""


@dataclass(frozen=True)
class ListResult:
    """What a run did with one input list."""

    reading_list: ReadingList
    records: tuple[EnrichedRecord, ...]
    """Every paper of the list, in list order, as written to the outputs."""
    looked_up: tuple[EnrichedRecord, ...]
    """The papers this run asked the services about (all, unless --only/--limit)."""
    written: tuple[Path, ...]
    """The outputs written; empty when no paper could be refreshed (the old ones are kept)."""
    warnings: tuple[str, ...] = ()
    """Lines merged because they resolved to the same record, as "file:line: ..."."""


@dataclass(frozen=True)
class RunReport:
    """The outcome of a run: per-list results, service trouble, HTTP counters, wall time."""

    lists: tuple[ListResult, ...]
    service_errors: dict[str, str]
    http: HttpStats
    seconds: float
    review: Path | None

    @property
    def records(self) -> list[EnrichedRecord]:
        return [record for result in self.lists for record in result.records]

    @property
    def looked_up(self) -> list[EnrichedRecord]:
        return [record for result in self.lists for record in result.looked_up]

    @property
    def exit_code(self) -> ExitCode:
        """3 when a service failed, 1 when a paper looked up is not settled, else 0."""
        statuses = {record.match.status for record in self.looked_up}
        if self.service_errors or statuses & {"error", "not_cached"}:
            return ExitCode.UNREACHABLE
        if statuses & {"ambiguous", "unmatched"}:
            return ExitCode.INCOMPLETE
        return ExitCode.OK


def read_inputs(paths: Sequence[Path], format: str | None = None) -> list[ReadingList]:
    """Parse every input before any request, so bad input fails fast and costs nothing."""
    return [read_list(path, format) for path in paths]


class RunProgress(Protocol):
    """Told how many papers a list will look up, then of each one as it ends."""

    def start(self, total: int) -> None: ...

    def advance(self, entry: Entry, status: str) -> None: ...


def run(
    lists: Sequence[ReadingList],
    options: RunOptions,
    progress: RunProgress | None = None,
) -> RunReport:
    """Resolve every list's papers and write its outputs, one list after another."""
    started = time.perf_counter()
    check_outputs_apart(lists, options.out_dir)
    overrides = read_overrides(options.overrides)
    results: list[ListResult] = []
    errors: dict[str, str] = {}
    seen: dict[str, EnrichedRecord] = {}
    with HttpClient(options.http) as client:
        dblp = DblpSource(client, options.dblp_url)
        s2 = S2Source(client, options.s2_url, abstracts=options.abstracts, dblp_ids=True)
        for reading_list in lists:
            paths = output_paths(Path(reading_list.file), options.out_dir)
            previous = load_records(paths["json"]) if paths["json"].exists() else []
            keys = {normalize_title(record.entry.title): record.key for record in previous}
            chosen = select_entries(reading_list.entries, options.only, options.limit, keys)
            if progress is not None:
                progress.start(len(chosen))
            fresh, trouble = resolve_entries(
                chosen,
                dblp,
                s2,
                overrides,
                options.jobs,
                progress.advance if progress else None,
                keys,
            )
            errors.update(trouble.errors)
            records, merged = merge_same_records(combine(reading_list.entries, fresh, previous))
            records = assign_keys(records, keys_by_identity(previous))
            merged += repeated_in_other_lists(records, seen)
            written: tuple[Path, ...] = ()
            refreshed = any(record.match.status in FRESH for record in fresh)
            if options.write and refreshed:
                written = _write(records, reading_list, options)
            asked = {normalize_title(entry.title) for entry in chosen}
            looked_up = tuple(r for r in records if normalize_title(r.entry.title) in asked)
            results.append(
                ListResult(reading_list, tuple(records), looked_up, written, tuple(merged))
            )
        stats = client.stats
    review = None
    if options.write and any(result.written for result in results):
        review = write_review(results, options)
    return RunReport(tuple(results), errors, stats, time.perf_counter() - started, review)


def emit_again(lists: Sequence[ReadingList], options: RunOptions) -> RunReport:
    """Rewrite every output from the enriched JSON already there, without any request."""
    started = time.perf_counter()
    check_outputs_apart(lists, options.out_dir)
    results = []
    for reading_list in lists:
        paths = output_paths(Path(reading_list.file), options.out_dir)
        if not paths["json"].exists():
            raise InputError(str(paths["json"]), "not there yet: run `enrich run` first")
        previous = load_records(paths["json"])
        records, merged = merge_same_records(combine(reading_list.entries, [], previous))
        records = assign_keys(records, keys_by_identity(previous))
        written = _write(records, reading_list, options)
        results.append(
            ListResult(reading_list, tuple(records), tuple(records), written, tuple(merged))
        )
    review = write_review(results, options)
    return RunReport(tuple(results), {}, HttpStats(), time.perf_counter() - started, review)


def check_outputs_apart(lists: Sequence[ReadingList], out_dir: Path) -> None:
    """Refuse, before any request, two inputs whose outputs would share a name
    (a/list.md and b/list.md both write list.bib): the second would replace the first."""
    owner: dict[Path, str] = {}
    for reading_list in lists:
        target = output_paths(Path(reading_list.file), out_dir)["json"]
        if target in owner and owner[target] != reading_list.file:
            raise InputError(
                reading_list.file,
                f"its outputs would replace those of {owner[target]} ({target.with_suffix('')}"
                ".*); give the lists different file names or run them with different --out",
            )
        owner[target] = reading_list.file


def _write(
    records: Sequence[EnrichedRecord], reading_list: ReadingList, options: RunOptions
) -> tuple[Path, ...]:
    """The four outputs of one list; records already carry their stable keys."""
    path = Path(reading_list.file)
    return tuple(
        write_outputs(records, path, options.out_dir, previous_keys={}, booktitle=options.booktitle)
    )


def select_entries(
    entries: Sequence[Entry],
    only: Sequence[str],
    limit: int | None,
    keys: Mapping[str, str] | None = None,
) -> list[Entry]:
    """The entries this run looks up: those --only names, at most --limit.

    --only names a paper by part of its title or by its citation key: the key of an
    input .bib, or the one an earlier run gave it (`keys`: normalised title -> key).
    """
    chosen = list(entries)
    if only:
        keys = keys or {}
        wanted = [normalize_title(text) for text in only]

        def named(entry: Entry) -> bool:
            title = normalize_title(entry.title)
            key = entry.key or keys.get(title)
            return key in only or any(w and w in title for w in wanted)

        chosen = [entry for entry in chosen if named(entry)]
    return chosen[:limit] if limit is not None else chosen


def write_review(results: Sequence[ListResult], options: RunOptions) -> Path:
    """review.md beside the outputs, for every list of the run."""
    path = options.out_dir / REVIEW_NAME
    records = [record for result in results for record in result.records]
    text = render_review(records, overrides_path=str(options.overrides))
    write_atomically(path, text.encode("utf-8"))
    return path
