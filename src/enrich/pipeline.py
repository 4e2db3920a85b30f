"""One run, every stage: parse -> resolve (sources, match, merge) -> keep last-known-good -> emit.

The pipeline never makes the bibliography worse: a paper this run could not refresh
keeps its previous record, marked stale; a run that refreshed nothing leaves the
outputs as they were; everything that could stop a run (bad input, an output folder it
cannot write, a damaged previous JSON) is found before the first request; and every
output of the run is rendered first, then replaced as one set (emit.files), so an
interrupt or a full disk leaves the whole old set or the whole new one.
"""

from __future__ import annotations

import logging
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
    output_files,
    output_paths,
    prepare_folder,
    write_files,
)
from enrich.errors import ExitCode, InputError
from enrich.http import HttpClient, HttpConfig, HttpStats
from enrich.lastgood import FRESH, combine
from enrich.models import EnrichedRecord, Entry
from enrich.overrides import OverridesFile, inspect_overrides, read_overrides
from enrich.readinglist import ReadingList, read_list
from enrich.resolve import resolve_entries
from enrich.review import REVIEW_SUFFIX, render_review, repeats
from enrich.samerecord import merge_same_records, repeated_in_other_lists
from enrich.sources import DblpSource, S2Source, Source
from enrich.sources.base import SwitchedOff
from enrich.sources.dblp import DEFAULT_URL as DBLP_URL
from enrich.sources.dblp.local import LocalDblpSource
from enrich.sources.dblp.local.choice import DblpChoice, index_to_use
from enrich.sources.s2 import DEFAULT_URL as S2_URL
from enrich.text import normalize_title

DEFAULT_INPUT = Path("data/raw/mlsys-reading-list.md")
DEFAULT_OUT = Path("data/enriched")
DEFAULT_OVERRIDES = Path("data/overrides.csv")
_log = logging.getLogger(__name__)


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
    dblp: DblpChoice = field(default_factory=DblpChoice)
    """The DBLP API, the local index, or the index when fresh enough (auto)."""
    s2: bool = True
    """False for `--no-s2`: Semantic Scholar is not asked at all."""


@dataclass(frozen=True)
class ListResult:
    """What a run did with one input list."""

    reading_list: ReadingList
    records: tuple[EnrichedRecord, ...]
    """Every paper of the list, in list order, as written to the outputs."""
    looked_up: tuple[EnrichedRecord, ...]
    """The papers this run asked the services about (all, unless --only/--limit)."""
    written: tuple[Path, ...]
    """The outputs written, its review report last; empty when no paper could be refreshed
    (the old ones are kept).

    All lists' outputs are written together once every list is resolved; a run that
    cannot write them raises OutputError instead of returning."""
    warnings: tuple[str, ...] = ()
    """Lines merged because they resolved to the same record, as "file:line: ..."."""


@dataclass(frozen=True)
class RunReport:
    """The outcome of a run: per-list results, service trouble, HTTP counters, wall time."""

    lists: tuple[ListResult, ...]
    service_errors: dict[str, str]
    http: HttpStats
    seconds: float
    reviews: tuple[Path, ...]
    """The review report of each list whose outputs were written, in list order."""

    @property
    def review(self) -> Path | None:
        """The review report to point a person at: the one written, or a pattern naming
        them all ("data/enriched/*.review.md"); None when none was written."""
        if len(self.reviews) > 1:
            return self.reviews[0].parent / f"*{REVIEW_SUFFIX}"
        return self.reviews[0] if self.reviews else None

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


@dataclass(frozen=True)
class _Before:
    """What a run reads of one list before its first request."""

    source: bytes
    """The input file's bytes, whose sha256 the JSON output records."""
    previous: tuple[EnrichedRecord, ...]
    """The records of the previous run's JSON output; none on a first run."""


def run(
    lists: Sequence[ReadingList],
    options: RunOptions,
    progress: RunProgress | None = None,
) -> RunReport:
    """Resolve every list's papers, one list after another, then write all the outputs."""
    started = time.perf_counter()
    index = index_to_use(options.dblp, options.http.cache_path)
    before = _read_before(lists, options)
    overrides = read_overrides(options.overrides)
    results: list[ListResult] = []
    errors: dict[str, str] = {}
    seen: dict[str, EnrichedRecord] = {}
    with HttpClient(options.http) as client:
        dblp: Source = (
            LocalDblpSource(index.path) if index else DblpSource(client, options.dblp_url)
        )
        if index is not None:
            _log.info("DBLP from the local index %s (dump of %s)", index.path, index.dump_date)
        s2: Source = (
            S2Source(client, options.s2_url, abstracts=options.abstracts)
            if options.s2
            else SwitchedOff(S2Source.name)
        )
        for reading_list, state in zip(lists, before, strict=True):
            previous = list(state.previous)
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
            refreshed = any(record.match.status in FRESH for record in fresh)
            written = _outputs_of(reading_list, options) if options.write and refreshed else ()
            asked = {normalize_title(entry.title) for entry in chosen}
            looked_up = tuple(r for r in records if normalize_title(r.entry.title) in asked)
            results.append(
                ListResult(reading_list, tuple(records), looked_up, written, tuple(merged))
            )
        stats = client.stats
    errors.update(_outages_behind_the_cache(stats, errors))
    reviews = _write_all(results, before, options)
    return RunReport(tuple(results), errors, stats, time.perf_counter() - started, reviews)


