"""Build the emulator's corpus (corpus.json) from the real facts in the shared fixtures.

    python -m enrich.emulator.build_corpus [FACTS_JSON] [OUT_JSON] [DBLP_FACTS_JSONL]

Every value that is a fact comes from the facts file: titles, venues, years, DOIs,
arXiv ids, DBLP keys where seen, the first author's family name, the author count,
and the confusable records the facts name (CONFUSABLES below quotes them). Every
value the facts do not give is made obviously synthetic, so no one takes it for a
fact: DBLP keys `conf/osdi/ExampleUnger22`, given names "Example", co-authors
"Ann Example", pids "ex/...", S2 paperIds "fixture-...". Values nobody can make look
synthetic (corpusId, citation counts) are left null.

Every DBLP record also gets an `export`: what DBLP's BibTeX export adds to a search hit
(see dblp_export.py). Its values come from the DBLP facts (DBLP_FACTS, one line per list
paper, each value with where it was seen) where the line for the paper gives them; a
proceedings title, publisher and PMLR volume seen for one paper of a venue's year serve
its other papers too (they are facts of the proceedings). What no fact gives is synthetic
and named in `synthetic` (booktitle "Proceedings of the Example Conference, {SOSP} 2023",
publisher "Example Publisher"); pages nobody saw are left out. The search never sends
`export`, so the hits stay exactly as the facts make them.

S2 records carry `publicationTypes`, `publicationVenue` and `journal` as S2 sends them:
a conference paper's venue named by its full name from enrich.venues, a preprint's
journal "ArXiv" with its `abs/` volume.

The corpus also holds the labelled accuracy set (`labels`): for each list paper of
the facts, the DBLP key and DOI of its published record (the right answer), the
keys of its own records (published and arXiv versions) and what makes it hard.
tests/accuracy_set.py and benchmarks/bench_accuracy.py resolve the list against it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from enrich.emulator.export_facts import (
    DBLP_FACTS,
    export_for,
    export_values,
    lines_by_record,
    proceedings_values,
    read_dblp_facts,
)
from enrich.venues import canonical_venue, venue_names

# The real facts, kept in the repository beside the tests (a copy of the shared fixtures).
FACTS = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "papers_part1.json"

OUT = Path(__file__).with_name("corpus.json")

_DBLP_STREAM = {"USENIX ATC": "conf/usenix", "NeurIPS": "conf/nips", "NIPS": "conf/nips",
                "CoRR": "journals/corr", "MLSys": "conf/mlsys"}  # fmt: skip
_GIVEN = ("Ann", "Bob", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kai", "Lou")
_NAMED_CORR_KEY = re.compile(r"journals/corr/abs-\d{4}-\d{4,5}")
# Records the facts name as confusable with a list paper, quoted from their
# `confusables` text: title, venue, year, arXiv id, family names the facts give,
# author count the facts give or None, and a DOI only where the facts name one.
# A record with the list paper's own arXiv id is that paper's preprint under
# another title; it replaces the CoRR twin that would repeat the published title.
# Three venues/years the facts leave out are the accuracy set's long-standing ones
# (marked "not in the facts"): MLPerf Training at MLSys 2020, the parameter server's
# NIPS 2013 workshop version, the same-title ACM record at BigDataScience 2014.
CONFUSABLES: tuple[dict[str, Any], ...] = (
    {"title": "PipeDream: Fast and Efficient Pipeline Parallel DNN Training", "venue": "CoRR",
     "year": 2018, "arxiv": "1806.03377", "families": (), "n_authors": 7},
    {"title": "Memory-Efficient Pipeline-Parallel DNN Training", "venue": "ICML", "year": 2021,
     "arxiv": None, "families": (), "n_authors": None},
    {"title": "Poseidon: A System Architecture for Efficient GPU-based Deep Learning on "
              "Multiple Machines", "venue": "CoRR", "year": 2015, "arxiv": "1512.06216",
     "families": ("Zhang", "Hu", "Wei", "Xie", "Kim", "Ho", "Xing"), "n_authors": 7},
    {"title": "Optimus: An Efficient Dynamic Resource Scheduler for Deep Learning Clusters",
     "venue": "EuroSys", "year": 2018, "arxiv": None, "families": (), "n_authors": None},
    {"title": "Re-evaluating the Memory-balanced Pipeline Parallelism: BPipe", "venue": "CoRR",
     "year": 2024, "arxiv": "2401.02088",
     "families": ("Huang", "Wang", "Ma", "Zhang", "Zhang", "Yu"), "n_authors": 6},
    {"title": "Accelerating Large Language Model Decoding with Speculative Sampling",
     "venue": "CoRR", "year": 2023, "arxiv": "2302.01318",
     "families": ("Chen", "Borgeaud", "Irving"), "n_authors": None},
    {"title": "Online Speculative Decoding", "venue": "CoRR", "year": 2023,
     "arxiv": "2310.07177", "families": (), "n_authors": None},
    {"title": "Speculative Decoding with Big Little Decoder", "venue": "NeurIPS", "year": 2023,
     "arxiv": None, "families": (), "n_authors": None},
    {"title": "INFaaS: A Model-less and Managed Inference Serving System", "venue": "CoRR",
     "year": 2019, "arxiv": "1905.13348", "families": ("Romero",), "n_authors": None},
    {"title": "PipeTransformer: Automated Elastic Pipelining for Distributed Training of "
              "Transformers", "venue": "CoRR", "year": 2021, "arxiv": "2102.03161",
     "families": ("He",), "n_authors": None},
    {"title": "Themis: Fair and Efficient GPU Cluster Scheduling for Machine Learning Workloads",
     "venue": "CoRR", "year": 2019, "arxiv": "1907.01484", "families": ("Batra", "Chavali"),
     "first_known": False, "n_authors": 9},
    {"title": "Multi-model Machine Learning Inference Serving with GPU Spatial Partitioning",
     "venue": "CoRR", "year": 2021, "arxiv": "2109.01611", "families": ("Choi", "Lee"),
     "n_authors": None},
    {"title": "MLPerf Mobile Inference Benchmark", "venue": "MLSys", "year": 2022,
     "arxiv": None, "families": (), "n_authors": None},
    {"title": "MLPerf Tiny Benchmark", "venue": "NeurIPS Datasets and Benchmarks", "year": 2021,
     "arxiv": None, "families": (), "n_authors": None},
    {"title": "Primitives for Dynamic Big Model Parallelism", "venue": "CoRR", "year": 2014,
     "arxiv": "1406.4580", "families": (), "n_authors": None},
    {"title": "On Model Parallelization and Scheduling Strategies for Distributed Machine "
              "Learning", "venue": "NIPS", "year": 2014, "arxiv": None, "families": ("Lee",),
     "n_authors": None},
    {"title": "Characterizing Deep Learning Training Workloads on Alibaba-PAI",
     "venue": "IISWC", "year": 2019, "arxiv": None, "families": (), "n_authors": None},
    {"title": "Parallax: Automatic Data-Parallel Training of Deep Neural Networks",
     "venue": "CoRR", "year": 2018, "arxiv": "1808.02621", "families": ("Kim",),
     "n_authors": None},
    {"title": "High-throughput Generative Inference of Large Language Models with a Single GPU",
     "venue": "CoRR", "year": 2023, "arxiv": "2303.06865", "families": ("Sheng",),
     "n_authors": None},
    {"title": "DFX: A Low-latency Multi-FPGA Appliance for Accelerating Transformer-based "
              "Text Generation", "venue": "HCS", "year": 2022, "arxiv": None, "families": (),
     "n_authors": None, "stream": "conf/hotchips"},
    {"title": "MLPerf Training Benchmark", "venue": "MLSys", "year": 2020,  # not in the facts
     "arxiv": None, "families": (), "n_authors": None},
    {"title": "Scaling Distributed Machine Learning with the Parameter Server",
     "venue": "BigDataScience", "year": 2014, "arxiv": None, "families": (),  # not in the facts
     "n_authors": None, "doi": "10.1145/2640087.2644155"},
    {"title": "Parameter Server for Distributed Machine Learning", "venue": "NIPS Workshop",
     "year": 2013, "arxiv": None, "families": (), "n_authors": None},  # year not in the facts
)  # fmt: skip

# The facts: "other systems named ORCA/Orca exist". DBLP sends only the first `h` hits of a
# name it holds many papers of; a dozen obviously synthetic namesakes, newer than the OSDI '22
# paper, make the emulator's "orca" answer (newest first) leave it out the same way.
NAMESAKES = (("Orca", (2023,) * 4 + (2024,) * 4 + (2025,) * 4),)

# What makes a list paper hard to resolve, by the start of its list title (for reports).
TRAPS = {
    "Orca": "list title differs from the published one; a dozen namesakes",
    "Paella": "list title differs from the published one",
    "Achieving": "list writes μs-scale, published Microsecond-scale",
    "μLayer": "Greek mu in the list, micro sign elsewhere",
    "INFaaS": "preprint under another title",
    "PipeTransformer": "preprint under another title",
    "Parallax": "preprint under another title",
    "FlexGen": "preprint under another title",
    "Themis": "preprint under a longer title",
    "Serving Heterogeneous": "earlier preprint under another title",
    "PipeDream": "two PipeDream papers",
    "Poseidon": "Poseidon 2015 vs 2017",
    "Optimus-CC": "Optimus vs Optimus-CC",
    "Horovod": "arXiv-only paper",
    "Scaling Distributed": "same title, other venue, with a DOI; workshop version",
    "DFX": "same title at Hot Chips",
    "MLPerf": "MLPerf family",
    "BPipe": "a later paper about BPipe",
    "Fast Inference from Transformers": "concurrent papers on speculative decoding",
    "STRADS": "earlier papers of the same system",
    "MLaaS": "an earlier trace study of the same cluster",
    "HetPipe": "USENIX ATC under conf/usenix",
    "Analysis of Large-Scale": "USENIX ATC under conf/usenix",
    "Balancing Efficiency": "other lists mislabel the year",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100]


def author_names(
    families: tuple[str, ...], first_family: str | None, count: int | None
) -> list[str]:
    """Real family names where known (given name "Example"), "Ann Example" style for the rest.

    Without a known count, only the known names are listed (at least one).
    """
    known = ((first_family,) if first_family else ()) + tuple(families)
    total = max(count or len(known), len(known), 1)
    names = [f"Example {family}" for family in known]
    for i in range(len(names), total):
        given = _GIVEN[i % len(_GIVEN)]
        names.append(f"{given} Example" + (f"-{i // len(_GIVEN) + 1}" if i >= len(_GIVEN) else ""))
    return names


def unique(key: str, used: set[str]) -> str:
    """Two synthetic keys alike get a letter, as DBLP itself does ("...19", "...19b")."""
    candidate, letter = key, ord("b")
    while candidate in used:
        candidate, letter = f"{key}{chr(letter)}", letter + 1
    used.add(candidate)
    return candidate


def dblp_title(title: str) -> str:
    """DBLP's entry guidelines end every title with '.', '?' or '!'."""
    return title if title.endswith((".", "?", "!")) else title + "."


