"""`enrich index build|info` and `--dblp local|api|auto`, run for real."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index_support import write_small_dump

SHIPPED = Path(__file__).parent.parent / "data" / "raw" / "mlsys-reading-list.md"


def enrich(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "enrich", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **env},
        timeout=300,
    )


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    return write_small_dump(tmp_path_factory.mktemp("dump"), mdate="2099-01-01")


def test_build_then_info_says_what_the_index_holds(dump, tmp_path):
    index = tmp_path / "dblp-index.sqlite"
    built = enrich("index", "build", str(dump), "--dblp-index", str(index))
    assert built.returncode == 0, built.stderr
    assert "built " in built.stderr and "records/s" in built.stderr
    info = enrich("index", "info", "--dblp-index", str(index))
    assert info.returncode == 0, info.stderr
    assert "dump date: 2099-01-01" in info.stdout
    assert (
        "72 inproceedings" in info.stdout
        and "proceedings and books that papers crossref: " in info.stdout
    )


def test_the_index_sits_beside_the_cache_by_default(dump, tmp_path):
    built = enrich("index", "build", str(dump), ENRICH_CACHE=str(tmp_path / "c" / "http.sqlite"))
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "c" / "dblp-index.sqlite").is_file()


def test_build_from_a_url_downloads_the_dump_and_its_dtd(dump, tmp_path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(dump.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/dblp.xml.gz"
        index = tmp_path / "dblp-index.sqlite"
        built = enrich("index", "build", url, "--dblp-index", str(index))
    finally:
        server.shutdown()
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "dblp.xml.gz").read_bytes() == dump.read_bytes()
    assert (tmp_path / "dblp.dtd").is_file()
    info = enrich("index", "info", "--dblp-index", str(index))
    assert f"dump: {url}" in info.stdout


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("index", "info", "--dblp-index", "/nonexistent/i.sqlite"), {},
         "/nonexistent/i.sqlite: no local DBLP index there"),
        (("index", "build", "/nonexistent/dblp.xml.gz"), {}, "/nonexistent/dblp.xml.gz: no such dump"),
        (("resolve", str(SHIPPED), "--dblp", "local", "--dblp-index", "/nonexistent/i.sqlite"),
         {}, "--dblp local: /nonexistent/i.sqlite: no local DBLP index there"),
        (("resolve", str(SHIPPED)), {"ENRICH_DBLP": "sometimes"},
         "ENRICH_DBLP='sometimes' is not one of: auto, local, api"),
        (("resolve", str(SHIPPED)), {"ENRICH_INDEX_MAX_AGE_DAYS": "old"},
         "ENRICH_INDEX_MAX_AGE_DAYS='old' is not a number of days"),
        (("resolve", str(SHIPPED), "--dblp", "never"), {}, "argument --dblp: invalid choice"),
    ],
)  # fmt: skip
def test_bad_settings_are_one_line_naming_them_and_exit_2(args, env, message, tmp_path):
    result = enrich(*args, ENRICH_CACHE=str(tmp_path / "http.sqlite"), **env)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_local_run_with_s2_off_makes_no_request_and_writes_the_outputs(dump, tmp_path):
    index = tmp_path / "dblp-index.sqlite"
    assert enrich("index", "build", str(dump), "--dblp-index", str(index)).returncode == 0
    result = enrich(
        "run", str(SHIPPED), "--no-s2", "--out", str(tmp_path / "out"),
        "--overrides", str(tmp_path / "overrides.csv"), "--cache", str(tmp_path / "http.sqlite"),
        ENRICH_DBLP="local", ENRICH_DBLP_INDEX=str(index),
        ENRICH_DBLP_URL="http://127.0.0.1:9", ENRICH_S2_URL="http://127.0.0.1:9",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # papers the small corpus lacks: unmatched
    assert "DBLP from the local index" in result.stderr
    assert re.search(r"requests\s+none", result.stderr), result.stderr
    assert (tmp_path / "out" / "mlsys-reading-list.bib").is_file()


def test_run_help_names_the_index_options():
    result = enrich("run", "--help")
    for option in ("--dblp", "--dblp-index", "--index-max-age-days", "--no-s2", "ENRICH_DBLP",
                   "ENRICH_DBLP_INDEX", "ENRICH_INDEX_MAX_AGE_DAYS"):  # fmt: skip
        assert option in result.stdout, option


def test_a_damaged_dump_is_one_line_and_leaves_no_index(dump, tmp_path):
    import gzip
    import shutil

    shutil.copy(dump.with_name("dblp.dtd"), tmp_path / "dblp.dtd")
    whole = gzip.decompress(dump.read_bytes())
    broken = tmp_path / "dblp.xml.gz"
    broken.write_bytes(gzip.compress(whole[: len(whole) // 2]))  # cut mid-record
    index = tmp_path / "dblp-index.sqlite"
    built = enrich("index", "build", str(broken), "--dblp-index", str(index))
    assert built.returncode == 2, built.stderr
    assert "not a whole DBLP dump" in built.stderr and "Traceback" not in built.stderr
    assert len(built.stderr.strip().splitlines()) == 1
    assert not index.exists()
