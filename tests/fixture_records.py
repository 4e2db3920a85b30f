"""Builders for Entries and Candidates in tests, from the real facts of the fixtures.

Titles, venues, years, DOIs, DBLP keys and arXiv ids passed to these builders come from
/work/shared/fixtures/papers_part1.json; what the facts do not give is obviously synthetic
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
