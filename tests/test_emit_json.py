"""The enriched JSON: valid against its schema, and read back into the same records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest

from emit_support import HOSTILE_TITLES, INPUT_FILE, hostile_record, mixed_records
from enrich.emit import render_outputs
from enrich.emit.json import (
    SCHEMA_PATH,
    load_previous_keys,
    load_records,
    summary,
    to_json,
)
from enrich.emit.keys import assign_keys, keys_by_identity
from enrich.errors import InputError

INPUT = b"- [SOSP '23] Efficient Memory Management ...\n"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _write(tmp_path: Path, records) -> Path:
    path = tmp_path / "list.json"
    path.write_bytes(render_outputs(records, INPUT_FILE, INPUT)["json"])
    return path


def test_document_is_valid_against_the_schema() -> None:
    document = json.loads(to_json(assign_keys(mixed_records(), {}), INPUT_FILE, INPUT))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert document["input"] == {"path": INPUT_FILE, "sha256": hashlib.sha256(INPUT).hexdigest()}
    assert document["tool"]["name"] == "enrich"


def test_schema_rejects_a_record_missing_a_field() -> None:
    document = json.loads(to_json(assign_keys(mixed_records(), {}), INPUT_FILE, INPUT))
    del document["records"][0]["provenance"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_records_read_back_equal_the_records(tmp_path: Path) -> None:
    records = assign_keys(mixed_records(), {})
    assert load_records(_write(tmp_path, records)) == records


def test_summary_counts_every_status() -> None:
    counts = summary(mixed_records())
    assert counts == {
        "total": 12,
        "matched": 10,
        "ambiguous": 1,
        "unmatched": 1,
        "error": 0,
        "not_cached": 0,
        "skipped": 0,
        "stale": 1,
    }


def test_no_timestamp_and_same_bytes_twice() -> None:
    records = assign_keys(mixed_records(), {})
    first = to_json(records, INPUT_FILE, INPUT)
    assert first == to_json(records, INPUT_FILE, INPUT)
    for word in ("time", "date", "elapsed", "generated"):
        assert word not in "".join(json.loads(first).keys()) + "".join(
            json.loads(first)["records"][0]
        )


def test_previous_keys_come_from_the_written_json(tmp_path: Path) -> None:
    records = assign_keys(mixed_records(), {})
    assert load_previous_keys(_write(tmp_path, records)) == keys_by_identity(records)
    assert load_previous_keys(tmp_path / "absent.json") == {}


@pytest.mark.parametrize(
    "content", ["not json", '{"schema_version": 99, "records": []}', '{"schema_version": 1}']
)
def test_unreadable_previous_json_names_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.json"):
        load_records(path)


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_round_trips(tmp_path: Path, title: str) -> None:
    records = [hostile_record(title)]
    path = _write(tmp_path, records)
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)
    assert load_records(path) == records


def _damaged(tmp_path: Path, change) -> Path:
    """The JSON of mixed_records() with its first record changed as a hand edit would."""
    path = _write(tmp_path, assign_keys(mixed_records(), {}))
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["records"][0])
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r.update(year=True), "year is true, not an integer or null"),
        (lambda r: r.update(year=2023.0), "year is 2023.0, not an integer or null"),
        (lambda r: r.update(key=""), 'key is "", not a non-empty string'),
        (lambda r: r["list"].update(lines=[]), "list.lines is [], not a list of line numbers"),
        (lambda r: r["list"].update(lines=[0]), "list.lines is [0], not a list of line numbers"),
        (lambda r: r.update(doi="https://doi.org/10.1145/3600006.3613165"), 'doi is "https://doi.org/10.1145/3600006.3613165", not a DOI ("10.") or null'),
        (lambda r: r.update(ids=None), "ids is null, not an object"),
        (lambda r: r["match"].update(alternatives=["Orca"]), 'match.alternatives[0] is "Orca", not an object'),
        (lambda r: r["match"].update(score="high"), 'match.score is "high", not a number or null'),
        (lambda r: r["provenance"].update(doi="crossref"), "provenance is {"),
        (lambda r: r["authors"][1].pop("name"), "authors[1].name is missing"),
        (lambda r: r.update(editors="Ann Example"), 'editors is "Ann Example", not a list of strings'),
    ],
)  # fmt: skip
def test_a_hand_edit_that_breaks_a_record_names_the_record_and_the_field(
    tmp_path: Path, change, problem: str
) -> None:
    path = _damaged(tmp_path, change)
    with pytest.raises(InputError) as raised:
        load_records(path)
    assert str(raised.value).startswith(f"{path}: record 1")
    assert f": {problem}" in str(raised.value)
    assert str(raised.value).endswith("; fix or remove the file")


def test_fields_older_outputs_lack_are_read_as_absent(tmp_path: Path) -> None:
    """series, editors, abstract, urls.published and the list's url, key and authors came
    later than schema version 1: a JSON without them still reads."""

    def drop_later_fields(record: dict) -> None:
        for name in ("series", "editors", "abstract"):
            record.pop(name, None)
        record["urls"].pop("published")
        for name in ("url", "key", "authors"):
            record["list"].pop(name)

    (first, *_) = load_records(_damaged(tmp_path, drop_later_fields))
    assert (first.series, first.editors, first.abstract, first.urls.published) == (
        None,
        (),
        None,
        None,
    )
    assert (first.entry.url, first.entry.key, first.entry.authors) == (None, None, ())
    assert first.title == mixed_records()[0].title
