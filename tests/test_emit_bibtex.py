"""The .bib output read back with bibtexparser and compared with the records."""

from __future__ import annotations

import dataclasses

import bibtexparser
import pytest

from emit_support import (
    BPIPE_BOOKTITLE,
    HOSTILE_TITLES,
    NEXUS_BOOKTITLE,
    as_latex_reads_it,
    bpipe_record,
    citation_records,
    decode_field,
    hostile_record,
    mixed_records,
    nexus_record,
)
from enrich.emit.bibtex import bibtex_type, to_bibtex
from enrich.emit.fields import doi_of, primary_url
from enrich.emit.keys import assign_keys
from enrich.emit.names import split_name
from enrich.models import Urls


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
        doi = doi_of(record)
        if doi:
            assert entry.fields_dict["doi"].value == doi
        else:
            assert "doi" not in fields
        url = entry.fields_dict.get("url")
        assert (url.value if url else None) == primary_url(record)
        assert fields["keywords"] == ", ".join(record.entry.sections)
        if record.ids.arxiv:
            assert entry.fields_dict["eprint"].value == record.ids.arxiv
            assert entry.fields_dict["eprinttype"].value == "arxiv"
            assert entry.fields_dict["archiveprefix"].value == "arXiv"


# Tool text that must never reach a field a citation style or Zotero shows.
TOOL_WORDS = ("enrich", "matched", "ambiguous", "pinned", "overrides.csv", "kept from", "differs")


def test_no_field_carries_the_tools_own_words() -> None:
    records = assign_keys([*mixed_records(), *citation_records()[:4]], {})
    for entry in _parse(to_bibtex(records)).entries:
        assert not {"note", "annote", "addendum"} & set(entry.fields_dict), entry.key
        for field in entry.fields:
            if field.key not in ("keywords",):
                for word in TOOL_WORDS:
                    assert word not in field.value.lower(), (entry.key, field.key)


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


def test_conference_paper_is_complete_as_dblps_export() -> None:
    """Nexus (SOSP '19) and BPipe (ICML '23) with what DBLP's standard export has."""
    records = assign_keys([nexus_record(), bpipe_record()], {})
    nexus, bpipe = (e.fields_dict for e in _parse(to_bibtex(records)).entries)
    assert decode_field(nexus["booktitle"].value) == NEXUS_BOOKTITLE
    assert nexus["publisher"].value == "ACM"
    assert nexus["pages"].value == "322--337"
    assert nexus["url"].value == "https://doi.org/10.1145/3341301.3359658"
    assert nexus["biburl"].value == "https://dblp.org/rec/conf/sosp/ShenCJZKPKS19.bib"
    assert decode_field(bpipe["booktitle"].value) == BPIPE_BOOKTITLE
    assert bpipe["series"].value == "Proceedings of Machine Learning Research"
    assert (bpipe["volume"].value, bpipe["publisher"].value) == ("202", "PMLR")
    assert bpipe["url"].value == "https://proceedings.mlr.press/v202/kim23l.html"
    assert bpipe["editor"].value == "Example, Ann and Example, Ben"


def test_short_booktitle_is_acronym_and_year() -> None:
    records = assign_keys([nexus_record(), bpipe_record()], {})
    entries = _parse(to_bibtex(records, booktitle="short")).entries
    assert [e.fields_dict["booktitle"].value for e in entries] == ["SOSP '19", "ICML '23"]


def test_url_is_never_a_metadata_page() -> None:
    """No DOI and no publisher page: the list's link or nothing, never DBLP's record page."""
    dblp_page = Urls(dblp="https://dblp.org/rec/conf/sosp/ShenCJZKPKS19")
    bare = dataclasses.replace(nexus_record(), doi=None, urls=dblp_page)
    (entry,) = _parse(to_bibtex(assign_keys([bare], {}))).entries
    assert "url" not in entry.fields_dict
    assert entry.fields_dict["biburl"].value.startswith("https://dblp.org/rec/")


def test_arxiv_only_paper_is_a_misc_as_reference_managers_write_it() -> None:
    records = assign_keys(mixed_records(), {})
    horovod = _parse(to_bibtex(records)).entries_dict["sergeev2018horovod"]
    fields = horovod.fields_dict
    assert horovod.entry_type == "misc"
    assert fields["eprint"].value == "1802.05799"
    assert (fields["eprinttype"].value, fields["archiveprefix"].value) == ("arxiv", "arXiv")
    assert fields["publisher"].value == "arXiv"
    assert fields["doi"].value == "10.48550/arXiv.1802.05799"
    assert fields["url"].value == "https://arxiv.org/abs/1802.05799"
    assert "howpublished" not in fields
    assert "volume" not in fields


def test_pages_use_en_dash() -> None:
    records = assign_keys(mixed_records(), {})
    orca = _parse(to_bibtex(records)).entries_dict["yu2022orca"].fields_dict
    assert orca["pages"].value == "521--538"
    assert "note" not in orca


def test_unmatched_entry_holds_what_the_list_said() -> None:
    records = assign_keys(mixed_records(), {})
    unmatched = _parse(to_bibtex(records)).entries_dict["anon2022achieving"]
    fields = unmatched.fields_dict
    assert unmatched.entry_type == "misc"
    assert "author" not in fields
    assert fields["key"].value == "Achieving {$\\mu$}s-scale Preemption for"
    assert set(fields) <= {"title", "year", "howpublished", "url", "keywords", "key"}


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_keeps_the_file_valid(title: str) -> None:
    records = [hostile_record(title), *assign_keys(mixed_records()[:2], {})]
    text = to_bibtex(records)
    assert text.isascii()
    library = _parse(text)
    assert [e.key for e in library.entries] == [r.key for r in records]
    fields = library.entries[0].fields_dict
    for name in ("title", "booktitle", "publisher", "keywords"):
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
