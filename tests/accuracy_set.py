"""The labelled accuracy set: the 50 papers of tests/fixtures/papers_part1.json.

Each paper becomes an Entry (what the list says) and the Candidates a search would return:
its published record, its CoRR record, the confusable records the fixture names (other
papers with similar names, same-title items at other venues, preprints with other titles)
and the nearest other papers of the set. Titles, venues, years, DOIs, DBLP keys and arXiv
ids are the fixture's facts; every value the fixture does not give is obviously synthetic
("conf/osdi/ExampleYu22", author "Ann Example", key "journals/corr/ExampleSergeev18").

Shared by tests/test_accuracy.py and benchmarks/bench_accuracy.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from enrich.evidence import title_similarity
from enrich.match import choose_record
from enrich.merge import merge_record
from enrich.models import Author, Candidate, Entry, Identifiers

FIXTURES = Path(__file__).parent / "fixtures" / "papers_part1.json"

_LABEL = re.compile(r"^\[\s*([A-Za-z][\w .&/-]*?)\s*'?\s*'?(\d{2})'?\s*\]$")
_CORR_KEY = re.compile(r"journals/corr/abs-\d{4}-\d{5}")

# DBLP's short venue names and key prefixes for the fixture's venues.
_DBLP_VENUE = {
    "USENIX ATC": ("USENIX Annual Technical Conference", "usenix"),
    "NIPS": ("NIPS", "nips"),
    "NeurIPS": ("NeurIPS", "nips"),
}


@dataclass(frozen=True)
class LabelledPaper:
    """One list entry, the candidates a search returns, and the right answer."""

    entry: Entry
    candidates: tuple[Candidate, ...]
    expected_key: str
    expected_doi: str | None
    trap: str
    """What makes this paper hard, for reports ("" when nothing in particular)."""
    own_keys: frozenset[str]
    """DBLP keys of this paper's own records (published and CoRR); without them no record fits."""

    def without_own_records(self) -> tuple[Candidate, ...]:
        """The candidates a search returns when DBLP lacks the paper: only confusables."""
        return tuple(c for c in self.candidates if c.ids.dblp not in self.own_keys)


def parse_label(label: str) -> tuple[str, int]:
    """Venue and 4-digit year from "[OSDI '22]" or the list's stray "[SC '21']"."""
    found = _LABEL.match(label.strip())
    if not found:
        raise ValueError(f"unreadable label {label!r}")
    return found.group(1), 2000 + int(found.group(2))


def _authors(first_family: str, count: int | None) -> tuple[Author, ...]:
    """A synthetic author list: the real first family name, obviously fake co-authors."""
    others = tuple(
        Author(name=f"{given} Example", dblp_pid=f"00/example-{i}")
        for i, given in enumerate(("Ann", "Bob", "Cy", "Dee", "Eve", "Fay"), start=1)
    )
    first = Author(name=f"Example {first_family}", dblp_pid="00/example-0")
    return (first, *others[: max(0, min(count or 3, 7) - 1)])


def _yy(year: int) -> str:
    return f"{year % 100:02d}"


def _published(paper: dict) -> Candidate:
    venue, prefix = _DBLP_VENUE.get(paper["venue"], (paper["venue"], paper["venue"].lower()))
    family = paper["first_author_family"]
    if paper["venue"] == "CoRR":
        return _corr(paper, paper["published_title"], paper["arxiv"])
    key = paper["dblp_key"] or f"conf/{prefix}/Example{family}{_yy(paper['year'])}"
    return Candidate(
        source="dblp",
        title=paper["published_title"],
        authors=_authors(family, paper["n_authors"]),
        year=paper["year"],
        venue=venue,
        entry_type="inproceedings",
        doi=paper["doi"],
        ids=Identifiers(dblp=key),
        url=f"https://dblp.org/rec/{key}",
    )


def _corr(paper: dict, title: str, arxiv: str, family: str | None = None) -> Candidate:
    family = family or paper["first_author_family"]
    seen = _CORR_KEY.findall(paper.get("confusables") or "")
    derived = f"journals/corr/abs-{arxiv.replace('.', '-')}"
    year = 2000 + int(arxiv[:2])
    key = derived if derived in seen else f"journals/corr/Example{family}{_yy(year)}"
    return Candidate(
        source="dblp",
        title=title,
        authors=_authors(family, paper["n_authors"]),
        year=year,
        venue="CoRR",
        entry_type="article",
        is_preprint=True,
        volume=f"abs/{arxiv}",
        ids=Identifiers(dblp=key, arxiv=arxiv),
        url=f"https://dblp.org/rec/{key}",
    )


