"""`enrich review` on a real pseudo-terminal (pexpect): a key press pins, skips or leaves a
paper, the overrides file gets the rows, and the next run honours them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from enrich.emulator import Emulator
from enrich.overrides import HEADER
from enrich.pipeline import read_inputs, run
from enrich.review.escape import escape_md
from test_pipeline import options_for

ENRICH = Path(sys.executable).with_name("enrich")
ORCA_LIST = "Orca: A Distributed Serving System for Transformer-Based Language Generation Tasks"
PAELLA_LIST = "Paella: Low-latency Model Serving with Virtualized GPU Scheduling"
POLLUX_SHORT = "Pollux: Co-adaptive Cluster Scheduling"
TVM = "TVM: An Automated End-to-End Optimizing Compiler for Deep Learning"
LIST = (
    "## Papers\n"
    f"- [OSDI '22] {ORCA_LIST}\n"
    f"- [SOSP '23] {PAELLA_LIST}\n"
    f"- [OSDI '21] {POLLUX_SHORT}\n"
    f"- [OSDI '18] {TVM}\n"
)
"""Two matches with notes (reworded titles), an unmatched paper with candidates (Pollux by
half its title) and one the emulator's corpus does not hold (TVM)."""
PROMPT = r"quit > "


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as running:
        yield running


@pytest.fixture(scope="module")
def previous(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the list and the outputs of one run over it (no overrides file)."""
    tmp = tmp_path_factory.mktemp("previous")
    (tmp / "list.md").write_text(LIST, encoding="utf-8")
    run(read_inputs([tmp / "list.md"]), options_for(emulator.url, tmp))
    return tmp


@pytest.fixture
def folder(previous: Path, tmp_path: Path) -> Path:
    """A copy of the previous run's folder, for one test to change."""
    shutil.copytree(previous, tmp_path, dirs_exist_ok=True)
    return tmp_path


def review_args(folder: Path, *extra: str) -> list[str]:
    return ["review", str(folder / "list.md"), "--out", str(folder / "out"),
            "--overrides", str(folder / "overrides.csv"), *extra]  # fmt: skip


def session(folder: Path, keys: list[str]) -> str:
    """Run `enrich review` on a pseudo-terminal, pressing one key at each prompt."""
    child = pexpect.spawn(
        str(ENRICH), review_args(folder), encoding="utf-8", timeout=30, dimensions=(50, 200)
    )
    shown = []
    for key in keys:
        child.expect(PROMPT)
        shown.append(child.before)
        child.send(key)
    child.expect(pexpect.EOF)
    shown.append(child.before)
    child.close()
    assert child.exitstatus == 0, "".join(shown)
    return "".join(shown)


def test_pin_skip_and_leave_write_the_rows_and_the_next_run_honours_them(
    folder: Path, emulator: Emulator
) -> None:
    shown = session(folder, ["l", "\r", "1", "s"])
    assert "4 papers to settle" in shown
    assert "[1/4] Matched with notes" in shown and "[4/4] Not matched" in shown
    assert "conf/osdi/QiaoCSNH0GX21" in shown and "https://dblp.org/search?q=TVM" in shown
    assert "2 rows added to" in shown
    overrides = folder / "overrides.csv"
    assert overrides.read_text("utf-8").splitlines() == [
        HEADER,
        f"{POLLUX_SHORT},,conf/osdi/QiaoCSNH0GX21,,,pin",
        f"{TVM},,,,,skip",
    ]
    emulator.reset_counts()
    report = run(read_inputs([folder / "list.md"]), options_for(emulator.url, folder))
    orca, paella, pollux, tvm = report.records
    assert (orca.match.decided_by, paella.match.decided_by) == ("dblp", "dblp")  # left
    assert (pollux.match.status, pollux.match.decided_by) == ("matched", "override")
    assert pollux.ids.dblp == "conf/osdi/QiaoCSNH0GX21" and pollux.year == 2021
    assert tvm.match.status == "skipped"


def test_p_pins_the_first_record_and_q_keeps_what_was_decided(folder: Path) -> None:
    overrides = folder / "overrides.csv"
    kept = f"{HEADER}\r\nAn Example Paper Nobody Wrote,,,,,skip\r\n"
    overrides.write_bytes(kept.encode("utf-8"))
    shown = session(folder, ["x", "p", "q"])
    assert "x: not a choice here" in shown
    assert "the record chosen" in shown  # a match with notes offers its own record first
    assert overrides.read_bytes().decode("utf-8") == (
        f"{kept}{ORCA_LIST},,conf/osdi/YuJKKC22,,,pin\r\n"  # the file's CRLF kept
    )
    again = session(folder, ["q"])  # a paper with a row is not asked about again
    assert "3 papers to settle" in again and "[1/3] Matched with notes" in again
    assert ORCA_LIST not in again


def test_the_terminal_shows_the_differing_words(folder: Path) -> None:
    shown = session(folder, ["q"])
    assert "Transformer-Based [-Language Generation Tasks-]" in shown
    assert "Transformer-Based {+Generative Models+} (OSDI 2022)" in shown


def test_without_a_terminal_it_prints_the_review_report(folder: Path, previous: Path) -> None:
    result = subprocess.run(
        [str(ENRICH), *review_args(folder)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    written = (folder / "out" / "list.review.md").read_text("utf-8")
    moved = written.replace(escape_md(str(previous)), escape_md(str(folder)))
    assert result.stdout == moved  # the report the run wrote (for the list's copy here)
    assert "## Matched with notes (2)" in result.stdout
    assert not (folder / "overrides.csv").exists()


def test_init_writes_the_header_and_refuses_to_overwrite(folder: Path) -> None:
    first = subprocess.run(
        [str(ENRICH), *review_args(folder, "--init")], capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0, first.stderr
    assert (folder / "overrides.csv").read_text("utf-8") == HEADER + "\n"
    (folder / "overrides.csv").write_text(f"{HEADER}\n{TVM},,,,,skip\n", encoding="utf-8")
    second = subprocess.run(
        [str(ENRICH), *review_args(folder, "--init")], capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 2
    assert second.stderr.splitlines() == [
        f"enrich: error: {folder / 'overrides.csv'}: already exists; its rows are kept as they are"
    ]
    assert (folder / "overrides.csv").read_text("utf-8") == f"{HEADER}\n{TVM},,,,,skip\n"


def test_review_before_any_run_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    result = subprocess.run(
        [str(ENRICH), *review_args(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"enrich: error: {tmp_path / 'out' / 'list.json'}: not there yet: run `enrich run` first"
    )
