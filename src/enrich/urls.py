"""Which links may leave the program: absolute http(s) URLs with a host, nothing else.

A link comes from a list or a service and is untrusted. `javascript:`, `data:`, `file:`
and `vbscript:` run code or read files when clicked, and a relative or scheme-less
target means nothing outside the list it came from; every stage that keeps or writes
a URL asks `safe_url` first.
"""

from __future__ import annotations

import re

_SAFE_URL = re.compile(r"https?://[^\s/?#\\]+(?:[/?#][^\s\\]*)?", re.IGNORECASE)
"""An absolute http(s) URL with a host."""
_UNSAFE_CHARACTER = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
"""Characters a browser drops or folds in a URL ("java\\tscript:"): a URL with one is refused."""


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link, else None (javascript:, data:, relative)."""
    if not url or _UNSAFE_CHARACTER.search(url) or not _SAFE_URL.fullmatch(url):
        return None
    return url
