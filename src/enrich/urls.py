"""URLs as enrich lets them out: only absolute http(s) links into outputs, and never a
password into a message.

One place for both, because a URL reaches the outputs from three directions (a service's
answer, the reading list, a previous run's JSON) and reaches messages from the configuration.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_SAFE_URL = re.compile(r"https?://[^\s/?#\\@]+(?:[/?#][^\s\\]*)?", re.IGNORECASE)
"""An absolute http(s) URL with a host and no user name: the only links written anywhere."""
_UNSAFE_CHARACTER = re.compile(r"[\x00-\x20\x7f-\x9f\s\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters a browser drops or folds in a URL ("java\\tscript:"), and bidi controls that
would show it as another: a URL with one is refused."""


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link, else None (javascript:, data:, relative)."""
    if not url or _UNSAFE_CHARACTER.search(url) or not _SAFE_URL.fullmatch(url):
        return None
    return url


def scheme_of(url: str) -> str:
    """What kind of link a refused URL was, for a note that does not repeat it: "javascript:"."""
    match = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]{0,20}):", url)
    return f"{match.group(1).lower()}:" if match else "a relative or malformed"


def shown_url(url: str) -> str:
    """The URL as messages show it: without user name, password and query string."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url.split("?", 1)[0].rpartition("@")[2]
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def host_of(url: str) -> str:
    """The host and port a URL names, without user name or password: what the circuit
    breaker counts by and messages show."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        netloc = url.partition("://")[2].split("/", 1)[0]
    return netloc.rpartition("@")[2].lower()
