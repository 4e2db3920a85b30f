"""Every bad setting is one line naming the variable or flag, exit 2, before any request.

Run in-process through `cli.main` with the services pointed at a server that records every
request, so "before any request" is checked, not assumed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from enrich import cli
from enrich.errors import ExitCode
from enrich.overrides import parse_overrides
from hostile_servers import Request, answer, serving

SHIPPED = Path(__file__).parent.parent / "data" / "raw" / "mlsys-reading-list.md"
LONG_CELL = "x" * (200 * 1024)


def _nothing(request: Request):
    yield from answer(b"{}")


@pytest.fixture
def service():
    with serving(_nothing) as server:
        yield server


BAD_SETTINGS = [
    # (environment, extra arguments, what the line must name)
    ({"ENRICH_DBLP_URL": "not a url"}, [], "ENRICH_DBLP_URL"),
    ({"ENRICH_DBLP_URL": "ftp://x"}, [], "ENRICH_DBLP_URL"),
    ({"ENRICH_DBLP_URL": "file:///etc/passwd"}, [], "ENRICH_DBLP_URL"),
    ({"ENRICH_DBLP_URL": "http://[::1"}, [], "ENRICH_DBLP_URL"),
    ({"ENRICH_DBLP_URL": "http://ann:fixture-secret@"}, [], "ENRICH_DBLP_URL"),
    ({"ENRICH_DBLP_URL": "http://127.0.0.1:99999"}, [], "ENRICH_DBLP_URL"),
    ({"ENRICH_S2_URL": "javascript:alert(1)"}, [], "ENRICH_S2_URL"),
    ({}, ["--dblp-url", "ftp://x"], "--dblp-url"),
    ({}, ["--s2-url", "https://"], "--s2-url"),
    ({}, ["--cache-days", "1000000000"], "--cache-days"),
    ({"ENRICH_CACHE_DAYS": "1000000000"}, [], "ENRICH_CACHE_DAYS"),
    ({"ENRICH_CACHE_DAYS": "-1"}, [], "ENRICH_CACHE_DAYS"),
    ({"ENRICH_READ_TIMEOUT": "inf"}, [], "ENRICH_READ_TIMEOUT"),
    ({"ENRICH_READ_TIMEOUT": "nan"}, [], "ENRICH_READ_TIMEOUT"),
    ({"ENRICH_READ_TIMEOUT": "0"}, [], "ENRICH_READ_TIMEOUT"),
    ({"ENRICH_CONNECT_TIMEOUT": "-1"}, [], "ENRICH_CONNECT_TIMEOUT"),
    ({"ENRICH_DEADLINE": "1e9"}, [], "ENRICH_DEADLINE"),
    ({"ENRICH_MAX_ANSWER_MB": "0"}, [], "ENRICH_MAX_ANSWER_MB"),
    ({"ENRICH_MAX_ANSWER_MB": "inf"}, [], "ENRICH_MAX_ANSWER_MB"),
    ({"ENRICH_HTTP_ATTEMPTS": "1000"}, [], "ENRICH_HTTP_ATTEMPTS"),
    ({"ENRICH_HTTP_ATTEMPTS": "many"}, [], "ENRICH_HTTP_ATTEMPTS"),
    ({"ENRICH_RATE_DBLP": "inf"}, [], "ENRICH_RATE_DBLP"),
    ({"ENRICH_RATE_S2": "-2"}, [], "ENRICH_RATE_S2"),
    ({"S2_API_KEY": "ключ"}, [], "S2_API_KEY"),
    ({"S2_API_KEY": "fixture\nkey"}, [], "S2_API_KEY"),
    ({"S2_API_KEY": "fixture key"}, [], "S2_API_KEY"),
    ({"ENRICH_MAILTO": "ann@example.org\r\nX-Injected: 1"}, [], "ENRICH_MAILTO"),
    ({"ENRICH_OFFLINE": "maybe"}, [], "ENRICH_OFFLINE"),
    ({"ENRICH_BOOKTITLE": "longest"}, [], "ENRICH_BOOKTITLE"),
    ({}, ["--jobs", "1000"], "--jobs"),
    ({}, ["--jobs", "0"], "--jobs"),
    ({}, ["--limit", "ten"], "--limit"),
    ({"ENRICH_CACHE_BACKEND": "gopher://x"}, [], "gopher://x"),
    ({"ENRICH_DBLP": "somewhere"}, [], "ENRICH_DBLP"),
    ({"ENRICH_INDEX_MAX_AGE_DAYS": "old"}, [], "ENRICH_INDEX_MAX_AGE_DAYS"),
]


@pytest.mark.parametrize(("environ", "arguments", "named"), BAD_SETTINGS)
def test_a_bad_setting_is_one_line_and_exit_2_before_any_request(
    environ: dict[str, str],
    arguments: list[str],
    named: str,
    service,
    tmp_path: Path,
    monkeypatch,
    capsys,
) -> None:
    monkeypatch.setenv("ENRICH_DBLP_URL", service.url)
    monkeypatch.setenv("ENRICH_S2_URL", service.url)
    monkeypatch.delenv("S2_API_KEY", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "out"
    argv = ["run", str(SHIPPED), "--out", str(out), "--cache", str(tmp_path / "c.sqlite")]
    try:
        code = cli.main([*argv, *arguments])
    except SystemExit as exit:  # argparse's way out, with its one line
        code = exit.code
    stderr = capsys.readouterr().err
    assert code == ExitCode.BAD_INPUT, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert named in lines[0]
    assert "fixture-secret" not in stderr and "Traceback" not in stderr
    assert service.requests == []
    assert not out.exists()


@pytest.fixture
def csv_default_limit():
    """csv's own 128 KiB cell limit, whatever ran before: it is process-wide."""
    previous = csv.field_size_limit(131072)
    yield
    csv.field_size_limit(previous)


