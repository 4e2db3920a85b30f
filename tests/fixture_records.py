"""Entries and Candidates for the match, evidence, merge and review tests.

One source of truth for the records: every record of a fixture paper or of one of its
confusables is the emulator corpus's (src/enrich/emulator/corpus.json, built by
enrich.emulator.build_corpus from the real facts in tests/fixtures/papers_part1.json), read
through DBLP's hit parser, so a case sees exactly what DblpSource gives the pipeline. Where a
case varies a record on purpose (a micro sign, DBLP's long USENIX name) it says so with
`replace`. `dblp` and `corr` build the few obviously synthetic records a case needs beyond the
corpus (a second SOSP '19 paper named Nexus, keys like "conf/osdi/ExampleNexus19"). Entries
read their labels with the reading-list parser's own `split_label`.
"""

from __future__ import annotations

from dataclasses import replace

from enrich.emulator import Corpus
from enrich.models import Author, Candidate, Entry, Identifiers
from enrich.readinglist.labels import split_label
from enrich.sources.dblp import parse_hit

CORPUS_RECORDS = tuple(c for c in map(parse_hit, Corpus.load().dblp) if c is not None)


def record(title: str, venue: str | None = None) -> Candidate:
    """The corpus's one DBLP record of this title (and venue, where a title has several)."""
    found = [c for c in CORPUS_RECORDS if c.title == title and venue in (None, c.venue)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} corpus records titled {title!r} at {venue or 'any venue'}")
    return found[0]


def entry(label: str | None, title: str, authors: tuple[str, ...] = (), line: int = 1) -> Entry:
    """An Entry as the reading-list parser would give it for "- {label} {title}"."""
    parsed, _ = split_label(label) if label else (None, "")
    return Entry(
        title=title,
        file="data/raw/mlsys-reading-list.md",
        lines=(line,),
        label=label,
        venue=parsed.venue if parsed else None,
        year=parsed.year if parsed else None,
        authors=authors,
    )


def authors(first_family: str, count: int = 3) -> tuple[Author, ...]:
    others = ("Ann", "Bob", "Cy", "Dee", "Eve")
    first = Author(name=f"Example {first_family}", dblp_pid="00/example-0")
    rest = tuple(
        Author(name=f"{g} Example", dblp_pid=f"00/example-{i}")
        for i, g in enumerate(others[: count - 1], start=1)
    )
    return (first, *rest)


def dblp(
    title: str,
    venue: str,
    year: int,
    key: str,
    *,
    doi: str | None = None,
    first: str = "Example",
    source: str = "dblp",
    s2_id: str | None = None,
) -> Candidate:
    """A synthetic DBLP record; venue "CoRR" makes it the arXiv preprint (id from `abs-...`)."""
    preprint = venue == "CoRR"
    arxiv = None
    if preprint and "abs-" in key:
        arxiv = key.rsplit("abs-", 1)[1].replace("-", ".", 1)
    return Candidate(
        source=source,
        title=title,
        authors=authors(first),
        year=year,
        venue=venue,
        entry_type="article" if preprint else "inproceedings",
        is_preprint=preprint,
        volume=f"abs/{arxiv}" if arxiv else None,
        doi=doi,
        ids=Identifiers(dblp=key, arxiv=arxiv, s2=s2_id),
        url=f"https://dblp.org/rec/{key}" if source == "dblp" else None,
    )


def corr(title: str, arxiv: str, key: str | None = None, first: str = "Example") -> Candidate:
    """A synthetic CoRR record; key derived as DBLP does for post-2018 ids, else given."""
    year = 2000 + int(arxiv[:2])
    made = dblp(
        title, "CoRR", year, key or f"journals/corr/abs-{arxiv.replace('.', '-')}", first=first
    )
    return replace(made, ids=Identifiers(dblp=made.ids.dblp, arxiv=arxiv))


