"""The overrides file: strict parsing with file:line errors, and which entry a row applies to."""

from __future__ import annotations

from pathlib import Path

import pytest

from enrich.errors import InputError
from enrich.overrides import (
    HEADER,
    OverridesFile,
    append_overrides,
    find_override,
    inspect_overrides,
    parse_overrides,
    read_overrides,
    start_overrides,
)
from fixture_records import dblp, entry

GOOD = """title,key,dblp_key,doi,s2_id,action
# settled by hand after reading the review report
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


@pytest.mark.parametrize(
    ("text", "columns", "problem"),
    [
        (None, None, None),
        ("", None, None),
        ("\n# only a comment\n\n", None, None),
        (HEADER + "\n", ("title", "key", "dblp_key", "doi", "s2_id", "action"), None),
        ("\ufeffTitle, Action\r\nOrca,skip\r\n", ("title", "action"), None),
        ("title,venue\n", None, "overrides.csv:1: unknown column 'venue'"),
    ],
)
def test_inspect_reads_the_header_a_new_line_must_fit(
    tmp_path: Path, text: str | None, columns: tuple[str, ...] | None, problem: str | None
) -> None:
    path = tmp_path / "overrides.csv"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    shape = inspect_overrides(path)
    assert shape.columns == columns
    assert (shape.problem is None) == (problem is None)
    assert problem is None or problem in (shape.problem or "")


LINES = [
    (None, {"title": "Orca", "dblp_key": "conf/osdi/YuJKKC22", "action": "pin"}, "Orca,,conf/osdi/YuJKKC22,,,pin"),
    (("action", "title"), {"title": "Orca, Revisited", "action": "skip"}, 'skip,"Orca, Revisited"'),
    (("title", "action"), {"title": 'The "Example" Title', "action": "skip"}, '"The ""Example"" Title",skip'),
    (("title", "action"), {"title": "Orca", "dblp_key": "conf/osdi/YuJKKC22", "action": "pin"}, None),
    (("title", "action"), {"title": "# Example Hash Title", "action": "skip"}, None),
    (("action", "title"), {"title": "# Example Hash Title", "action": "skip"}, "skip,# Example Hash Title"),
]  # fmt: skip


@pytest.mark.parametrize(("columns", "values", "line"), LINES)
def test_a_line_fits_the_files_columns_or_is_none(columns, values, line) -> None:
    shape = OverridesFile("data/overrides.csv", columns)
    assert shape.line(values) == line
    if line is not None:
        header = ",".join(columns or ()) or HEADER
        (override,) = parse_overrides(f"{header}\n{line}\n", "data/overrides.csv")
        assert override.title == values["title"] and override.action == values["action"]


def test_lacks_names_the_missing_columns() -> None:
    shape = OverridesFile("data/overrides.csv", ("title", "action"))
    assert shape.lacks({"title": "Orca", "dblp_key": "conf/osdi/YuJKKC22", "doi": ""}) == [
        "dblp_key"
    ]


def test_start_writes_the_header_and_never_replaces_a_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "overrides.csv"
    start_overrides(path)
    assert path.read_text(encoding="utf-8") == HEADER + "\n"
    path.write_text(HEADER + "\nOrca,,,,,skip\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"overrides\.csv: already exists; its rows are kept"):
        start_overrides(path)
    assert path.read_text(encoding="utf-8") == HEADER + "\nOrca,,,,,skip\n"


def test_append_starts_a_missing_file_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    origins = append_overrides(path, [{"title": "Orca, Revisited", "action": "skip"}])
    assert origins == [f"{path}:2"]
    assert path.read_text(encoding="utf-8") == HEADER + '\n"Orca, Revisited",,,,,skip\n'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("\ufefftitle,action\r\nHorovod,skip", "\ufefftitle,action\r\nHorovod,skip\r\nOrca,skip\r\n"),
        ("title,action\n# a comment kept as written\nHorovod,skip\n", "title,action\n# a comment kept as written\nHorovod,skip\nOrca,skip\n"),
        ("", HEADER + "\nOrca,,,,,skip\n"),
    ],
)  # fmt: skip
def test_append_keeps_every_byte_already_there(tmp_path: Path, before: str, after: str) -> None:
    path = tmp_path / "overrides.csv"
    path.write_bytes(before.encode("utf-8"))
    append_overrides(path, [{"title": "Orca", "action": "skip"}])
    assert path.read_bytes().decode("utf-8") == after
    assert [o.title for o in read_overrides(path)][-1] == "Orca"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"title": "horovod", "action": "skip"}, "a second override for 'horovod'"),
        (
            {"title": "Orca", "dblp_key": "conf/osdi/YuJKKC22", "action": "pin"},
            r"no column for this row \(dblp_key\)",
        ),
    ],
)
def test_append_refuses_a_row_the_next_run_would_stop_on(
    tmp_path: Path, row: dict[str, str], message: str
) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text("title,action\nHorovod,skip\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        append_overrides(path, [row])
    assert path.read_text(encoding="utf-8") == "title,action\nHorovod,skip\n"