def corr_key(arxiv: str, named: set[str], family: str, year: int) -> str:
    """The CoRR key the facts name for this arXiv id, else an obviously synthetic one."""
    derived = "journals/corr/abs-" + arxiv.replace(".", "-")
    return derived if derived in named else f"journals/corr/Example{family}{year % 100:02d}"


def dblp_record(
    *,
    key: str,
    title: str,
    venue: str,
    year: int,
    authors: list[str],
    doi: str | None,
    arxiv: str | None,
    homonym: bool,
) -> dict[str, Any]:
    """A `hit.info` as DBLP sends it: strings only, optional fields left out when unknown."""
    people = [{"@pid": f"ex/{slug(key)}-{i}", "text": name} for i, name in enumerate(authors)]
    if homonym and len(people) > 1:  # DBLP's homonym numbering, as in "Wei Wang 0001"
        people[1]["text"] += " 0001"
    corr = venue == "CoRR"
    info: dict[str, Any] = {
        "authors": {"author": people},
        "title": dblp_title(title),
        "venue": venue,
        "year": str(year),
    }
    if corr and arxiv:
        info["volume"] = f"abs/{arxiv}"
    info["type"] = "Informal and Other Publications" if corr else "Conference and Workshop Papers"
    info["key"] = key
    if doi:
        info["doi"] = doi
        info["ee"] = f"https://doi.org/{doi}"
    elif corr and arxiv:
        info["ee"] = f"https://arxiv.org/abs/{arxiv}"
    info["url"] = f"https://dblp.org/rec/{key}"
    return info  # fmt: skip