def test_an_overrides_cell_over_128_kib_is_read(csv_default_limit) -> None:
    text = f"title,action\n{LONG_CELL},skip\n"
    (override,) = parse_overrides(text, "overrides.csv")
    assert override.action == "skip"


def test_an_overrides_cell_past_any_limit_is_one_line_naming_the_file(
    tmp_path: Path, service, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("ENRICH_DBLP_URL", service.url)
    monkeypatch.setenv("ENRICH_S2_URL", service.url)
    reading_list = tmp_path / "list.md"
    reading_list.write_text("- [SOSP '23] Efficient Memory Management\n", encoding="utf-8")
    overrides = tmp_path / "overrides.csv"
    overrides.write_text('title,action\n"Some Title,skip\n' + "x" * 17 * 2**20, encoding="utf-8")
    argv = ["run", str(reading_list), "--out", str(tmp_path / "out")]
    code = cli.main([*argv, "--overrides", str(overrides), "--cache", str(tmp_path / "c.sqlite")])
    stderr = capsys.readouterr().err
    assert code == ExitCode.BAD_INPUT, stderr
    assert len(stderr.splitlines()) == 1 and "overrides.csv:" in stderr, stderr
    assert "field larger than field limit" in stderr
    assert service.requests == []


def test_credentials_in_a_base_url_are_never_printed(tmp_path: Path, monkeypatch, capsys) -> None:
    from hostile_servers import SilentServer

    reading_list = tmp_path / "list.md"
    reading_list.write_text("- [SOSP '23] Efficient Memory Management\n", encoding="utf-8")
    with SilentServer() as silent:
        with_password = silent.url.replace("http://", "http://ann:fixture-secret@")
        monkeypatch.setenv("ENRICH_DBLP_URL", with_password)
        monkeypatch.setenv("ENRICH_S2_URL", with_password)
        monkeypatch.setenv("ENRICH_READ_TIMEOUT", "0.2")
        monkeypatch.setenv("ENRICH_HTTP_ATTEMPTS", "1")
        argv = ["run", str(reading_list), "--out", str(tmp_path / "out"), "--verbose"]
        code = cli.main([*argv, "--cache", str(tmp_path / "c.sqlite")])
    captured = capsys.readouterr()
    assert code == ExitCode.UNREACHABLE, captured.err
    assert "DBLP failed: no answer within the read timeout" in captured.err
    assert "fixture-secret" not in captured.err + captured.out
    assert "ann:" not in captured.err + captured.out
