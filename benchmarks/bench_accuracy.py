"""Accuracy of record choice on the labelled set: precision/recall of the chosen DBLP key and DOI.

The 50 labelled papers of the shipped list (data/raw/mlsys-reading-list.md, parsed by
enrich.readinglist) are resolved over HTTP against the local emulator, which serves their
records and their confusable records (CoRR versions, preprints under other titles, same-name
papers, same-title items at other venues, a workshop version) from the emulator corpus; the
labels are the corpus's `labels` (see tests/accuracy_set.py). Each paper goes through the
pipeline's own resolve stage (enrich.resolve.resolve_entries); then again with the
hits of every planned query together, with each paper's own records removed from the corpus
(only confusables left: any confident match there is a wrong one), as bare system names, and
with Semantic Scholar's title search added. Exits 1 if a target is missed: every labelled
paper matched to its published record, and no wrong confident match.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from accuracy_set import (
    Outcome,
    Scores,
    every_query,
    load_set,
    name_only_variants,
    resolve,
    resolve_as_pipeline,
    score,
    serving,
    without_own_records,
)


def ratio(value: float, defined: bool) -> str:
    return f"{value:.3f}" if defined else "-"


def row(name: str, s: Scores) -> str:
    """One run's line; a precision with nothing given or a recall with nothing expected is '-'."""
    keys_given, dois_given = s.key_correct + s.key_wrong, s.doi_correct + s.doi_wrong
    return (
        f"{name:<44}{s.papers:>7}{s.matched:>8}"
        f"{ratio(s.key_precision, keys_given > 0):>10}{ratio(s.key_recall, s.key_expected > 0):>8}"
        f"{s.key_wrong:>7}"
        f"{ratio(s.doi_precision, dois_given > 0):>10}{ratio(s.doi_recall, s.doi_expected > 0):>8}"
        f"{s.doi_wrong:>7}"
    )


def main() -> int:
    papers = load_set()
    runs: dict[str, list[Outcome]] = {}
    started = time.perf_counter()
    with serving() as emulator:
        runs["resolve_entries (as the pipeline)"] = resolve_as_pipeline(papers, emulator)
        runs["every planned query's hits together"] = resolve(papers, emulator, search=every_query)
        runs["with S2 title search and S2 record"] = resolve(papers, emulator, with_s2=True)
        missing = without_own_records(papers)
        runs["own records removed, find"] = resolve(missing, emulator, own_records=False)
        runs["own records removed, every query"] = resolve(
            missing, emulator, search=every_query, own_records=False
        )
        runs["bare system names, find"] = resolve(name_only_variants(papers), emulator)
        requests = sum(emulator.requests.values())
    elapsed = time.perf_counter() - started
    decisions = sum(len(outcomes) for outcomes in runs.values())
    print(
        f"labelled papers: {len(papers)} (DOI in {sum(1 for p in papers if p.expected_doi)})   "
        f"HTTP requests to the emulator: {requests}   "
        f"time: {elapsed:.1f} s for {decisions} decisions"
    )
    print()
    print(
        f"{'run':<44}{'papers':>7}{'matched':>8}{'key P':>10}{'key R':>8}{'wrong':>7}"
        f"{'DOI P':>10}{'DOI R':>8}{'wrong':>7}"
    )
    for name, outcomes in runs.items():
        print(row(name, score(outcomes)))
    print("(own records removed: the right answer is 'no record'; '-' where nothing was given)")
    print()
    for name in ("own records removed, find", "own records removed, every query"):
        scores = score(runs[name])
        met = sum(1 for o in runs[name] if o.candidates)
        print(
            f"{name}: {met} papers met only confusable records; statuses: "
            + ", ".join(f"{n} {s}" for s, n in sorted(scores.statuses.items()))
        )
    named = runs["bare system names, find"]
    unresolved = sum(1 for o in named if o.key is None)
    print(f'bare system names ("[SOSP \'19] Nexus"): {len(named)}, unresolved {unresolved}')
    s2_run = runs["with S2 title search and S2 record"]
    by_dblp = sum(1 for o in s2_run if o.decided_by == "dblp")
    print(f"with S2: {by_dblp} of {len(s2_run)} decided by the DBLP record")
    print()
    noted = [o for o in runs["resolve_entries (as the pipeline)"] if o.notes]
    print(f"matched with a note ({len(noted)}):")
    for outcome in noted:
        print(f"  {outcome.paper.entry.label} {outcome.paper.entry.title[:60]}: {outcome.notes[0]}")

    main_scores = [score(runs[name]) for name in list(runs)[:3]]
    missed = (
        any(s.key_correct < s.key_expected or s.key_wrong or s.doi_wrong for s in main_scores)
        or any(s.doi_correct < s.doi_expected for s in main_scores)
        or any(score(runs[name]).matched for name in list(runs)[3:5])
        or score(named).key_wrong > 0
        or score(named).doi_wrong > 0
        or by_dblp < len(s2_run)
    )
    print()
    print("targets:", "MISSED" if missed else "met (all matched, no wrong confident match)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
