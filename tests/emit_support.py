"""Enriched records for the emit tests, built from real facts.

Titles, venues, years, DOIs, DBLP keys, arXiv ids, first authors' family names,
author counts and the Orca/Paella pages are copied from
tests/fixtures/papers_part1.json (public sources). Everything those facts
do not give is obviously synthetic: given names are "Example", co-authors are
"<Name> Example", pages elsewhere are absent, paperIds start with "fixture-".
"""

from __future__ import annotations

import dataclasses

import pytest

from enrich.models import (
    Alternative,
    Author,
    EnrichedRecord,
    Entry,
    Identifiers,
    Match,
    Urls,
)

INPUT_FILE = "mlsys-reading-list.md"
TOP = "A reading list for machine learning systems"

# (section, label, list title, published title, venue, year, doi, dblp key,
#  first author family, number of authors, arxiv id, pages)
FACTS = [
    (
        "Generative & LLMs",
        "[SOSP '23]",
        "Efficient Memory Management for Large Language Model Serving with PagedAttention",
        None,
        "SOSP",
        2023,
        "10.1145/3600006.3613165",
        "conf/sosp/KwonLZ0ZY0ZS23",
        "Kwon",
        9,
        "2309.06180",
        None,
    ),
    (
        "Generative & LLMs",
        "[ICML '23]",
        "FlexGen: High-Throughput Generative Inference of Large Language Models with a Single GPU",
        None,
        "ICML",
        2023,
        None,
        None,
        "Sheng",
        14,
        "2303.06865",
        None,
    ),
    (
        "Generative & LLMs",
        "[OSDI '22]",
        "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks",
        "Orca: A Distributed Serving System for Transformer-Based Generative Models",
        "OSDI",
        2022,
        None,
        "conf/osdi/YuJKKC22",
        "Yu",
        5,
        None,
        "521-538",
    ),
    (
        "Serving Systems (& inference acceleration)",
        "[SOSP '23]",
        "Paella: Low-latency Model Serving with Virtualized GPU Scheduling",
        "Paella: Low-latency Model Serving with Software-defined GPU Scheduling",
        "SOSP",
        2023,
        "10.1145/3600006.3613163",
        None,
        "Ng",
        3,
        None,
        "595-610",
    ),
    (
        "Serving Systems (& inference acceleration)",
        "[OSDI '22]",
        "Achieving μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
        "Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
        "OSDI",
        2022,
        None,
        None,
        "Han",
        4,
        None,
        None,
    ),
    (
        "Serving Systems (& inference acceleration)",
        "[ATC '21]",
        "INFaaS: Automated Model-less Inference Serving",
        None,
        "USENIX ATC",
        2021,
        None,
        None,
        "Romero",
        4,
        "1905.13348",
        None,
    ),
    (
        "Serving Systems (& inference acceleration)",
        "[ISCA '20]",
        "MLPerf Inference Benchmark",
        None,
        "ISCA",
        2020,
        "10.1109/ISCA45697.2020.00045",
        None,
        "Reddi",
        47,
        "1911.02549",
        None,
    ),
    (
        "Serving Systems (& inference acceleration)",
        "[EuroSys '19]",
        "μLayer: Low Latency On-Device Inference Using Cooperative Single-Layer Acceleration "
        "and Processor-Friendly Quantization",
        None,
        "EuroSys",
        2019,
        "10.1145/3302424.3303950",
        None,
        "Kim",
        5,
        None,
        None,
    ),
    (
        "Parallelism & Distributed Systems",
        "[SC '21']",
        "Chimera: Efficiently Training Large-Scale Neural Networks with Bidirectional Pipelines",
        None,
        "SC",
        2021,
        "10.1145/3458817.3476145",
        None,
        "Li",
        2,
        "2107.06925",
        None,
    ),
    (
        "Parallelism & Distributed Systems",
        "[ATC '20]",
        "HetPipe: Enabling Large DNN Training on (Whimpy) Heterogeneous GPU Clusters through "
        "Integration of Pipelined Model Parallelism and Data Parallelism",
        None,
        "USENIX ATC",
        2020,
        None,
        None,
        "Park",
        8,
        None,
        None,
    ),
    (
        "Parallelism & Distributed Systems",
        "[arXiv '18]",
        "Horovod: fast and easy distributed deep learning in TensorFlow",
        None,
        "CoRR",
        2018,
        None,
        None,
        "Sergeev",
        2,
        "1802.05799",
        None,
    ),
    (
        "GPU Cluster Management",
        "[OSDI '18]",
        "Gandiva: Introspective cluster scheduling for deep learning",
        None,
        "OSDI",
        2018,
        None,
        "conf/osdi/XiaoBRSKHPPZZYZ18",
        "Xiao",
        12,
        None,
        None,
    ),
]

