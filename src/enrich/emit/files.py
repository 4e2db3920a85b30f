"""Writing a run's outputs as one set: a reader, or the next run, finds them all old or all new.

A run's outputs depend on each other (the .bib, .csv and .csl.json are renderings of the
.json, which the next run reads back; the review describes them all), so they are replaced
together, never one by one:

1. Stage: every file is written and fsynced to a temporary file beside its target,
   `.{name}.XXXXXXXX.enrich-tmp`, with the mode the target has (0o644 for a new one); each
   existing target also gets a second name, `.{name}.XXXXXXXX.enrich-old` (a hard link,
   or a copy where the file system has none). A failure here (a full disk, a permission)
   removes what was staged: the targets were never touched.
2. Commit: a journal, `.enrich-commit`, naming every target, temporary file and old copy,
   is written and fsynced; then each temporary file is renamed over its target
   (`os.replace`, atomic for each file); then the journal and the old copies are removed.

Between two renames the set is briefly a mix, so:

- SIGINT and SIGTERM are held during the commit and delivered once it is done. They are
  held by swapping Python's handlers, not by `signal.pthread_sigmask`: the kernel gives a
  process's signal to any thread that does not block it, and CPython then runs the
  handler on the main thread whichever thread received it, so a mask on one thread does
  not keep KeyboardInterrupt out of the rename loop.
- A rename that fails is undone at once: the targets already replaced get their old
  copies back (or are removed, when they are new), so the old set stands.
- What no process can catch (SIGKILL, a power cut, an undo that failed too) leaves the
  journal: the next write into the folder, or `prepare_folder` before the next run's first
  request, rolls the interrupted commit back, entry by entry, from it. A target whose
  temporary file is still there was not replaced yet; one whose temporary file is gone
  gets its old copy back. Each step is idempotent, so an interrupted roll-back is simply
  done again. A journal cut short was never complete, so no rename had started: it is
  dropped.

Temporary files and old copies left by an interrupted run (only names of these two
patterns, only in the output folder) are removed by the next run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from enrich.errors import OutputError

TEMP_SUFFIX = ".enrich-tmp"
"""How a staged file's name ends: `.list.bib.k2j3x9qa.enrich-tmp`."""
OLD_SUFFIX = ".enrich-old"
"""How the second name of a replaced file's old version ends, kept until the commit is done."""
JOURNAL_NAME = ".enrich-commit"
"""The commit in progress, in the output folder; present only while renames may be undone."""
NEW_FILE_MODE = 0o644
_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class _Staged:
    """One file of a set, written beside its target and not yet renamed over it."""

    target: Path
    temporary: Path
    old: Path | None
    """The target's previous version under a second name; None when the target is new."""


def write_atomically(path: Path, data: bytes) -> None:
    """Replace one file: readers see the old file or the new one, never half of one."""
    write_files({path: data})


def write_files(files: Mapping[Path, bytes]) -> None:
    """Replace every file of `files` (all in one folder) as one set.

    Raises OutputError naming the file that could not be written; the previous files are
    then as they were, and no temporary file is left.
    """
    if not files:
        return
    folders = {Path(path).parent for path in files}
    if len(folders) != 1:
        raise ValueError(f"one output set is one folder, not {sorted(map(str, folders))}")
    (folder,) = folders
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(str(folder), f"cannot be created ({_reason(error)})") from error
    recover(folder)
    staged: list[_Staged] = []
    current = folder
    try:
        for path, data in files.items():
            current = Path(path)
            staged.append(_stage(current, data))
        _sync_folder(folder)
    except BaseException as error:
        _discard(staged)
        if isinstance(error, OSError):
            raise _not_written(current, error) from error
        raise
    with _signals_held():
        _commit(folder, staged)


def prepare_folder(folder: Path, paths: Iterable[Path]) -> None:
    """Before any request: make sure `folder` can take the outputs `paths`, and tidy it.

    The folder must be a folder, or be creatable (it is not created here: a run that
    writes nothing leaves no trace); enrich must be able to create files in it; and no
    output path may be a folder. Then an interrupted commit is rolled back and enrich's
    own leftover temporary files are removed. Raises OutputError naming the path.
    """
    folder = Path(folder)
    try:
        existing = folder
        while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            what = "is a file, not a folder"
            if existing == folder:
                raise OutputError(str(folder), what)
            raise OutputError(str(folder), f"cannot be created: {existing} {what}")
        _probe(existing, folder)
        for path in paths:
            if Path(path).is_dir():
                raise OutputError(str(path), "is a folder; enrich writes a file of that name there")
    except OSError as error:  # e.g. a folder on the way that enrich may not look into
        raise OutputError(str(error.filename or folder), _reason(error)) from error
    if existing == folder:
        recover(folder)


def recover(folder: Path) -> None:
    """Roll back a commit that was interrupted in `folder`, and remove enrich's leftovers."""
    journal = Path(folder) / JOURNAL_NAME
    try:
        if journal.exists():
            _undo(_read_journal(journal))
            journal.unlink()
            _sync_folder(folder)
        for leftover in Path(folder).iterdir():
            if _is_leftover(leftover):
                leftover.unlink()
    except OSError as error:
        raise OutputError(
            str(error.filename or journal),
            f"cannot finish the interrupted write of the previous run ({_reason(error)})",
        ) from error


def _stage(target: Path, data: bytes) -> _Staged:
    """Write `data` beside `target`, durably, with the target's mode; keep its old version."""
    mode = target.stat().st_mode & 0o777 if target.exists() else NEW_FILE_MODE
    handle, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX
    )
    temporary = Path(name)
    old: Path | None = None
    try:
        try:
            _write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.chmod(temporary, mode)
        if target.exists() or target.is_symlink():
            old = temporary.with_name(temporary.name.removesuffix(TEMP_SUFFIX) + OLD_SUFFIX)
            _keep_old(target, old)
    except BaseException:
        _discard([_Staged(target, temporary, old)])
        raise
    return _Staged(target, temporary, old)


