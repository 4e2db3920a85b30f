"""The command line, run for real: bad input is one clear line and exit code 2."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from enrich.readinglist import MAX_INPUT_BYTES

SHIPPED = Path(__file__).parent.parent / "data" / "raw" / "mlsys-reading-list.md"


def run_enrich(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "enrich", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
    )


def make_bad_input(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "list.md"
    if kind == "missing":
        return tmp_path / "missing.md"
    if kind == "directory":
        return tmp_path
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank":
        path.write_bytes(b"\n  \n\t\n")
    elif kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    elif kind == "latin-1":
        path.write_bytes("- [OSDI '20] fine\n- [OSDI '20] Caf\u00e9\n".encode("latin-1"))
    elif kind == "huge":
        line = b"- [OSDI '20] A paper title that is long enough to fill the file quickly\n"
        path.write_bytes(line * (5 * 1024 * 1024 // len(line)))
    elif kind == "no papers":
        path.write_text("# Just a heading\n\nSome prose, no list.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("missing", "missing.md: no such file"),
        ("directory", ": is a directory, not a reading list file"),
        ("empty", "list.md: is empty"),
        ("blank", "list.md: is empty"),
        ("binary", "list.md: is a binary file, not a text reading list"),
        ("latin-1", "list.md:2: is not valid UTF-8 (byte 0xe9); save it as UTF-8"),
        ("huge", f"list.md: is 5.0 MB; a reading list larger than {MAX_INPUT_BYTES // 1048576} MB"),
        ("no papers", "list.md: no papers found (read as markdown)"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path, kind, message):
    result = run_enrich("parse", str(make_bad_input(tmp_path, kind)))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("enrich: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_parse_json_on_the_shipped_list():
    result = run_enrich("parse", str(SHIPPED), "--json")
    assert result.returncode == 0
    papers = json.loads(result.stdout)
    assert len(papers) == 97
    first = papers[0]
    assert first == {
        "title": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
        "sections": ["Generative & LLMs"],
        "label": "[SOSP '23]",
        "venue": "SOSP",
        "year": 2023,
        "file": str(SHIPPED),
        "lines": [25],
        "url": None,
        "key": None,
        "authors": [],
    }
    assert "warning: " in result.stderr and ":110: same paper as line 61" in result.stderr


def test_parse_table_shows_titles_and_counts():
    result = run_enrich("parse", str(SHIPPED))
    assert result.returncode == 0
    assert "PagedAttention" in result.stdout
    assert "98 list items, 97 distinct papers, 12 sections, 1 warnings, 0 skipped" in result.stdout


def test_items_that_are_not_papers_are_said_and_strict_fails_on_them(tmp_path):
    path = tmp_path / "list.md"
    path.write_text(
        "# List\n\n- [Contents](#list)\n"
        "- [OSDI 2018] TVM: An Automated End-to-End Optimizing Compiler for Deep Learning\n"
        "- [vllm](https://github.com/vllm-project/vllm)\n",
        encoding="utf-8",
    )
    result = run_enrich("parse", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"note: {path}:3: skipped (a table-of-contents link): '[Contents](#list)'",
        f"note: {path}:5: skipped (a link to code, not to a paper): "
        "'[vllm](https://github.com/vllm-project/vllm)'",
        f"note: {path}: 2 items skipped, not papers (1 a table-of-contents link, "
        "1 a link to code, not to a paper)",
    ]
    assert "1 distinct papers, 1 sections, 0 warnings, 2 skipped" in result.stdout
    strict = run_enrich("parse", str(path), "--strict")
    assert strict.returncode == 2 and "skipped items in the input and --strict" in strict.stderr


def test_strict_turns_a_warning_into_exit_2():
    result = run_enrich("parse", str(SHIPPED), "--strict", "--json")
    assert result.returncode == 2
    assert "--strict" in result.stderr


def test_format_option_forces_a_format(tmp_path):
    path = tmp_path / "list.md"
    path.write_text("title\nForced CSV Paper\n", encoding="utf-8")
    result = run_enrich("parse", str(path), "--format", "csv", "--json")
    assert result.returncode == 0, result.stderr
    assert [paper["title"] for paper in json.loads(result.stdout)] == ["Forced CSV Paper"]


def test_unknown_format_is_an_argument_error(tmp_path):
    result = run_enrich("parse", str(SHIPPED), "--format", "docx")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


@pytest.fixture(scope="module")
def emulator():
    from enrich.emulator import Emulator

    with Emulator() as running:
        yield running


def enrich_against(
    emulator, tmp_path: Path, *args: str, **extra_env: str
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of `enrich ARGS` against the emulator, writing
    into tmp_path/out with its own cache."""
    env = {
        **os.environ,
        **extra_env,
        "ENRICH_DBLP_URL": emulator.url,
        "ENRICH_S2_URL": emulator.url,
        "ENRICH_RATE_DBLP": "200",
        "ENRICH_RATE_S2": "200",
        "ENRICH_CACHE": str(tmp_path / "cache.sqlite"),
    }
    command = [sys.executable, "-m", "enrich", *args, "--out", str(tmp_path / "out")]
    command += ["--overrides", str(tmp_path / "overrides.csv")]
    return command, env