def s2_record(
    *,
    paper_id: str,
    title: str,
    venue: str,
    year: int,
    authors: list[str],
    doi: str | None,
    arxiv: str | None,
    dblp_key: str | None,
) -> dict[str, Any]:
    """A paper as S2's Graph API sends it with every field enrich asks for."""
    external: dict[str, Any] = {}
    if dblp_key:
        external["DBLP"] = dblp_key
    if arxiv:
        external["ArXiv"] = arxiv
    if doi:
        external["DOI"] = doi
    return {
        "paperId": paper_id, "corpusId": None, "externalIds": external,
        "url": f"https://www.semanticscholar.org/paper/{paper_id}",
        "title": title, "abstract": None, "venue": "arXiv.org" if venue == "CoRR" else venue,
        "year": year, "citationCount": None,
        "openAccessPdf": {"url": f"https://arxiv.org/pdf/{arxiv}", "status": "GREEN"}
        if arxiv else None,
        "authors": [{"authorId": None, "name": name} for name in authors],
        **s2_publication(venue, arxiv),
    }  # fmt: skip


def s2_publication(venue: str, arxiv: str | None, journal: bool = False) -> dict[str, Any]:
    """S2's `publicationTypes`, `publicationVenue` and `journal` (apis.md §2.4-2.5).

    A preprint has no type or venue and the journal "ArXiv" (as S2 sends for arXiv
    papers); a paper's venue is named by the first full name (three words or more, no
    abbreviation) in enrich.venues' aliases ("Symposium on Operating Systems Principles"),
    else as is.
    """
    if venue == "CoRR":
        journal_of_preprint = {"name": "ArXiv", "volume": f"abs/{arxiv}"} if arxiv else None
        return {"publicationTypes": None, "publicationVenue": None, "journal": journal_of_preprint}
    canonical = canonical_venue(venue)
    aliases = venue_names(venue)
    name = next((a for a in aliases if len(a.split()) >= 3 and "." not in a), venue)
    kind = "journal" if journal else "conference"
    return {
        "publicationTypes": ["JournalArticle" if journal else "Conference"],
        "publicationVenue": {"id": f"fixture-venue-{slug(canonical or venue)}", "name": name,
                             "type": kind, "alternate_names": [venue]},
        "journal": {"name": name} if journal else None,
    }  # fmt: skip