def _write_all(handle: int, data: bytes) -> None:
    """os.write until every byte is out (a write may take fewer than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _keep_old(target: Path, old: Path) -> None:
    """A second name for the target's current version, so a commit can be undone."""
    try:
        os.link(target, old, follow_symlinks=False)
    except OSError:  # no hard links here (some network and FUSE file systems): a copy
        shutil.copy2(target, old, follow_symlinks=False)
        if not old.is_symlink():
            with open(old, "rb") as stream:
                os.fsync(stream.fileno())


def _commit(folder: Path, staged: Sequence[_Staged]) -> None:
    """Journal, rename every staged file over its target, then forget the old versions."""
    journal = folder / JOURNAL_NAME
    current = journal
    try:
        _write_journal(journal, staged)
        for item in staged:
            current = item.target
            os.replace(item.temporary, item.target)
        current = folder
        _sync_folder(folder)
    except OSError as error:
        try:
            _undo(staged)
            journal.unlink(missing_ok=True)
            _sync_folder(folder)
        except OSError as undo_error:
            raise OutputError(
                str(current),
                f"cannot be written ({_reason(error)}), and the previous outputs could not be "
                f"put back yet ({_reason(undo_error)}); the next run puts them back",
            ) from error
        raise _not_written(current if current != journal else folder, error) from error
    try:
        journal.unlink()
        _sync_folder(folder)
    except OSError as error:
        raise OutputError(
            str(journal),
            f"the outputs are written, but this journal cannot be removed ({_reason(error)}); "
            "remove it by hand, or the next run puts the previous outputs back",
        ) from error
    for item in staged:
        if item.old is not None:
            with contextlib.suppress(OSError):  # a leftover the next run removes
                item.old.unlink()


def _undo(staged: Iterable[_Staged]) -> None:
    """Every target as it was before the commit began; safe to repeat after an interruption."""
    for item in staged:
        if item.temporary.exists():  # not renamed yet: the target is still the old one
            item.temporary.unlink()
            if item.old is not None:
                item.old.unlink(missing_ok=True)
        elif item.old is not None:
            if item.old.exists() or item.old.is_symlink():
                os.replace(item.old, item.target)
        else:  # renamed, and there was no old version: the set had no such file
            item.target.unlink(missing_ok=True)


def _discard(staged: Iterable[_Staged]) -> None:
    """Remove what staging wrote; the targets were never touched."""
    for item in staged:
        for path in (item.temporary, item.old):
            if path is not None:
                with contextlib.suppress(OSError):
                    path.unlink()


def _write_journal(journal: Path, staged: Sequence[_Staged]) -> None:
    entries = [
        {
            "target": item.target.name,
            "temporary": item.temporary.name,
            "old": item.old.name if item.old is not None else None,
        }
        for item in staged
    ]
    data = json.dumps({"commit": entries}, indent=1).encode("utf-8")
    handle = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        _write_all(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)
    _sync_folder(journal.parent)


def _read_journal(journal: Path) -> list[_Staged]:
    """The commit a journal describes; nothing when it was cut short (no rename had begun)."""
    folder = journal.parent
    try:
        entries = json.loads(journal.read_bytes())["commit"]
        return [
            _Staged(
                folder / _plain_name(entry["target"]),
                folder / _plain_name(entry["temporary"]),
                folder / _plain_name(entry["old"]) if entry["old"] is not None else None,
            )
            for entry in entries
        ]
    except (ValueError, TypeError, KeyError):
        return []


def _plain_name(name: object) -> str:
    """A file name of the folder itself: a journal never reaches outside it."""
    if not isinstance(name, str) or not name or Path(name).name != name or name in (".", ".."):
        raise ValueError(f"not a file name: {name!r}")
    return name


def _is_leftover(path: Path) -> bool:
    """A temporary file or old version that only an interrupted enrich run leaves."""
    name = path.name
    return (
        name.startswith(".")
        and name.endswith((TEMP_SUFFIX, OLD_SUFFIX))
        and (path.is_symlink() or path.is_file())
    )


def _probe(existing: Path, folder: Path) -> None:
    """Create and remove a file in the nearest existing folder: the only sure writability test."""
    try:
        handle, name = tempfile.mkstemp(dir=existing, prefix=".enrich-probe.", suffix=TEMP_SUFFIX)
        os.close(handle)
        os.unlink(name)
    except OSError as error:
        if existing == folder:
            raise OutputError(str(folder), f"is not writable ({_reason(error)})") from error
        raise OutputError(
            str(folder), f"cannot be created in {existing} ({_reason(error)})"
        ) from error


def _sync_folder(folder: Path) -> None:
    """Make the folder's renames and new names durable (a file's fsync does not)."""
    handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done, then are delivered as usual.

    Only the main thread can change handlers; on another thread Python's handlers, which
    run on the main thread, cannot interrupt the block anyway (the journal still covers a
    process that ends meanwhile).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous: dict[int, Any] = {}
    for signum in _HELD_SIGNALS:
        previous[signum] = signal.signal(signum, lambda number, _frame: caught.append(number))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


def _not_written(path: Path, error: OSError) -> OutputError:
    return OutputError(
        str(path),
        f"cannot be written ({_reason(error)}); the previous outputs are left as they were",
    )


def _reason(error: OSError) -> str:
    """The system's words for an OSError ("No space left on device"), without "[Errno 28]"."""
    return error.strerror or str(error)
