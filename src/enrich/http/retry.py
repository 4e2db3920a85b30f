"""Which failures are worth another try, and how long to wait before it.

Retried: connection errors, timeouts, dropped connections, SSL EOF, HTTP 429, 500, 502, 503,
504, and a 200 that is no answer (HTML, a damaged body, JSON of the wrong shape: answers.py).
Never retried: other 4xx (asking again gives the same answer), certificate-verification
failures (a local CA-bundle problem, apis.md 2.7), hosts whose circuit is open, an answer over
the size cap (it would be as large again) and a request that could not be sent as it stands
(a malformed redirect target, an invalid URL).
"""

from __future__ import annotations

import errno
import random
import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from urllib3.exceptions import NewConnectionError

from .answers import UnsoundAnswer
from .breaker import CircuitOpenError
from .limits import AnswerTooLarge, DeadlineExceeded

_MAX_DETAIL = 160
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
_UNREACHABLE_ERRNOS = frozenset({errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH})


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (requests nests urllib3 errors several levels deep)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        wrapped.extend(current.args)
        todo.extend(e for e in wrapped if isinstance(e, BaseException))


def is_connect_failure(exc: BaseException) -> bool:
    """The host could not be connected to at all: DNS failure, refused, unreachable."""
    if isinstance(exc, CircuitOpenError):
        return True
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    for inner in _chain(exc):
        if isinstance(inner, NewConnectionError | socket.gaierror | ConnectionRefusedError):
            return True
        if isinstance(inner, OSError) and inner.errno in _UNREACHABLE_ERRNOS:
            return True
    return False


def is_certificate_failure(exc: BaseException) -> bool:
    """TLS certificate verification failed: a configuration problem, not a transient one."""
    for inner in _chain(exc):
        if isinstance(inner, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(inner):
            return True
    return False


def is_retryable_exception(exc: BaseException) -> bool:
    if isinstance(exc, UnsoundAnswer):
        return exc.retryable
    if isinstance(exc, CircuitOpenError | AnswerTooLarge) or is_certificate_failure(exc):
        return False
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.TooManyRedirects):
        return False
    return isinstance(
        exc,
        requests.exceptions.ConnectionError  # includes SSLError (e.g. SSL EOF) and ProxyError
        | requests.exceptions.Timeout
        | requests.exceptions.ChunkedEncodingError
        | requests.exceptions.ContentDecodingError,
    )


def backoff_seconds(retry_number: int, initial: float, maximum: float) -> float:
    """Exponential backoff with jitter: initial * 2**(n-1) plus up to `initial`, at most `maximum`.

    The jitter spreads the retries of parallel workers, so they do not hit the service together.
    """
    exponent = min(retry_number - 1, 60)
    return min(maximum, initial * 2**exponent + random.uniform(0, initial))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delay-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def describe_exception(exc: BaseException) -> str:
    """A short reason for an error message (no URL, headers or stack)."""
    if isinstance(exc, CircuitOpenError | UnsoundAnswer | AnswerTooLarge | DeadlineExceeded):
        return str(exc)
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} {exc.response.reason or ''}".strip()
    if is_certificate_failure(exc):
        return "TLS certificate verification failed (check the CA bundle, e.g. REQUESTS_CA_BUNDLE)"
    for inner in _chain(exc):
        if isinstance(inner, socket.gaierror):
            return "host name could not be resolved"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if is_connect_failure(exc):
        return "connection refused or host unreachable"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "no answer within the read timeout"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS error (connection closed during the handshake)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection dropped while reading the answer"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "connection dropped before an answer"
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return "too many redirects"
    detail = " ".join(str(exc).split())[:_MAX_DETAIL]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
