"""Semantic Scholar source: paper parsing and id choice (pure), then the source via the client.

Shapes follow apis.md §2.4-2.6 (recorded cassettes); paper facts come from the
fixtures; paperIds and co-authors are synthetic ("fixture-...", "Ann Example").
"""

from __future__ import annotations

from typing import Any

import pytest

from enrich.models import Author, Candidate, Identifiers
from enrich.sources.s2 import paper_id, parse_paper, title_query

RECORDED_MATCH = {  # apis.md §2.5, danielnsilva cassette (real record), abbreviated
    "paperId": "6fe8c5bf8dddaadf10c765133d38dfef5714347f",
    "externalIds": {
        "MAG": "2998574808",
        "DBLP": "conf/sigmod/AgrawalIS93",
        "DOI": "10.1145/170035.170072",
        "CorpusId": 490415,
    },
    "corpusId": 490415,
    "publicationVenue": None,
    "url": "https://www.semanticscholar.org/paper/6fe8c5bf8dddaadf10c765133d38dfef5714347f",
    "title": "Mining association rules between sets of items in large databases",
    "abstract": "We are given a large database ...",
    "venue": "SIGMOD Conference",
    "year": 1993,
    "citationCount": 16127,
    "isOpenAccess": True,
    "openAccessPdf": {
        "url": "https://dl.acm.org/doi/pdf/10.1145/170036.170072",
        "status": "BRONZE",
    },
    "authors": [{"authorId": "144947410", "name": "R. Agrawal"}],
    "matchScore": 109.24948,
}
HOROVOD = {  # fixture facts (arXiv-only paper); ids and co-author synthetic
    "paperId": "fixture-horovod",
    "corpusId": None,
    "externalIds": {"ArXiv": "1802.05799", "DOI": "10.48550/arXiv.1802.05799"},
    "url": "https://www.semanticscholar.org/paper/fixture-horovod",
    "title": "Horovod: fast and easy distributed deep learning in TensorFlow",
    "venue": "arXiv.org",
    "year": 2018,
    "citationCount": None,
    "isOpenAccess": True,
    "openAccessPdf": None,
    "authors": [{"authorId": None, "name": "Example Sergeev"}, {"name": "Ann Example"}],
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            RECORDED_MATCH,
            {
                "source": "s2",
                "year": 1993,
                "venue": "SIGMOD Conference",
                "doi": "10.1145/170035.170072",
                "citation_count": 16127,
                "pdf_url": "https://dl.acm.org/doi/pdf/10.1145/170036.170072",
                "abstract": "We are given a large database ...",
                "is_preprint": False,
                "authors": (Author("R. Agrawal", s2_id="144947410"),),
                "ids": Identifiers(
                    dblp="conf/sigmod/AgrawalIS93",
                    s2="6fe8c5bf8dddaadf10c765133d38dfef5714347f",
                    corpus_id=490415,
                ),
            },
        ),
        (
            HOROVOD,
            {
                "is_preprint": True,
                "pdf_url": None,
                "citation_count": None,
                "doi": "10.48550/arXiv.1802.05799",
                "authors": (Author("Example Sergeev"), Author("Ann Example")),
                "ids": Identifiers(s2="fixture-horovod", arxiv="1802.05799"),
            },
        ),
        # venue "" is unknown; a closed paper's openAccessPdf has an empty url; bogus DOI
        (
            {
                "paperId": "fixture-x",
                "title": "T",
                "venue": "",
                "year": None,
                "openAccessPdf": {"url": "", "status": None},
                "externalIds": {"DOI": "not-a-doi"},
                "authors": None,
            },
            {"venue": None, "pdf_url": None, "doi": None, "year": None, "authors": ()},
        ),
        # corpusId only inside externalIds; no abstract asked for
        (
            {"paperId": "fixture-y", "title": "U", "externalIds": {"CorpusId": 42}},
            {"ids": Identifiers(s2="fixture-y", corpus_id=42), "abstract": None},
        ),
    ],
    ids=["recorded-match", "arxiv-only", "nulls-and-empties", "corpus-id-in-external"],
)
def test_parse_paper_reads_every_documented_field(raw: dict, expected: dict) -> None:
    candidate = parse_paper(raw)
    assert candidate is not None
    assert {name: getattr(candidate, name) for name in expected} == expected


@pytest.mark.parametrize("raw", [None, {}, {"paperId": "fixture-z", "title": ""}, "x"])
def test_parse_paper_none_for_missing_records(raw: Any) -> None:
    assert parse_paper(raw) is None


def known(doi: str | None = None, **ids: Any) -> Candidate:
    return Candidate(source="dblp", title="T", doi=doi, ids=Identifiers(**ids))


@pytest.mark.parametrize(
    ("paper", "dblp_ids", "expected"),
    [
        (known(s2="fixture-a", doi="10.1145/3600006.3613165"), False, "fixture-a"),
        (known(corpus_id=7, doi="10.1145/3600006.3613165"), False, "CorpusId:7"),
        (
            known(doi="10.1145/3600006.3613165", arxiv="2309.06180"),
            False,
            "DOI:10.1145/3600006.3613165",
        ),
        (known(arxiv="2309.06180", dblp="conf/sosp/KwonLZ0ZY0ZS23"), False, "ARXIV:2309.06180"),
        # DBLP: is undocumented, so only on request
        (known(dblp="conf/osdi/YuJKKC22"), False, None),
        (known(dblp="conf/osdi/YuJKKC22"), True, "DBLP:conf/osdi/YuJKKC22"),
        (known(), True, None),
    ],
)
def test_paper_id_prefers_the_most_direct_identifier(
    paper: Candidate, dblp_ids: bool, expected: str | None
) -> None:
    assert paper_id(paper, dblp_ids) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Mining association rules between sets of items in large databases.",
            "Mining association rules between sets of items in large databases",
        ),
        (
            "Optimus-CC: Efficient Large NLP Model Training",
            "Optimus CC Efficient Large NLP Model Training",
        ),
        ("μLayer: Low Latency", "μLayer Low Latency"),
    ],
)
def test_title_query_drops_hyphens_and_trailing_dot(title: str, expected: str) -> None:
    assert title_query(title) == expected
