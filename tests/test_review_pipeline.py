"""The review through the pipeline, against the emulator: one report per list, and fixes
that settle the paper when pasted as they are."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest

from enrich.emulator import Emulator
from enrich.errors import ExitCode
from enrich.match import PIN_NOT_FOUND
from enrich.overrides import HEADER
from enrich.pipeline import emit_again, read_inputs, run
from enrich.review.escape import escape_md
from test_pipeline import ORCA, PAGED, options_for

POLLUX_SHORT = "Pollux: Co-adaptive Cluster Scheduling"
"""Pollux (OSDI '21) under the first half of its title: too far from the record to match."""
POLLUX_KEY = "conf/osdi/QiaoCSNH0GX21"
REEF_NAMED = "REEF: GPU kernel preemption for DNN inference"
"""The OSDI '22 paper whose system is REEF, named as a person might: no search finds it."""
REEF_KEY = "conf/osdi/ExampleHan22"


@pytest.fixture
def calm() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


def write_list(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("## Papers\n" + "\n".join(f"- {line}" for line in lines) + "\n", "utf-8")
    return path


def csv_blocks(text: str) -> list[list[str]]:
    """The lines of each ```csv block of a report, in order."""
    return [
        block.strip().splitlines()
        for block in re.findall(r"^ *```csv\n(.*?)^ *```$", text, re.MULTILINE | re.DOTALL)
    ]


def paper_block(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find("\n### ", start)
    return text[start : end if end != -1 else len(text)]


def test_the_shipped_lists_review_is_ordered_short_and_names_its_merge(shipped_outputs) -> None:
    out = shipped_outputs.bib.parent
    assert not (out / "review.md").exists()
    text = (out / "mlsys-reading-list.review.md").read_text("utf-8")
    assert re.findall(r"^## (.*)$", text, re.MULTILINE) == [
        "Matched with notes (3)",
        "Ambiguous (0)",
        "Not matched (46)",
        "Merged lines (1)",
        "Overrides used (0)",
    ]
    noted = re.findall(r"^- list: .*mlsys-reading-list\.md:(\d+);", text, re.MULTILINE)
    assert noted == ["31", "35", "40"]  # Orca, Paella, REEF: reworded titles, list order
    assert text.count("| unmatched |") == 46
    assert "mlsys-reading-list.md:110: same paper as line 61 ('A Generic Communication" in text
    assert len(text.splitlines()) < 250


def test_each_list_has_its_own_review(calm: Emulator, tmp_path: Path) -> None:
    a = write_list(tmp_path, "a.md", [f"[SOSP '23] {PAGED}", f"[OSDI '21] {POLLUX_SHORT}"])
    b = write_list(tmp_path, "b.md", [f"[OSDI '22] {ORCA}", f"[OSDI '22] {ORCA}"])
    options = options_for(calm.url, tmp_path)
    report = run(read_inputs([a, b]), options)
    out = options.out_dir
    assert report.reviews == (out / "a.review.md", out / "b.review.md")
    assert report.review == out / "*.review.md"
    assert [result.written[-1] for result in report.lists] == list(report.reviews)
    first, second = (path.read_text("utf-8") for path in report.reviews)
    assert first.startswith(f"# Review of {escape_md(str(a))}\n") and POLLUX_SHORT in first
    assert ORCA not in first and POLLUX_SHORT not in second
    assert (
        "## Merged lines (1)" in second and f"{escape_md(str(b))}:3: same paper as line 2" in second
    )
    again = emit_again(read_inputs([a, b]), options)
    assert again.reviews == report.reviews
    assert [path.read_text("utf-8") for path in again.reviews] == [first, second]


def test_a_pasted_line_with_the_suggested_header_settles_the_paper(
    calm: Emulator, tmp_path: Path
) -> None:
    """The review's own words, followed to the letter on a fresh clone (no overrides file)."""
    path = write_list(
        tmp_path,
        "list.md",
        [f"[OSDI '21] {POLLUX_SHORT}", "[OSDI '22] Orca: A Distributed Serving System for "
         "Transformer-Based Language Generation Tasks", "[OSDI '18] An Example Paper Nobody Wrote"],
    )  # fmt: skip
    options = options_for(calm.url, tmp_path)
    assert not options.overrides.exists()
    first = run(read_inputs([path]), options)
    assert [r.match.status for r in first.records] == ["unmatched", "matched", "unmatched"]
    text = (options.out_dir / "list.review.md").read_text("utf-8")
    assert "does not exist yet: start it with this header line" in text
    header, *papers = csv_blocks(text)
    assert header == [HEADER]
    orca_confirm, pollux_lines, skips = papers
    assert pollux_lines[0] == f"{POLLUX_SHORT},,{POLLUX_KEY},,,pin"
    pasted = [*header, orca_confirm[0], pollux_lines[0], skips[0]]
    options.overrides.write_text("\n".join(pasted) + "\n", encoding="utf-8")
    second = run(read_inputs([path]), options)
    pollux, orca, nobody = second.records
    assert (pollux.match.status, pollux.match.decided_by) == ("matched", "override")
    assert pollux.ids.dblp == POLLUX_KEY and pollux.venue == "OSDI" and pollux.year == 2021
    assert (orca.match.decided_by, orca.ids.dblp) == ("override", "conf/osdi/YuJKKC22")
    assert nobody.match.status == "skipped"
    assert second.exit_code == ExitCode.OK
    settled = (options.out_dir / "list.review.md").read_text("utf-8")
    assert "## Matched with notes (0)" in settled and "## Not matched (0)" in settled
    assert "## Overrides used (3)" in settled and "does not exist yet" not in settled


def test_a_pin_no_search_returned_gives_a_complete_entry(calm: Emulator, tmp_path: Path) -> None:
    """Pinned by DBLP key, the paper gets DBLP's record export: @inproceedings, booktitle."""
    path = write_list(tmp_path, "list.md", [f"[OSDI '22] {REEF_NAMED}"])
    options = options_for(calm.url, tmp_path)
    (unmatched,) = run(read_inputs([path]), options).records
    assert (unmatched.match.status, unmatched.match.alternatives) == ("unmatched", ())
    options.overrides.write_text(f"{HEADER}\n{REEF_NAMED},,{REEF_KEY},,,pin\n", encoding="utf-8")
    (pinned,) = run(read_inputs([path]), options).records
    assert (pinned.match.status, pinned.match.decided_by) == ("matched", "override")
    assert PIN_NOT_FOUND not in pinned.match.notes
    assert (
        pinned.title == "Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences"
    )
    assert pinned.entry_type == "inproceedings" and pinned.venue_full
    assert pinned.provenance["venue_full"] == "dblp"
    (entry,) = bibtexparser.parse_file(str(options.out_dir / "list.bib")).entries
    assert entry.entry_type == "inproceedings"
    assert entry.fields_dict["booktitle"].value == pinned.venue_full
    assert entry.fields_dict["year"].value == "2022"
    assert "author" in entry.fields_dict
