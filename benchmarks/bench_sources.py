"""Requests per paper and wall time of the two sources over the shipped list, against the emulator.

    .venv/bin/python benchmarks/bench_sources.py [--latency 0.1] [--list PATH]

Every answer is delayed by the latency (100 ms by default). Per list title it does what
the pipeline does: one DBLP search (relaxed only when it finds nothing), a share of
one S2 batch for the chosen records, and an S2 title lookup only where S2 cannot be
asked by identifier. Issue 3's targets: at most 1.2 requests per paper cold, zero warm.

The emulator's corpus holds records for the 50 fixture papers; the list's other titles
get obviously synthetic records here ("bench/Example...", "Ann Example", no DOI), so
that every title can be found. Rate limits are lifted so the figure measures requests
and latency; the floor the default rates would impose is printed alongside.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from enrich.emulator import Corpus, Emulator, Faults
from enrich.emulator.services import s2_match
from enrich.http import HttpClient, HttpConfig
from enrich.models import Candidate, Entry
from enrich.sources import DblpSource, S2Source
from enrich.text import normalize_title

ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "data" / "raw" / "mlsys-reading-list.md"
BULLET = re.compile(r"^\s*[-*]\s+\[([^\]]+)\]\s*(.+?)\s*$")
YEAR = re.compile(r"'\s*(\d{2})")
TARGET_COLD = 1.2
DEFAULT_RATES = {"dblp": 1.0, "s2": 0.5}  # the HTTP layer's defaults (S2 without a key)


def list_entries(path: Path) -> list[Entry]:
    """Bullets with a [Venue 'YY] label; a stand-in until the reading-list parser is merged."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        bullet = BULLET.match(line)
        if bullet:
            label, title = bullet.groups()
            year = YEAR.search(label)
            entries.append(
                Entry(title=title, file=str(path), lines=(number,), label=f"[{label}]",
                      venue=label.split()[0].strip("'"),
                      year=2000 + int(year.group(1)) if year else None)
            )  # fmt: skip
    return entries


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


def choose(entry: Entry, candidates: Sequence[Candidate]) -> Candidate | None:
    """A crude stand-in for the matching stage: the closest published record, with the
    arXiv id of its preprint twin when DBLP has one."""
    title = normalize_title(entry.title)
    scored = [
        (fuzz.ratio(title, normalize_title(c.title)), not c.is_preprint, c) for c in candidates
    ]
    good = [s for s in scored if s[0] >= 70]
    if not good:
        return None
    best = max(good, key=lambda s: s[:2])[2]
    twin = next(
        (
            c
            for c in candidates
            if c.ids.arxiv and normalize_title(c.title) == normalize_title(best.title)
        ),
        None,
    )
    if twin and not best.ids.arxiv:
        best = dataclasses.replace(best, ids=dataclasses.replace(best.ids, arxiv=twin.ids.arxiv))
    return best


def resolve(entries: Sequence[Entry], dblp: DblpSource, s2: S2Source) -> int:
    """Resolve every entry as the pipeline would; the number that ended with an S2 record."""
    chosen = [choose(entry, dblp.find(entry)) for entry in entries]
    known = [c for c in chosen if c is not None]
    fetched = iter(s2.fetch(known))
    resolved = 0
    for entry, record in zip(entries, chosen, strict=True):
        paper = next(fetched) if record is not None else None
        if paper is None:
            title = record.title if record is not None else entry.title
            paper = next(iter(s2.find(dataclasses.replace(entry, title=title))), None)
        resolved += paper is not None
    return resolved


def run(entries: Sequence[Entry], corpus: Corpus, latency: float, dblp_ids: bool) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory() as cache,
        Emulator(corpus, Faults(latency=latency), accept_dblp_ids=dblp_ids) as emulator,
    ):
        config = HttpConfig(cache_path=Path(cache) / "http.sqlite",
                            rates={"dblp": 1000.0, "s2": 1000.0})  # fmt: skip
        client = HttpClient(config)
        figures: dict[str, Any] = {}
        for phase in ("cold", "warm"):
            emulator.reset_counts()
            dblp = DblpSource(client, base_url=emulator.url)
            s2 = S2Source(client, base_url=emulator.url, dblp_ids=dblp_ids)
            start = time.perf_counter()
            resolved = resolve(entries, dblp, s2)
            figures[phase] = {"seconds": time.perf_counter() - start, "resolved": resolved,
                              "requests": dict(emulator.requests)}  # fmt: skip
        client.close()
    return figures


def report(name: str, figures: dict[str, Any], papers: int) -> bool:
    cold, warm = figures["cold"], figures["warm"]
    sent = sum(cold["requests"].values())
    per_paper = sent / papers
    floor = sum(n / DEFAULT_RATES[k.split(".")[0]] for k, n in cold["requests"].items())
    print(f"\n{name}")
    print(
        f"  cold: {sent} requests for {papers} papers = {per_paper:.2f} per paper "
        f"(target <= {TARGET_COLD}: {'MET' if per_paper <= TARGET_COLD else 'MISSED'})"
    )
    print(f"        by endpoint: {dict(sorted(cold['requests'].items()))}")
    print(
        f"        wall {cold['seconds']:.2f} s; {cold['resolved']}/{papers} with an S2 record; "
        f"at the default rates (DBLP 1/s, S2 0.5/s) the floor would be {floor:.0f} s"
    )
    warm_sent = sum(warm["requests"].values())
    print(
        f"  warm: {warm_sent} requests (target 0: {'MET' if warm_sent == 0 else 'MISSED'}), "
        f"wall {warm['seconds']:.3f} s, {warm['resolved']}/{papers} with an S2 record"
    )
    return per_paper <= TARGET_COLD and warm_sent == 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--list", type=Path, default=LIST)
    args = parser.parse_args(argv)
    entries = list_entries(args.list)
    corpus = synthetic_corpus(entries)
    print(f"bench_sources: {len(entries)} papers from {args.list.name}, "
          f"{args.latency * 1000:.0f} ms latency per answer")  # fmt: skip
    report("documented S2 ids only (DOI:, ARXIV:)", run(entries, corpus, args.latency, False),
           len(entries))  # fmt: skip
    report("with DBLP: batch ids (undocumented; only if S2 resolves them)",
           run(entries, corpus, args.latency, True), len(entries))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
