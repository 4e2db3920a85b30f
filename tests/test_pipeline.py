"""The whole pipeline against the local emulator: the shipped list end to end, refresh rules."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest

from enrich.emit import files, load_records
from enrich.emulator import Emulator, Faults
from enrich.emulator.services import Answer
from enrich.errors import ExitCode, InputError, OutputError
from enrich.lastgood import combine
from enrich.match import no_decision
from enrich.merge import merge_record
from enrich.models import Entry
from enrich.pipeline import RunOptions, read_inputs, run, select_entries
from enrich.readinglist import parse_text
from enrich.text import normalize_title
from pipeline_support import emulated_options

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "data" / "raw" / "mlsys-reading-list.md"
FACTS = json.loads((ROOT / "tests" / "fixtures" / "papers_part1.json").read_text("utf-8"))
FAULTS = Faults(every=3, kinds=("429", "503", "slow", "drop"), retry_after=1, slow_seconds=1.2)


PLANNED_FAULTS = {
    "attempts": 8,  # faults hit every 3rd request of all threads: 8 tries always get through
    "read_timeout": 0.6,  # half a slow answer: it times out and is retried
}


def options_for(emulator_url: str, tmp: Path, **changes: object) -> RunOptions:
    http_changes = {k: changes.pop(k) for k in ("offline", "refresh") if k in changes}
    return emulated_options(
        tmp, emulator_url, http_changes={**PLANNED_FAULTS, **http_changes}, **changes
    )


@pytest.fixture(scope="module")
def faulty() -> Iterator[Emulator]:
    with Emulator(faults=FAULTS) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def shipped_run(faulty: Emulator, tmp_path_factory: pytest.TempPathFactory):
    """The shipped list, resolved through an emulator that fails every third request."""
    tmp = tmp_path_factory.mktemp("shipped")
    lists = read_inputs([SHIPPED])
    options = options_for(faulty.url, tmp)
    first = run(lists, options)
    written = {path.name: path.read_bytes() for path in options.out_dir.iterdir()}
    second = run(lists, options)
    return first, second, options, written


def test_every_fixture_paper_resolves_to_its_published_record(shipped_run, faulty):
    first, *_ = shipped_run
    assert sum(faulty.faults_injected.values()) > 0
    records = {normalize_title(r.entry.title): r for r in first.records}
    for fact in FACTS:
        record = records[normalize_title(fact["list_title"])]
        assert record.match.status == "matched", (fact["list_title"], record.match)
        assert normalize_title(record.title) == normalize_title(fact["published_title"])
        assert record.year == fact["year"]
        assert (record.doi or "").lower() == (fact["doi"] or "").lower()
        if fact["dblp_key"]:
            assert record.ids.dblp == fact["dblp_key"]
        assert record.authors[0].name.endswith(fact["first_author_family"])
        assert fact["n_authors"] is None or len(record.authors) == fact["n_authors"]
        assert record.provenance["doi" if fact["doi"] else "title"] in ("dblp", "s2")


def test_papers_beyond_the_fixtures_are_never_confused_or_lost(shipped_run):
    first, *_ = shipped_run
    assert len(first.records) == 97
    known = {normalize_title(fact["list_title"]) for fact in FACTS}
    others = [r for r in first.records if normalize_title(r.entry.title) not in known]
    assert len(others) == 47
    unmatched = [r for r in others if r.match.status == "unmatched"]
    assert all(r.title == r.entry.title and r.provenance["title"] == "list" for r in unmatched)
    # The corpus holds a few of them as confusables of fixture papers: those must be theirs.
    for record in others:
        if record.match.status == "matched":
            assert normalize_title(record.title) == normalize_title(record.entry.title)
            assert record.year == record.entry.year
    assert first.exit_code == ExitCode.INCOMPLETE
    assert first.service_errors == {}


def test_outputs_are_written_and_read_back(shipped_run):
    first, _, options, _ = shipped_run
    (result,) = first.lists
    names = sorted(path.name for path in result.written)
    assert names == [
        "mlsys-reading-list.bib",
        "mlsys-reading-list.csl.json",
        "mlsys-reading-list.csv",
        "mlsys-reading-list.html",
        "mlsys-reading-list.json",
        "mlsys-reading-list.linked.md",
        "mlsys-reading-list.review.md",
    ]
    out = options.out_dir
    library = bibtexparser.parse_file(str(out / "mlsys-reading-list.bib"))
    assert len(library.entries) == 97 and not library.failed_blocks
    table = pd.read_csv(out / "mlsys-reading-list.csv", encoding="utf-8-sig")
    assert len(table) == 97
    assert table["list_title"].tolist() == [r.entry.title for r in first.records]
    assert len(json.loads((out / "mlsys-reading-list.csl.json").read_text("utf-8"))) == 97
    assert [r.entry.title for r in load_records(out / "mlsys-reading-list.json")] == [
        r.entry.title for r in first.records
    ]
    review = (out / "mlsys-reading-list.review.md").read_text("utf-8")
    assert "Orca" in review  # matched with a note: the list's title differs from the record's


def test_second_run_makes_no_request_and_changes_no_byte(shipped_run):
    first, second, options, written = shipped_run
    assert first.http.total_requests > 97
    assert second.http.total_requests == 0
    assert second.http.total_cache_hits > 0
    assert {path.name: path.read_bytes() for path in options.out_dir.iterdir()} == written
    assert second.records == load_records(options.out_dir / "mlsys-reading-list.json")


def small_list(tmp: Path, titles: list[str]) -> Path:
    facts = {fact["list_title"]: fact for fact in FACTS}
    lines = [f"- {facts[title]['list_label']} {title}" for title in titles]
    path = tmp / "small.md"
    path.write_text("## Papers\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


PAGED = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
ORCA = "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks"
CLIPPER = "Clipper: A Low-Latency Online Prediction Serving System"


@pytest.fixture
def calm() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


def test_adding_a_paper_costs_only_its_own_requests(calm, tmp_path):
    path = small_list(tmp_path, [PAGED, ORCA])
    run(read_inputs([path]), options_for(calm.url, tmp_path))
    path = small_list(tmp_path, [CLIPPER, PAGED, ORCA])
    added = run(read_inputs([path]), options_for(calm.url, tmp_path))
    lone = tmp_path / "lone"
    lone.mkdir()
    alone = run(read_inputs([small_list(lone, [CLIPPER])]), options_for(calm.url, lone))
    assert added.http.total_requests == alone.http.total_requests > 0
    assert [r.match.status for r in added.records] == ["matched"] * 3


def test_a_paper_removed_from_the_list_leaves_the_outputs(calm, tmp_path):
    options = options_for(calm.url, tmp_path)
    run(read_inputs([small_list(tmp_path, [PAGED, ORCA])]), options)
    run(read_inputs([small_list(tmp_path, [ORCA])]), options)
    records = load_records(options.out_dir / "small.json")
    assert [r.entry.title for r in records] == [ORCA]


def test_offline_with_nothing_cached_writes_nothing_and_exits_3(calm, tmp_path):
    options = options_for(calm.url, tmp_path)
    path = small_list(tmp_path, [PAGED, ORCA])
    run(read_inputs([path]), options)
    before = {p.name: p.read_bytes() for p in options.out_dir.iterdir()}
    cold = options_for(calm.url, tmp_path, offline=True)
    cold = dataclasses.replace(
        cold, http=dataclasses.replace(cold.http, cache_path=tmp_path / "empty.sqlite")
    )
    calm.reset_counts()
    report = run(read_inputs([path]), cold)
    assert sum(calm.requests.values()) == 0
    assert all(r.stale and r.match.status == "matched" for r in report.records)
    assert any("not in the cache" in note for note in report.records[0].match.notes)
    assert report.exit_code == ExitCode.UNREACHABLE
    assert report.lists[0].written == ()
    assert {p.name: p.read_bytes() for p in options.out_dir.iterdir()} == before


def test_offline_with_a_warm_cache_answers_everything(calm, tmp_path):
    path = small_list(tmp_path, [PAGED, ORCA])
    run(read_inputs([path]), options_for(calm.url, tmp_path))
    calm.reset_counts()
    report = run(read_inputs([path]), options_for(calm.url, tmp_path, offline=True))
    assert sum(calm.requests.values()) == 0
    assert [r.match.status for r in report.records] == ["matched", "matched"]
    assert report.exit_code == ExitCode.OK


def test_unreachable_services_keep_the_last_known_good_records(calm, tmp_path):
    options = options_for(calm.url, tmp_path)
    path = small_list(tmp_path, [PAGED, ORCA])
    good = run(read_inputs([path]), options)
    path = small_list(tmp_path, [PAGED, ORCA, CLIPPER])
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens there
    broken = dataclasses.replace(
        options,
        dblp_url=dead,
        s2_url=dead,
        http=dataclasses.replace(options.http, cache_path=tmp_path / "other.sqlite"),
    )
    report = run(read_inputs([path]), broken)
    assert report.exit_code == ExitCode.UNREACHABLE
    assert set(report.service_errors) == {"dblp", "s2"}
    # nothing could be refreshed: the outputs are left exactly as the good run wrote them
    assert report.lists[0].written == ()
    assert load_records(options.out_dir / "small.json") == list(good.records)


def entry(title: str, line: int) -> Entry:
    return Entry(
        title=title, file="l.md", lines=(line,), label="[OSDI '22]", venue="OSDI", year=2022
    )


def test_combine_marks_kept_records_stale_and_never_makes_them_worse(calm, tmp_path):
    path = small_list(tmp_path, [PAGED, ORCA])
    previous = list(run(read_inputs([path]), options_for(calm.url, tmp_path)).records)
    entries = [r.entry for r in previous]
    failed = merge_record(entries[0], no_decision("error", "dblp: HTTP 503"), None)
    worse = merge_record(entries[1], no_decision("unmatched", "nothing close"), None)
    combined = combine(entries, [failed, worse], previous)
    assert [r.stale for r in combined] == [True, True]
    assert [r.doi for r in combined] == [r.doi for r in previous]
    assert "kept from the previous run: this run: dblp: HTTP 503" in combined[0].match.notes
    again = combine(entries, [failed, worse], combined)
    assert sum("kept from the previous run" in n for n in again[0].match.notes) == 1


def test_combine_keeps_previous_records_of_papers_not_looked_up(calm, tmp_path):
    path = small_list(tmp_path, [PAGED, ORCA])
    previous = list(run(read_inputs([path]), options_for(calm.url, tmp_path)).records)
    new = entry("A Paper Never Looked Up", 9)
    combined = combine([*(r.entry for r in previous), new], [], previous)
    assert combined[:2] == previous
    assert combined[2].match.status == "unmatched"
    assert combined[2].match.notes == ("not looked up in this run (--only/--limit)",)


def test_select_entries_by_title_key_and_limit():
    entries = parse_text(
        "- [OSDI '20] Alpha Paper\n- [OSDI '20] Beta Paper\n- [OSDI '20] Gamma Paper\n", "l.md"
    ).entries
    assert [e.title for e in select_entries(entries, ["beta"], None)] == ["Beta Paper"]
    assert [e.title for e in select_entries(entries, [], 2)] == ["Alpha Paper", "Beta Paper"]
    keyed = [dataclasses.replace(entries[0], key="alpha2020")]
    assert select_entries(keyed, ["alpha2020"], None) == keyed
    earlier = {"gamma paper": "doe2020gamma"}  # the key an earlier run gave it
    assert [e.title for e in select_entries(entries, ["doe2020gamma"], None, earlier)] == [
        "Gamma Paper"
    ]


def test_overrides_pin_and_skip_through_the_pipeline(calm, tmp_path):
    options = options_for(calm.url, tmp_path)
    options.overrides.write_text(
        "title,key,dblp_key,doi,s2_id,action\n"
        f"{ORCA},,conf/osdi/YuJKKC22,,,pin\n"
        f"{CLIPPER},,,,,skip\n",
        encoding="utf-8",
    )
    report = run(read_inputs([small_list(tmp_path, [ORCA, CLIPPER, PAGED])]), options)
    orca, clipper, paged = report.records
    assert (orca.match.status, orca.match.decided_by) == ("matched", "override")
    assert orca.ids.dblp == "conf/osdi/YuJKKC22" and orca.provenance["ids.dblp"] == "override"
    assert clipper.match.status == "skipped" and clipper.doi is None
    assert paged.match.decided_by == "dblp"
    assert report.exit_code == ExitCode.OK
    review = (options.out_dir / "small.review.md").read_text("utf-8")
    assert "overrides.csv:2" in review and "overrides.csv:3" in review


def test_a_bad_overrides_row_stops_the_run_before_any_request(calm, tmp_path):
    options = options_for(calm.url, tmp_path)
    options.overrides.write_text(
        "title,key,dblp_key,doi,s2_id,action\nOrca,,,doi:10.1/x,,pin\n", encoding="utf-8"
    )
    calm.reset_counts()
    with pytest.raises(InputError, match=r"overrides.csv:2: "):
        run(read_inputs([small_list(tmp_path, [ORCA])]), options)
    assert sum(calm.requests.values()) == 0


def test_semantic_scholar_alone_resolves_when_dblp_is_down(calm, tmp_path):
    options = dataclasses.replace(options_for(calm.url, tmp_path), dblp_url="http://127.0.0.1:9")
    report = run(read_inputs([small_list(tmp_path, [PAGED, ORCA, CLIPPER])]), options)
    paged, orca, clipper = report.records
    assert [r.match.decided_by for r in report.records] == ["s2", "s2", "s2"]
    assert clipper.ids.s2 is not None and clipper.provenance["ids.s2"] == "s2"
    assert paged.match.status == "matched" and paged.doi == "10.1145/3600006.3613165"
    assert all("DBLP could not be asked" in " ".join(r.match.notes) for r in report.records)
    assert orca.match.status == "matched"  # reworded title, confirmed by venue and year
    assert set(report.service_errors) == {"dblp"}
    assert report.exit_code == ExitCode.UNREACHABLE


def test_an_override_can_name_a_paper_by_the_key_an_earlier_run_gave_it(calm, tmp_path):
    options = options_for(calm.url, tmp_path)
    path = small_list(tmp_path, [PAGED, ORCA])
    first = run(read_inputs([path]), options)
    assert first.records[0].key == "kwon2023efficient"
    options.overrides.write_text(
        "title,key,dblp_key,doi,s2_id,action\n,kwon2023efficient,,,,skip\n", encoding="utf-8"
    )
    second = run(read_inputs([path]), options)
    assert [r.match.status for r in second.records] == ["skipped", "matched"]
    assert second.records[0].key == "kwon2023efficient"


def test_two_lines_naming_one_paper_give_one_entry(calm, tmp_path):
    """The list's reworded Orca title and the published one resolve to one DBLP record."""
    path = tmp_path / "two-orcas.md"
    path.write_text(
        "## Serving\n"
        f"- [OSDI '22] {ORCA}\n"
        "## Again\n"
        "- [OSDI '22] Orca: A Distributed Serving System for Transformer-Based Generative Models\n",
        encoding="utf-8",
    )
    report = run(read_inputs([path]), options_for(calm.url, tmp_path))
    (result,) = report.lists
    assert len(result.records) == 1
    (orca,) = result.records
    assert orca.entry.lines == (2, 4) and orca.entry.sections == ("Serving", "Again")
    assert result.warnings == (
        f"{path}:4: 'Orca: A Distributed Serving System for Transformer-Based Generative "
        "Models' is the same record as line 2 (DBLP conf/osdi/YuJKKC22); one entry with "
        "lines 2, 4",
    )
    library = bibtexparser.parse_string((tmp_path / "out" / "two-orcas.bib").read_text())
    assert [entry.key for entry in library.entries] == [orca.key]


