"""A run's outputs are one set: after a failure, a full disk, a signal or a crash between two
renames, the folder holds the whole old set or the whole new one, and no temporary file."""

from __future__ import annotations

import errno
import logging
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from emit_support import fact_records, mixed_records
from enrich import cli
from enrich.emit import files, write_outputs
from enrich.emit.files import JOURNAL_NAME, prepare_folder, recover, write_files
from enrich.errors import Interrupted, OutputError
from enrich.pipeline import RunOptions, emit_again, read_inputs

NAMES = ("list.bib", "list.csv", "list.json", "list.csl.json", "list.review.md")
OLD = {name: f"old {name}\n".encode() for name in NAMES[:4]}
"""The previous run's set: four files (its review was never written)."""
NEW = {name: f"new {name}\n".encode() for name in NAMES}


def contents(folder: Path) -> dict[str, bytes]:
    """Every file in the folder, leftovers included: a leftover makes the set differ."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in OLD.items():
        (out / name).write_bytes(data)
    (out / "list.csv").chmod(0o664)
    return out


def new_set(folder: Path) -> dict[Path, bytes]:
    return {folder / name: data for name, data in NEW.items()}


def failing_on(call: int, real: Callable, error: BaseException) -> Callable:
    """`real`, except that its `call`-th call raises `error`."""
    calls = 0

    def wrapper(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == call:
            raise error
        return real(*args, **kwargs)

    return wrapper


def test_a_set_replaces_every_file_and_keeps_modes(folder: Path) -> None:
    write_files(new_set(folder))
    assert contents(folder) == NEW
    assert (folder / "list.csv").stat().st_mode & 0o777 == 0o664  # an existing file's mode
    assert (folder / "list.review.md").stat().st_mode & 0o777 == 0o644  # a new file's


@pytest.mark.parametrize("call", [1, 2, 3, 4, 5])
def test_a_rename_that_fails_leaves_the_whole_old_set(
    folder: Path, monkeypatch: pytest.MonkeyPatch, call: int
) -> None:
    error = OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(files.os, "replace", failing_on(call, os.replace, error))
    with pytest.raises(OutputError, match=r"cannot be written \(Input/output error\); the prev"):
        write_files(new_set(folder))
    assert contents(folder) == OLD
    assert (folder / "list.csv").stat().st_mode & 0o777 == 0o664


@pytest.mark.parametrize("call", [1, 3, 5])
def test_a_full_disk_while_staging_leaves_the_old_set_and_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch, call: int
) -> None:
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(files.os, "write", failing_on(call, os.write, full))
    with pytest.raises(OutputError) as raised:
        write_files(new_set(folder))
    assert str(raised.value) == (
        f"{folder / NAMES[call - 1]}: cannot be written (No space left on device); "
        "the previous outputs are left as they were"
    )
    assert contents(folder) == OLD


def test_a_full_disk_on_fsync_is_an_output_error_too(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(files.os, "fsync", failing_on(2, os.fsync, full))
    with pytest.raises(OutputError, match=r"list\.csv: cannot be written \(No space left"):
        write_files(new_set(folder))
    assert contents(folder) == OLD


class Killed(BaseException):
    """Stands for SIGKILL or a power cut: nothing of the process's own clean-up runs."""


