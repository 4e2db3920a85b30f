"""Errors a user can act on, and the exit codes the command line documents."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of every `enrich` command (README, `--help`)."""

    OK = 0  # every paper matched
    INCOMPLETE = 1  # some papers ambiguous or unmatched (outputs written)
    BAD_INPUT = 2  # bad input or configuration (and any input warning under --strict)
    UNREACHABLE = 3  # a service could not be reached; outputs hold what could be had


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
