"""Benchmark: rendering and writing the four outputs for a large reading list.

Target: 2,000 papers (ten times the shipped list) written in under 10 s.
Prints the figures; exits 1 if the target is missed.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from emit_support import mixed_records
from enrich.emit import write_outputs

PAPERS = 2000
TARGET_SECONDS = 10.0


def main() -> int:
    base = mixed_records()
    records = []
    for n in range(PAPERS):
        record = base[n % len(base)]
        entry = dataclasses.replace(record.entry, title=f"{record.entry.title} {n}")
        records.append(dataclasses.replace(record, entry=entry, title=f"{record.title} {n}"))
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "big-list.md"
        source.write_text("- [X '23] placeholder\n", encoding="utf-8")
        started = time.perf_counter()
        paths = write_outputs(records, source, Path(directory) / "enriched")
        first = time.perf_counter() - started
        started = time.perf_counter()
        write_outputs(records, source, Path(directory) / "enriched")
        second = time.perf_counter() - started
        sizes = {p.name: p.stat().st_size for p in paths}
    print(
        f"emit: {PAPERS} papers, first write {first:.2f} s, rewrite (keys from JSON) {second:.2f} s"
    )
    for name, size in sizes.items():
        print(f"  {name}: {size / 1024:.0f} KiB")
    ok = max(first, second) < TARGET_SECONDS
    print(f"target < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
