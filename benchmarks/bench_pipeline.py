"""The whole pipeline (`enrich.pipeline.run`, outputs written) against the emulator: issue 5.

    .venv/bin/python benchmarks/bench_pipeline.py [--latency 0.1] [--papers 5000] [--skip-cold]

Every answer of the emulator comes 100 ms late. Requests are classified by the emulator's
own `endpoint_for`: DBLP's search and record export (`/rec/{key}.bib?param=1`, asked for
every matched paper with a non-CoRR DBLP key) are both DBLP requests, on DBLP's limiter.
S2 answers as the real one does (apis.md §2.3): its batch takes DOI, arXiv, CorpusId and
S2 ids, never `DBLP:` keys, and refuses a batch none of whose ids it knows with a 400 "No
valid paper ids given" (an answer: every id unknown, cached). A paper known by its DBLP key
alone is therefore asked by title. Three runs:

1. Cold, the shipped list (97 papers), at each service's default limit, HttpConfig's
   defaults: DBLP 1 request/s (apis.md §1.4: 1-2 s between requests is fine), S2 1
   request/s (the keyed rate; a placeholder key is configured, the emulator ignores it).
   The emulator's corpus knows the 50 fixture papers and their confusables; the other
   titles get obviously synthetic records (synthetic_corpus), so the figure is that of a
   list whose papers exist.
   A run against the bare corpus first shows what the unknown titles cost (DBLP's relaxed
   queries, S2's title match and search) and why; it runs at 10x the default rates
   with a tenth of the latency (the same schedule, ten times faster) and is held to the
   same floor ratio, which shows S2's fallbacks do not starve DBLP's limiter.

   The floor the rate limits impose. A limiter spaces the starts of its service's
   requests 1/rate apart, so n requests to it take at least (n - 1) / rate, plus one
   latency for the last answer. The pipeline runs in two phases, the second needing the
   first's result: (a) per paper, DBLP's search(es) and, once the paper is matched, its
   DBLP record export, right after the search in the same worker and through the same
   limiter, and S2's title lookups for papers DBLP could not resolve, the two services in
   parallel on their own limiters; (b) once every paper is decided, S2's batch(es) for the
   chosen records, then S2's title lookups of chosen records S2 cannot be asked about by
   identifier. Hence

       floor = max((n_dblp - 1) / r_dblp, (n_s2a - 1) / r_s2) + latency
             + (n_s2b - 1) / r_s2 + latency                     (each term only if n > 0)

   where n_dblp = DBLP searches + exports (all in phase (a): an export never waits for
   phase (b)), n_s2a are the S2 requests before the first batch and n_s2b the batch and
   after. An export is one more DBLP request per matched paper, so DBLP's limiter, not
   S2's, sets the floor: about 2 x papers / r_dblp.
   Targets: wall time <= 1.2 x floor; DBLP requests (searches + exports) <= 2.1 per paper
   of the list; S2 requests <= 1.01 per paper. S2 answers like the real one (apis.md
   §2.3: no `DBLP:` ids), so its batch, shared by 500 papers, covers only the papers with a
   DOI or an arXiv id, and every other paper (an OSDI paper, a synthetic record) costs one
   title match: at most one S2 request per paper plus the batches. On the shipped list that
   is about 0.72 (69 of 97 papers have neither id); on the 5,000 synthetic titles, 1.0.
   The total per paper is held to the sum of the two, 2.1 + 1.01. Printed: the requests by
   endpoint (DBLP search, DBLP export, S2 batch, S2 match, S2 search) and by reason.
   Measured both ways, from the same run's journal, without a target: what DBLP's record
   XML (`/rec/{key}.xml`) would cost instead of the BibTeX export. The XML has no
   proceedings title, publisher or editors, only a `<crossref>` to the proceedings record,
   a second request: one per exported record plus one per distinct proceedings. The
   proceedings key is not in the export; it is derived as DBLP names them for the
   corpus's records: conf/<stream>/<Key> of year Y is in conf/<stream>/Y
   (tests/fixtures/real-responses/dblp: conf/dac/ZhangYY21 -> conf/dac/2021; a year of
   several volumes, conf/cpaior/2024-2, is counted as one: a lower bound), a
   journals/ record has none; a synthetic conference record (bench/...) is given the one
   of its venue and year.

2. Warm: the same run again. Target: no request, report.seconds < 1.

3. Synthetic list of N (5,000) titles: variants of the corpus's published records, each
   with a unique made-up word ("Efficient ... PagedAttention qbaaa"), served as obviously
   synthetic records (keys bench/Example..., paperIds fixture-bench-..., no DOI, and no
   export of their own: the emulator builds each one's from its hit; with no identifier S2
   takes, each is asked by S2's title match, in phase (b), at S2's rate) by an emulator in a
   subprocess (so it shares neither the GIL nor the memory measured), with rates raised
   to 100/s and enough jobs to keep rate x latency requests in flight. Every variant is
   matched, so DBLP is asked a search and an export per paper, both in phase (a).
   Targets: wall time <= 1.2 x floor (throughput limited by the rates only), the same
   requests-per-paper targets as the cold run. The run ends with a tail the floor does
   not hold, CPU in the pipeline: S2's batch, merging each paper's
   records and writing N records' outputs (~8 s for 5,000 with the exports' proceedings,
   publishers and editors, ~4 s of it the outputs; ~7 s without the exports). The rate
   is 100/s, not more: the pipeline spends ~7 ms of CPU (one GIL) per request, so well
   above 100/s the lookups could not keep pace with the limiter; at 100/s they do
   (~1.07 x their floor) and the tail is ~0.08 x the floor.
   Memory, at 1, 1,000, 2,500 and N papers resolved (a progress callback): RSS in this
   run, Python's traced memory (tracemalloc) in a second, latency-free run. The first
   checkpoint holds what the run sets up for the whole list at once; what each later
   paper adds must stay flat and within the size of the records returned, and nothing
   may remain once the records are dropped.

Every target missed makes the exit code 1; figures without a target are only reported.
The wall-time targets assume an otherwise idle machine: with other processes on its two
cores the CPU-bound parts (the warm run, the tail of run 3) take up to twice as long.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from enrich.emulator import Corpus, Emulator, Faults
from enrich.emulator.server import endpoint_for
from enrich.emulator.services import Answer, s2_match
from enrich.http import HttpConfig
from enrich.models import Entry
from enrich.pipeline import RunOptions, RunReport, read_inputs, run
from enrich.readinglist import ReadingList
from enrich.sources.dblp import title_queries
from enrich.sources.s2 import title_query

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "raw" / "mlsys-reading-list.md"
PLACEHOLDER_KEY = "bench-placeholder-not-a-key"
SERVICES = ("dblp", "s2")
# Each service's default limit (HttpConfig's defaults), S2 at its keyed rate (a placeholder
# key; the emulator ignores it).
DEFAULT_RATES = {s: HttpConfig(s2_api_key=PLACEHOLDER_KEY).rate_for(s) for s in SERVICES}
TARGETS = {
    "floor_ratio": 1.2,
    "dblp_per_paper": 2.1,  # searches + exports
    "s2_per_paper": 1.01,  # one title match per paper without a DOI or arXiv id, + batches
    "warm_seconds": 1.0,
}
TARGETS["requests_per_paper"] = TARGETS["dblp_per_paper"] + TARGETS["s2_per_paper"]
ENDPOINT_NAMES = {
    "dblp.search": "DBLP search",
    "dblp.export": "DBLP export",
    "s2.batch": "S2 batch",
    "s2.match": "S2 match",
    "s2.search": "S2 search",
}
CHECKPOINTS = (1, 1000, 2500)
BARE_SPEEDUP = 10.0


# --- what the emulator was asked, and when ------------------------------------------------


@dataclass(frozen=True)
class Asked:
    at: float
    endpoint: str
    path: str
    query: dict[str, str]
    ids: tuple[str, ...]
    status: int


class JournalingEmulator(Emulator):
    """The emulator, keeping every answered request for the breakdown (no faults here)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.journal: list[Asked] = []
        self._journal_lock = threading.Lock()

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        endpoint = endpoint_for(method, path) or path
        ids = tuple(map(str, body.get("ids", []))) if isinstance(body, dict) else ()
        answer = super().answer(method, path, query, body)
        with self._journal_lock:
            self.journal.append(
                Asked(time.perf_counter(), endpoint, path, query, ids, answer.status)
            )
        return answer