def _other(
    title: str,
    venue: str,
    year: int,
    key: str,
    family: str,
    *,
    arxiv: str | None = None,
    doi: str | None = None,
) -> Candidate:
    preprint = venue == "CoRR"
    return Candidate(
        source="dblp",
        title=title,
        authors=_authors(family, 3),
        year=year,
        venue=venue,
        entry_type="article" if preprint else "inproceedings",
        is_preprint=preprint,
        doi=doi,
        ids=Identifiers(dblp=key, arxiv=arxiv),
        url=f"https://dblp.org/rec/{key}",
    )


# Preprints published under another title (fixture "confusables").
_PREPRINT_TITLES = {
    "INFaaS": "INFaaS: A Model-less and Managed Inference Serving System",
    "PipeTransformer": "PipeTransformer: Automated Elastic Pipelining for Distributed Training "
    "of Transformers",
    "Parallax": "Parallax: Automatic Data-Parallel Training of Deep Neural Networks",
    "FlexGen": "High-throughput Generative Inference of Large Language Models with a Single GPU",
}

# Different papers a resolver could confuse with the listed one (fixture "confusables").
_CONFUSABLES: dict[str, tuple[Candidate, ...]] = {
    "BPipe": (
        _other(
            "Re-evaluating the Memory-balanced Pipeline Parallelism: BPipe",
            "CoRR",
            2024,
            "journals/corr/abs-2401-02088",
            "Huang",
            arxiv="2401.02088",
        ),
    ),
    "Fast Inference from Transformers": (
        _other(
            "Accelerating Large Language Model Decoding with Speculative Sampling",
            "CoRR",
            2023,
            "journals/corr/ExampleChen23",
            "Chen",
            arxiv="2302.01318",
        ),
        _other(
            "Online Speculative Decoding",
            "CoRR",
            2023,
            "journals/corr/ExampleOnline23",
            "Example",
            arxiv="2310.07177",
        ),
        _other(
            "Speculative Decoding with Big Little Decoder",
            "NeurIPS",
            2023,
            "conf/nips/ExampleBiLD23",
            "Example",
        ),
    ),
    "Optimus-CC": (
        _other(
            "Optimus: An Efficient Dynamic Resource Scheduler for Deep Learning Clusters",
            "EuroSys",
            2018,
            "conf/eurosys/ExampleOptimus18",
            "Example",
        ),
    ),
    "DFX": (
        _other(
            "DFX: A Low-latency Multi-FPGA Appliance for Accelerating Transformer-based Text "
            "Generation",
            "HCS",
            2022,
            "conf/hotchips/ExampleHong22",
            "Hong",
        ),
    ),
    "Serving Heterogeneous Machine Learning Models": (
        _other(
            "Multi-model Machine Learning Inference Serving with GPU Spatial Partitioning",
            "CoRR",
            2021,
            "journals/corr/abs-2109-01611",
            "Choi",
            arxiv="2109.01611",
        ),
    ),
    "MLPerf Inference": (
        _other(
            "MLPerf Mobile Inference Benchmark",
            "MLSys",
            2022,
            "conf/mlsys/ExampleMobile22",
            "Reddi",
        ),
        _other(
            "MLPerf Tiny Benchmark",
            "NeurIPS Datasets and Benchmarks",
            2021,
            "conf/nips/ExampleTiny21",
            "Example",
        ),
        _other(
            "MLPerf Training Benchmark", "MLSys", 2020, "conf/mlsys/ExampleTraining20", "Example"
        ),
    ),
    "PipeDream": (
        _other(
            "PipeDream: Fast and Efficient Pipeline Parallel DNN Training",
            "CoRR",
            2018,
            "journals/corr/abs-1806-03377",
            "Narayanan",
            arxiv="1806.03377",
        ),
        _other(
            "Memory-Efficient Pipeline-Parallel DNN Training",
            "ICML",
            2021,
            "conf/icml/ExampleNarayanan21",
            "Narayanan",
        ),
    ),
    "Poseidon": (
        _other(
            "Poseidon: A System Architecture for Efficient GPU-based Deep Learning on Multiple "
            "Machines",
            "CoRR",
            2015,
            "journals/corr/ExampleZhang15",
            "Zhang",
            arxiv="1512.06216",
        ),
    ),
    "STRADS": (
        _other(
            "Primitives for Dynamic Big Model Parallelism",
            "CoRR",
            2014,
            "journals/corr/ExampleLee14",
            "Example",
            arxiv="1406.4580",
        ),
        _other(
            "On Model Parallelization and Scheduling Strategies for Distributed Machine Learning",
            "NIPS",
            2014,
            "conf/nips/ExampleLee14",
            "Lee",
        ),
    ),
    "Scaling Distributed Machine Learning": (
        # The same title with an ACM DOI that citegraph wrongly attaches to the OSDI paper.
        _other(
            "Scaling Distributed Machine Learning with the Parameter Server",
            "BigDataScience",
            2014,
            "conf/bigdatascience/Example14",
            "Li",
            doi="10.1145/2640087.2644155",
        ),
        _other(
            "Parameter Server for Distributed Machine Learning",
            "NIPS Workshop",
            2013,
            "conf/nips/ExampleWorkshop13",
            "Li",
        ),
    ),
    "Themis": (
        _other(
            "Themis: Fair and Efficient GPU Cluster Scheduling for Machine Learning Workloads",
            "CoRR",
            2019,
            "journals/corr/abs-1907-01484",
            "Mahajan",
            arxiv="1907.01484",
        ),
    ),
    "MLaaS": (
        _other(
            "Characterizing Deep Learning Training Workloads on Alibaba-PAI",
            "IISWC",
            2019,
            "conf/iiswc/ExampleWang19",
            "Wang",
        ),
    ),
}

