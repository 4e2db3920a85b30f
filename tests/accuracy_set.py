"""The labelled accuracy set of issue 4, resolved over HTTP the way the pipeline resolves a list.

One source of truth: the emulator's corpus (src/enrich/emulator/corpus.json, built by
enrich.emulator.build_corpus from tests/fixtures/papers_part1.json) holds the DBLP and S2
records of the first 50 papers of the shipped list, their confusable records (CoRR
versions, preprints under other titles, same-name papers, same-title items at other venues,
workshop versions) and, under `labels`, the right answer for each paper: the DBLP key and DOI
of its published record. The entries are the shipped list's own, parsed by
enrich.readinglist, so titles and labels are exactly what a user's run sees.

`resolve_as_pipeline` sends each entry through `enrich.resolve.resolve_entries`, exactly what
`enrich run` does (DBLP search, choice, S2 batch and fallbacks, merge). `resolve` takes the
steps one by one, for the variants the pipeline has no switch for (every query's hits
together, S2's candidates side by side with DBLP's, a corpus without the paper's own
records). Shared by tests/test_accuracy.py and benchmarks/bench_accuracy.py.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from enrich.emulator import Corpus, Emulator
from enrich.emulator.services import CORPUS_FILE
from enrich.http import HttpClient, HttpConfig
from enrich.match import choose_record
from enrich.merge import merge_record
from enrich.models import Candidate, Entry
from enrich.readinglist import read_list
from enrich.resolve import resolve_entries
from enrich.sources import DblpSource, S2Source
from enrich.sources.dblp import title_queries

LIST_FILE = Path(__file__).resolve().parents[1] / "data" / "raw" / "mlsys-reading-list.md"


@dataclass(frozen=True)
class LabelledPaper:
    """One entry of the shipped list and the right answer for it."""

    entry: Entry
    expected_key: str | None
    """DBLP key of the published record; None when the right answer is "no record"."""
    expected_doi: str | None
    own_keys: frozenset[str]
    """DBLP keys of this paper's own records (published and arXiv versions)."""
    trap: str
    """What makes this paper hard, for reports ("" when nothing in particular)."""


def load_set(corpus_file: Path = CORPUS_FILE, list_file: Path = LIST_FILE) -> list[LabelledPaper]:
    """The labelled papers, each with its entry as the reading-list parser reads it."""
    labels = json.loads(corpus_file.read_text(encoding="utf-8"))["labels"]
    entries = {(e.label, e.title): e for e in read_list(list_file).entries}
    papers = []
    for label in labels:
        entry = entries.get((label["list_label"], label["list_title"]))
        if entry is None:
            raise LookupError(f"{label['list_label']} {label['list_title']} is not in {list_file}")
        papers.append(
            LabelledPaper(
                entry=entry,
                expected_key=label["dblp_key"],
                expected_doi=label["doi"],
                own_keys=frozenset(label["own_keys"]),
                trap=label["trap"],
            )
        )
    return papers


def name_only_variants(papers: list[LabelledPaper]) -> list[LabelledPaper]:
    """The same papers written as bare system names ("[SOSP '19] Nexus") where a title has one."""
    variants = []
    for paper in papers:
        head, colon, _ = paper.entry.title.partition(":")
        if colon and len(head.split()) <= 3:
            entry = replace(paper.entry, title=head.strip())
            variants.append(replace(paper, entry=entry, trap="name-only bullet"))
    return variants


def without_own_records(papers: list[LabelledPaper]) -> list[LabelledPaper]:
    """The same papers when DBLP lacks them: the right answer is no record at all."""
    return [replace(p, expected_key=None, expected_doi=None) for p in papers]


def corpus_without(corpus: Corpus, keys: frozenset[str]) -> Corpus:
    """The corpus without the DBLP records of `keys` and S2's copies of them."""
    return Corpus(
        dblp=tuple(r for r in corpus.dblp if r["key"] not in keys),
        s2=tuple(r for r in corpus.s2 if (r.get("externalIds") or {}).get("DBLP") not in keys),
    )


@dataclass(frozen=True)
class Outcome:
    """What matching and merging gave for one labelled paper."""

    paper: LabelledPaper
    status: str
    key: str | None
    """DBLP key of the confidently chosen record (None unless `matched`)."""
    doi: str | None
    notes: tuple[str, ...]
    decided_by: str | None
    candidates: int


Search = Callable[[DblpSource, Entry], list[Candidate]]


def find(source: DblpSource, entry: Entry) -> list[Candidate]:
    """What the pipeline asks: the first of the planned queries that finds anything."""
    return source.find(entry)


def every_query(source: DblpSource, entry: Entry) -> list[Candidate]:
    """The hits of every planned query together: each paper meets its confusables (the
    other PipeDream, Poseidon 2015, Optimus, the MLPerf family) even when the full title
    alone would have found only its own records."""
    seen: dict[str | None, Candidate] = {}
    for query in title_queries(entry.title, entry.year):
        for candidate in source.search(query):
            seen.setdefault(candidate.ids.dblp, candidate)
    return list(seen.values())


