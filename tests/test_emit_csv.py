"""The CSV output read back with pandas and compared with the records."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from emit_support import HOSTILE_TITLES, hostile_record, mixed_records
from enrich.emit.csv import COLUMNS, to_csv
from enrich.emit.keys import assign_keys
from enrich.emit.latex import clean_text


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
    assert frame.loc[0, "title"] == clean_text(title)
    assert frame.loc[0, "notes"] == clean_text(title)
    assert frame.loc[1, "key"] == records[1].key