def rate_floor(
    n_dblp: int, n_s2a: int, n_s2b: int, rates: dict[str, float], latency: float
) -> float:
    """The module docstring's formula: phase (a) DBLP and S2 in parallel, then phase (b)."""

    def phase(*counts: tuple[int, float]) -> float:
        spans = [(n - 1) / rate for n, rate in counts if n > 0]
        return max(spans) + latency if spans else 0.0

    return phase((n_dblp, rates["dblp"]), (n_s2a, rates["s2"])) + phase((n_s2b, rates["s2"]))


def floor_seconds(journal: Sequence[Asked], rates: dict[str, float], latency: float) -> float:
    """The rate floor of the requests the run really made: every DBLP request (searches and
    exports) in phase (a), S2's split by its first batch."""
    batch_times = [a.at for a in journal if a.endpoint == "s2.batch"]
    second_phase = min(batch_times) if batch_times else math.inf
    n_dblp = sum(a.endpoint.startswith("dblp") for a in journal)
    n_s2a = sum(a.endpoint.startswith("s2") and a.at < second_phase for a in journal)
    n_s2b = sum(a.endpoint.startswith("s2") and a.at >= second_phase for a in journal)
    return rate_floor(n_dblp, n_s2a, n_s2b, rates, latency)


def breakdown(
    journal: Sequence[Asked], entries: Sequence[Entry], known: set[str], report: RunReport
) -> Counter[tuple[str, str]]:
    """Requests by (why, which papers): known = in the emulator's base corpus."""
    first_query: dict[str, str] = {}
    relaxed: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for entry in entries:
        group = "known" if entry.title in known else "unknown"
        queries = title_queries(entry.title, entry.year)  # as DblpSource.find plans them
        first_query.setdefault(queries[0], group)
        for query in queries[1:]:
            relaxed.setdefault(query, group)
        by_title.setdefault(title_query(entry.title), group)
    by_key: dict[str, str] = {}
    for record in report.records:
        group = by_title[title_query(record.entry.title)]
        by_title.setdefault(title_query(record.title), group)
        if record.ids.dblp:
            by_key.setdefault(record.ids.dblp, group)
    batch_times = [a.at for a in journal if a.endpoint == "s2.batch"]
    second_phase = min(batch_times) if batch_times else math.inf
    counts: Counter[tuple[str, str]] = Counter()
    for asked in journal:
        if asked.endpoint == "dblp.search":
            q = asked.query.get("q", "")
            if q in first_query:
                counts["DBLP search, full title", first_query[q]] += 1
            elif q.split()[-1].count("|") == 2:
                counts["DBLP search, relaxed, narrowed to the year +-1", relaxed.get(q, "?")] += 1
            else:
                counts["DBLP search, relaxed (nothing found before)", relaxed.get(q, "?")] += 1
        elif asked.endpoint == "dblp.export":
            failed = f", HTTP {asked.status}" if asked.status != 200 else ""
            group = by_key.get(export_key(asked), "?")
            counts[f"DBLP export of the matched record{failed}", group] += 1
        elif asked.endpoint == "s2.batch":
            none_known = ", all unknown: 400" if asked.status == 400 else ""
            what = f"S2 batch by DOI/arXiv ids (shared: {len(asked.ids)} papers{none_known})"
            counts[what, "all"] += 1
        else:
            group = by_title.get(asked.query.get("query", ""), "?")
            kind = "title match" if asked.endpoint == "s2.match" else "search (match said 404)"
            why = "DBLP found no match" if asked.at < second_phase else "chosen, no id S2 took"
            counts[f"S2 {kind}: {why}", group] += 1
    return counts