# Records of the fixture papers and their confusables, as the corpus holds them; *_LIST is the
# title as the shipped list writes it where it differs from the record's.
PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
PAGED_SOSP = record(PAGED, "SOSP")
PAGED_CORR = record(PAGED, "CoRR")
ORCA_LIST = "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks"
ORCA = record("Orca: A Distributed Serving System for Transformer-Based Generative Models")
PAELLA_LIST = "Paella: Low-latency Model Serving with Virtualized GPU Scheduling"
PAELLA = record("Paella: Low-latency Model Serving with Software-defined GPU Scheduling")
REEF_LIST = "Achieving μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences"
REEF = record("Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences")
MULAYER_LIST = (
    "μLayer: Low Latency On-Device Inference Using Cooperative Single-Layer Acceleration "
    "and Processor-Friendly Quantization"
)
# The facts: sources spell it with the Greek mu (the list, the corpus) or the micro sign.
MULAYER = replace(record(MULAYER_LIST), title=MULAYER_LIST.replace("μ", "µ"))
PIPEDREAM_LIST = "PipeDream: Generalized Pipeline Parallelism for DNN Training"
PIPEDREAM_19 = record(PIPEDREAM_LIST)
PIPEDREAM_18 = record("PipeDream: Fast and Efficient Pipeline Parallel DNN Training")
POSEIDON_LIST = (
    "Poseidon: An Efficient Communication Architecture for Distributed Deep Learning on GPU "
    "Clusters"
)
POSEIDON_17 = record(POSEIDON_LIST, "USENIX ATC")
POSEIDON_17_CORR = record(POSEIDON_LIST, "CoRR")
POSEIDON_15 = record(
    "Poseidon: A System Architecture for Efficient GPU-based Deep Learning on Multiple Machines"
)
OPTIMUS_CC_LIST = (
    "Optimus-CC: Efficient Large NLP Model Training with 3D Parallelism Aware Communication "
    "Compression"
)
OPTIMUS_CC = record(OPTIMUS_CC_LIST, "ASPLOS")
OPTIMUS_LIST = "Optimus: An Efficient Dynamic Resource Scheduler for Deep Learning Clusters"
OPTIMUS = record(OPTIMUS_LIST)
HOROVOD_LIST = "Horovod: fast and easy distributed deep learning in TensorFlow"
HOROVOD = record(HOROVOD_LIST)
CLOCKWORK_LIST = "Serving DNNs like Clockwork: Performance Predictability from the Bottom Up"
CLOCKWORK = record(CLOCKWORK_LIST, "OSDI")
CLOCKWORK_CORR = record(CLOCKWORK_LIST, "CoRR")
FLEXGEN_LIST = (
    "FlexGen: High-Throughput Generative Inference of Large Language Models with a Single GPU"
)
FLEXGEN_CORR = record(
    "High-throughput Generative Inference of Large Language Models with a Single GPU"
)
INFAAS_LIST = "INFaaS: Automated Model-less Inference Serving"
INFAAS = record(INFAAS_LIST)
INFAAS_CORR = record("INFaaS: A Model-less and Managed Inference Serving System")
THEMIS_LIST = "Themis: Fair and Efficient GPU Cluster Scheduling"
THEMIS = record(THEMIS_LIST)
THEMIS_CORR = record(
    "Themis: Fair and Efficient GPU Cluster Scheduling for Machine Learning Workloads"
)
PIPETRANSFORMER_LIST = (
    "PipeTransformer: Automated Elastic Pipelining for Distributed Training of Large-scale Models"
)
PIPETRANSFORMER = record(PIPETRANSFORMER_LIST)
PIPETRANSFORMER_CORR = record(
    "PipeTransformer: Automated Elastic Pipelining for Distributed Training of Transformers"
)
PS_LIST = "Scaling Distributed Machine Learning with the Parameter Server"
PS_OSDI = record(PS_LIST, "OSDI")
# The facts: citegraph attaches this ACM DOI to the title; it is NOT the OSDI paper.
PS_ELSEWHERE = record(PS_LIST, "BigDataScience")
DFX_LIST = (
    "DFX: A Low-latency Multi-FPGA Appliance for Accelerating Transformer-based Text Generation"
)
DFX_MICRO = record(DFX_LIST, "MICRO")
DFX_HOTCHIPS = record(DFX_LIST, "HCS")
MLPERF_LIST = "MLPerf Inference Benchmark"
MLPERF = record(MLPERF_LIST, "ISCA")
MLPERF_MOBILE = record("MLPerf Mobile Inference Benchmark")
MLPERF_TRAINING = record("MLPerf Training Benchmark")
NEXUS = record("Nexus: A GPU Cluster Engine for Accelerating DNN-Based Video Analysis")
NEXUS_ELSEWHERE = dblp(
    "Nexus: An Example Paper at Another Venue", "OSDI", 2019, "conf/osdi/ExampleNexus19"
)
NEXUS_TWIN = dblp(
    "Nexus: An Example Second Paper with the Same Name", "SOSP", 2019, "conf/sosp/ExampleNexus19"
)
GANDIVA_FAIR_LIST = (
    "Balancing Efficiency and Fairness in Heterogeneous GPU Clusters for Deep Learning"
)
GANDIVA_FAIR = record(GANDIVA_FAIR_LIST)
GEEPS_LIST = (
    "GeePS: Scalable Deep Learning on Distributed GPUs with a GPU-specialized Parameter Server"
)
GEEPS = record(GEEPS_LIST)
DISTBELIEF_LIST = "Large Scale Distributed Deep Networks"
DISTBELIEF = record(DISTBELIEF_LIST)
GPIPE_LIST = "GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism"
GPIPE = record(GPIPE_LIST, "NeurIPS")
PHILLY_LIST = "Analysis of Large-Scale Multi-Tenant GPU Clusters for DNN Training Workloads"
# DBLP's long name for USENIX ATC, which the label's "ATC" must agree with.
PHILLY = replace(record(PHILLY_LIST), venue="USENIX Annual Technical Conference")
CHIMERA_LIST = (
    "Chimera: Efficiently Training Large-Scale Neural Networks with Bidirectional Pipelines"
)
CHIMERA = record(CHIMERA_LIST, "SC")
