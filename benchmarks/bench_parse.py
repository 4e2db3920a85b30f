"""Benchmark: parsing a generated Markdown list of 100,000 items, in every supported style.

An item is a list item or table row that names a paper or is skipped; nested metadata
lines ("Example, Bob, et al. (SOSP 2019)") come on top, as notes of their papers.

Targets: parsing is linear (100,000 items take at most 12 times as long as 10,000) and
reads at least 1,000 items per second. The list mixes what real lists hold: headings
with a year or a venue, "[VENUE 'YY] Title" lines, linked titles with a venue, tails of
year and authors, citations, nested metadata lines, table rows and contents links.
Prints the figures; exits 1 if a target is missed.
"""

from __future__ import annotations

import sys
import time

from enrich.readinglist import parse_text

SMALL, LARGE = 10_000, 100_000
MAX_RATIO = 12.0
MIN_ITEMS_PER_SECOND = 1_000.0

_STYLES = (
    "- [OSDI '{yy}] Paper {n}: Scheduling Accelerators",
    "- [Paper {n}: Learned Indexes](https://arxiv.org/abs/0000.{n5}) (NeurIPS {year})",
    "- Paper {n}: Knowledge in Networks ({year}), G. Example et al",
    "- **Paper {n}: Attention Networks**. ICLR {year}. [[pdf]](https://example.org/{n}.pdf)",
    '- Example, Ann, et al. "Paper {n}: Sparse Training." Proc. Example (2019).',
    "- Paper {n}: Memory Tiering [[Paper]](https://doi.org/10.0000/example.{n})\n"
    "  - Example, Bob, et al. (*SOSP {year}*)",
    "- [Section {n}](#section-{n})",
)
_TABLE_ROW = (
    "| {year} | [Paper {n}: Table Row](https://arxiv.org/abs/0000.{n5})"
    " | [Code](https://github.com/example/{n}) |"
)
_TABLE_HEADER = "| Date | Title | Code |\n|---|---|---|"


def generated_list(items: int) -> tuple[str, int]:
    """A list of `items` items and table rows; and how many of them are papers."""
    lines: list[str] = []
    papers = 0
    for n in range(items):
        if n % 500 == 0:
            lines.append(f"\n## {2000 + n // 500 % 25}\n\n### OSDI\n")
        year = 2000 + n % 25
        values = {"n": n, "n5": f"{n % 100_000:05d}", "year": year, "yy": f"{year % 100:02d}"}
        if n % 100 >= 90:
            if n % 100 == 90:
                lines.append("\n" + _TABLE_HEADER)
            lines.append(_TABLE_ROW.format(**values))
            papers += 1
            if n % 100 == 99:
                lines.append("")
            continue
        style = _STYLES[n % len(_STYLES)]
        lines.append(style.format(**values))
        papers += 0 if style.startswith("- [Section") else 1
    return "\n".join(lines) + "\n", papers


def timed_parse(items: int) -> float:
    """Seconds to parse a list of `items` items, checked: every paper written is read,
    and every contents link is skipped."""
    text, papers = generated_list(items)
    started = time.perf_counter()
    parsed = parse_text(text, "generated.md")
    elapsed = time.perf_counter() - started
    skipped = len(parsed.skipped)
    if len(parsed.entries) != papers or skipped != items - papers:
        raise SystemExit(f"parse: {len(parsed.entries)} papers and {skipped} skips read")
    return elapsed


def main() -> int:
    # The small list is timed before and after the large one: a shared machine's speed
    # drifts over a minute of work, and the mean of the two cancels that drift.
    before = timed_parse(SMALL)
    large = timed_parse(LARGE)
    after = timed_parse(SMALL)
    small = (before + after) / 2
    ratio = large / small
    rate = LARGE / large
    print(
        f"parse: {SMALL:,} items in {small:.2f} s ({before:.2f} s before, {after:.2f} s after),"
        f" {LARGE:,} items in {large:.2f} s"
    )
    print(f"  {rate:,.0f} items per second; {LARGE // SMALL}x the items took {ratio:.1f}x the time")
    linear = ratio <= MAX_RATIO
    fast = rate >= MIN_ITEMS_PER_SECOND
    print(f"target linear (ratio <= {MAX_RATIO:.0f}): {'met' if linear else 'MISSED'}")
    print(f"target >= {MIN_ITEMS_PER_SECOND:,.0f} items/s: {'met' if fast else 'MISSED'}")
    return 0 if linear and fast else 1


if __name__ == "__main__":
    sys.exit(main())