def export_key(asked: Asked) -> str:
    """The DBLP key of an export request: /rec/conf/sosp/KwonLZ0ZY0ZS23.bib -> conf/sosp/..."""
    return unquote(asked.path).removeprefix("/rec/").removesuffix(".bib")


def by_endpoint(journal: Sequence[Asked]) -> str:
    """ "DBLP search 120, DBLP export 90, S2 batch 1, ...": every endpoint, asked or not."""
    counts = Counter(a.endpoint for a in journal)
    named = [f"{name} {counts.pop(endpoint, 0)}" for endpoint, name in ENDPOINT_NAMES.items()]
    return ", ".join(named + [f"{endpoint} {n}" for endpoint, n in sorted(counts.items())])


def proceedings_key(key: str, info: Mapping[str, Any] | None) -> tuple[str, bool] | None:
    """The crossref'd proceedings record of a DBLP record, as DBLP names them, and whether it
    is made up for a synthetic record; None for a record with none (journals/, CoRR).

    conf/<stream>/<Key> of year Y is in conf/<stream>/Y (conf/dac/ZhangYY21 -> conf/dac/2021,
    tests/fixtures/real-responses/dblp); a synthetic conference paper (bench/Example...,
    no stream of its own) in conf/<its venue>/Y.
    """
    year = str((info or {}).get("year", ""))
    parts = key.split("/")
    if not year or parts[0] == "journals":
        return None
    if parts[0] == "conf" and len(parts) == 3:
        return f"conf/{parts[1]}/{year}", False
    if info and info.get("type") == "Conference and Workshop Papers":
        venue = unicodedata.normalize("NFKD", str(info.get("venue", "")))
        stream = "".join(c for c in venue.lower() if c.isascii() and c.isalnum()) or "example"
        return f"conf/{stream}/{year}", True
    return None