def test_a_limited_run_then_a_full_one_leaves_no_anon_key_on_a_matched_paper(calm, tmp_path):
    path = small_list(tmp_path, [PAGED, ORCA, CLIPPER])
    run(read_inputs([path]), options_for(calm.url, tmp_path, limit=1))
    first = load_records(tmp_path / "out" / "small.json")
    assert [r.key.startswith("anon") for r in first] == [False, True, True]
    report = run(read_inputs([path]), options_for(calm.url, tmp_path))
    assert [r.match.status for r in report.records] == ["matched"] * 3
    assert report.records[0].key == first[0].key
    assert not any(r.key.startswith("anon") for r in report.records)


def test_matched_entries_carry_dblps_export(calm, tmp_path):
    """Clockwork (OSDI '20): booktitle and publisher are real facts of DBLP's export."""
    path = small_list(
        tmp_path, ["Serving DNNs like Clockwork: Performance Predictability from the Bottom Up"]
    )
    report = run(read_inputs([path]), options_for(calm.url, tmp_path))
    (clockwork,) = report.records
    assert clockwork.venue_full == (
        "14th USENIX Symposium on Operating Systems Design and Implementation, OSDI 2020, "
        "Virtual Event, November 4-6, 2020"
    )
    assert (clockwork.publisher, clockwork.pages) == ("USENIX Association", "443-462")
    assert clockwork.provenance["venue_full"] == "dblp"