def emit_again(lists: Sequence[ReadingList], options: RunOptions) -> RunReport:
    """Rewrite every output from the enriched JSON already there, without any request."""
    started = time.perf_counter()
    before = _read_before(lists, options, need_previous=True)
    results = []
    for reading_list, state in zip(lists, before, strict=True):
        previous = list(state.previous)
        records, merged = merge_same_records(combine(reading_list.entries, [], previous))
        records = assign_keys(records, keys_by_identity(previous))
        written = _outputs_of(reading_list, options)
        results.append(
            ListResult(reading_list, tuple(records), tuple(records), written, tuple(merged))
        )
    reviews = _write_all(results, before, options)
    return RunReport(tuple(results), {}, HttpStats(), time.perf_counter() - started, reviews)


def _outages_behind_the_cache(stats: HttpStats, errors: Mapping[str, str]) -> dict[str, str]:
    """A service that failed while expired cached answers stood in for it: the run could
    answer, but the service is down, which the summary and exit code must say."""
    return {
        service: f"{reason}; {stats.stale.get(service, 0)} expired cached answers used instead"
        for service, reason in stats.stale_errors.items()
        if service not in errors
    }


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


def _read_before(
    lists: Sequence[ReadingList], options: RunOptions, need_previous: bool = False
) -> list[_Before]:
    """Everything a run must read or check before its first request, so that a problem
    costs no lookup: outputs apart, the output folder writable (when the run writes), each
    input's bytes and each previous JSON, validated (`need_previous`: it must be there)."""
    check_outputs_apart(lists, options.out_dir)
    if options.write:
        paths = [path for reading_list in lists for path in _outputs_of(reading_list, options)]
        prepare_folder(options.out_dir, paths)
    before = []
    for reading_list in lists:
        json_path = output_paths(Path(reading_list.file), options.out_dir)["json"]
        if need_previous and not json_path.exists():
            raise InputError(str(json_path), "not there yet: run `enrich run` first")
        previous = load_records(json_path) if json_path.exists() else []
        try:
            source = Path(reading_list.file).read_bytes()
        except OSError as error:
            reason = f"cannot be read again ({error.strerror or error})"
            raise InputError(reading_list.file, reason) from error
        before.append(_Before(source, tuple(previous)))
    return before


def _outputs_of(reading_list: ReadingList, options: RunOptions) -> tuple[Path, ...]:
    """The output paths of one list: .bib, .csv, .json, .csl.json, .html, then .review.md."""
    paths = output_paths(Path(reading_list.file), options.out_dir).values()
    return (*paths, review_path(Path(reading_list.file), options.out_dir))


def review_path(input_path: Path, out_dir: Path) -> Path:
    """Where a list's review report goes: mlsys-reading-list.review.md beside its outputs."""
    return Path(out_dir) / f"{Path(input_path).stem}{REVIEW_SUFFIX}"


def _write_all(
    results: Sequence[ListResult], before: Sequence[_Before], options: RunOptions
) -> tuple[Path, ...]:
    """Every output of the run as one set: each list with outputs to write, and its review.

    Records already carry their stable keys. Returns the reviews' paths; none when no list
    had anything to write (then nothing is touched).
    """
    files: dict[Path, bytes] = {}
    reviews: dict[Path, bytes] = {}
    overrides = inspect_overrides(options.overrides)
    for result, state in zip(results, before, strict=True):
        if result.written:
            path = Path(result.reading_list.file)
            rendered = output_files(
                result.records, path, state.source, options.out_dir, options.booktitle
            )
            files.update(rendered)
            reviews[review_path(path, options.out_dir)] = _review(result, overrides)
    if not files:
        return ()
    write_files({**files, **reviews})
    return tuple(reviews)


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


def _review(result: ListResult, overrides: OverridesFile) -> bytes:
    """The list's review report: its papers, and its lines merged as one paper (the
    parser's repeats, then those the sources showed to be one record)."""
    merges = [*repeats(result.reading_list.warnings), *result.warnings]
    return render_review(
        result.records, overrides, source=result.reading_list.file, merges=merges
    ).encode("utf-8")
