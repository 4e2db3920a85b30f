"""Real DBLP records (tests/fixtures/real-responses/dblp/*.xml, the record XML, which is
the dump's format) built into an index: what their search hits and exports become."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from enrich.sources.dblp.local import LocalDblpSource, build_index

FIXTURES = Path(__file__).parent / "fixtures" / "real-responses" / "dblp"
RECORDS = ("chrjabs_record_article.xml", "chrjabs_record_book.xml", "chrjabs_record_data.xml",
           "chrjabs_record_incollection.xml", "chrjabs_record_inproceedings.xml",
           "chrjabs_record_proceedings.xml", "x402_rec_conf_dac_ZhangYY21_trimmed.xml")  # fmt: skip
_RECORD = re.compile(r"<dblp>\s*(.*?)\s*</dblp>", re.DOTALL)


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> LocalDblpSource:
    folder = tmp_path_factory.mktemp("real")
    bodies = [_RECORD.search((FIXTURES / name).read_text("ascii")).group(1) for name in RECORDS]
    dump = folder / "dblp.xml"
    dump.write_text(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n'
        "<dblp>\n" + "\n".join(bodies) + "\n</dblp>\n",
        encoding="ascii",
    )
    (folder / "dblp.dtd").write_text('<!ENTITY auml "&#228;">\n', encoding="ascii")
    return LocalDblpSource(build_index(dump, folder / "index.sqlite").path)


def test_a_real_paper_hit_reads_as_dblps_search_hit(local):
    [hit] = local.search("attentional transfer layout pattern generation")
    assert (
        hit.title
        == "Attentional Transfer is All You Need: Technology-aware Layout Pattern Generation"
    )
    assert [a.name for a in hit.authors] == [
        "Xiaopeng Zhang",
        "Haoyu Yang",
        "Evangeline F. Y. Young",
    ]
    assert (hit.venue, hit.year, hit.pages, hit.entry_type) == (
        "DAC",
        2021,
        "169-174",
        "inproceedings",
    )
    assert hit.doi == "10.1109/DAC18074.2021.9586227"
    assert hit.ids.dblp == "conf/dac/ZhangYY21"


def test_character_references_decode_and_match_folded(local):
    [hit] = local.search("jarvisalo core boosting")
    assert hit.authors[2].name == "Matti J\u00e4rvisalo"


def test_a_paper_takes_booktitle_publisher_series_volume_from_its_proceedings(local):
    paper = local.export("conf/cpaior/JabsBJ24")
    assert paper.venue_full == (
        "Integration of Constraint Programming, Artificial Intelligence, and Operations Research"
        " - 21st International Conference, CPAIOR 2024, Uppsala, Sweden, May 28-31, 2024,"
        " Proceedings, Part II"
    )
    assert (paper.publisher, paper.series, paper.volume) == (
        "Springer", "Lecture Notes in Computer Science", "14743",
    )  # fmt: skip
    assert paper.editors == ("Bistra Dilkina",)
    assert paper.pages == "1-19" and paper.doi == "10.1007/978-3-031-60599-4_1"


def test_a_chapter_takes_its_books_title_and_publisher(local):
    chapter = local.export("series/faia/0001LM21")
    assert chapter.entry_type == "incollection"
    assert chapter.venue_full == "Handbook of Satisfiability - Second Edition"
    assert (chapter.publisher, chapter.volume) == ("IOS Press", "336")
    assert chapter.series == "Frontiers in Artificial Intelligence and Applications"
    assert chapter.authors[0].name == "Jo\u00e3o Marques-Silva"  # "0001" gone
    book = local.export("series/faia/336")
    assert (book.entry_type, book.publisher, book.venue_full) == ("book", "IOS Press", None)


def test_a_journal_article_and_a_data_record(local):
    article = local.export("journals/jair/JabsBNJ24")
    assert (article.entry_type, article.venue_full, article.volume) == (
        "article", "J. Artif. Intell. Res.", "80",
    )  # fmt: skip
    [data] = local.search("global benchmark database")
    assert data.entry_type == "misc" and data.ids.dblp == "data/11/IserJ24"
