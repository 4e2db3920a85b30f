"""A small DBLP dump (the emulator's corpus plus a few synthetic records of the types the
corpus lacks) and the index built from it, shared by the local index tests."""

from __future__ import annotations

from pathlib import Path

from enrich.emulator.services import Corpus

EXTRA = (
    {
        "authors": {
            "author": [
                {"@pid": "ex/jm-0", "text": "J\u00fcrgen Ex\u00e4mple 0002"},
                {"@pid": "ex/jm-1", "text": "Ann Example"},
            ]
        },
        "title": "An Example Journal Article on \u03bcKernels.",
        "venue": "Example J.",
        "volume": "12",
        "number": "3",
        "pages": "45-67",
        "year": "2021",
        "type": "Journal Articles",
        "key": "journals/examplej/Example21",
        "ee": "https://doi.org/10.0000/example.article.21",
        "url": "https://dblp.org/rec/journals/examplej/Example21",
        "export": {
            "type": "article",
            "title": "An Example Journal Article",
            "journal": "Example J.",
        },
    },
    {
        "authors": {"author": {"@pid": "ex/book-0", "text": "Bob Example"}},
        "title": "An Example Book of Systems.",
        "venue": "Example Press",
        "year": "2019",
        "type": "Books and Theses",
        "key": "books/ex/Example19",
        "url": "https://dblp.org/rec/books/ex/Example19",
        "export": {"type": "book", "title": "An Example Book of Systems"},
    },
)


def small_corpus() -> Corpus:
    return Corpus.load().extended(EXTRA, ())


def write_small_dump(folder: Path, mdate: str = "2026-01-01") -> Path:
    from enrich.emulator.dblp_dump import write_dump

    return write_dump(folder, small_corpus(), mdate=mdate)