def run_against(
    emulator, tmp_path: Path, *args: str, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    command, env = enrich_against(emulator, tmp_path, *args, **extra_env)
    return subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300
    )


def test_run_help_lists_every_option_and_its_environment_variable():
    result = run_enrich("run", "--help")
    for option in ("--offline", "--refresh", "--only", "--limit", "--strict", "--jobs", "--quiet",
                   "--verbose", "--cache", "--cache-days", "--cache-backend", "--dblp-url",
                   "--s2-url", "--abstracts", "--out", "--format", "--overrides"):  # fmt: skip
        assert option in result.stdout, option
    for variable in ("S2_API_KEY", "ENRICH_CACHE", "ENRICH_DBLP_URL", "ENRICH_S2_URL",
                     "ENRICH_OFFLINE", "ENRICH_MAILTO"):  # fmt: skip
        assert variable in result.stdout, variable
    assert "exit codes:" in result.stdout


def test_run_only_one_paper_matches_and_exits_0(emulator, tmp_path):
    result = run_against(emulator, tmp_path, "run", str(SHIPPED), "--only", "PagedAttention")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"matched\s+1\b", result.stderr)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "mlsys-reading-list.bib",
        "mlsys-reading-list.csl.json",
        "mlsys-reading-list.csv",
        "mlsys-reading-list.html",
        "mlsys-reading-list.json",
        "mlsys-reading-list.linked.md",
        "mlsys-reading-list.review.md",
    ]
    bib = (out / "mlsys-reading-list.bib").read_text("utf-8")
    assert "kwon2023efficient" in bib and "10.1145/3600006.3613165" in bib


def test_run_with_unmatched_papers_exits_1_and_resolve_writes_nothing(emulator, tmp_path):
    result = run_against(emulator, tmp_path, "resolve", str(SHIPPED), "--limit", "60", "-q")
    assert result.returncode == 1, result.stderr
    assert not (tmp_path / "out").exists()
    assert "unmatched" in result.stdout and "PagedAttention" in result.stdout


def test_offline_on_a_cold_cache_exits_3_with_one_message_and_writes_nothing(emulator, tmp_path):
    result = run_against(emulator, tmp_path, "run", str(SHIPPED), "--offline", "--limit", "5")
    assert result.returncode == 3
    assert not (tmp_path / "out").exists()
    assert "outputs left as they were" in result.stderr
    assert "Traceback" not in result.stderr


def test_emit_rewrites_the_outputs_from_the_json_without_network(emulator, tmp_path):
    assert run_against(emulator, tmp_path, "run", str(SHIPPED), "--only", "Orca").returncode == 0
    bib = tmp_path / "out" / "mlsys-reading-list.bib"
    before = bib.read_bytes()
    bib.unlink()
    result = run_against(emulator, tmp_path, "emit", str(SHIPPED))
    assert result.returncode == 1, result.stderr
    assert bib.read_bytes() == before


