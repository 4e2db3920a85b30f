"""write_outputs: names, atomic writes, byte-identical reruns, keys kept across runs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import enrich.emit as emit
from emit_support import fact_records, mixed_records
from enrich.emit import load_records, output_paths, write_outputs


@pytest.fixture
def reading_list(tmp_path: Path) -> Path:
    path = tmp_path / "raw" / "mlsys-reading-list.md"
    path.parent.mkdir()
    path.write_text("- [SOSP '23] Efficient Memory Management ...\n", encoding="utf-8")
    return path


def test_outputs_are_named_after_the_input(reading_list: Path, tmp_path: Path) -> None:
    out = tmp_path / "enriched"
    written = write_outputs(mixed_records(), reading_list, out)
    assert [p.name for p in written] == [
        "mlsys-reading-list.bib",
        "mlsys-reading-list.csv",
        "mlsys-reading-list.json",
        "mlsys-reading-list.csl.json",
        "mlsys-reading-list.html",
        "mlsys-reading-list.linked.md",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
    assert all((p.stat().st_mode & 0o777) == 0o644 for p in written)


def test_same_records_give_byte_identical_files(reading_list: Path, tmp_path: Path) -> None:
    first = {
        p.name: p.read_bytes() for p in write_outputs(mixed_records(), reading_list, tmp_path / "a")
    }
    again = {
        p.name: p.read_bytes() for p in write_outputs(mixed_records(), reading_list, tmp_path / "a")
    }
    elsewhere = {
        p.name: p.read_bytes() for p in write_outputs(mixed_records(), reading_list, tmp_path / "b")
    }
    assert first == again == elsewhere


def test_outputs_keep_list_order_and_unmatched_papers(reading_list: Path, tmp_path: Path) -> None:
    records = mixed_records()
    paths = output_paths(reading_list, tmp_path)
    write_outputs(records, reading_list, tmp_path)
    back = load_records(paths["json"])
    assert [r.entry.title for r in back] == [r.entry.title for r in records]
    unmatched = records[4].entry.title
    for name in ("bib", "csv", "csl"):
        text = paths[name].read_text(encoding="utf-8-sig")
        assert "s-scale Preemption for Concurrent" in text, name
    assert back[4].match.status == "unmatched" and back[4].entry.title == unmatched


def test_keys_survive_a_paper_added_above(reading_list: Path, tmp_path: Path) -> None:
    records = fact_records()
    paths = output_paths(reading_list, tmp_path)
    write_outputs(records, reading_list, tmp_path)
    before = {r.entry.title: r.key for r in load_records(paths["json"])}
    vllm = records[0]
    added_entry = dataclasses.replace(vllm.entry, title="Efficient Example Added Above")
    added = dataclasses.replace(
        vllm,
        entry=added_entry,
        title=added_entry.title,
        doi=None,
        ids=dataclasses.replace(vllm.ids, dblp=None),
    )
    write_outputs([added, *records], reading_list, tmp_path)
    after = {r.entry.title: r.key for r in load_records(paths["json"])}
    assert {t: after[t] for t in before} == before
    assert after[added_entry.title] == "kwon2023efficienta"
    assert "@inproceedings{kwon2023efficient," in paths["bib"].read_text(encoding="utf-8")


def test_failure_leaves_previous_outputs_untouched(
    reading_list: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = write_outputs(mixed_records(), reading_list, tmp_path)
    before = {p: p.read_bytes() for p in written}

    def broken(_records, **_options):
        raise RuntimeError("CSL writer failed")

    monkeypatch.setattr(emit, "to_csl_json", broken)
    with pytest.raises(RuntimeError):
        write_outputs(fact_records()[:3], reading_list, tmp_path)
    assert {p: p.read_bytes() for p in written} == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
