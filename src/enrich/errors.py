"""Errors a user can act on, and the exit codes the command line documents."""

from __future__ import annotations

import signal
from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of every `enrich` command (README, `--help`)."""

    OK = 0  # every paper matched
    INCOMPLETE = 1  # some papers ambiguous or unmatched (outputs written)
    BAD_INPUT = 2  # bad input or configuration (and any input warning under --strict)
    UNREACHABLE = 3  # a service could not be reached; outputs hold what could be had
    INTERRUPTED = 128 + signal.SIGINT  # 130: Ctrl-C (SIGINT)
    TERMINATED = 128 + signal.SIGTERM  # 143: SIGTERM (a service manager, `kill`, a CI timeout)


class EnrichError(Exception):
    """An error reported to the user as one line, never as a traceback."""

    exit_code: ExitCode = ExitCode.BAD_INPUT


class InputError(EnrichError):
    """The input file cannot be read as a reading list.

    The message names the file (and the line where there is one), so the user can fix it.
    """

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class ConfigError(EnrichError):
    """An option or environment variable has a value enrich cannot use."""


class OutputError(EnrichError):
    """An output cannot be written where it should go (folder, permission, full disk).

    Raised before any request when the output folder cannot take the outputs, or while
    writing, after the previous outputs have been left (or put back) as they were.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")


class Interrupted(KeyboardInterrupt):
    """A signal asked enrich to stop: SIGTERM is handled like SIGINT (Ctrl-C).

    A KeyboardInterrupt, so every clean-up that runs for Ctrl-C runs for SIGTERM too.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> ExitCode:
        """128 + the signal's number, as a shell reports a process that a signal ended."""
        return ExitCode(128 + self.signum)