def test_verbose_logs_every_request_but_never_the_api_key(emulator, tmp_path):
    key = "fixture-secret-key-0123456789"
    result = run_against(
        emulator, tmp_path, "run", str(SHIPPED), "--only", "Clipper", "-v", S2_API_KEY=key
    )
    assert result.returncode == 0, result.stderr
    assert "dblp GET http://127.0.0.1" in result.stderr
    assert "s2 POST http://127.0.0.1" in result.stderr
    assert key not in result.stderr and key not in result.stdout
    for path in (tmp_path / "out").iterdir():
        assert key not in path.read_text("utf-8-sig")
    assert key.encode() not in (tmp_path / "cache.sqlite").read_bytes()


def test_emit_without_a_previous_run_is_one_clear_error(tmp_path):
    result = run_enrich("emit", str(SHIPPED), "--out", str(tmp_path / "none"))
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "mlsys-reading-list.json: not there yet: run `enrich run` first"
    )


def test_booktitle_short_then_emit_full_from_the_environment(emulator, tmp_path):
    """Clockwork's OSDI '20 proceedings title is a real fact of DBLP's export."""
    result = run_against(
        emulator, tmp_path, "run", str(SHIPPED), "--only", "Clockwork", "--booktitle", "short"
    )
    assert result.returncode == 0, result.stderr
    bib = tmp_path / "out" / "mlsys-reading-list.bib"
    assert "booktitle = {OSDI '20}" in bib.read_text("utf-8")
    result = run_against(emulator, tmp_path, "emit", str(SHIPPED), ENRICH_BOOKTITLE="full")
    assert result.returncode == 1, result.stderr  # the papers not looked up are unmatched
    assert (
        "booktitle = {14th USENIX Symposium on Operating Systems Design and Implementation, "
        "OSDI 2020, Virtual Event, November 4-6, 2020}" in bib.read_text("utf-8")
    )


def test_a_bad_booktitle_setting_is_one_line_and_exit_2(emulator, tmp_path):
    result = run_against(emulator, tmp_path, "run", str(SHIPPED), ENRICH_BOOKTITLE="medium")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "enrich: error: ENRICH_BOOKTITLE='medium' is not one of: full, short"
    ]
    assert not (tmp_path / "out").exists()


def test_two_lists_with_one_file_name_are_refused_before_any_lookup(emulator, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "list.md").write_text(f"- [SOSP '23] {folder} paper\n", "utf-8")
    first, second = tmp_path / "a" / "list.md", tmp_path / "b" / "list.md"
    before = emulator.per_service()
    result = run_against(emulator, tmp_path, "run", str(first), str(second))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"enrich: error: {second}: its outputs would replace those of {first} "
        f"({tmp_path / 'out' / 'list'}.*); give the lists different file names or run them "
        "with different --out"
    ]
    assert emulator.per_service() == before
    assert not (tmp_path / "out").exists()


SMALL_LIST = (
    "## Serving\n"
    "- [SOSP '23] Efficient Memory Management for Large Language Model Serving with PagedAttention\n"
    "- [OSDI '20] Serving DNNs like Clockwork: Performance Predictability from the Bottom Up\n"
    "- [NSDI '17] Clipper: A Low-Latency Online Prediction Serving System\n"
)


@pytest.fixture(scope="module")
def previous_run(emulator, tmp_path_factory) -> tuple[Path, Path]:
    """A three-paper list (no warnings about it) and the outputs a run wrote for it."""
    tmp = tmp_path_factory.mktemp("previous")
    listed = tmp / "small.md"
    listed.write_text(SMALL_LIST, encoding="utf-8")
    result = run_against(emulator, tmp, "run", str(listed), "-q")
    assert result.returncode == 0, result.stderr
    return listed, tmp / "out"