_GIVEN = ["Ann", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea"]


def _authors(family: str, count: int) -> tuple[Author, ...]:
    first = Author(name=f"Example {family}")
    others = [Author(name=f"{_GIVEN[i % len(_GIVEN)]} Example") for i in range(count - 1)]
    return (first, *others)


def fact_records() -> list[EnrichedRecord]:
    """Matched records for the real papers above, in list order."""
    records = []
    for line, fact in enumerate(FACTS, start=30):
        (
            section,
            label,
            list_title,
            published,
            venue,
            year,
            doi,
            dblp,
            family,
            count,
            arxiv,
            pages,
        ) = fact
        entry = Entry(
            title=list_title,
            file=INPUT_FILE,
            lines=(line,),
            sections=(TOP, section),
            label=label,
            venue=label.strip("[]").split(" ")[0],
            year=year,
        )
        preprint = venue == "CoRR"
        notes = (f"title differs from the list: published as {published!r}",) if published else ()
        records.append(
            EnrichedRecord(
                entry=entry,
                match=Match(
                    status="matched",
                    score=100.0 if not published else 88.5,
                    decided_by="dblp",
                    notes=notes,
                ),
                title=published or list_title,
                authors=_authors(family, count),
                year=year,
                venue=venue,
                entry_type="misc" if preprint else "inproceedings",
                pages=pages,
                doi=doi,
                ids=Identifiers(dblp=dblp, arxiv=arxiv),
                urls=Urls(
                    doi=f"https://doi.org/{doi}" if doi else None,
                    dblp=f"https://dblp.org/rec/{dblp}" if dblp else None,
                    arxiv=f"https://arxiv.org/abs/{arxiv}" if arxiv else None,
                ),
                citation_count=None,
                provenance={"title": "dblp", "year": "dblp", "venue": "dblp"},
            )
        )
    return records


def mixed_records() -> list[EnrichedRecord]:
    """The fact records plus one unmatched, one ambiguous and one stale record."""
    records = fact_records()
    records[1] = dataclasses.replace(
        records[1],
        match=Match(
            status="ambiguous",
            score=91.0,
            decided_by=None,
            notes=("two records too close to call",),
            alternatives=(
                Alternative(
                    source="dblp",
                    title=records[1].title,
                    venue="ICML",
                    year=2023,
                    score=91.0,
                    dblp_key="conf/icml/Example23",
                ),
                Alternative(
                    source="s2",
                    title="High-throughput Generative Inference of Large "
                    "Language Models with a Single GPU",
                    venue="arXiv",
                    year=2023,
                    score=90.0,
                ),
            ),
        ),
        ids=Identifiers(arxiv="2303.06865", s2="fixture-flexgen", corpus_id=1),
        citation_count=42,
        provenance={"title": "s2", "citation_count": "s2"},
    )
    unmatched_entry = records[4].entry
    records[4] = EnrichedRecord(
        entry=unmatched_entry,
        match=Match(status="unmatched", notes=("no record scored above 80",)),
        title=unmatched_entry.title,
        year=unmatched_entry.year,
        provenance={"title": "list", "year": "list"},
    )
    records[9] = dataclasses.replace(records[9], stale=True)
    return records


HOSTILE_TITLES = [
    pytest.param("Braces {in} the {title}", id="braces"),
    pytest.param("Unbalanced { brace and } }} {{{", id="unbalanced-braces"),
    pytest.param(r"Back\slash \\ and \textbf{not a command} \end{document}", id="backslashes"),
    pytest.param("100% of the & Co. #1 $5 ~tilde ^caret under_score", id="specials"),
    pytest.param("Line\nbreak,\ttab and \r carriage return\u2028separator", id="line-breaks"),
    pytest.param("Quotes \"double\" and 'single', commas, = equals @ at", id="quotes-commas"),
    pytest.param("Emoji 🚀 rocket and 😀 face", id="emoji"),
    pytest.param("RTL text: שלום עולם and مرحبا", id="rtl"),
    pytest.param(
        "μs-scale, Málaga, Zoë, Łódź, naïve \u2013 em\u2014dash"
        " \u201cquoted\u201d \u2019apostrophe",
        id="accents",
    ),
    pytest.param("@inproceedings{evil, title = {injected}}", id="entry-injection"),
    pytest.param("Soft\u00adhyphen, \u200fRTL mark, lone \ud800 surrogate", id="invisible"),
    pytest.param("Very long " + "title word " * 300 + "end", id="very-long"),
]


def _decoder():
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db().filter_context()
    context.add_context_category(
        "enrich-test",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textbackslash", "\\"),
            MacroTextSpec("textasciitilde", "~"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(latex_context=context, math_mode="text")


_DECODER = None


def decode_latex(latex: str) -> str:
    """A LaTeX field value as the text a reference manager would show."""
    global _DECODER
    if _DECODER is None:
        _DECODER = _decoder()
    return _DECODER.latex_to_text(latex)


def hostile_record(title: str) -> EnrichedRecord:
    """A matched record whose title (and list title, section, note) is `title`."""
    entry = Entry(
        title=title,
        file=INPUT_FILE,
        lines=(7,),
        sections=(title,),
        label="[OSDI '22]",
        venue="OSDI",
        year=2022,
    )
    return EnrichedRecord(
        entry=entry,
        match=Match(status="matched", score=99.0, decided_by="dblp", notes=(title,)),
        title=title,
        key="example2022hostile",
        authors=(Author(name="Ann Example"), Author(name="Zoë Exämple")),
        year=2022,
        venue="OSDI",
        venue_full=title,
        entry_type="inproceedings",
        publisher=title,
        provenance={"title": "dblp"},
    )


def decode_field(latex: str) -> str:
    """`decode_latex`, with the [U+XXXX] stand-ins turned back into their characters.

    pdflatex cannot typeset emoji or Hebrew, so the writer spells them as code
    points; this proves nothing else was lost. A plain '"' prints (and decodes)
    as a closing quote in LaTeX, so it is compared as such.
    """
    import re

    text = decode_latex(latex)
    return re.sub(r"\[U\+([0-9A-F]{4,6})\]", lambda m: chr(int(m.group(1), 16)), text)


def as_latex_reads_it(text: str) -> str:
    from enrich.text import clean_text

    return clean_text(text).replace('"', "\u201d")


# Published records with the container data DBLP's export gives. Nexus and BPipe
# are copied from their DBLP records (booktitle, publisher, series, volume, pages,
# ee, BPipe's authors); the journal article, editors and Nexus's co-authors are
# obviously synthetic.
NEXUS_BOOKTITLE = (
    "Proceedings of the 27th ACM Symposium on Operating Systems Principles, SOSP 2019, "
    "Huntsville, ON, Canada, October 27-30, 2019"
)
BPIPE_BOOKTITLE = "International Conference on Machine Learning, ICML 2023, 23-29 July 2023, Honolulu, Hawaii, USA"


def _list_entry(title: str, label: str, year: int, line: int) -> Entry:
    return Entry(
        title=title,
        file=INPUT_FILE,
        lines=(line,),
        sections=(TOP, "Examples"),
        label=label,
        venue=label.strip("[]").split(" ")[0],
        year=year,
    )


def nexus_record() -> EnrichedRecord:
    """SOSP 2019's Nexus as DBLP gives it: full proceedings title, ACM, pages, DOI."""
    title = "Nexus: A GPU Cluster Engine for Accelerating DNN-Based Video Analysis"
    return EnrichedRecord(
        entry=_list_entry(title, "[SOSP '19]", 2019, 90),
        match=Match(status="matched", score=100.0, decided_by="dblp"),
        title=title,
        authors=_authors("Shen", 8),
        year=2019,
        venue="SOSP",
        venue_full=NEXUS_BOOKTITLE,
        entry_type="inproceedings",
        pages="322-337",
        publisher="ACM",
        doi="10.1145/3341301.3359658",
        ids=Identifiers(dblp="conf/sosp/ShenCJZKPKS19"),
        urls=Urls(
            doi="https://doi.org/10.1145/3341301.3359658",
            dblp="https://dblp.org/rec/conf/sosp/ShenCJZKPKS19",
        ),
        provenance={"title": "dblp", "venue_full": "dblp", "publisher": "dblp"},
    )


def bpipe_record() -> EnrichedRecord:
    """ICML 2023's BPipe as DBLP gives it: PMLR's series and volume, no DOI."""
    title = "BPipe: Memory-Balanced Pipeline Parallelism for Training Large Language Models"
    return EnrichedRecord(
        entry=_list_entry(title, "[ICML '23]", 2023, 91),
        match=Match(status="matched", score=100.0, decided_by="dblp"),
        title=title,
        authors=tuple(
            Author(name=n)
            for n in ("Taebum Kim", "Hyoungjoo Kim", "Gyeong-In Yu", "Byung-Gon Chun")
        ),
        year=2023,
        venue="ICML",
        venue_full=BPIPE_BOOKTITLE,
        entry_type="inproceedings",
        volume="202",
        pages="16639--16653",
        publisher="PMLR",
        series="Proceedings of Machine Learning Research",
        editors=("Ann Example", "Ben Example"),
        urls=Urls(published="https://proceedings.mlr.press/v202/kim23l.html"),
        provenance={"title": "dblp", "series": "dblp", "volume": "dblp"},
    )


def journal_record() -> EnrichedRecord:
    """A synthetic journal article with volume, issue, pages and publisher."""
    title = "An Example Article on Cluster Scheduling"
    return EnrichedRecord(
        entry=_list_entry(title, "[EJS '21]", 2021, 92),
        match=Match(status="matched", score=100.0, decided_by="dblp"),
        title=title,
        authors=(Author(name="Ann Example"), Author(name="Ben Example")),
        year=2021,
        venue="EJS",
        venue_full="Example Journal of Systems",
        entry_type="article",
        volume="7",
        number="3",
        pages="1--20",
        publisher="Example Publisher",
        provenance={"title": "dblp"},
    )


def horovod_corr_record() -> EnrichedRecord:
    """The arXiv-only Horovod as DBLP's CoRR record has it: an article with volume "abs/..."."""
    horovod = next(r for r in fact_records() if r.ids.arxiv == "1802.05799")
    return dataclasses.replace(
        horovod,
        venue_full="CoRR",
        entry_type="article",
        volume="abs/1802.05799",
        urls=dataclasses.replace(
            horovod.urls, dblp="https://dblp.org/rec/journals/corr/abs-1802-05799"
        ),
    )


def citation_records() -> list[EnrichedRecord]:
    """One record of each kind a citation style prints differently, keys unassigned.

    Nexus, BPipe, the journal article, the arXiv-only Horovod, a conference paper
    known only by its acronym (PagedAttention) and the unmatched paper with only
    the list's data.
    """
    mixed = mixed_records()
    unmatched = next(r for r in mixed if r.match.status == "unmatched")
    return [
        nexus_record(),
        bpipe_record(),
        journal_record(),
        horovod_corr_record(),
        fact_records()[0],
        unmatched,
    ]
