"""CSL-JSON: every item renders with citeproc-py and carries the record's data."""

from __future__ import annotations

import json

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from emit_support import HOSTILE_TITLES, hostile_record, mixed_records
from enrich.emit.csl import to_csl_json
from enrich.emit.keys import assign_keys
from enrich.emit.latex import clean_text


def _render(items: list[dict]) -> list[str]:
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


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
        assert item.get("DOI") == record.doi
        year = record.year or record.entry.year
        assert item["issued"] == {"date-parts": [[year]]}
        assert [a["family"] for a in item.get("author", [])] == [
            a.name.split(" ")[-1] for a in record.authors
        ]
    by_key = {i["id"]: i for i in items}
    assert by_key["kwon2023efficient"]["type"] == "paper-conference"
    assert by_key["kwon2023efficient"]["container-title"] == "SOSP"
    assert by_key["sergeev2018horovod"]["type"] == "article"
    assert by_key["sergeev2018horovod"]["number"] == "arXiv:1802.05799"
    assert by_key["kwon2023efficient"]["URL"] == "https://doi.org/10.1145/3600006.3613165"
    assert by_key["sergeev2018horovod"]["URL"] == "https://arxiv.org/abs/1802.05799"
    assert by_key["kwon2023efficient"]["author"][0]["family"] == "Kwon"


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_renders(title: str) -> None:
    items = json.loads(to_csl_json([hostile_record(title)]))
    assert items[0]["title"] == clean_text(title)
    assert len(_render(items)) == 1


def test_notes_say_when_a_record_is_unsettled_or_kept_from_a_previous_run() -> None:
    records = assign_keys(mixed_records(), {})
    items = {i["id"]: i for i in json.loads(to_csl_json(records))}
    notes = {r.match.status: items[r.key].get("note", "") for r in records}
    assert notes["unmatched"].startswith("enrich: unmatched; no record scored above 80")
    assert notes["ambiguous"].startswith("enrich: ambiguous")
    (stale,) = [r for r in records if r.stale]
    assert items[stale.key]["note"].endswith("enrich: kept from a previous run")
