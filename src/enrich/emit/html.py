"""The page to browse: one self-contained HTML file per list (`<name>.html`).

The list by section, each paper with its authors, venue, year, citation count and links,
a search box, filters, sorting and a small chart, so a researcher can read the enriched
list without a spreadsheet. Everything is inline (CSS, JavaScript, the chart's bars):
the file opens from disk with no network, and mailing it is enough to share it.

Every value comes from a list or a service and is untrusted: the template escapes it
(Jinja2 autoescaping), text is cleaned of control characters first, links are kept only
when they are http(s), and the data for the script is a JSON block whose "<", ">" and
"&" are \\u escapes, so no title can close it. Rendering is pure and deterministic:
the same records give the same bytes.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, get_args
from urllib.parse import quote

import jinja2

from enrich.emit.fields import author_names, primary_url, short_venue, title_of, year_of
from enrich.emit.latex import clean_text
from enrich.models import EnrichedRecord, MatchStatus
from enrich.review import review_section
from enrich.urls import safe_url

_SHOWN_AUTHORS = 8
"""Authors shown before "and N more" (all of them are searched)."""
_YEAR_SPAN_MAX = 40
"""A year chart wider than this many years shows only the years that have papers."""
NO_YEAR, NO_VENUE = "no year", "no venue"
NONE = "none"
"""The filter value that selects the papers with no year (or no venue)."""


@dataclass(frozen=True)
class Link:
    """One short link under a paper ("DOI", "PDF"): a checked http(s) URL."""

    label: str
    href: str


@dataclass(frozen=True)
class PaperView:
    """One paper as the template shows it: every value cleaned, every link checked."""

    index: int
    title: str
    href: str | None
    authors: tuple[str, ...]
    more_authors: int
    venue: str | None
    venue_full: str | None
    year: int | None
    citations: int | None
    status: str
    stale: bool
    review: str | None
    """The review report's section when the paper is flagged, else None."""
    notes: tuple[str, ...]
    sections: tuple[str, ...]
    list_label: str | None
    links: tuple[Link, ...]


@dataclass(frozen=True)
class SectionView:
    """One heading of the list and the papers shown under it."""

    name: str
    papers: tuple[PaperView, ...]


@dataclass(frozen=True)
class Bar:
    """One bar of the chart: `value` is what a click on it puts in the filter."""

    label: str
    value: str
    count: int
    percent: float


def _text(value: str | None) -> str | None:
    cleaned = clean_text(value) if value else ""
    return cleaned or None


def _links(record: EnrichedRecord, title: str) -> tuple[Link, ...]:
    """The paper's short links, each kept only when it is http(s).

    A DOI or arXiv id whose given link was refused still gets the canonical one.
    """
    urls, ids = record.urls, record.ids
    doi = safe_url(urls.doi) or (f"https://doi.org/{quote(record.doi)}" if record.doi else None)
    arxiv = safe_url(urls.arxiv) or (
        f"https://arxiv.org/abs/{quote(ids.arxiv)}" if ids.arxiv else None
    )
    candidates = [
        ("DOI", doi),
        ("PDF", urls.pdf),
        ("arXiv", arxiv),
        ("DBLP", urls.dblp),
        ("S2", urls.s2),
    ]
    if record.match.status != "matched":
        query = quote(title, safe="")
        candidates += [
            ("search DBLP", f"https://dblp.org/search?q={query}"),
            ("search S2", f"https://www.semanticscholar.org/search?q={query}"),
        ]
    return tuple(Link(label, href) for label, url in candidates if (href := safe_url(url)))


def paper_view(record: EnrichedRecord, index: int) -> PaperView:
    """What the page shows of one record."""
    title = _text(title_of(record)) or "(untitled)"
    authors = tuple(name for name in (_text(a) for a in author_names(record)) if name)
    sections = tuple(dict.fromkeys(s for s in (_text(s) for s in record.entry.sections) if s))
    return PaperView(
        index=index,
        title=title,
        href=safe_url(primary_url(record)),
        authors=authors,
        more_authors=max(0, len(authors) - _SHOWN_AUTHORS),
        venue=_text(short_venue(record)),
        venue_full=_text(record.venue_full),
        year=year_of(record),
        citations=record.citation_count,
        status=record.match.status,
        stale=record.stale,
        review=review_section(record),
        notes=tuple(note for note in (_text(n) for n in record.match.notes) if note),
        sections=sections,
        list_label=_text(record.entry.label),
        links=_links(record, title),
    )


