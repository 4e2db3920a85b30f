"""Accuracy of record choice on the labelled fixture set: precision/recall of DBLP key and DOI.

Runs the 50 papers of tests/fixtures/papers_part1.json with their confusable records
(CoRR versions, same-name papers, same-title items elsewhere, preprints under other titles)
through choose_record + merge_record, then again with each paper's own records removed (only
confusables left: any confident match there is a wrong one). Exits 1 if a target is missed:
every labelled paper matched to its published record, and no wrong confident match.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from accuracy_set import FIXTURES, build_set, name_only_variants, run, score, with_s2_copies


def main() -> int:
    if not FIXTURES.exists():
        print(f"skipped: {FIXTURES} not present (set ENRICH_FIXTURES)")
        return 0
    papers = build_set()
    started = time.perf_counter()
    present = run(papers)
    absent = run(papers, without_own=True)
    elapsed = time.perf_counter() - started
    full, empty = score(present), score(absent, without_own=True)
    candidates = sum(len(p.candidates) for p in papers)
    print(
        f"labelled papers: {full.papers}   candidates: {candidates}   "
        f"time: {elapsed * 1000:.0f} ms for {2 * len(papers)} decisions"
    )
    print()
    print(f"{'':<34}{'precision':>10}{'recall':>8}{'correct':>9}{'wrong':>7}")
    print(
        f"{'DBLP key':<34}{full.key_precision:>10.3f}{full.key_recall:>8.3f}"
        f"{full.key_correct:>9}{full.key_wrong:>7}"
    )
    print(
        f"{'DOI (' + str(full.doi_expected) + ' papers have one)':<34}"
        f"{full.doi_precision:>10.3f}{full.doi_recall:>8.3f}{full.doi_correct:>9}"
        f"{full.doi_wrong:>7}"
    )
    print()
    print("own records removed (only confusables left):")
    print(f"  confident matches (all wrong): {empty.matched}   DOIs given: {empty.doi_wrong}")
    statuses: dict[str, int] = {}
    for outcome in absent:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    print("  statuses: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    print()
    noted = [o for o in present if o.notes]
    print(f"matched with a note ({len(noted)}):")
    for outcome in noted:
        print(f"  {outcome.paper.entry.label} {outcome.paper.entry.title[:60]}: {outcome.notes[0]}")
    variants = name_only_variants(papers)
    named = score(run(variants))
    print()
    print(f'the same papers as bare system names ({len(variants)}, e.g. "[SOSP \'19] Nexus"):')
    print(
        f"  resolved to the right record: {named.key_correct}   wrong: {named.key_wrong}   "
        f"left unresolved: {len(variants) - named.key_correct - named.key_wrong}"
    )
    doubled = run(with_s2_copies(papers))
    by_dblp = sum(1 for o in doubled if o.decided_by == "dblp" and o.key == o.paper.expected_key)
    print()
    print(
        f"with S2's copy of every record added: {by_dblp} of {len(doubled)} decided by the DBLP "
        "record"
    )
    missed = (
        by_dblp < len(doubled)
        or named.key_wrong > 0
        or full.key_correct < full.papers
        or full.key_wrong
        or full.doi_wrong
        or empty.matched
    )
    print()
    print("targets:", "MISSED" if missed else "met (all matched, no wrong confident match)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