def xml_route(journal: Sequence[Asked], corpus: Corpus) -> tuple[int, int, int]:
    """What DBLP's record XML would have cost instead of the BibTeX export: the exports
    asked (one `/rec/{key}.xml` each instead), the distinct proceedings records the
    exported ones crossref (one request each), and how many of those are synthetic."""
    exports = [a for a in journal if a.endpoint == "dblp.export"]
    proceedings: dict[str, bool] = {}
    for asked in exports:
        if asked.status != 200:
            continue  # DBLP knows no such record: its XML would have no crossref either
        key = export_key(asked)
        crossref = proceedings_key(key, corpus.index.dblp_by_key.get(key))
        if crossref is not None:  # made up only if no real record names it too
            proceedings[crossref[0]] = proceedings.get(crossref[0], True) and crossref[1]
    return len(exports), len(proceedings), sum(proceedings.values())


# --- runs -----------------------------------------------------------------------------------


def options(tmp: Path, url: str, config: HttpConfig, jobs: int = 4) -> RunOptions:
    return RunOptions(
        out_dir=tmp / "out",
        http=config,
        dblp_url=url,
        s2_url=url,
        overrides=tmp / "overrides.csv",
        jobs=jobs,
    )


def documented_config(cache: Path) -> HttpConfig:
    """The HTTP layer's default rates, S2 at its keyed rate (a placeholder key)."""
    return HttpConfig(cache_path=cache, s2_api_key=PLACEHOLDER_KEY)


def synthetic_corpus(entries: Sequence[Entry]) -> Corpus:
    """The fixture corpus plus an obviously synthetic record for each title it lacks."""
    corpus = Corpus.load()
    dblp: list[dict[str, Any]] = []
    s2: list[dict[str, Any]] = []
    for n, entry in enumerate(entries):
        if s2_match(corpus, {"query": entry.title, "fields": "title"}).status == 200:
            continue
        key = f"bench/Example{n}"
        people = [{"@pid": f"ex/bench-{n}-{i}", "text": f"{g} Example"} for i, g in
                  enumerate(("Ann", "Bob"))]  # fmt: skip
        dblp.append({"authors": {"author": people}, "title": entry.title + ".",
                     "venue": entry.venue or "Example", "year": str(entry.year or 2020),
                     "type": "Conference and Workshop Papers", "key": key,
                     "url": f"https://dblp.org/rec/{key}"})  # fmt: skip
        s2.append({"paperId": f"fixture-bench-{n}", "corpusId": None,
                   "externalIds": {"DBLP": key}, "url": None, "title": entry.title,
                   "venue": entry.venue or "", "year": entry.year, "citationCount": None,
                   "openAccessPdf": None,
                   "authors": [{"authorId": None, "name": p["text"]} for p in people]})  # fmt: skip
    return corpus.extended(dblp, s2)


def known_titles(entries: Sequence[Entry]) -> set[str]:
    """The list titles the emulator's own corpus can answer (fixture papers, confusables)."""
    corpus = Corpus.load()
    return {e.title for e in entries if s2_match(corpus, {"query": e.title}).status == 200}