def _home(paper: PaperView, list_name: str) -> str:
    """The section a paper is listed under when nothing else is asked: its first one."""
    return paper.sections[0] if paper.sections else list_name


def _sections(papers: Sequence[PaperView], list_name: str) -> tuple[SectionView, ...]:
    """Sections in list order, each with the papers whose first section it is.

    A paper listed under two sections is shown once, under its first; a section that holds
    only such repeats comes last, empty until its filter moves those papers into it.
    """
    homes: dict[str, list[PaperView]] = {}
    for paper in papers:
        homes.setdefault(_home(paper, list_name), []).append(paper)
    for paper in papers:
        for name in paper.sections[1:]:
            homes.setdefault(name, [])
    return tuple(SectionView(name, tuple(chosen)) for name, chosen in homes.items())


def _bars(counts: Sequence[tuple[str, str, int]]) -> tuple[Bar, ...]:
    top = max((count for _, _, count in counts), default=0) or 1
    return tuple(
        Bar(label, value, count, round(100 * count / top, 1)) for label, value, count in counts
    )


def _year_bars(papers: Sequence[PaperView]) -> tuple[Bar, ...]:
    """Papers per year, oldest first, with the empty years between (a gap shows as a gap)."""
    counts = Counter(p.year for p in papers if p.year is not None)
    years = sorted(counts)
    if years and years[-1] - years[0] <= _YEAR_SPAN_MAX:
        years = list(range(years[0], years[-1] + 1))
    rows = [(str(year), str(year), counts[year]) for year in years]
    missing = sum(1 for p in papers if p.year is None)
    if missing:
        rows.append((NO_YEAR, NONE, missing))
    return _bars(rows)


def _venue_bars(papers: Sequence[PaperView]) -> tuple[Bar, ...]:
    """Papers per venue, most first, then by name."""
    counts = Counter(p.venue for p in papers if p.venue)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))
    rows = [(venue, venue, count) for venue, count in ranked]
    missing = sum(1 for p in papers if not p.venue)
    if missing:
        rows.append((NO_VENUE, NONE, missing))
    return _bars(rows)


def _status_options(papers: Sequence[PaperView]) -> tuple[tuple[str, str, int], ...]:
    """(value, label, count) for the status filter: the statuses present, stale, flagged."""
    counts = Counter(p.status for p in papers)
    options = [(s, s.replace("_", " "), counts[s]) for s in get_args(MatchStatus) if counts[s]]
    options.append(("stale", "stale", sum(p.stale for p in papers)))
    options.append(("review", "flagged for review", sum(p.review is not None for p in papers)))
    return tuple(options)


def _script_data(papers: Sequence[PaperView], list_name: str) -> list[dict[str, Any]]:
    """What the script filters and sorts on, one object per paper, by index."""
    return [
        {
            "search": " ".join(
                [p.title, *p.authors, p.venue or "", p.venue_full or "", p.list_label or ""]
            ),
            "title": p.title,
            "year": p.year,
            "venue": p.venue,
            "citations": p.citations,
            "status": p.status,
            "stale": p.stale,
            "review": p.review is not None,
            "sections": list(p.sections) or [list_name],
        }
        for p in papers
    ]


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("enrich", "emit/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(records: Sequence[EnrichedRecord], list_name: str) -> str:
    """The page for one list's records (in list order), named `list_name`."""
    name = _text(list_name) or "reading list"
    papers = tuple(paper_view(record, index) for index, record in enumerate(records))
    sections = _sections(papers, name)
    template = _environment().get_template("page.html.j2")
    return template.render(
        list_name=name,
        papers=papers,
        sections=sections,
        section_names=[s.name for s in sections],
        venues=sorted({p.venue for p in papers if p.venue}, key=lambda v: (v.casefold(), v)),
        years=sorted({p.year for p in papers if p.year is not None}, reverse=True),
        missing_venue=any(not p.venue for p in papers),
        missing_year=any(p.year is None for p in papers),
        statuses=_status_options(papers),
        flagged=sum(p.review is not None for p in papers),
        year_bars=_year_bars(papers),
        venue_bars=_venue_bars(papers),
        shown_authors=_SHOWN_AUTHORS,
        none=NONE,
        no_year=NO_YEAR,
        no_venue=NO_VENUE,
        data=_script_data(papers, name),
    )
