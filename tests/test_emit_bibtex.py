"""The .bib output read back with bibtexparser and compared with the records."""

from __future__ import annotations

import dataclasses

import bibtexparser
import pytest

from emit_support import (
    HOSTILE_TITLES,
    as_latex_reads_it,
    decode_field,
    hostile_record,
    mixed_records,
)
from enrich.emit.bibtex import bibtex_type, to_bibtex
from enrich.emit.fields import primary_url
from enrich.emit.keys import assign_keys
from enrich.emit.names import split_name


def _parse(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return library


def test_every_record_reads_back_with_its_fields() -> None:
    records = assign_keys(mixed_records(), {})
    library = _parse(to_bibtex(records))
    assert [e.key for e in library.entries] == [r.key for r in records]
    for record, entry in zip(records, library.entries, strict=True):
        fields = {k: decode_field(f.value) for k, f in entry.fields_dict.items()}
        assert fields["title"] == (record.title or record.entry.title)
        assert entry.entry_type == bibtex_type(record)
        if record.authors:
            families = [split_name(n.strip()).family for n in fields["author"].split(" and ")]
            assert families == [split_name(a.name).family for a in record.authors]
        assert int(fields["year"]) == (record.year or record.entry.year)
        if record.doi:
            assert entry.fields_dict["doi"].value == record.doi
        else:
            assert "doi" not in fields
        url = entry.fields_dict.get("url")
        assert (url.value if url else None) == primary_url(record)
        assert fields["keywords"] == ", ".join(record.entry.sections)
        if record.ids.arxiv:
            assert entry.fields_dict["eprint"].value == record.ids.arxiv
            assert entry.fields_dict["eprinttype"].value == "arxiv"
            assert entry.fields_dict["archiveprefix"].value == "arXiv"
        for note in record.match.notes:
            assert note in fields["note"]


@pytest.mark.parametrize(
    ("index", "expected_type", "venue_field"),
    [
        (0, "inproceedings", "booktitle"),  # vLLM, SOSP
        (4, "misc", None),  # unmatched: only what the list said
        (10, "misc", None),  # Horovod: arXiv only
    ],
)
def test_entry_types(index: int, expected_type: str, venue_field: str | None) -> None:
    records = assign_keys(mixed_records(), {})
    entry = _parse(to_bibtex(records)).entries[index]
    assert entry.entry_type == expected_type
    if venue_field:
        assert entry.fields_dict[venue_field].value == records[index].venue


def test_arxiv_only_paper_has_eprint_and_howpublished() -> None:
    records = assign_keys(mixed_records(), {})
    horovod = _parse(to_bibtex(records)).entries_dict["sergeev2018horovod"].fields_dict
    assert horovod["eprint"].value == "1802.05799"
    assert horovod["howpublished"].value == "arXiv:1802.05799"
    assert horovod["url"].value == "https://arxiv.org/abs/1802.05799"


def test_pages_use_en_dash_and_orca_note_says_title_differs() -> None:
    records = assign_keys(mixed_records(), {})
    orca = _parse(to_bibtex(records)).entries_dict["yu2022orca"].fields_dict
    assert orca["pages"].value == "521--538"
    assert "title differs from the list" in orca["note"].value


def test_authorless_entry_has_a_sort_key() -> None:
    records = assign_keys(mixed_records(), {})
    unmatched = _parse(to_bibtex(records)).entries_dict["anon2022achieving"].fields_dict
    assert "author" not in unmatched
    assert unmatched["key"].value == "anon2022achieving"
    assert unmatched["note"].value.startswith("enrich: unmatched")


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_keeps_the_file_valid(title: str) -> None:
    records = [hostile_record(title), *assign_keys(mixed_records()[:2], {})]
    text = to_bibtex(records)
    assert text.isascii()
    library = _parse(text)
    assert [e.key for e in library.entries] == [r.key for r in records]
    fields = library.entries[0].fields_dict
    for name in ("title", "booktitle", "publisher", "keywords", "note"):
        assert decode_field(fields[name].value) == as_latex_reads_it(title), name
    assert decode_field(library.entries[1].fields_dict["title"].value) == records[1].title


def test_records_without_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="without a citation key"):
        to_bibtex(mixed_records())


def test_duplicate_keys_are_refused() -> None:
    records = assign_keys(mixed_records()[:2], {})
    clash = [records[0], dataclasses.replace(records[1], key=records[0].key)]
    with pytest.raises(ValueError, match="duplicate citation keys"):
        to_bibtex(clash)