def test_one_paper_in_two_lists_of_a_run_is_named_in_both(calm, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    a = small_list(first, [PAGED, ORCA]).rename(first / "a.md")
    b = small_list(second, [ORCA]).rename(second / "b.md")
    report = run(read_inputs([a, b]), options_for(calm.url, tmp_path))
    assert report.lists[0].warnings == ()
    (warning,) = report.lists[1].warnings
    assert warning.startswith(
        f"{b}:2: {ORCA!r} is the same record as {a}:3 (DBLP conf/osdi/YuJKKC22"
    )


class ExportsDown(Emulator):
    """DBLP's search answers; its record export fails (503) every time."""

    def answer(self, method: str, path: str, query: dict[str, str], body: object) -> Answer:
        if path.startswith("/rec/"):
            return Answer(503, "<html><title>503 Service Unavailable</title></html>", "text/html")
        return super().answer(method, path, query, body)


def test_a_failed_export_keeps_the_previous_complete_record(calm, tmp_path):
    path = small_list(tmp_path, [CLIPPER])
    run(read_inputs([path]), options_for(calm.url, tmp_path))
    (before,) = load_records(tmp_path / "out" / "small.json")
    assert before.publisher and before.venue_full
    with ExportsDown() as down:
        report = run(read_inputs([path]), options_for(down.url, tmp_path, refresh=True))
    (after,) = report.records
    assert report.exit_code == ExitCode.UNREACHABLE
    assert after.stale and (after.publisher, after.venue_full) == (
        before.publisher,
        before.venue_full,
    )
    assert any("record export could not be fetched" in note for note in after.match.notes)


def test_a_failed_export_still_matches_a_new_paper(tmp_path):
    path = small_list(tmp_path, [CLIPPER])
    with ExportsDown() as down:
        report = run(read_inputs([path]), options_for(down.url, tmp_path))
    (record,) = report.records
    assert record.match.status == "matched" and not record.stale
    assert record.publisher is None and record.entry_type == "inproceedings"


def two_lists(tmp: Path) -> list[Path]:
    """a.md and b.md, one paper each, in folders of their own."""
    paths = []
    for name, title in (("a", PAGED), ("b", ORCA)):
        folder = tmp / name
        folder.mkdir()
        paths.append(small_list(folder, [title]).rename(folder / f"{name}.md"))
    return paths


def test_a_run_writes_every_output_at_its_end_or_none(calm, tmp_path, monkeypatch):
    lists = two_lists(tmp_path)
    options = options_for(calm.url, tmp_path)
    run(read_inputs(lists), options)
    before = {p.name: p.read_bytes() for p in options.out_dir.iterdir()}
    assert sorted(before) == [
        *(
            f"{stem}.{ext}"
            for stem in "ab"
            for ext in ("bib", "csl.json", "csv", "html", "json", "linked.md", "review.md")
        ),
    ]
    writes, real_write = 0, os.write

    def full_on_b_csv(handle: int, data: bytes) -> int:
        nonlocal writes
        writes += 1
        if writes == 8:  # b.csv: a's six outputs and b.bib are staged by then
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(handle, data)

    monkeypatch.setattr(files.os, "write", full_on_b_csv)
    short = options_for(calm.url, tmp_path, booktitle="short")  # every .bib would change
    with pytest.raises(OutputError, match=r"b\.csv: cannot be written \(No space left on device\)"):
        run(read_inputs(lists), short)
    assert {p.name: p.read_bytes() for p in options.out_dir.iterdir()} == before


def test_every_previous_json_is_read_before_the_first_request(calm, tmp_path):
    lists = two_lists(tmp_path)
    options = options_for(calm.url, tmp_path)
    run(read_inputs(lists), options)
    damaged = options.out_dir / "b.json"
    damaged.write_text(damaged.read_text("utf-8").replace('"year": 2022', '"year": "2022"', 1))
    calm.reset_counts()
    with pytest.raises(InputError, match=r'b\.json: record 1 \(key .*\): year is "2022", not an'):
        run(read_inputs(lists), options)
    assert sum(calm.requests.values()) == 0