@pytest.mark.parametrize("call", [2, 3, 5])
def test_a_commit_killed_between_renames_is_rolled_back_by_the_next_run(
    folder: Path, monkeypatch: pytest.MonkeyPatch, call: int
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(files.os, "replace", failing_on(call, os.replace, Killed()))
        with pytest.raises(Killed):
            write_files(new_set(folder))
    assert (folder / JOURNAL_NAME).exists()  # the folder is a mix until then
    prepare_folder(folder, [folder / name for name in NAMES])
    assert contents(folder) == OLD


def test_a_commit_killed_after_its_last_rename_is_rolled_back_whole(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed before the journal is gone: list.review.md, new in this set, goes too."""
    with monkeypatch.context() as patch:
        # the folder is synced after staging, after the journal, then after the renames
        patch.setattr(files, "_sync_folder", failing_on(3, files._sync_folder, Killed()))
        with pytest.raises(Killed):
            write_files(new_set(folder))
    assert contents(folder)["list.review.md"] == NEW["list.review.md"]
    recover(folder)
    assert contents(folder) == OLD


def test_a_roll_back_killed_itself_is_finished_by_the_one_after(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(files.os, "replace", failing_on(4, os.replace, Killed()))
        with pytest.raises(Killed):
            write_files(new_set(folder))
    with monkeypatch.context() as patch:
        patch.setattr(files.os, "replace", failing_on(2, os.replace, Killed()))
        with pytest.raises(Killed):
            recover(folder)
    recover(folder)
    assert contents(folder) == OLD


def test_the_next_write_also_rolls_back_first(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(files.os, "replace", failing_on(3, os.replace, Killed()))
        with pytest.raises(Killed):
            write_files(new_set(folder))
    write_files({folder / "list.bib": b"only the bib\n"})
    assert contents(folder) == {**OLD, "list.bib": b"only the bib\n"}


def test_a_journal_cut_short_is_dropped_with_the_leftovers(folder: Path) -> None:
    (folder / JOURNAL_NAME).write_bytes(b'{"commit": [{"target": "list.b')
    (folder / ".list.bib.k2j3x9qa.enrich-tmp").write_bytes(b"staged")
    recover(folder)
    assert contents(folder) == OLD


def test_a_journal_never_names_a_file_outside_its_folder(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "precious.txt"
    outside.write_bytes(b"keep me")
    (folder / JOURNAL_NAME).write_text(
        '{"commit": [{"target": "../precious.txt", "temporary": ".gone.enrich-tmp", "old": null}]}'
    )
    recover(folder)
    assert outside.read_bytes() == b"keep me"
    assert contents(folder) == OLD


@pytest.fixture
def stop_on_sigterm() -> Iterator[None]:
    """What cli.main installs: SIGTERM raises Interrupted (put back after the test)."""

    def stop(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    yield
    signal.signal(signal.SIGTERM, previous)


@pytest.mark.parametrize("call", [1, 3, 5])
def test_sigterm_during_the_renames_waits_until_the_new_set_is_whole(
    folder: Path, monkeypatch: pytest.MonkeyPatch, stop_on_sigterm: None, call: int
) -> None:
    calls, real_replace = 0, os.replace

    def replace_and_signal(source: str, target: str) -> None:
        nonlocal calls
        calls += 1
        if calls == call:
            signal.raise_signal(signal.SIGTERM)
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace_and_signal)
    with pytest.raises(Interrupted) as raised:
        write_files(new_set(folder))
    assert raised.value.exit_code == 143
    assert contents(folder) == NEW


def test_sigterm_while_staging_leaves_the_old_set(
    folder: Path, monkeypatch: pytest.MonkeyPatch, stop_on_sigterm: None
) -> None:
    real_write = os.write

    def write_and_signal(handle: int, data: bytes) -> int:
        signal.raise_signal(signal.SIGTERM)
        return real_write(handle, data)

    monkeypatch.setattr(files.os, "write", write_and_signal)
    with pytest.raises(Interrupted):
        write_files(new_set(folder))
    assert contents(folder) == OLD


def test_leftovers_of_enrich_and_only_those_are_removed(folder: Path) -> None:
    ours = [".list.bib.k2j3x9qa.enrich-tmp", ".list.csv.0a1b2c3d.enrich-old"]
    theirs = [".gitignore", "notes.tmp", "list.bib.enrich-tmp", ".list.bib.swp"]
    for name in [*ours, *theirs]:
        (folder / name).write_bytes(b"x")
    (folder / ".keep.enrich-tmp").mkdir()  # a folder is never enrich's leftover
    prepare_folder(folder, [folder / name for name in NAMES])
    assert sorted(p.name for p in folder.iterdir()) == sorted([*OLD, *theirs, ".keep.enrich-tmp"])


@pytest.mark.parametrize(
    ("layout", "where", "message"),
    [
        ("out is a file", "out", "out: is a file, not a folder"),
        ("parent is a file", "parent/out", "parent/out: cannot be created: {tmp}/parent is a file, not a folder"),
        ("an output is a folder", "out", "out/list.bib: is a folder; enrich writes a file of that name there"),
        ("the review is a folder", "out", "out/list.review.md: is a folder; enrich writes a file of that name there"),
    ],
)  # fmt: skip
def test_an_output_folder_that_cannot_take_the_outputs_is_one_clear_error(
    tmp_path: Path, layout: str, where: str, message: str
) -> None:
    out = tmp_path / where
    if layout == "out is a file":
        out.write_bytes(b"")
    elif layout == "parent is a file":
        out.parent.write_bytes(b"")
    else:
        (out / ("list.bib" if layout == "an output is a folder" else "list.review.md")).mkdir(
            parents=True
        )
    with pytest.raises(OutputError) as raised:
        prepare_folder(out, [out / name for name in NAMES])
    assert str(raised.value) == f"{tmp_path}/" + message.format(tmp=tmp_path)


def test_an_unwritable_folder_is_found_by_trying(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    monkeypatch.setattr(files.tempfile, "mkstemp", failing_on(1, files.tempfile.mkstemp, denied))
    with pytest.raises(OutputError, match=r"/out: is not writable \(Permission denied\)$"):
        prepare_folder(folder, [])


def test_a_folder_still_to_create_is_checked_but_not_created(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    prepare_folder(out, [out / name for name in NAMES])
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def enrich_logger() -> Iterator[None]:
    """cli.main points the "enrich" logger at this test's stderr: put it back after."""
    logger = logging.getLogger("enrich")
    handlers, level, propagate = logger.handlers[:], logger.level, logger.propagate
    yield
    logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate


@pytest.fixture
def two_lists(tmp_path: Path) -> tuple[RunOptions, list[Path], dict[str, bytes]]:
    """Two lists whose outputs an earlier run wrote, and those outputs."""
    out = tmp_path / "out"
    inputs = []
    for name, records in (("a.md", mixed_records()), ("b.md", fact_records())):
        path = tmp_path / name
        path.write_text("- [SOSP '23] Efficient Memory Management ...\n", encoding="utf-8")
        write_outputs(records, path, out)
        inputs.append(path)
    for name in ("a", "b"):
        (out / f"{name}.review.md").write_bytes(b"old review\n")
    return RunOptions(out_dir=out, overrides=tmp_path / "overrides.csv"), inputs, contents(out)


def test_emit_writes_every_list_and_the_review_as_one_set(
    two_lists: tuple[RunOptions, list[Path], dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    options, inputs, before = two_lists
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(files.os, "write", failing_on(10, os.write, full))  # b.csl.json, 10th of 14
    with pytest.raises(OutputError, match=r"b\.csl\.json: cannot be written \(No space left"):
        emit_again(read_inputs(inputs), options)
    assert contents(options.out_dir) == before  # a.md's outputs and both reviews are old too


def test_emit_through_the_command_line_on_a_full_disk_is_one_line_and_exit_2(
    two_lists: tuple[RunOptions, list[Path], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    enrich_logger: None,
) -> None:
    options, inputs, before = two_lists
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(files.os, "write", failing_on(1, os.write, full))
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    code = cli.main(["emit", *map(str, inputs), "--out", str(options.out_dir)])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"enrich: error: {options.out_dir / 'a.bib'}: cannot be written (No space left on "
        "device); the previous outputs are left as they were"
    ]
    assert contents(options.out_dir) == before
    assert {signum: signal.getsignal(signum) for signum in handlers} == handlers  # put back
