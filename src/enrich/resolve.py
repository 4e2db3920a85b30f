"""Resolving entries: ask the sources, let matching choose, fetch the records' details, merge.

The order keeps requests few: one DBLP search per paper (DBLP is the bibliographic
authority), then one S2 batch for every chosen paper at once, then one DBLP record export
per chosen DBLP record (a search hit lacks the proceedings title, publisher and series).
S2's title match is asked only for a paper S2 cannot be asked about by identifier, or one
DBLP could not resolve (or could not be reached), so S2 alone still resolves the list when
DBLP is down. S2 trouble only degrades a record (no citation count, no PDF link); it never
loses what DBLP gave.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from enrich.http import NotCached, ServiceError
from enrich.linked import carries, check_links, choose_linked
from enrich.match import Decision, choose_record, no_decision
from enrich.merge import merge_record
from enrich.models import Candidate, EnrichedRecord, Entry, Identifiers
from enrich.overrides import Override, find_override
from enrich.sources import Source
from enrich.sources.base import PartialFetch
from enrich.text import normalize_title

ProgressCallback = Callable[[Entry, str], None]
"""Called once per entry when its lookup ends, with the status it ended in."""


@dataclass
class ServiceTrouble:
    """Thread-safe record of what each service failed at, for the summary and exit code."""

    errors: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, error: ServiceError, failures: dict[str, str] | None = None) -> None:
        """Count `error` for the run and, in `failures`, for the paper it cost."""
        with self._lock:
            self.errors.setdefault(error.service, error.reason)
        if failures is not None:
            failures.setdefault(error.service, str(error))


@dataclass(frozen=True)
class _KnownPaper:
    """What S2's batch is asked by: the chosen record's DOI and identifiers."""

    doi: str | None
    ids: Identifiers


def resolve_entries(
    entries: Sequence[Entry],
    dblp: Source,
    s2: Source,
    overrides: Sequence[Override] = (),
    jobs: int = 4,
    on_progress: ProgressCallback | None = None,
    keys: Mapping[str, str] | None = None,
) -> tuple[list[EnrichedRecord], ServiceTrouble]:
    """One enriched record per entry, in the entries' order, and what went wrong on the way.

    `keys` maps a normalised list title to the citation key an earlier run gave the paper,
    so an override row can name a paper by its key.
    """
    trouble = ServiceTrouble()
    keys = keys or {}

    failures: list[dict[str, str]] = [{} for _ in entries]
    linked = _linked_records(entries, s2, trouble, failures)

    def decide(index: int) -> tuple[Decision, Candidate | None]:
        entry, failed = entries[index], failures[index]
        key = entry.key or keys.get(normalize_title(entry.title))
        override = find_override(overrides, entry, key=key)
        if linked[index] is not None and override is None:
            decision = _decide_linked(entry, linked[index], dblp, trouble, failed)
        else:
            decision = _decide(entry, dblp, s2, override, trouble, failed)
        export, failure = _export(decision, dblp, trouble, failed)
        if failure is not None:
            decision = _with_note(decision, f"DBLP's record export could not be fetched: {failure}")
        if on_progress is not None:
            on_progress(entry, decision.match.status)
        return decision, export

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        decided = list(pool.map(decide, range(len(entries))))
        decisions = [decision for decision, _ in decided]
        s2_records = _s2_records(entries, decisions, s2, trouble, pool, failures, linked)
    records = [
        replace(merge_record(entry, decision, s2_record, export), failures=failed)
        for entry, (decision, export), s2_record, failed in zip(
            entries, decided, s2_records, failures, strict=True
        )
    ]
    return records, trouble


def _decide(
    entry: Entry,
    dblp: Source,
    s2: Source,
    override: Override | None,
    trouble: ServiceTrouble,
    failed: dict[str, str],
) -> Decision:
    """DBLP first; S2's title lookup when DBLP finds nothing good enough or cannot answer."""
    if override is not None and override.action == "skip":
        return choose_record(entry, [], override)
    dblp_failure: ServiceError | None = None
    try:
        decision = choose_record(entry, dblp.find(entry), override)
    except ServiceError as error:
        trouble.note(error, failed)
        dblp_failure, decision = error, no_decision(_failure_status(error), str(error))
    if decision.match.status not in ("unmatched", "error", "not_cached"):
        return check_links(entry, decision) if override is None else decision
    try:
        fallback = choose_record(entry, s2.find(entry), override)
    except ServiceError as error:
        trouble.note(error, failed)
        if dblp_failure is None:
            return decision
        return no_decision(_failure_status(dblp_failure, error), f"{dblp_failure}; {error}")
    if override is None:
        fallback = check_links(entry, fallback)
    if dblp_failure is None:
        return fallback if fallback.match.status == "matched" else decision
    if fallback.match.status == "matched":
        return _with_note(fallback, "DBLP could not be asked; resolved through Semantic Scholar")
    status = _failure_status(dblp_failure)
    return _with_note(
        replace(fallback, match=replace(fallback.match, status=status)), str(dblp_failure)
    )


def _linked_records(
    entries: Sequence[Entry], s2: Source, trouble: ServiceTrouble, failures: list[dict[str, str]]
) -> list[Candidate | None]:
    """S2's record of each paper the list links to by DOI or arXiv id, in one batch."""
    records: list[Candidate | None] = [None] * len(entries)
    wanted = [i for i, entry in enumerate(entries) if entry.doi or entry.arxiv]
    if not wanted:
        return records
    papers = [
        _KnownPaper(doi=entries[i].doi, ids=Identifiers(arxiv=entries[i].arxiv)) for i in wanted
    ]
    fetched, _ = _batch(s2, wanted, papers, trouble, failures)
    for index, record in fetched.items():
        records[index] = record
    return records


