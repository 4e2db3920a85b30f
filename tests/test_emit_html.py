"""The HTML page, checked where it is used: opened in headless Chromium.

The shipped list's page (from the real pipeline against the local emulator) must load with
no console error and no network request, show its 97 papers, and narrow, filter and sort
them as a person types and picks; a hostile record must render as text, with no script
run and no javascript: link. A few checks of the HTML text need no browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import Page, browser_page, find_chromium
from enrich.emit.fields import author_names, short_venue, title_of, year_of
from enrich.emit.html import paper_view, render_html
from enrich.emit.json import load_records
from enrich.models import Author, EnrichedRecord, Entry, Identifiers, Match, Urls
from enrich.review import needs_review
from enrich.urls import safe_url

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="the HTML page is tested in Chromium, which is not installed: "
    "run .ci/install-chromium.sh (Debian package chromium)",
)

HOSTILE_TITLE = "<img src=x onerror=alert(1)></script>"
HOSTILE_URL = "javascript:alert(1)"

VISIBLE = (
    "Array.from(document.querySelectorAll('li.paper'))"
    ".filter((e) => e.checkVisibility()).map((e) => Number(e.dataset.index))"
)


def _record(title: str, **changes: Any) -> EnrichedRecord:
    """A synthetic record: example names and example identifiers, never a real paper's."""
    entry = changes.pop("entry", None) or Entry(
        title=title, file="list.md", lines=(1,), sections=("Example Section",)
    )
    fields: dict[str, Any] = {
        "entry": entry,
        "match": Match(status="matched", score=100.0, decided_by="dblp"),
        "title": title,
        "key": "example2024" + re.sub(r"\W", "", title.lower())[:12],
        "authors": (Author("Ann Example"), Author("Bob Example")),
        "year": 2024,
        "venue": "EXCONF",
        "entry_type": "inproceedings",
    }
    fields.update(changes)
    return EnrichedRecord(**fields)


def _hostile_records() -> list[EnrichedRecord]:
    script = "<script>alert(1)</script>"
    return [
        _record(
            HOSTILE_TITLE,
            entry=Entry(
                title=HOSTILE_TITLE,
                file="list.md",
                lines=(1,),
                sections=(f"Section {script}",),
                url=HOSTILE_URL,
            ),
            match=Match(status="unmatched", notes=(f"note {script}",)),
            authors=(Author(f"Ann Example {script}"),),
            venue=f"EX{script}",
            venue_full="Example <!-- Proceedings",
        ),
        _record(
            "Example Title With Controls\x00\x1b\x7f\u2028 And A Lone \ud800 Surrogate",
            urls=Urls(
                doi=HOSTILE_URL,
                dblp=" javascript:alert(1)",
                s2="java\tscript:alert(1)",
                arxiv="data:text/html,<script>alert(1)</script>",
                pdf="//example.org/protocol-relative.pdf",
                published="JAVASCRIPT:alert(1)",
            ),
            doi='10.0000/example"><script>alert(1)</script>',
            ids=Identifiers(arxiv="0000.00000"),
        ),
    ]


