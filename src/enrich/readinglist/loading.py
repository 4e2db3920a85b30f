"""Reading an input file's text, with one clear error for every way it can be unusable."""

from __future__ import annotations

from pathlib import Path

from enrich.errors import InputError

MAX_INPUT_BYTES = 2 * 1024 * 1024
"""2 MiB holds some 20,000 papers; a larger file is almost surely not a reading list."""


def load_text(path: Path, shown: str) -> str:
    """The file's text as UTF-8 (a byte-order mark is allowed), or an InputError.

    `shown` is the file name as the user gave it, used in every message.
    """
    try:
        if path.is_dir():
            raise InputError(shown, "is a directory, not a reading list file")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(
                shown,
                f"is {size / 1_048_576:.1f} MB; a reading list larger than "
                f"{MAX_INPUT_BYTES // 1_048_576} MB is not accepted (is it the right file?)",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(shown, "no such file") from None
    except PermissionError:
        raise InputError(shown, "permission denied") from None
    except OSError as error:
        raise InputError(shown, f"cannot be read ({error.strerror or error})") from None
    if b"\x00" in data:
        raise InputError(shown, "is a binary file, not a text reading list")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            shown,
            f"is not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8",
            line=line,
        ) from None
    if not text.strip():
        raise InputError(shown, "is empty")
    return text