def _batch(
    s2: Source,
    wanted: Sequence[int],
    papers: Sequence[_KnownPaper],
    trouble: ServiceTrouble,
    failures: Sequence[dict[str, str]],
) -> tuple[dict[int, Candidate | None], set[int]]:
    """S2's batch for the papers at `wanted`: the answers by index, and the indices whose
    request failed (each with the failure in its `failures`)."""
    try:
        return dict(zip(wanted, s2.fetch(papers), strict=True)), set()
    except PartialFetch as error:
        trouble.note(error)
        failed = {wanted[position] for position in error.failed}
        for index in failed:
            failures[index].setdefault(error.service, str(error))
        return dict(zip(wanted, error.results, strict=True)), failed
    except ServiceError as error:
        for index in wanted:
            trouble.note(error, failures[index])
        return {}, set(wanted)


def _decide_linked(
    entry: Entry,
    linked: Candidate,
    dblp: Source,
    trouble: ServiceTrouble,
    failed: dict[str, str],
) -> Decision:
    """The paper the list links to: DBLP's record of it when one agrees with the link,
    else S2's (also when DBLP cannot be asked)."""
    try:
        candidates = dblp.find(replace(entry, title=linked.title))
    except ServiceError as error:
        trouble.note(error, failed)
        candidates = []
    return choose_linked(entry, linked, candidates)


def _with_note(decision: Decision, note: str) -> Decision:
    return replace(decision, match=replace(decision.match, notes=(*decision.match.notes, note)))


def _failure_status(*errors: ServiceError) -> str:
    """not_cached when an offline run had nothing cached, error for any real failure."""
    return "not_cached" if all(isinstance(e, NotCached) for e in errors) else "error"


def _s2_records(
    entries: Sequence[Entry],
    decisions: Sequence[Decision],
    s2: Source,
    trouble: ServiceTrouble,
    pool: ThreadPoolExecutor,
    failures: Sequence[dict[str, str]],
    linked: Sequence[Candidate | None],
) -> list[Candidate | None]:
    """S2's record for every decided paper: one batch for all, and a title match for each
    paper S2 could not be asked about by a documented identifier (only a DBLP key, or none).
    A paper whose S2 request failed has the failure in its `failures`."""
    records: list[Candidate | None] = [None] * len(decisions)
    wanted: list[int] = []
    for index, decision in enumerate(decisions):
        if decision.chosen is not None and decision.chosen.source == s2.name:
            records[index] = decision.chosen
        elif linked[index] is not None and carries(entries[index], decision, linked[index]):
            records[index] = linked[index]
        elif decision.match.status == "matched":
            wanted.append(index)
    if not wanted:
        return records
    papers = [_known_paper(decisions[index]) for index in wanted]
    fetched, failed = _batch(s2, wanted, papers, trouble, failures)
    for index, record in fetched.items():
        records[index] = record
    # S2 knew none of these ids, or could not be asked by any: its title match may still
    # know the paper (under its other version's DOI, say). A failed batch is not retried.
    by_title = [index for index in wanted if records[index] is None and index not in failed]

    def title_match(index: int) -> Candidate | None:
        return _s2_by_title(entries[index], decisions[index], s2, trouble, failures[index])

    for index, record in zip(by_title, pool.map(title_match, by_title), strict=True):
        records[index] = record
    return records


def _known_paper(decision: Decision) -> _KnownPaper:
    """The chosen record's identifiers, with the arXiv id of its preprint companion."""
    chosen, preprint, override = decision.chosen, decision.preprint, decision.override
    pinned = override if override is not None and override.action == "pin" else None
    arxiv = (chosen.ids.arxiv if chosen else None) or (preprint.ids.arxiv if preprint else None)
    return _KnownPaper(
        doi=(chosen.doi if chosen else None) or (pinned.doi if pinned else None),
        ids=Identifiers(
            dblp=(chosen.ids.dblp if chosen else None) or (pinned.dblp_key if pinned else None),
            s2=pinned.s2_id if pinned else None,
            arxiv=arxiv,
        ),
    )


def _s2_by_title(
    entry: Entry, decision: Decision, s2: Source, trouble: ServiceTrouble, failed: dict[str, str]
) -> Candidate | None:
    """S2's record for a chosen paper it cannot be asked about by identifier."""
    chosen = decision.chosen
    title = chosen.title if chosen is not None else entry.title
    year = chosen.year if chosen is not None else entry.year
    known = replace(entry, title=title, year=year, key=None, authors=())
    try:
        candidates = s2.find(known)
    except ServiceError as error:
        trouble.note(error, failed)
        return None
    found = choose_record(known, candidates)
    return found.chosen if found.match.status == "matched" else None


def _export(
    decision: Decision, dblp: Source, trouble: ServiceTrouble, failed: dict[str, str]
) -> tuple[Candidate | None, ServiceError | None]:
    """DBLP's complete record of a matched paper with a DBLP key (the chosen hit's, the key
    S2's record links to, or a pinned one), and the error when it could not be fetched.

    Asked right after the paper's search, so DBLP's limiter never idles. A failed export
    costs the paper its proceedings title, never its match; the pipeline then keeps the
    previous run's complete record instead."""
    chosen, override = decision.chosen, decision.override
    if decision.match.status != "matched":
        return None, None
    key = chosen.ids.dblp if chosen is not None else None
    if chosen is None and override is not None and override.action == "pin":
        key = override.dblp_key
    if not key:
        return None, None
    try:
        return dblp.fetch([_KnownPaper(doi=None, ids=Identifiers(dblp=key))])[0], None
    except ServiceError as error:
        trouble.note(error, failed)
        return None, error
