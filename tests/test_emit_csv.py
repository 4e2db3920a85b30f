"""The CSV output read back with pandas and compared with the records."""

from __future__ import annotations

import dataclasses
import io
import json

import pandas as pd
import pytest

from emit_support import (
    BPIPE_BOOKTITLE,
    HOSTILE_TITLES,
    NEXUS_BOOKTITLE,
    citation_records,
    hostile_record,
    mixed_records,
)
from enrich.emit.csv import COLUMNS, neutralise, to_csv
from enrich.emit.json import to_json
from enrich.emit.keys import assign_keys
from enrich.models import Author
from enrich.text import clean_text


def _read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, na_values=[""]
    )


def test_columns_bom_and_one_line_per_paper() -> None:
    records = assign_keys(mixed_records(), {})
    data = to_csv(records)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\n")
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == len(records) + 2 and lines[-1] == ""


def test_rows_read_back_equal_the_records() -> None:
    records = assign_keys(mixed_records(), {})
    frame = _read(to_csv(records))
    assert list(frame.columns) == list(COLUMNS)
    assert frame["year"].dtype.kind == "i"
    assert frame["score"].dtype.kind == "f"
    for record, row in zip(records, frame.itertuples(index=False), strict=True):
        assert row.key == record.key
        assert row.title == record.title
        assert row.year == (record.year or record.entry.year)
        names = [a.name for a in record.authors]
        assert (row.authors.split("; ") if names else pd.isna(row.authors)) == (names or True)
        assert row.status == record.match.status
        assert row.list_title == record.entry.title
        assert row.list_label == record.entry.label
        assert row.sections == "; ".join(record.entry.sections)
        assert (pd.isna(row.doi) and record.doi is None) or row.doi == record.doi
        if record.ids.arxiv:
            assert row.arxiv_id == f"arXiv:{record.ids.arxiv}"
        else:
            assert pd.isna(row.arxiv_id)
        assert (
            pd.isna(row.score) and record.match.score is None
        ) or row.score == record.match.score


def test_numbers_stay_numbers_in_the_text() -> None:
    records = assign_keys(mixed_records(), {})
    text = to_csv(records).decode("utf-8-sig")
    flexgen = next(line for line in text.split("\n") if line.startswith("sheng2023flexgen,"))
    assert ",2023," in flexgen and ",42," in flexgen and ".0," not in flexgen.replace("91.0", "")


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_stays_in_its_cell(title: str) -> None:
    records = [hostile_record(title), *assign_keys(mixed_records()[:2], {})]
    data = to_csv(records)
    assert data.decode("utf-8-sig").count("\n") == len(records) + 1
    frame = _read(data)
    assert len(frame) == len(records)
    assert frame.loc[0, "title"] == neutralise(clean_text(title))
    assert frame.loc[0, "notes"] == neutralise(clean_text(title))
    assert frame.loc[1, "key"] == records[1].key


# (what a service or the list gives, the CSV cell): a leading tab or carriage return
# is whitespace, trimmed like every cell's, so a formula behind it is still caught.
FORMULAS = [
    pytest.param(
        '=HYPERLINK("http://example.invalid")',
        '\'=HYPERLINK("http://example.invalid")',
        id="equals",
    ),
    pytest.param("+1", "'+1", id="plus"),
    pytest.param("-2", "'-2", id="minus"),
    pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
    pytest.param("\tx", "x", id="tab"),
    pytest.param("\rx", "x", id="carriage-return"),
    pytest.param("\t=SUM(A1)", "'=SUM(A1)", id="tab-then-formula"),
    pytest.param("E = mc^2, in the middle", "E = mc^2, in the middle", id="equals-inside"),
    pytest.param("Cost-aware + fast @ scale", "Cost-aware + fast @ scale", id="signs-inside"),
]
_TEXT_COLUMNS = (
    "title",
    "venue_full",
    "container",
    "publisher",
    "series",
    "editors",
    "sections",
    "list_title",
    "notes",
)


def _formula_record(text: str):
    record = hostile_record(text)
    return dataclasses.replace(
        record,
        authors=(Author(name=text), Author(name="Ann Example")),
        series=text,
        editors=(text,),
    )


@pytest.mark.parametrize(("raw", "cell"), FORMULAS)
def test_formulas_are_neutralised_in_every_text_cell(raw: str, cell: str) -> None:
    record = _formula_record(raw)
    frame = _read(to_csv([record]))
    for column in _TEXT_COLUMNS:
        assert frame.loc[0, column] == cell, column
    assert frame.loc[0, "authors"] == f"{cell}; Ann Example"
    assert frame.loc[0, "year"] == 2022 and frame["year"].dtype.kind == "i"
    assert frame.loc[0, "score"] == 99.0 and frame["score"].dtype.kind == "f"


@pytest.mark.parametrize(("raw", "cell"), FORMULAS)
def test_json_keeps_the_raw_value(raw: str, cell: str) -> None:
    (data,) = json.loads(to_json([_formula_record(raw)], "list.md", b""))["records"]
    assert data["title"] == raw
    assert data["authors"][0]["name"] == raw
    assert data["publisher"] == raw and data["series"] == raw and data["editors"] == [raw]


def test_container_columns_follow_venue_full() -> None:
    at = COLUMNS.index("venue_full")
    assert COLUMNS[at + 1 : at + 8] == (
        "container",
        "publisher",
        "series",
        "volume",
        "number",
        "pages",
        "editors",
    )
    assert COLUMNS[COLUMNS.index("url") + 1] == "published_url"


def test_container_columns_read_back() -> None:
    records = assign_keys(citation_records(), {})
    # Volumes and issues are labels ("abs/1802.05799", "3"): read as text, or pandas makes 3.0.
    data = to_csv(records)
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str).set_index("key")
    nexus, bpipe = frame.loc["shen2019nexus"], frame.loc["kim2023bpipe"]
    journal, horovod = frame.loc["example2021example"], frame.loc["sergeev2018horovod"]
    assert nexus["container"] == NEXUS_BOOKTITLE
    assert (nexus["publisher"], nexus["pages"]) == ("ACM", "322-337")
    assert nexus["url"] == "https://doi.org/10.1145/3341301.3359658"
    assert bpipe["container"] == BPIPE_BOOKTITLE
    assert bpipe["series"] == "Proceedings of Machine Learning Research"
    assert (bpipe["publisher"], bpipe["volume"], bpipe["pages"]) == ("PMLR", "202", "16639--16653")
    assert bpipe["editors"] == "Ann Example; Ben Example"
    assert (
        bpipe["url"] == bpipe["published_url"] == "https://proceedings.mlr.press/v202/kim23l.html"
    )
    assert (journal["container"], journal["publisher"]) == (
        "Example Journal of Systems",
        "Example Publisher",
    )
    assert (journal["volume"], journal["number"], journal["pages"]) == ("7", "3", "1--20")
    assert horovod["volume"] == "abs/1802.05799"  # the CSV keeps what DBLP says
    assert (
        pd.isna(nexus["series"]) and pd.isna(nexus["editors"]) and pd.isna(nexus["published_url"])
    )


def test_short_booktitle_names_the_container_as_the_bib_does() -> None:
    records = assign_keys(citation_records(), {})
    frame = _read(to_csv(records, booktitle="short")).set_index("key")
    assert frame.loc["shen2019nexus", "container"] == "SOSP '19"
    assert frame.loc["kim2023bpipe", "container"] == "ICML '23"
    assert frame.loc["example2021example", "container"] == "Example Journal of Systems"
    assert frame.loc["shen2019nexus", "venue_full"] == NEXUS_BOOKTITLE