_TRAPS = {
    "Orca": "list title differs from the published one",
    "Paella": "list title differs from the published one",
    "Achieving": "list writes μs-scale, published Microsecond-scale",
    "INFaaS": "preprint under another title",
    "PipeTransformer": "preprint under another title",
    "Themis": "preprint under a longer title",
    "PipeDream": "two PipeDream papers",
    "Poseidon": "Poseidon 2015 vs 2017",
    "Optimus-CC": "Optimus vs Optimus-CC",
    "Horovod": "arXiv-only paper",
    "Scaling Distributed": "same title, other venue, wrong DOI",
    "DFX": "same title at Hot Chips",
    "MLPerf": "MLPerf family",
    "HetPipe": "USENIX ATC under conf/usenix",
}


def _matching(table: dict[str, object], title: str) -> list[str]:
    return [prefix for prefix in table if title.startswith(prefix)]


def _own(candidate: Candidate, record: Candidate, paper: dict) -> bool:
    return candidate is record or (
        candidate.is_preprint
        and candidate.ids.arxiv is not None
        and candidate.ids.arxiv == paper["arxiv"]
    )


def load_papers(path: Path = FIXTURES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def build_set(path: Path = FIXTURES, neighbours: int = 3) -> list[LabelledPaper]:
    """Every fixture paper with its candidates: its records, its confusables, its neighbours."""
    papers = load_papers(path)
    published = [_published(p) for p in papers]
    labelled = []
    for paper, record in zip(papers, published, strict=True):
        venue, year = parse_label(paper["list_label"])
        title = paper["list_title"]
        entry = Entry(
            title=title,
            file="data/raw/mlsys-reading-list.md",
            lines=(1,),
            label=paper["list_label"],
            venue=venue,
            year=year,
        )
        own = [record]
        if paper["arxiv"] and not record.is_preprint:
            names = _matching(_PREPRINT_TITLES, title)
            pre_title = _PREPRINT_TITLES[names[0]] if names else record.title
            own.append(_corr(paper, pre_title, paper["arxiv"]))
        for name in _matching(_CONFUSABLES, title):
            own.extend(_CONFUSABLES[name])
        others = sorted(
            (p for p in published if p is not record),
            key=lambda c: -title_similarity(c.title, title),
        )[:neighbours]
        trap = next((why for prefix, why in _TRAPS.items() if title.startswith(prefix)), "")
        labelled.append(
            LabelledPaper(
                entry=entry,
                candidates=tuple(own + others),
                expected_key=record.ids.dblp or "",
                expected_doi=record.doi,
                trap=trap,
                own_keys=frozenset(
                    c.ids.dblp for c in own[:2] if c.ids.dblp and c.title and _own(c, record, paper)
                ),
            )
        )
    return labelled


@dataclass(frozen=True)
class Outcome:
    """What matching and merging gave for one labelled paper."""

    paper: LabelledPaper
    status: str
    key: str | None
    doi: str | None
    notes: tuple[str, ...]
    decided_by: str | None


@dataclass(frozen=True)
class Scores:
    """Precision and recall of the chosen DBLP key and DOI over a labelled set."""

    papers: int
    matched: int
    key_correct: int
    key_wrong: int
    doi_expected: int
    doi_correct: int
    doi_wrong: int

    @property
    def key_precision(self) -> float:
        return self.key_correct / max(1, self.key_correct + self.key_wrong)

    @property
    def key_recall(self) -> float:
        return self.key_correct / max(1, self.papers)

    @property
    def doi_precision(self) -> float:
        return self.doi_correct / max(1, self.doi_correct + self.doi_wrong)

    @property
    def doi_recall(self) -> float:
        return self.doi_correct / max(1, self.doi_expected)


def run(papers: list[LabelledPaper], *, without_own: bool = False) -> list[Outcome]:
    """Match and merge every paper (optionally with its own records removed)."""
    outcomes = []
    for paper in papers:
        candidates = paper.without_own_records() if without_own else paper.candidates
        decision = choose_record(paper.entry, candidates)
        record = merge_record(paper.entry, decision, None)
        matched = decision.match.status == "matched"
        outcomes.append(
            Outcome(
                paper=paper,
                status=decision.match.status,
                key=record.ids.dblp if matched else None,
                doi=record.doi,
                notes=decision.match.notes,
                decided_by=decision.match.decided_by,
            )
        )
    return outcomes


def score(outcomes: list[Outcome], *, without_own: bool = False) -> Scores:
    """Scores against the right answers; with the own records removed every answer is 'none'."""

    def expected_key(o: Outcome) -> str | None:
        return None if without_own else o.paper.expected_key

    def expected_doi(o: Outcome) -> str | None:
        return None if without_own else o.paper.expected_doi

    return Scores(
        papers=sum(1 for o in outcomes if expected_key(o)),
        matched=sum(1 for o in outcomes if o.status == "matched"),
        key_correct=sum(1 for o in outcomes if o.key and o.key == expected_key(o)),
        key_wrong=sum(1 for o in outcomes if o.key and o.key != expected_key(o)),
        doi_expected=sum(1 for o in outcomes if expected_doi(o)),
        doi_correct=sum(
            1 for o in outcomes if o.doi and o.doi.lower() == (expected_doi(o) or "").lower()
        ),
        doi_wrong=sum(
            1 for o in outcomes if o.doi and o.doi.lower() != (expected_doi(o) or "").lower()
        ),
    )


_S2_VENUE = {
    "OSDI": "USENIX Symposium on Operating Systems Design and Implementation",
    "SOSP": "Symposium on Operating Systems Principles",
    "NeurIPS": "Neural Information Processing Systems",
    "NIPS": "Neural Information Processing Systems",
    "ICML": "International Conference on Machine Learning",
    "EuroSys": "European Conference on Computer Systems",
    "USENIX ATC": "USENIX Annual Technical Conference",
}


def with_s2_copies(papers: list[LabelledPaper]) -> list[LabelledPaper]:
    """Each paper's candidates plus S2's copy of every DBLP record (S2 venue names, synthetic
    paperIds): the copies must neither tie with nor replace the DBLP records."""
    copied = []
    for paper in papers:
        copies = tuple(
            replace(
                c,
                source="s2",
                venue=_S2_VENUE.get(c.venue or "", "") if not c.is_preprint else "arXiv.org",
                ids=Identifiers(dblp=c.ids.dblp, s2=f"fixture-{i}", arxiv=c.ids.arxiv),
                url=None,
                citation_count=1,
            )
            for i, c in enumerate(paper.candidates)
        )
        copied.append(replace(paper, candidates=paper.candidates + copies))
    return copied


def name_only_variants(papers: list[LabelledPaper]) -> list[LabelledPaper]:
    """The same papers written as bare system names ("[SOSP '19] Nexus") where a title has one."""
    variants = []
    for paper in papers:
        head, colon, _ = paper.entry.title.partition(":")
        if colon and len(head.split()) <= 3:
            entry = replace(paper.entry, title=head.strip())
            variants.append(replace(paper, entry=entry, trap="name-only bullet"))
    return variants


_DBLP_TYPE = {"inproceedings": "Conference and Workshop Papers", "article": "Journal Articles"}


def dblp_search_response(candidates: tuple[Candidate, ...]) -> dict:
    """The candidates as DBLP's publication search answers them (apis.md §1.5), for serving
    this set from a local HTTP emulator: strings everywhere, trailing periods on titles, CoRR
    records typed "Informal and Other Publications" with volume "abs/<arXiv id>"."""
    hits = []
    for position, c in enumerate(c for c in candidates if c.source == "dblp"):
        info: dict[str, object] = {
            "authors": {"author": [{"@pid": a.dblp_pid or "", "text": a.name} for a in c.authors]},
            "title": c.title if c.title.endswith((".", "?", "!")) else c.title + ".",
            "venue": c.venue,
            "year": str(c.year),
            "type": "Informal and Other Publications"
            if c.is_preprint
            else _DBLP_TYPE.get(c.entry_type, "Conference and Workshop Papers"),
            "key": c.ids.dblp,
            "url": f"https://dblp.org/rec/{c.ids.dblp}",
        }
        if c.is_preprint and c.ids.arxiv:
            info["volume"] = f"abs/{c.ids.arxiv}"
            info["ee"] = f"https://arxiv.org/abs/{c.ids.arxiv}"
        if c.doi:
            info["doi"] = c.doi
            info["ee"] = f"https://doi.org/{c.doi}"
        hits.append({"@score": "1", "@id": str(position), "info": info, "url": f"URL#{position}"})
    total = str(len(hits))
    body: dict[str, object] = {"@total": total, "@computed": total, "@sent": total, "@first": "0"}
    if hits:
        body["hit"] = hits
    return {"result": {"status": {"@code": "200", "text": "OK"}, "hits": body}}