@contextmanager
def serving(corpus: Corpus | None = None) -> Iterator[Emulator]:
    """The emulator on 127.0.0.1, serving the corpus (the whole one by default)."""
    with Emulator(corpus or Corpus.load()) as emulator:
        yield emulator


def local_client() -> HttpClient:
    """A client of its own per paper: a memory cache, no waiting between local requests."""
    return HttpClient(
        HttpConfig(cache_backend="memory://", rates={"dblp": 1000.0, "s2": 1000.0}, attempts=2)
    )


def resolve_as_pipeline(papers: list[LabelledPaper], emulator: Emulator) -> list[Outcome]:
    """Every paper through the pipeline's own resolve stage, against the emulator."""
    outcomes = []
    for paper in papers:
        with local_client() as client:
            dblp = DblpSource(client, base_url=emulator.url)
            s2 = S2Source(client, base_url=emulator.url)
            (record,), _ = resolve_entries([paper.entry], dblp, s2, jobs=1)
        match = record.match
        matched = match.status == "matched"
        outcomes.append(
            Outcome(
                paper=paper,
                status=match.status,
                key=record.ids.dblp if matched else None,
                doi=record.doi,
                notes=match.notes,
                decided_by=match.decided_by,
                candidates=len(match.alternatives) + matched,
            )
        )
    return outcomes


def resolve(
    papers: list[LabelledPaper],
    emulator: Emulator,
    *,
    search: Search = find,
    own_records: bool = True,
    with_s2: bool = False,
) -> list[Outcome]:
    """Resolve every paper against the emulator: search DBLP (and S2's title search when
    `with_s2`), choose a record, merge it (with S2's record of the chosen paper).

    Without `own_records` each paper is asked of the corpus minus its own records; the
    emulator reads its corpus per request, so one server serves each paper's corpus in turn.
    """
    full = emulator.corpus
    outcomes = []
    try:
        for paper in papers:
            if not own_records:
                emulator.corpus = corpus_without(full, paper.own_keys)
            with local_client() as client:
                candidates = search(DblpSource(client, base_url=emulator.url), paper.entry)
                s2_source = S2Source(client, base_url=emulator.url)
                if with_s2:
                    candidates += s2_source.find(paper.entry)
                decision = choose_record(paper.entry, candidates)
                s2_record = None
                if with_s2 and decision.chosen is not None:
                    s2_record = s2_source.fetch([decision.chosen])[0]
            record = merge_record(paper.entry, decision, s2_record)
            matched = decision.match.status == "matched"
            outcomes.append(
                Outcome(
                    paper=paper,
                    status=decision.match.status,
                    key=record.ids.dblp if matched else None,
                    doi=record.doi,
                    notes=decision.match.notes,
                    decided_by=decision.match.decided_by,
                    candidates=len(candidates),
                )
            )
    finally:
        emulator.corpus = full
    return outcomes


@dataclass(frozen=True)
class Scores:
    """Precision and recall of the chosen DBLP key and DOI over a labelled set.

    A key (or DOI) given is correct when it is the label's, wrong otherwise; recall counts
    the papers whose label has one.
    """

    papers: int
    matched: int
    key_expected: int
    key_correct: int
    key_wrong: int
    doi_expected: int
    doi_correct: int
    doi_wrong: int
    statuses: dict[str, int]

    @property
    def key_precision(self) -> float:
        return self.key_correct / max(1, self.key_correct + self.key_wrong)

    @property
    def key_recall(self) -> float:
        return self.key_correct / max(1, self.key_expected)

    @property
    def doi_precision(self) -> float:
        return self.doi_correct / max(1, self.doi_correct + self.doi_wrong)

    @property
    def doi_recall(self) -> float:
        return self.doi_correct / max(1, self.doi_expected)


def _same_doi(given: str | None, expected: str | None) -> bool:
    return bool(given and expected and given.lower() == expected.lower())


def score(outcomes: list[Outcome]) -> Scores:
    return Scores(
        papers=len(outcomes),
        matched=sum(1 for o in outcomes if o.status == "matched"),
        key_expected=sum(1 for o in outcomes if o.paper.expected_key),
        key_correct=sum(1 for o in outcomes if o.key and o.key == o.paper.expected_key),
        key_wrong=sum(1 for o in outcomes if o.key and o.key != o.paper.expected_key),
        doi_expected=sum(1 for o in outcomes if o.paper.expected_doi),
        doi_correct=sum(1 for o in outcomes if _same_doi(o.doi, o.paper.expected_doi)),
        doi_wrong=sum(1 for o in outcomes if o.doi and not _same_doi(o.doi, o.paper.expected_doi)),
        statuses=dict(Counter(o.status for o in outcomes)),
    )


def wrong(outcomes: list[Outcome]) -> list[tuple[str, str, str | None, str | None]]:
    """Every outcome that is not the label's answer: (title, status, key, doi)."""
    return [
        (o.paper.entry.title, o.status, o.key, o.doi)
        for o in outcomes
        if o.key != o.paper.expected_key
        or (o.doi or "").lower() != (o.paper.expected_doi or "").lower()
    ]