# What needs no browser.


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://doi.org/10.0000/example", True),
        ("http://example.org/a?b=1&c=2#d", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("vbscript:msgbox(1)", False),
        ("//example.org/x", False),
        ("/relative/path", False),
        ("ftp://example.org/x", False),
        ("https://", False),
        ("https://example.org/a b", False),
        ("https://example.org/\x00", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_links_are_kept(url: str | None, kept: bool) -> None:
    assert (safe_url(url) == url) if kept else safe_url(url) is None


def test_same_records_give_the_same_bytes() -> None:
    records = [_record("Example Paper One"), *_hostile_records()]
    assert render_html(records, "example-list") == render_html(list(records), "example-list")


def test_page_needs_no_network() -> None:
    page = render_html([_record("Example Paper One")], "example-list")
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert "@import" not in page
    assert "url(" not in page


def test_hostile_values_are_text_in_the_html() -> None:
    page = render_html(_hostile_records(), "example <list>")
    assert "<img" not in page
    assert page.count("<script") == 2  # the data block and the page's own script
    assert page.count("</script>") == 2
    assert "<!--" not in page
    assert "javascript:" not in page.lower()
    assert "data:text" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;" in page
    assert "<title>example &lt;list&gt;</title>" in page
    for control in ("\x00", "\x1b", "\x7f", "\u2028", "\ud800"):
        assert control not in page
    page.encode("utf-8")  # no lone surrogate left


def test_data_block_reads_back_as_the_values() -> None:
    page = render_html(_hostile_records(), "example-list")
    block = re.search(r'<script type="application/json" id="paper-data">(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data[0]["title"] == HOSTILE_TITLE
    assert data[0]["sections"] == ["Section <script>alert(1)</script>"]


def test_sections_keep_list_order_and_each_paper_appears_once() -> None:
    records = [
        _record("Example Unsectioned", entry=Entry("Example Unsectioned", "list.md", (1,))),
        _record("Example A", entry=Entry("Example A", "list.md", (3,), sections=("First",))),
        _record(
            "Example Twice",
            entry=Entry("Example Twice", "list.md", (4, 9), sections=("First", "Second")),
        ),
        _record("Example B", entry=Entry("Example B", "list.md", (8,), sections=("Second",))),
    ]
    page = render_html(records, "example-list")
    headings = re.findall(r"<h2>(.*?) <span", page)
    assert headings == ["example-list", "First", "Second"]
    assert page.count('<li class="paper') == 4
    assert "Also listed under Second" in page


def test_flagged_papers_are_marked() -> None:
    records = [
        _record("Example Matched"),
        _record("Example Noted", match=Match("matched", 90.0, "dblp", notes=("a note",))),
        _record("Example Unmatched", match=Match("unmatched")),
    ]
    page = render_html(records, "example-list")
    classes = re.findall(r'<li class="([^"]*)"\s+id="paper-', page)
    assert ["flagged" in c.split() for c in classes] == [needs_review(r) for r in records]
    assert 'title="In the review report: matched with notes">review</span>' in page
    assert 'title="In the review report: not matched">review</span>' in page


# In the browser.


@pytest.fixture(scope="module")
def shipped_records(shipped_outputs: Any) -> list[EnrichedRecord]:
    return load_records(shipped_outputs.json)


@pytest.fixture(scope="module")
def shipped_file(shipped_records: list[EnrichedRecord], tmp_path_factory: Any) -> Path:
    path = tmp_path_factory.mktemp("html") / "mlsys-reading-list.html"
    path.write_text(render_html(shipped_records, "mlsys-reading-list"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Page]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: run .ci/install-chromium.sh")
    with browser_page(CHROMIUM) as page:
        yield page


@pytest.fixture
def page(browser: Page, shipped_file: Path) -> Iterator[Page]:
    """The shipped list's page, freshly loaded; no console error may happen while in use."""
    browser.log.console.clear()
    browser.log.exceptions.clear()
    browser.log.dialogs.clear()
    browser.log.requests.clear()
    browser.open(shipped_file)
    yield browser
    assert browser.log.errors() == []


def _searched(record: EnrichedRecord, term: str) -> bool:
    fields = [title_of(record), *author_names(record), short_venue(record) or ""]
    fields += [record.venue_full or "", record.entry.label or ""]
    return any(term.casefold() in value.casefold() for value in fields)


@needs_chromium
def test_page_loads_offline_and_shows_every_paper(
    page: Page, shipped_records: list[EnrichedRecord], shipped_file: Path
) -> None:
    assert len(shipped_records) == 97
    assert page.evaluate(VISIBLE) == list(range(97))
    assert page.evaluate("document.getElementById('shown').textContent") == "97 papers"
    assert page.evaluate("document.title") == "mlsys-reading-list"
    assert page.log.requests == [shipped_file.resolve().as_uri()]
    titles = page.evaluate(
        "Array.from(document.querySelectorAll('li.paper .name')).map((e) => e.textContent)"
    )
    assert titles == [title_of(r) for r in shipped_records]


@needs_chromium
def test_search_narrows_as_you_type(page: Page, shipped_records: list[EnrichedRecord]) -> None:
    term = "serving"
    counts = []
    for end in range(1, len(term) + 1):
        page.type_text("#search", term[end - 1])
        counts.append(len(page.evaluate(VISIBLE)))
    assert counts == sorted(counts, reverse=True)
    expected = [i for i, r in enumerate(shipped_records) if _searched(r, term)]
    assert 0 < len(expected) < 97
    assert page.evaluate(VISIBLE) == expected
    assert page.evaluate("document.getElementById('shown').textContent") == (
        f"{len(expected)} of 97 papers"
    )


@needs_chromium
def test_search_finds_one_paper_by_a_title_word(
    page: Page, shipped_records: list[EnrichedRecord]
) -> None:
    page.type_text("#search", "pagedattention")
    [index] = page.evaluate(VISIBLE)
    assert "PagedAttention" in title_of(shipped_records[index])


@needs_chromium
def test_venue_filter_and_chart_click(page: Page, shipped_records: list[EnrichedRecord]) -> None:
    osdi = [i for i, r in enumerate(shipped_records) if short_venue(r) == "OSDI"]
    assert osdi
    page.choose("#filter-venue", "OSDI")
    assert page.evaluate(VISIBLE) == osdi
    page.choose("#filter-venue", "")
    page.click('#chart-venue button[data-value="EuroSys"]')
    eurosys = [i for i, r in enumerate(shipped_records) if short_venue(r) == "EuroSys"]
    assert page.evaluate(VISIBLE) == eurosys
    assert page.evaluate("document.getElementById('filter-venue').value") == "EuroSys"
    pressed = "document.querySelector('#chart-venue button[data-value=\"EuroSys\"]').getAttribute('aria-pressed')"
    assert page.evaluate(pressed) == "true"


@needs_chromium
def test_section_and_status_filters(page: Page, shipped_records: list[EnrichedRecord]) -> None:
    section = "Scheduling & Resource Management"
    page.choose("#filter-section", section)
    expected = [i for i, r in enumerate(shipped_records) if section in r.entry.sections]
    assert page.evaluate(VISIBLE) == sorted(expected)
    groups = page.evaluate(
        "Array.from(document.querySelectorAll('section.group')).filter((g) => g.checkVisibility()).map((g) => g.dataset.section)"
    )
    assert groups == [section]  # a paper listed under two sections moves to the chosen one
    page.choose("#filter-section", "")
    page.choose("#filter-status", "unmatched")
    unmatched = [i for i, r in enumerate(shipped_records) if r.match.status == "unmatched"]
    assert page.evaluate(VISIBLE) == unmatched
    page.choose("#filter-status", "review")
    flagged = [i for i, r in enumerate(shipped_records) if needs_review(r)]
    assert page.evaluate(VISIBLE) == flagged
    marked = page.evaluate(
        "Array.from(document.querySelectorAll('li.paper.flagged .badge-review')).length"
    )
    assert marked == len(flagged)


@needs_chromium
def test_year_filter(page: Page, shipped_records: list[EnrichedRecord]) -> None:
    page.choose("#filter-year", "2020")
    assert page.evaluate(VISIBLE) == [
        i for i, r in enumerate(shipped_records) if year_of(r) == 2020
    ]


@needs_chromium
def test_sorting_by_year_orders_them(page: Page, shipped_records: list[EnrichedRecord]) -> None:
    page.click("#group")  # one flat list instead of one per section
    page.choose("#sort", "year-desc")
    order = page.evaluate(VISIBLE)
    assert sorted(order) == list(range(97))
    years = [year_of(shipped_records[i]) or 0 for i in order]
    assert years == sorted(years, reverse=True)
    page.choose("#sort", "year-asc")
    years = [year_of(shipped_records[i]) or 0 for i in page.evaluate(VISIBLE)]
    assert years == sorted(years)
    page.choose("#sort", "title")
    titles = [title_of(shipped_records[i]).casefold() for i in page.evaluate(VISIBLE)]
    assert titles[0] <= titles[-1]
    page.click("#group")
    page.choose("#sort", "list")
    assert page.evaluate(VISIBLE) == list(range(97))


@needs_chromium
def test_chart_counts_papers_per_year_and_venue(
    page: Page, shipped_records: list[EnrichedRecord]
) -> None:
    counts = (
        "Array.from(document.querySelectorAll('#chart-{} button')).filter((b) => b.checkVisibility())"
        ".map((b) => [b.dataset.value, Number(b.title.split(': ')[1].split(' ')[0])])"
    )
    per_year = dict(page.evaluate(counts.format("year")))
    per_venue = dict(page.evaluate(counts.format("venue")))
    assert sum(per_year.values()) == sum(per_venue.values()) == 97
    assert per_year["2022"] == sum(1 for r in shipped_records if year_of(r) == 2022)
    assert per_venue["OSDI"] == sum(1 for r in shipped_records if short_venue(r) == "OSDI")
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('#chart-year .fill')).map((f) => f.getBoundingClientRect().height)"
    )
    assert max(heights) > 50


@needs_chromium
def test_hostile_record_renders_as_text(browser: Page, tmp_path: Path) -> None:
    records = _hostile_records()
    path = tmp_path / "hostile.html"
    path.write_text(render_html(records, "example-list"), encoding="utf-8")
    browser.log.console.clear()
    browser.log.dialogs.clear()
    browser.open(path)
    assert browser.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert browser.evaluate("document.scripts.length") == 2
    hrefs = browser.evaluate(
        "Array.from(document.querySelectorAll('[href], [src], [action]')).map((e) => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))"
    )
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    title = browser.evaluate("document.querySelector('#paper-0 .name').textContent")
    assert title == HOSTILE_TITLE
    assert paper_view(records[0], 0).href is None
    browser.type_text("#search", "<img")
    assert browser.evaluate(VISIBLE) == [0]
    assert browser.log.dialogs == []
    assert browser.log.errors() == []
    shown = browser.evaluate("document.querySelector('#paper-0 .authors').textContent")
    assert shown == "Ann Example <script>alert(1)</script>"