def records_for(
    fact: Mapping[str, Any], index: int, used: set[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """("dblp"|"s2", record) for one list paper: its published record, its CoRR twin."""
    family, year, venue = fact["first_author_family"], fact["year"], fact["venue"]
    title, arxiv, doi = fact["published_title"], fact["arxiv"], fact["doi"]
    named = set(_NAMED_CORR_KEY.findall(fact["confusables"] or ""))
    authors = author_names((), family, fact["n_authors"])
    stream = _DBLP_STREAM.get(venue, f"conf/{venue.lower()}")
    if venue == "CoRR":
        key = fact["dblp_key"] or corr_key(arxiv, named, family, year)
    else:
        key = fact["dblp_key"] or f"{stream}/Example{family}{year % 100:02d}"
    key = unique(key, used)
    common = {"title": title, "venue": venue, "year": year, "authors": authors, "doi": doi}
    yield "dblp", dblp_record(key=key, arxiv=arxiv, homonym=index % 5 == 0, **common)
    yield (
        "s2",
        s2_record(
            paper_id=unique(f"fixture-{slug(title)}", used), arxiv=arxiv, dblp_key=key, **common
        ),
    )
    if arxiv and venue != "CoRR":
        twin_year = 2000 + int(arxiv[:2])
        if not any(c["arxiv"] == arxiv for c in CONFUSABLES):  # the preprint has its own title
            twin_key = unique(corr_key(arxiv, named, family, twin_year), used)
            twin = {**common, "venue": "CoRR", "year": twin_year, "doi": None}
            yield "dblp", dblp_record(key=twin_key, arxiv=arxiv, homonym=False, **twin)


def confusable_records(named: set[str], used: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in CONFUSABLES:
        family = item["families"][0] if item["families"] else None
        authors = author_names(item["families"][1:], family, item["n_authors"])
        if not item.get("first_known", True):  # "9 authors incl. Batra, Chavali": not the first
            family = None
            authors = ["Ann Example", *author_names(item["families"], None, item["n_authors"] - 1)]
        venue, year, arxiv = item["venue"], item["year"], item["arxiv"]
        stream = item.get("stream") or _DBLP_STREAM.get(venue, f"conf/{slug(venue).split('-')[0]}")
        if venue == "CoRR":
            key = corr_key(arxiv, named, family or "Other", year)
        else:
            key = f"{stream}/Example{family or 'Other'}{year % 100:02d}"
        key = unique(key, used)
        common = {"title": item["title"], "venue": venue, "year": year, "authors": authors,
                  "doi": item.get("doi"), "arxiv": arxiv}  # fmt: skip
        yield "dblp", dblp_record(key=key, homonym=False, **common)
        yield (
            "s2",
            s2_record(
                paper_id=unique(f"fixture-{slug(item['title'])}", used), dblp_key=key, **common
            ),
        )


def namesake_records(used: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, years in NAMESAKES:
        for number, year in enumerate(years, start=1):
            key = unique(f"conf/example/Example{name}{year % 100:02d}", used)
            title = f"{name}: Example Namesake System {number}"
            yield "dblp", dblp_record(key=key, title=title, venue="Example", year=year,
                                      authors=["Ann Example"], doi=None, arxiv=None,
                                      homonym=False)  # fmt: skip


def label(
    fact: Mapping[str, Any], published: Mapping[str, Any], dblp: list[dict[str, Any]]
) -> dict[str, Any]:
    """The right answer for one list paper, and the keys of its own records (its published
    record and every CoRR record of its arXiv id, whatever that preprint's title)."""
    preprint = f"abs/{fact['arxiv']}" if fact["arxiv"] else None
    own = [published["key"]]
    own += [
        r["key"] for r in dblp if preprint and r is not published and r.get("volume") == preprint
    ]
    trap = next((why for start, why in TRAPS.items() if fact["list_title"].startswith(start)), "")
    return {
        "list_label": fact["list_label"],
        "list_title": fact["list_title"],
        "dblp_key": published["key"],
        "doi": fact["doi"],
        "own_keys": own,
        "trap": trap,
    }


def build(
    facts: list[Mapping[str, Any]], dblp_facts: list[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """The corpus; `dblp_facts` are the lines of DBLP_FACTS (read from there when None)."""
    named = {key for f in facts for key in _NAMED_CORR_KEY.findall(f["confusables"] or "")}
    used: set[str] = set()
    per_fact = [list(records_for(fact, i, used)) for i, fact in enumerate(facts)]
    pairs = [pair for pairs_of_fact in per_fact for pair in pairs_of_fact]
    pairs += list(confusable_records(named, used))
    pairs += list(namesake_records(used))
    dblp = [record for kind, record in pairs if kind == "dblp"]
    published = {f["list_title"]: records[0][1] for f, records in zip(facts, per_fact, strict=True)}
    lines = lines_by_record(
        read_dblp_facts() if dblp_facts is None else dblp_facts,
        published,
        {r["key"]: r for r in dblp},
    )
    values = {key: export_values(line) for key, line in lines.items()}
    shared = proceedings_values(dblp, values)
    for record in dblp:  # last, so that every hit.info stays as it was
        own = values.get(record["key"], {})
        record["export"] = export_for(record, own, shared[record["venue"], record["year"]])
    corpus: dict[str, Any] = {
        "about": "Built by enrich.emulator.build_corpus from the shared fixture facts; "
        "every 'Example'/'fixture-'/'ex/' value is synthetic.",
        "dblp": dblp,
        "s2": [record for kind, record in pairs if kind == "s2"],
        "labels": [
            label(fact, records[0][1], dblp) for fact, records in zip(facts, per_fact, strict=True)
        ],
    }
    for kind in ("dblp", "s2"):
        ids = [r["key"] if kind == "dblp" else r["paperId"] for r in corpus[kind]]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"duplicate {kind} ids: {sorted(duplicates)}")
    return corpus


def main(argv: list[str]) -> None:
    facts_path = Path(argv[0]) if argv else FACTS
    out_path = Path(argv[1]) if len(argv) > 1 else OUT
    dblp_facts = read_dblp_facts(Path(argv[2]) if len(argv) > 2 else DBLP_FACTS)
    corpus = build(json.loads(facts_path.read_text(encoding="utf-8")), dblp_facts)
    out_path.write_text(json.dumps(corpus, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{out_path}: {len(corpus['dblp'])} DBLP records, {len(corpus['s2'])} S2 records")


if __name__ == "__main__":
    main(sys.argv[1:])