@dataclass
class Figures:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def add(self, what: str, value: str, target: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else ("PASS" if met else "MISS")
        if met is False:
            self.missed.append(what)
        self.rows.append((what, value, target, verdict))

    def print(self) -> None:
        width = [max(len(row[i]) for row in self.rows) for i in range(3)]
        print()
        for row in (("figure", "value", "target", ""), *self.rows):
            print(f"  {row[0]:<{width[0]}}  {row[1]:>{width[1]}}  {row[2]:<{width[2]}}  {row[3]}")


def shipped_list(args: argparse.Namespace, figures: Figures) -> None:
    lists = read_inputs([SHIPPED])
    entries = lists[0].entries
    papers = len(entries)
    known = known_titles(entries)
    faults = Faults(latency=args.latency)
    print(
        f"shipped list: {papers} papers, {len(known)} known to the emulator's corpus; "
        f"{args.latency * 1000:.0f} ms latency"
    )

    # Time scaled down tenfold (rates x 10, latency / 10): same shape, a tenth of the wait.
    scaled_rates = {service: rate * BARE_SPEEDUP for service, rate in DEFAULT_RATES.items()}
    scaled_latency = args.latency / BARE_SPEEDUP
    with (
        tempfile.TemporaryDirectory() as tmp,
        JournalingEmulator(Corpus.load(), Faults(latency=scaled_latency)) as bare,
    ):
        config = HttpConfig(cache_path=Path(tmp) / "http.sqlite", rates=scaled_rates)
        report = run(lists, options(Path(tmp), bare.url, config))
        counts = breakdown(bare.journal, entries, known, report)
        floor = floor_seconds(bare.journal, DEFAULT_RATES, args.latency)
        scaled_floor = floor_seconds(bare.journal, scaled_rates, scaled_latency)
        statuses = Counter(r.match.status for r in report.records)
        print(
            f"\n1a. bare corpus (the {papers - len(known)} unknown titles exist nowhere), "
            f"time scaled down {BARE_SPEEDUP:.0f}x: {dict(statuses)}"
        )
        print_breakdown(counts, papers, bare.journal)
        print(
            f"    at the documented rates these requests impose a floor of {floor:.0f} s; "
            f"scaled: wall {report.seconds:.1f} s, floor {scaled_floor:.1f} s "
            f"(S2's fallbacks do not starve DBLP's limiter if these are close)"
        )
        figures.add(
            "bare corpus: requests/paper",
            f"{report.http.total_requests / papers:.2f}",
            "(unknown titles: relaxed + S2 lookups)",
        )
        figures.add(
            f"bare corpus: wall / floor ({BARE_SPEEDUP:.0f}x)",
            f"{report.seconds:.1f} s / {scaled_floor:.1f} s = {report.seconds / scaled_floor:.3f}",
            f"<= {TARGETS['floor_ratio']}",
            report.seconds / scaled_floor <= TARGETS["floor_ratio"],
        )

    if args.skip_cold:
        return
    corpus = synthetic_corpus(entries)
    with (
        tempfile.TemporaryDirectory() as tmp,
        JournalingEmulator(corpus, faults) as emulator,
    ):
        opts = options(Path(tmp), emulator.url, documented_config(Path(tmp) / "http.sqlite"))
        cold = run(lists, opts)
        wall = cold.seconds
        floor = floor_seconds(emulator.journal, DEFAULT_RATES, args.latency)
        counts = breakdown(emulator.journal, entries, known, cold)
        statuses = Counter(r.match.status for r in cold.records)
        print(
            f"\n1b. cold, synthetic records for the unknown titles, DBLP "
            f"{DEFAULT_RATES['dblp']:g}/s, S2 {DEFAULT_RATES['s2']:g}/s: {statuses}"
        )
        print_breakdown(counts, papers, emulator.journal)
        per_service = ", ".join(f"{k} {v}" for k, v in sorted(cold.http.requests.items()))
        print(f"    requests by service: {per_service}; wall {wall:.1f} s, floor {floor:.1f} s")
        exports, proceedings, made_up = xml_route(emulator.journal, corpus)
        routes = f"BibTeX route: {exports} requests; XML route: {exports} + {proceedings} requests"
        print(
            f"    {routes} (one /rec/{{key}}.xml per export, plus the {proceedings} distinct "
            f"proceedings they crossref, {made_up} of them for synthetic records)"
        )
        figures.add("cold: requests (dblp + s2)", f"{per_service}")
        figures.add("cold: requests by endpoint", by_endpoint(emulator.journal))
        per_paper(figures, "cold", cold.http.requests, papers)
        figures.add("cold: DBLP exports, BibTeX vs XML", routes)
        figures.add(
            "cold: wall / floor",
            f"{wall:.1f} s / {floor:.1f} s = {wall / floor:.3f}",
            f"<= {TARGETS['floor_ratio']}",
            wall / floor <= TARGETS["floor_ratio"],
        )

        emulator.journal.clear()
        warm = run(lists, opts)
        print(
            f"\n2. warm: {warm.http.total_requests} requests, {warm.http.total_cache_hits} "
            f"cache hits, report.seconds {warm.seconds:.3f}"
        )
        figures.add(
            "warm: requests",
            str(warm.http.total_requests),
            "0",
            warm.http.total_requests == 0 and not emulator.journal,
        )
        figures.add(
            "warm: report.seconds",
            f"{warm.seconds:.3f}",
            f"< {TARGETS['warm_seconds']}",
            warm.seconds < TARGETS["warm_seconds"],
        )


def per_paper(figures: Figures, label: str, requests: Mapping[str, int], papers: int) -> None:
    """DBLP's requests (searches + exports), S2's and all per paper, against their targets."""
    dblp, s2 = requests.get("dblp", 0) / papers, requests.get("s2", 0) / papers
    total = sum(requests.values()) / papers
    for what, value, target in (
        ("DBLP requests/paper (searches + exports)", dblp, "dblp_per_paper"),
        ("S2 requests/paper", s2, "s2_per_paper"),
        ("requests/paper", total, "requests_per_paper"),
    ):
        limit = TARGETS[target]
        figures.add(f"{label}: {what}", f"{value:.3f}", f"<= {limit:g}", value <= limit)


def print_breakdown(
    counts: Counter[tuple[str, str]], papers: int, journal: Sequence[Asked]
) -> None:
    whys = sorted({why for why, _ in counts}, key=lambda why: (not why.startswith("DBLP"), why))
    print(f"    {'requests':<58} {'known':>6} {'unknown':>8} {'total':>6}")
    for why in whys:
        known, unknown = counts[why, "known"], counts[why, "unknown"]
        total = sum(n for (w, _), n in counts.items() if w == why)
        print(f"    {why:<58} {known or '':>6} {unknown or '':>8} {total:>6}")
    total = sum(counts.values())
    print(f"    {'all':<58} {'':>6} {'':>8} {total:>6}  = {total / papers:.2f} per paper")
    print(f"    by endpoint: {by_endpoint(journal)}")


# --- the synthetic list of thousands ---------------------------------------------------------


def token(n: int) -> str:
    """A made-up word per variant, all of one length, so no token is a prefix of another."""
    letters = ""
    for _ in range(4):
        n, digit = divmod(n, 26)
        letters += chr(ord("a") + digit)
    return "q" + letters


def synthetic_list(size: int, folder: Path) -> tuple[Path, Path]:
    """A reading list of `size` variants of the corpus's published records, and the corpus
    file (the real one plus one obviously synthetic DBLP and S2 record per variant)."""
    corpus = Corpus.load()
    bases = [info for info in corpus.dblp if info.get("venue") != "CoRR"]
    lines = ["# Synthetic list", ""]
    dblp, s2 = [], []
    for n in range(size):
        base = bases[n % len(bases)]
        title = f"{base['title'].removesuffix('.')} {token(n)}"
        key = f"bench/Example{n}"
        # No export of its own (the base's would name the base's title and DOI link): the
        # emulator builds the variant's from its hit (dblp_export.default_export).
        dropped = ("doi", "ee", "key", "url", "title", "export")
        info = {k: v for k, v in base.items() if k not in dropped}
        dblp.append(
            {**info, "title": title + ".", "key": key, "url": f"https://dblp.org/rec/{key}"}
        )
        people = base.get("authors", {}).get("author", [])
        people = people if isinstance(people, list) else [people]
        s2.append(
            {
                "paperId": f"fixture-bench-{n}",
                "corpusId": None,
                "externalIds": {"DBLP": key},
                "url": None,
                "title": title,
                "venue": base.get("venue", ""),
                "year": int(base["year"]),
                "citationCount": None,
                "openAccessPdf": None,
                "authors": [{"authorId": None, "name": p["text"]} for p in people],
            }
        )
        lines.append(f"- [{base['venue']} '{int(base['year']) % 100:02d}] {title}")
    list_path = folder / "synthetic-list.md"
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus_path = folder / "synthetic-corpus.json"
    extended = corpus.extended(dblp, s2)
    corpus_path.write_text(json.dumps({"dblp": extended.dblp, "s2": extended.s2}), "utf-8")
    return list_path, corpus_path


class EmulatorProcess:
    """`python -m enrich.emulator` in a subprocess: its CPU and memory are not the pipeline's."""

    def __init__(self, corpus: Path, latency: float) -> None:
        command = [
            sys.executable,
            "-m",
            "enrich.emulator",
            "--corpus",
            str(corpus),
            "--latency",
            str(latency),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().split(" on ", 1)[1].strip()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Checkpoints:
    """Memory when the 1,000th, 2,500th, ... paper's lookup ends (a RunProgress)."""

    def __init__(self, marks: Sequence[int], measure: Callable[[], float]) -> None:
        self.marks = set(marks)
        self.measure = measure
        self.seen: dict[int, float] = {}
        self.times: dict[int, float] = {}
        self._done = 0
        self._lock = threading.Lock()

    def start(self, total: int) -> None:
        """The marks are fixed by the caller; nothing to prepare."""

    def advance(self, entry: Entry, status: str) -> None:
        with self._lock:
            self._done += 1
            if self._done in self.marks:
                self.seen[self._done] = self.measure()
                self.times[self._done] = time.perf_counter()


def resolve_synthetic(
    lists: list[ReadingList],
    corpus: Path,
    latency: float,
    rate: float,
    jobs: int,
    checkpoints: Checkpoints,
) -> tuple[RunReport, float, float]:
    """The run's report, and when it started and ended (after the emulator is up)."""
    with tempfile.TemporaryDirectory() as tmp, EmulatorProcess(corpus, latency) as emulator:
        config = HttpConfig(
            cache_path=Path(tmp) / "http.sqlite", rates=dict.fromkeys(SERVICES, rate)
        )
        started = time.perf_counter()
        report = run(lists, options(Path(tmp), emulator.url, config, jobs), checkpoints)
        return report, started, time.perf_counter()


def synthetic(args: argparse.Namespace, figures: Figures) -> None:
    size, rate, latency = args.papers, args.rate, args.latency
    jobs = args.jobs or math.ceil(rate * latency * 1.5)
    marks = (*[m for m in CHECKPOINTS if m < size], size)
    with tempfile.TemporaryDirectory() as tmp:
        list_path, corpus_path = synthetic_list(size, Path(tmp))
        lists = read_inputs([list_path])
        assert len(lists[0].entries) == size, len(lists[0].entries)
        print(
            f"\n3. synthetic list of {size} titles, {rate:.0f} requests/s per service, "
            f"{latency * 1000:.0f} ms latency, {jobs} jobs"
        )

        rss = Checkpoints(marks, rss_mib)
        rss_before = rss_mib()
        report, started, ended = resolve_synthetic(lists, corpus_path, latency, rate, jobs, rss)
        rss_after = rss_mib()
        wall, lookups = ended - started, rss.times[size] - started
        sent = report.http.total_requests
        statuses = Counter(r.match.status for r in report.records)
        per_service = ", ".join(f"{k} {v}" for k, v in sorted(report.http.requests.items()))
        dblp, s2 = report.http.requests.get("dblp", 0), report.http.requests.get("s2", 0)
        # Phase (a) is DBLP only here, each paper's search and export; phase (b) S2's batch
        # and its title matches (no paper has an identifier S2 takes).
        rates = dict.fromkeys(SERVICES, rate)
        floor = rate_floor(dblp, 0, s2, rates, latency)
        lookups_floor = rate_floor(dblp, 0, 0, rates, latency)
        print(f"   {statuses}; requests: {per_service} ({sent / size:.3f} per paper)")
        print(
            f"   wall {wall:.1f} s, requests / rate {sent / rate:.1f} s, floor {floor:.1f} s; "
            f"{sent / wall:.0f} requests/s overall"
        )
        print(
            f"   the {dblp} DBLP searches and exports ended after {lookups:.1f} s "
            f"({dblp / lookups:.0f}/s, floor {lookups_floor:.1f} s); "
            f"then S2's {s2} requests (batch, title matches) and the outputs: "
            f"{wall - lookups:.1f} s"
        )
        figures.add(
            f"{size}: lookups / their floor",
            f"{lookups:.1f} s / {lookups_floor:.1f} s = {lookups / lookups_floor:.3f}",
        )
        per_paper(figures, str(size), report.http.requests, size)
        figures.add(
            f"{size}: wall / floor ({rate:.0f}/s)",
            f"{wall:.1f} s / {floor:.1f} s = {wall / floor:.3f}",
            f"<= {TARGETS['floor_ratio']}",
            wall / floor <= TARGETS["floor_ratio"],
        )
        print_memory("RSS (MiB)", rss_before, rss.seen, rss_after, None)
        del report
        gc.collect()

        tracemalloc.start()
        traced = Checkpoints(marks, lambda: tracemalloc.get_traced_memory()[0] / 2**20)
        before = tracemalloc.get_traced_memory()[0] / 2**20
        report, _, _ = resolve_synthetic(lists, corpus_path, 0.0, 100_000.0, 4, traced)
        with_records = tracemalloc.get_traced_memory()[0] / 2**20
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        del report
        gc.collect()
        released = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        record_kib = (with_records - released) * 1024 / size
        print_memory(
            "traced Python memory (MiB), no latency",
            before,
            traced.seen,
            with_records,
            figures,
            record_kib,
        )
        print(
            f"   the {size} records returned: {with_records - released:.1f} MiB "
            f"({record_kib:.1f} KiB/paper); left after dropping them: "
            f"{released - before:+.1f} MiB; peak {peak - before:.1f} MiB "
            f"({(peak - before) * 1024 / size:.1f} KiB/paper, while writing the outputs)"
        )
        figures.add(
            f"{size}: memory left after the run",
            f"{released - before:+.1f} MiB",
            "~0 (nothing retained)",
            released - before < 0.05 * (with_records - before),
        )


def print_memory(
    label: str,
    before: float,
    seen: dict[int, float],
    after: float,
    figures: Figures | None,
    record_kib: float = 0.0,
) -> None:
    """Memory at each checkpoint, and what each paper added since the previous one.

    The first checkpoint (1 paper) already holds what the run sets up for the whole list
    at once (every paper's Entry and Future): the marginal figures after it are what
    resolving a paper keeps. Flat means they do not grow; "beyond the records" means they
    stay within the size of the records the run returns.
    """
    print(f"   {label}: {before:.1f} before the run")
    marginal = []
    previous: tuple[int, float] | None = None
    for papers, value in sorted(seen.items()):
        step = ""
        if previous is not None:
            marginal.append((value - previous[1]) * 1024 / (papers - previous[0]))
            step = f"  +{marginal[-1]:.2f} KiB per paper since {previous[0]}"
        print(f"     {papers:>6} papers resolved: {value:7.1f}{step}")
        previous = (papers, value)
    print(f"     after writing the outputs: {after:.1f}")
    if figures is None or not marginal:
        return
    flat = max(marginal) <= 1.5 * min(marginal) + 0.5 and max(marginal) <= record_kib
    marks = "/".join(str(p) for p in sorted(seen)[1:])
    figures.add(
        f"traced KiB/paper added, to {marks}",
        "/".join(f"{m:.2f}" for m in marginal),
        f"flat, <= records' {record_kib:.1f}",
        flat,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--papers", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0, help="per service, synthetic list")
    parser.add_argument(
        "--jobs", type=int, default=0, help="synthetic list; 0: 1.5 x rate x latency"
    )
    parser.add_argument("--skip-cold", action="store_true", help="skip the ~100 s real-rate run")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = Figures()
    shipped_list(args, figures)
    if args.papers:
        synthetic(args, figures)
    figures.print()
    print(
        f"\nbench_pipeline: {time.perf_counter() - started:.0f} s; "
        + (f"MISSED: {', '.join(figures.missed)}" if figures.missed else "every target met")
    )
    return 1 if figures.missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
