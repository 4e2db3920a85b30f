"""Building the index: what it holds, its meta, and an interrupted build never used."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from enrich.sources.dblp.local import IndexUnusable, build_index, read_info
from enrich.sources.dblp.local.build import partial_path
from index_support import small_corpus, write_small_dump


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    return write_small_dump(tmp_path_factory.mktemp("dump"))


def test_the_index_holds_every_record_its_proceedings_and_meta(dump, tmp_path):
    seen = []
    result = build_index(
        dump, tmp_path / "index.sqlite", progress=lambda n, s: seen.append(n), every=10
    )
    corpus = small_corpus()
    info = read_info(result.path)
    assert info.records == result.records == len(corpus.dblp) + info.kinds["proceedings"]
    assert info.proceedings == info.kinds["proceedings"] + info.kinds["book"]
    assert info.proceedings > 0 and info.dump_date == "2026-01-01"
    assert info.kinds["inproceedings"] == 72 and info.kinds["book"] == 1
    assert seen[-1] == result.records and seen[0] == 10
    db = sqlite3.connect(result.path)
    authors, crossref = db.execute(
        "SELECT authors, crossref FROM records WHERE key = 'conf/sosp/KwonLZ0ZY0ZS23'"
    ).fetchone()
    assert '["Bob Example 0001", "ex/conf-sosp-kwonlz0zy0zs23-1"]' in authors
    publisher = db.execute(
        "SELECT publisher FROM proceedings WHERE key = ?", (crossref,)
    ).fetchone()
    assert publisher == ("Example Publisher",)
    assert not partial_path(result.path).exists()


def test_an_interrupted_build_leaves_the_old_index_in_use_and_a_rebuild_completes(
    dump, tmp_path, monkeypatch
):
    path = tmp_path / "index.sqlite"
    build_index(dump, path)
    before = path.read_bytes()

    def stop(count: int, seconds: float) -> None:
        if count >= 50:
            assert partial_path(path).exists()  # the build writes beside, never over, the index
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(dump, path, progress=stop, every=10)
    assert path.read_bytes() == before
    assert not partial_path(path).exists()
    again = build_index(dump, path)
    assert read_info(path).records == again.records


def test_a_partial_file_left_by_a_killed_build_is_never_read_and_is_started_again(dump, tmp_path):
    path = tmp_path / "index.sqlite"
    partial_path(path).write_bytes(b"half an index")
    with pytest.raises(IndexUnusable):
        read_info(path)
    build_index(dump, path)
    assert read_info(path).records > 100


def test_an_index_without_its_complete_mark_is_refused(dump, tmp_path):
    path = tmp_path / "index.sqlite"
    build_index(dump, path)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM meta WHERE name = 'complete'")
    with pytest.raises(IndexUnusable, match="incomplete"):
        read_info(path)
    (tmp_path / "junk.sqlite").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(IndexUnusable, match="not a local DBLP index"):
        read_info(tmp_path / "junk.sqlite")