def outputs_of(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder, temporary files included."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def with_previous_outputs(previous_run, tmp_path: Path) -> tuple[Path, Path]:
    listed, out = previous_run
    shutil.copytree(out, tmp_path / "out")
    return listed, tmp_path / "out"


def edited(change):
    """A damage done to the parsed JSON, as a person editing the file would do it."""

    def damage(text: str) -> str:
        document = json.loads(text)
        change(document)
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    return damage


def _drop(field: str):
    return lambda document: document["records"][0].pop(field)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (edited(lambda d: d["records"][0].update(key=123)), "record 1: key is 123, not a non-empty string"),
        (edited(lambda d: d["records"][1].update(year="20x3")), "): year is \"20x3\", not an integer or null"),
        (edited(lambda d: d["records"][0]["authors"][0].update(name=None)), "): authors[0].name is null, not a string"),
        (edited(lambda d: d["records"][2]["match"].update(status="matchd")), "): match.status is \"matchd\", not one of matched, ambiguous,"),
        (edited(lambda d: d["records"][0].update(stale="no")), "): stale is \"no\", not true or false"),
        (edited(lambda d: d["records"].__setitem__(2, "Clipper")), "record 3 is \"Clipper\", not an object"),
        (edited(_drop("match")), "): match is missing"),
        (edited(lambda d: d.pop("records")), ": records is missing"),
        (lambda text: text.replace('"stale": false', '"stale": false,', 1), ": is not valid JSON (Expecting property name"),
        (lambda text: text[: len(text) // 2], ": is not valid JSON ("),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["run", "emit"])
def test_a_damaged_previous_json_is_one_line_and_exit_2_before_any_request(
    emulator, previous_run, tmp_path, command, damage, message
):
    listed, out = with_previous_outputs(previous_run, tmp_path)
    data = out / "small.json"
    data.write_text(damage(data.read_text("utf-8")), encoding="utf-8")
    before = outputs_of(out)
    emulator.reset_counts()
    result = run_against(emulator, tmp_path, command, str(listed))
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"enrich: error: {data}")
    assert message in line
    assert line.endswith("; fix or remove the file")
    assert "Traceback" not in result.stderr
    assert sum(emulator.requests.values()) == 0
    assert outputs_of(out) == before


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda out: out.write_bytes(b""), "{out}: is a file, not a folder"),
        (lambda out: (out / "small.bib").mkdir(parents=True), "{out}/small.bib: is a folder; enrich writes a file of that name there"),
        (lambda out: (out / "small.review.md").mkdir(parents=True), "{out}/small.review.md: is a folder; enrich writes a file of that name there"),
    ],
)  # fmt: skip
def test_an_output_folder_that_cannot_take_the_outputs_fails_before_any_request(
    emulator, previous_run, tmp_path, make, message
):
    listed, _ = previous_run
    out = tmp_path / "out"
    make(out)
    emulator.reset_counts()
    result = run_against(emulator, tmp_path, "run", str(listed))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"enrich: error: {message.format(out=out)}"]
    assert sum(emulator.requests.values()) == 0


@pytest.fixture(scope="module")
def slow_emulator():
    from enrich.emulator import Emulator, Faults

    with Emulator(faults=Faults(latency=0.4)) as running:
        yield running


@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [(signal.SIGTERM, 143, "enrich: terminated"), (signal.SIGINT, 130, "enrich: interrupted")],
)
def test_a_signal_stops_a_run_with_one_line_and_leaves_the_outputs_whole(
    slow_emulator, previous_run, tmp_path, signum, code, line
):
    if signal.getsignal(signum) is signal.SIG_IGN:
        pytest.skip(f"{signal.Signals(signum).name} is ignored here, and so in enrich too")
    listed, out = with_previous_outputs(previous_run, tmp_path)
    before = outputs_of(out)
    slow_emulator.reset_counts()
    command, env = enrich_against(slow_emulator, tmp_path, "run", str(listed), "-q", "--jobs", "1")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        deadline = time.monotonic() + 60
        while not slow_emulator.requests and time.monotonic() < deadline:
            time.sleep(0.05)  # lookups have begun: enrich is past its start-up
        assert slow_emulator.requests, "enrich never asked the emulator"
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == code, stderr
    assert stderr.splitlines() == [line]
    assert stdout == ""
    assert outputs_of(out) == before  # nothing half-written, no temporary file


def test_review_help_names_its_options():
    result = run_enrich("review", "--help")
    assert result.returncode == 0
    for option in ("--out", "--overrides", "--init", "--format", "INPUT"):
        assert option in result.stdout, option
    assert "review" in run_enrich("--help").stdout
