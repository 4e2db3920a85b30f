"""Benchmark: the local DBLP index, built from a generated dump and asked for titles.

Build: a synthetic dump of 1,000,000 records (enrich.emulator.dblp_dump: made-up titles
and "Ann Example" authors, a fifth CoRR, proceedings crossref'd) is built into the index;
the figures are records per second, peak RSS and the index's size, projected to DBLP's
real dump (about 7 million records). Lookups: 100,000 titles drawn from the dump (one in
ten with a word dropped, as lists misspell) are each found (LocalDblpSource.find, the
API path's query planning) and matched (match.choose_record), as a run resolves them.

Targets: 100,000 titles resolved in under 10 minutes on this 2-core machine (more than
167 a second); the real dump's build projected under an hour; memory flat in both (the
heap, RssAnon, grows by less than 64 MB from the first quarter to the end; the index's
pages are mapped from the file and are the OS's cache, not the heap). `--records N
--titles N` for a quick run. Prints the figures; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from enrich.emulator.dblp_dump import write_synthetic_dump
from enrich.match import choose_record
from enrich.models import Entry
from enrich.sources.dblp.local import LocalDblpSource, build_index

REAL_DUMP_RECORDS = 7_000_000
MIN_LOOKUPS_PER_SECOND = 100_000 / 600
MAX_REAL_BUILD_SECONDS = 3600.0
MAX_HEAP_GROWTH = 64 * 2**20


def heap_bytes() -> int:
    """This process's anonymous resident memory (its heap), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) * 1024
    return 0


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def generate(folder: Path, records: int) -> None:
    """In a child process, so the generator's memory is not counted as the build's."""
    child = multiprocessing.get_context("fork").Process(
        target=write_synthetic_dump, args=(folder, records)
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit("bench_index: the synthetic dump could not be written")


def bench_build(dump: Path, index: Path, records: int) -> tuple[bool, bool]:
    samples: list[tuple[int, int]] = []

    def progress(count: int, seconds: float) -> None:
        samples.append((count, heap_bytes()))

    result = build_index(dump, index, progress=progress, every=max(records // 40, 1))
    size = index.stat().st_size
    quarter = next(heap for count, heap in samples if count >= result.records // 4)
    growth = samples[-1][1] - quarter
    rate = result.records_per_second
    projected = REAL_DUMP_RECORDS / rate
    per_record = size / result.records
    print(f"build: {result.records:,} records in {result.seconds:.1f} s: {rate:,.0f} records/s")
    print(f"  peak RSS {peak_rss() / 2**20:,.0f} MB; heap {quarter / 2**20:,.0f} MB at a quarter, "
          f"{samples[-1][1] / 2**20:,.0f} MB at the end ({growth / 2**20:+,.1f} MB)")  # fmt: skip
    print(f"  index {size / 2**20:,.0f} MB, {per_record:,.0f} bytes a record")
    print(f"  projected to the real dump ({REAL_DUMP_RECORDS:,} records): {projected / 60:,.1f} "
          f"min, {per_record * REAL_DUMP_RECORDS / 2**30:,.1f} GB")  # fmt: skip
    return projected <= MAX_REAL_BUILD_SECONDS, growth < MAX_HEAP_GROWTH


def sample_titles(index: Path, titles: int, seed: int = 3) -> list[Entry]:
    rng = random.Random(seed)
    with sqlite3.connect(index) as db:
        (count,) = db.execute("SELECT max(id) FROM records").fetchone()
        chosen = rng.sample(range(1, count + 1), min(titles * 2, count))
        entries: list[Entry] = []
        for start in range(0, len(chosen), 900):
            ids = chosen[start : start + 900]
            marks = ", ".join("?" * len(ids))
            rows = db.execute(
                f"SELECT title, year FROM records WHERE id IN ({marks}) AND kind != 'proceedings'",
                ids,
            ).fetchall()
            for title, year in rows:
                words = title.rstrip(".").split()
                if rng.random() < 0.1 and len(words) > 4:
                    del words[rng.randrange(1, len(words))]
                entries.append(Entry(" ".join(words), "bench.md", (len(entries) + 1,), year=year))
            if len(entries) >= titles:
                break
    return entries[:titles]


def bench_lookups(index: Path, titles: int) -> tuple[bool, bool]:
    entries = sample_titles(index, titles)
    source = LocalDblpSource(index)
    matched = 0
    quarter = 0
    started = time.perf_counter()
    for number, entry in enumerate(entries, 1):
        decision = choose_record(entry, source.find(entry))
        matched += decision.chosen is not None
        if number == len(entries) // 4:
            quarter = heap_bytes()
    elapsed = time.perf_counter() - started
    growth = heap_bytes() - quarter
    rate = len(entries) / elapsed
    print(f"lookups: {len(entries):,} titles in {elapsed:.1f} s: {rate:,.0f} titles/s, "
          f"{matched:,} matched ({matched / len(entries):.1%})")  # fmt: skip
    print(f"  100,000 titles would take {100_000 / rate / 60:,.1f} min; heap "
          f"{growth / 2**20:+,.1f} MB from a quarter to the end; peak RSS "
          f"{peak_rss() / 2**20:,.0f} MB")  # fmt: skip
    return rate >= MIN_LOOKUPS_PER_SECOND, growth < MAX_HEAP_GROWTH


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--titles", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-index-") as folder:
        started = time.perf_counter()
        generate(Path(folder), args.records)
        dump = Path(folder) / "dblp.xml.gz"
        print(f"dump: {args.records:,} synthetic records, {dump.stat().st_size / 2**20:,.0f} MB "
              f"gzipped, written in {time.perf_counter() - started:.0f} s")  # fmt: skip
        index = Path(folder) / "dblp-index.sqlite"
        build_fast, build_flat = bench_build(dump, index, args.records)
        fast, flat = bench_lookups(index, args.titles)
    results = {
        f"real dump built in under {MAX_REAL_BUILD_SECONDS / 60:.0f} min (projected)": build_fast,
        "build memory flat": build_flat,
        f">= {MIN_LOOKUPS_PER_SECOND:,.0f} titles/s (100,000 in 10 min)": fast,
        "lookup memory flat": flat,
    }
    for name, ok in results.items():
        print(f"target {name}: {'met' if ok else 'MISSED'}")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
