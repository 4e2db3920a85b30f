"""The overrides file: strict parsing with file:line errors, and which entry a row applies to."""

from __future__ import annotations

from pathlib import Path

import pytest

from enrich.errors import InputError
from enrich.overrides import find_override, parse_overrides, read_overrides
from fixture_records import dblp, entry

GOOD = """title,key,dblp_key,doi,s2_id,action
# settled by hand after reading review.md
Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks,,\
conf/osdi/YuJKKC22,,,pin
"Paella: Low-latency Model Serving with Virtualized GPU Scheduling",,,\
https://doi.org/10.1145/3600006.3613163,,
,kwon2023efficient,,,,skip
An Example Paper Nobody Wrote,,,,CorpusId:1,pin
"""


def test_parse_good_file() -> None:
    orca, paella, skip, horovod = parse_overrides(GOOD, "data/overrides.csv")
    assert orca.origin == "data/overrides.csv:3"
    assert (orca.action, orca.dblp_key) == ("pin", "conf/osdi/YuJKKC22")
    assert paella.doi == "10.1145/3600006.3613163" and paella.action == "pin"
    assert (skip.key, skip.action, skip.title) == ("kwon2023efficient", "skip", None)
    assert horovod.s2_id == "CorpusId:1"


BAD_ROWS = [
    ("title,dblp_key\nOrca,not a key\n", 2, "not a DBLP key"),
    ("title,doi\nOrca,doi:10.1145/x\n", 2, "not a DOI"),
    ("title,doi\nOrca,11.1145/3600006.3613163\n", 2, "not a DOI"),
    ("title,s2_id\nOrca,fixture-123\n", 2, "not a Semantic Scholar id"),
    ("title,action\nOrca,delete\n", 2, "unknown action"),
    ("title,action\nOrca,pin\n", 2, "needs a dblp_key"),
    ("title,dblp_key\n,conf/osdi/YuJKKC22\n", 2, "title or its citation key"),
    ("title,dblp_key,venue\n", 1, "unknown column 'venue'"),
    ("dblp_key,doi\nconf/osdi/YuJKKC22,\n", 1, "'title' or a 'key' column"),
    ("title,action\n\nOrca,skip\nthe Orca,skip,extra\n", 4, "3 cells but the header has 2"),
    ("title,action\nOrca: A,skip\n\norca a,skip\n", 4, "a second override"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_ROWS)
def test_bad_rows_name_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_overrides(text, "data/overrides.csv")
    assert str(raised.value).startswith(f"data/overrides.csv:{line}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_read_missing_file_is_no_overrides(tmp_path: Path) -> None:
    assert read_overrides(tmp_path / "overrides.csv") == ()


def test_read_file_with_excel_bom(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_bytes("\ufefftitle,action\nμLayer: x,skip\n".encode())
    (only,) = read_overrides(path)
    assert only.title == "μLayer: x" and only.origin == f"{path}:2"


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_bytes(b"title,action\n\xff\xfe,skip\n")
    with pytest.raises(InputError, match="cannot read overrides file"):
        read_overrides(path)


def test_find_override_by_title_or_key() -> None:
    overrides = parse_overrides(GOOD, "data/overrides.csv")
    orca = entry(
        "[OSDI '22]",
        "Orca: a distributed serving system for transformer-based language generation tasks.",
    )
    assert find_override(overrides, orca) is overrides[0]
    paged = entry("[SOSP '23]", "Efficient Memory Management for LLM Serving")
    assert find_override(overrides, paged) is None
    assert find_override(overrides, paged, key="kwon2023efficient") is overrides[2]


def test_pins_matches_key_doi_and_s2_ids() -> None:
    orca, paella, _, horovod = parse_overrides(GOOD, "data/overrides.csv")
    assert orca.pins(dblp("Orca", "OSDI", 2022, "conf/osdi/YuJKKC22"))
    assert paella.pins(
        dblp("Paella", "SOSP", 2023, "conf/sosp/ExampleNg23", doi="10.1145/3600006.3613163")
    )
    assert not orca.pins(dblp("Orca", "OSDI", 2022, "conf/osdi/ExampleOther22"))
    assert not horovod.pins(dblp("Horovod", "CoRR", 2018, "journals/corr/ExampleSergeev18"))
