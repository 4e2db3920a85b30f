"""Fetching DBLP's dump: resumable, with progress, checked against DBLP's published MD5.

The file grows as `<dest>.download`; a second call asks only for the bytes it lacks
(`Range: bytes=N-`), and a server that ignores the range sends it all again. Once
complete, the MD5 published beside it (`<url>.md5`, "hash  dblp.xml.gz") is checked when
the server has one; a mismatch deletes the download. Only then is it renamed to `dest`.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import requests

DUMP_URL = "https://dblp.org/xml/dblp.xml.gz"
DTD_URL = "https://dblp.org/xml/dblp.dtd"
_CHUNK = 1 << 20
_MD5_FILE_BYTES = 4096

Progress = Callable[[int, int | None, float], None]
"""Told (bytes so far, total bytes or None, seconds since the start) as bytes arrive."""


class DownloadError(Exception):
    """The dump could not be fetched whole, or it is not what DBLP published."""


def partial_download(dest: Path) -> Path:
    return dest.with_name(dest.name + ".download")


def download(
    url: str,
    dest: Path,
    progress: Progress | None = None,
    session: requests.Session | None = None,
    check_md5: bool = True,
    timeout: float = 60.0,
) -> Path:
    """`url` saved at `dest`, resuming an earlier partial download; returns `dest`."""
    http = session or requests.Session()
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_download(dest)
    have = partial.stat().st_size if partial.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    started = time.perf_counter()
    try:
        with http.get(url, headers=headers, stream=True, timeout=timeout) as reply:
            if reply.status_code == 416 and have:
                pass  # nothing more to send: the partial file is whole
            elif reply.status_code not in (200, 206):
                raise DownloadError(f"{url}: HTTP {reply.status_code}")
            else:
                mode = "ab" if reply.status_code == 206 and have else "wb"
                done = have if mode == "ab" else 0
                length = reply.headers.get("Content-Length")
                total = done + int(length) if length and length.isdigit() else None
                with open(partial, mode) as out:
                    for chunk in reply.iter_content(_CHUNK):
                        out.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total, time.perf_counter() - started)
                if total is not None and done < total:
                    raise DownloadError(f"{url}: the connection closed at {done} of {total} bytes")
    except requests.RequestException as error:
        raise DownloadError(f"{url}: {error} (run again to resume)") from error
    if check_md5:
        expected = published_md5(url, http, timeout)
        if expected is not None and md5_of(partial) != expected:
            partial.unlink(missing_ok=True)
            raise DownloadError(f"{url}: MD5 differs from the published {url}.md5; deleted")
    os.replace(partial, dest)
    return dest


def published_md5(url: str, session: requests.Session, timeout: float = 60.0) -> str | None:
    """The hash in `<url>.md5`; None when the server publishes none."""
    try:
        with session.get(url + ".md5", timeout=timeout, stream=True) as reply:
            # "hash  dblp.xml.gz": a few dozen bytes; never more than a small read.
            text = reply.raw.read(_MD5_FILE_BYTES, decode_content=True).decode("ascii", "replace")
            status = reply.status_code
    except requests.RequestException:
        return None
    words = text.split()
    if status != 200 or not words or not re.fullmatch(r"[0-9a-fA-F]{32}", words[0]):
        return None
    return words[0].lower()


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
