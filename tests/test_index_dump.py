"""DBLP's dump written from the emulator's corpus, and read back: entities, authors with
their homonym numbers, CoRR records, proceedings crossref'd from their papers."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import etree

from enrich.emulator.dblp_dump import write_synthetic_dump
from enrich.sources.dblp.local.dump import Person, read_dump
from index_support import write_small_dump


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    return write_small_dump(tmp_path_factory.mktemp("dump"))


@pytest.fixture(scope="module")
def records(dump):
    return {record.key: record for record in read_dump(dump)}


def test_the_dump_is_in_dblps_format_ascii_with_dtd_entities(dump):
    with gzip.open(dump, "rt", encoding="ascii") as stream:
        text = stream.read()
    assert text.startswith(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">'
    )
    assert "J&uuml;rgen Ex&auml;mple 0002" in text
    dtd = dump.with_name("dblp.dtd").read_text("ascii")
    assert '<!ENTITY uuml "&#252;">' in dtd


def test_entities_are_decoded_and_homonym_numbers_kept(records):
    article = records["journals/examplej/Example21"]
    assert article.kind == "article"
    assert article.authors[0] == Person("J\u00fcrgen Ex\u00e4mple 0002", "ex/jm-0")
    assert article.title == "An Example Journal Article on \u03bcKernels."
    assert (article.venue, article.volume, article.number, article.pages, article.year) == (
        "Example J.", "12", "3", "45-67", 2021,
    )  # fmt: skip
    numbered = records["conf/sosp/KwonLZ0ZY0ZS23"].authors[1]
    assert numbered == Person("Bob Example 0001", "ex/conf-sosp-kwonlz0zy0zs23-1")


def test_corr_records_are_informal_articles_with_their_arxiv_volume(records):
    corr = records["journals/corr/abs-2309-06180"]
    assert (corr.kind, corr.publtype, corr.venue) == ("article", "informal", "CoRR")
    assert corr.volume == "abs/2309.06180"


def test_papers_crossref_their_proceedings_with_full_title_publisher_series_volume(records):
    paper = records["conf/icml/ExampleKim23"]
    assert paper.crossref is not None and paper.crossref.startswith("conf/icml/Example")
    proceedings = records[paper.crossref]
    assert proceedings.is_container and proceedings.kind == "proceedings"
    assert proceedings.title.startswith("International Conference on Machine Learning, ICML 2023")
    assert (proceedings.publisher, proceedings.series, proceedings.volume) == (
        "PMLR", "Proceedings of Machine Learning Research", "202",
    )  # fmt: skip
    kinds = {record.kind for record in records.values()}
    assert kinds == {"article", "inproceedings", "proceedings", "book"}


def test_every_corpus_record_is_in_the_dump(records):
    from index_support import small_corpus

    assert {info["key"] for info in small_corpus().dblp} <= set(records)


def test_without_the_dtd_the_dump_is_refused_with_a_clear_reason(dump, tmp_path):
    alone = tmp_path / "dblp.xml.gz"
    alone.write_bytes(dump.read_bytes())
    with pytest.raises(FileNotFoundError, match=r"dblp\.dtd"):
        next(read_dump(alone))


def test_a_truncated_dump_is_a_syntax_error_not_a_silent_end(dump, tmp_path):
    cut = tmp_path / "dblp.xml"
    cut.write_bytes(gzip.decompress(dump.read_bytes())[:-200])
    (tmp_path / "dblp.dtd").write_bytes(dump.with_name("dblp.dtd").read_bytes())
    with pytest.raises(etree.XMLSyntaxError):
        list(read_dump(cut))


def heap_bytes() -> int:
    """Anonymous resident memory: Python's and lxml's (C) allocations alike."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) * 1024
    pytest.skip("no /proc/self/status")


def test_reading_keeps_memory_flat_whatever_the_size(tmp_path):
    """60,000 records kept as lxml elements would take some 100 MB; read, they take none."""
    dump = write_synthetic_dump(tmp_path, 60_000)
    heaps = {}
    for number, _ in enumerate(read_dump(dump), 1):
        if number in (10_000, 60_000):
            heaps[number] = heap_bytes()
    assert heaps[60_000] - heaps[10_000] < 16 * 2**20, heaps
