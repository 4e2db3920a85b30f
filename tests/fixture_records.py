"""Builders for Entries and Candidates in tests, from the real facts of the fixtures.

Titles, venues, years, DOIs, DBLP keys and arXiv ids passed to these builders come from
tests/fixtures/papers_part1.json; what the facts do not give is obviously synthetic
(keys like "conf/sosp/ExampleNg23", authors "Example <Family>" / "Ann Example").
"""

from __future__ import annotations

import re

from enrich.models import Author, Candidate, Entry, Identifiers

_LABEL = re.compile(r"^\[\s*([A-Za-z][\w .&/-]*?)\s*'?\s*'?(\d{2})'?\s*\]$")


def entry(label: str | None, title: str, authors: tuple[str, ...] = (), line: int = 1) -> Entry:
    """An Entry as the reading-list parser would give it for "- {label} {title}"."""
    venue = year = None
    if label:
        found = _LABEL.match(label)
        assert found, label
        venue, year = found.group(1), 2000 + int(found.group(2))
    return Entry(
        title=title,
        file="data/raw/mlsys-reading-list.md",
        lines=(line,),
        label=label,
        venue=venue,
        year=year,
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
    """A DBLP record; venue "CoRR" makes it the arXiv preprint (arXiv id from `abs/...`)."""
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
    """A CoRR record for an arXiv id; key derived as DBLP does for post-2018 ids, else given."""
    year = 2000 + int(arxiv[:2])
    record = dblp(
        title,
        "CoRR",
        year,
        key or f"journals/corr/abs-{arxiv.replace('.', '-')}",
        first=first,
    )
    return Candidate(
        **{**record.__dict__, "ids": Identifiers(dblp=record.ids.dblp, arxiv=arxiv)},
    )


# Records of the fixture papers (and their confusables) shared by the tests.
PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
PAGED_SOSP = dblp(
    PAGED, "SOSP", 2023, "conf/sosp/KwonLZ0ZY0ZS23", doi="10.1145/3600006.3613165", first="Kwon"
)
PAGED_CORR = corr(PAGED, "2309.06180", first="Kwon")
ORCA_LIST = "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks"
ORCA = dblp(
    "Orca: A Distributed Serving System for Transformer-Based Generative Models",
    "OSDI",
    2022,
    "conf/osdi/YuJKKC22",
    first="Yu",
)
PAELLA_LIST = "Paella: Low-latency Model Serving with Virtualized GPU Scheduling"
PAELLA = dblp(
    "Paella: Low-latency Model Serving with Software-defined GPU Scheduling",
    "SOSP",
    2023,
    "conf/sosp/ExampleNg23",
    doi="10.1145/3600006.3613163",
    first="Ng",
)
REEF_LIST = "Achieving μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences"
REEF = dblp(
    "Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
    "OSDI",
    2022,
    "conf/osdi/ExampleHan22",
    first="Han",
)
MULAYER_LIST = (
    "μLayer: Low Latency On-Device Inference Using Cooperative Single-Layer Acceleration "
    "and Processor-Friendly Quantization"
)
MULAYER = dblp(
    MULAYER_LIST.replace("μ", "µ"),
    "EuroSys",
    2019,
    "conf/eurosys/ExampleKim19",
    doi="10.1145/3302424.3303950",
    first="Kim",
)
PIPEDREAM_LIST = "PipeDream: Generalized Pipeline Parallelism for DNN Training"
PIPEDREAM_19 = dblp(
    PIPEDREAM_LIST,
    "SOSP",
    2019,
    "conf/sosp/ExampleNarayanan19",
    doi="10.1145/3341301.3359646",
    first="Narayanan",
)
PIPEDREAM_18 = corr(
    "PipeDream: Fast and Efficient Pipeline Parallel DNN Training", "1806.03377", first="Narayanan"
)
POSEIDON_LIST = (
    "Poseidon: An Efficient Communication Architecture for Distributed Deep Learning on GPU "
    "Clusters"
)
POSEIDON_17 = dblp(
    POSEIDON_LIST,
    "USENIX Annual Technical Conference",
    2017,
    "conf/usenix/ExampleZhang17",
    first="Zhang",
)
POSEIDON_17_CORR = corr(
    POSEIDON_LIST, "1706.03292", key="journals/corr/ExampleZhang17", first="Zhang"
)
POSEIDON_15 = corr(
    "Poseidon: A System Architecture for Efficient GPU-based Deep Learning on Multiple Machines",
    "1512.06216",
    key="journals/corr/ExampleZhang15",
    first="Zhang",
)
OPTIMUS_CC_LIST = (
    "Optimus-CC: Efficient Large NLP Model Training with 3D Parallelism Aware Communication "
    "Compression"
)
OPTIMUS_CC = dblp(
    OPTIMUS_CC_LIST,
    "ASPLOS",
    2023,
    "conf/asplos/ExampleSong23",
    doi="10.1145/3575693.3575712",
    first="Song",
)
OPTIMUS_LIST = "Optimus: An Efficient Dynamic Resource Scheduler for Deep Learning Clusters"
OPTIMUS = dblp(OPTIMUS_LIST, "EuroSys", 2018, "conf/eurosys/ExampleOptimus18")
HOROVOD_LIST = "Horovod: fast and easy distributed deep learning in TensorFlow"
HOROVOD = corr(HOROVOD_LIST, "1802.05799", key="journals/corr/ExampleSergeev18", first="Sergeev")
CLOCKWORK_LIST = "Serving DNNs like Clockwork: Performance Predictability from the Bottom Up"
CLOCKWORK = dblp(CLOCKWORK_LIST, "OSDI", 2020, "conf/osdi/GujaratiKAHKVM20", first="Gujarati")
CLOCKWORK_CORR = corr(CLOCKWORK_LIST, "2006.02464", first="Gujarati")
FLEXGEN_LIST = (
    "FlexGen: High-Throughput Generative Inference of Large Language Models with a Single GPU"
)
FLEXGEN_CORR = corr(FLEXGEN_LIST, "2303.06865", first="Sheng")
INFAAS_LIST = "INFaaS: Automated Model-less Inference Serving"
INFAAS = dblp(
    INFAAS_LIST,
    "USENIX Annual Technical Conference",
    2021,
    "conf/usenix/ExampleRomero21",
    first="Romero",
)
INFAAS_CORR = corr(
    "INFaaS: A Model-less and Managed Inference Serving System", "1905.13348", first="Romero"
)
THEMIS_LIST = "Themis: Fair and Efficient GPU Cluster Scheduling"
THEMIS = dblp(THEMIS_LIST, "NSDI", 2020, "conf/nsdi/ExampleMahajan20", first="Mahajan")
THEMIS_CORR = corr(
    "Themis: Fair and Efficient GPU Cluster Scheduling for Machine Learning Workloads",
    "1907.01484",
    first="Mahajan",
)
PIPETRANSFORMER_LIST = (
    "PipeTransformer: Automated Elastic Pipelining for Distributed Training of Large-scale Models"
)
PIPETRANSFORMER = dblp(PIPETRANSFORMER_LIST, "ICML", 2021, "conf/icml/ExampleHe21", first="He")
PIPETRANSFORMER_CORR = corr(
    "PipeTransformer: Automated Elastic Pipelining for Distributed Training of Transformers",
    "2102.03161",
    first="He",
)
PS_LIST = "Scaling Distributed Machine Learning with the Parameter Server"
PS_OSDI = dblp(PS_LIST, "OSDI", 2014, "conf/osdi/ExampleLi14", first="Li")
# The fixture: citegraph attaches this ACM DOI to the title; it is NOT the OSDI paper.
PS_ELSEWHERE = dblp(
    PS_LIST,
    "BigDataScience",
    2014,
    "conf/bigdatascience/Example14",
    doi="10.1145/2640087.2644155",
    first="Li",
)
DFX_LIST = (
    "DFX: A Low-latency Multi-FPGA Appliance for Accelerating Transformer-based Text Generation"
)
DFX_MICRO = dblp(
    DFX_LIST,
    "MICRO",
    2022,
    "conf/micro/ExampleHong22",
    doi="10.1109/MICRO56248.2022.00051",
    first="Hong",
)
DFX_HOTCHIPS = dblp(DFX_LIST, "HCS", 2022, "conf/hotchips/ExampleHong22", first="Hong")
MLPERF_LIST = "MLPerf Inference Benchmark"
MLPERF = dblp(
    MLPERF_LIST,
    "ISCA",
    2020,
    "conf/isca/ExampleReddi20",
    doi="10.1109/ISCA45697.2020.00045",
    first="Reddi",
)
MLPERF_MOBILE = dblp(
    "MLPerf Mobile Inference Benchmark", "MLSys", 2022, "conf/mlsys/ExampleMobile22", first="Reddi"
)
MLPERF_TRAINING = dblp("MLPerf Training Benchmark", "MLSys", 2020, "conf/mlsys/ExampleTraining20")
NEXUS = dblp(
    "Nexus: A GPU Cluster Engine for Accelerating DNN-Based Video Analysis",
    "SOSP",
    2019,
    "conf/sosp/ShenCJZKPKS19",
    doi="10.1145/3341301.3359658",
    first="Shen",
)
NEXUS_ELSEWHERE = dblp(
    "Nexus: An Example Paper at Another Venue", "OSDI", 2019, "conf/osdi/ExampleNexus19"
)
NEXUS_TWIN = dblp(
    "Nexus: An Example Second Paper with the Same Name", "SOSP", 2019, "conf/sosp/ExampleNexus19"
)
GANDIVA_FAIR_LIST = (
    "Balancing Efficiency and Fairness in Heterogeneous GPU Clusters for Deep Learning"
)
GANDIVA_FAIR = dblp(
    GANDIVA_FAIR_LIST,
    "EuroSys",
    2020,
    "conf/eurosys/ExampleChaudhary20",
    doi="10.1145/3342195.3387555",
    first="Chaudhary",
)
GEEPS_LIST = (
    "GeePS: Scalable Deep Learning on Distributed GPUs with a GPU-specialized Parameter Server"
)
GEEPS = dblp(
    GEEPS_LIST,
    "EuroSys",
    2016,
    "conf/eurosys/ExampleCui16",
    doi="10.1145/2901318.2901323",
    first="Cui",
)
DISTBELIEF_LIST = "Large Scale Distributed Deep Networks"
DISTBELIEF = dblp(DISTBELIEF_LIST, "NIPS", 2012, "conf/nips/ExampleDean12", first="Dean")
GPIPE_LIST = "GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism"
GPIPE = dblp(GPIPE_LIST, "NeurIPS", 2019, "conf/nips/ExampleHuang19", first="Huang")
PHILLY_LIST = "Analysis of Large-Scale Multi-Tenant GPU Clusters for DNN Training Workloads"
PHILLY = dblp(
    PHILLY_LIST,
    "USENIX Annual Technical Conference",
    2019,
    "conf/usenix/ExampleJeon19",
    first="Jeon",
)
CHIMERA_LIST = (
    "Chimera: Efficiently Training Large-Scale Neural Networks with Bidirectional Pipelines"
)
CHIMERA = dblp(
    CHIMERA_LIST, "SC", 2021, "conf/sc/ExampleLi21", doi="10.1145/3458817.3476145", first="Li"
)
