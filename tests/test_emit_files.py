"""Atomic writes: a failed write leaves the old file and no temporary file behind.

Sets of files (a run's outputs), full disks, signals and crashes: test_outputs_atomic.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from enrich.emit import files
from enrich.emit.files import write_atomically
from enrich.errors import OutputError


def test_write_creates_directories_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "enriched" / "list.bib"
    write_atomically(target, b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["list.bib"]


def test_failed_rename_keeps_old_file_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "list.bib"
    target.write_bytes(b"old")

    def failing_replace(source: str, destination: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(OutputError, match=r"list\.bib: cannot be written \(disk full\)"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["list.bib"]


def test_existing_file_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    target.write_bytes(b"old")
    target.chmod(0o664)
    write_atomically(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o664
