"""Bounds on one answer: a total deadline and a cap on its decoded size.

A socket timeout bounds each read, not the answer: a server that sends one byte a second
never trips it. So every request runs under a `Deadline` that shuts its socket down when the
time is up, whatever the connection is doing (connecting, waiting for headers, reading the
body), and the body is read here in chunks, decompressed with a bound, until `cap` bytes;
one byte more is an `AnswerTooLarge`, and nothing of it is kept or cached.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_CHUNK = 64 * 1024
_current = threading.local()


class AnswerTooLarge(requests.exceptions.ContentDecodingError):
    """The answer is larger than the cap, as sent or once decompressed."""


class DeadlineExceeded(requests.exceptions.ReadTimeout):
    """No complete answer within the request's total deadline."""


class Deadline:
    """A request's total time, redirects included: when it runs out, the socket in use is
    shut down.

    Shutting the socket down wakes a read blocked in another thread at once (the read sees
    the connection end), which no timeout on the socket can do for a slow trickle. The
    timer starts with the first socket, so a request the cache answers costs no thread.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._ends = time.monotonic() + seconds
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def watch(self, sock: socket.socket | None) -> None:
        """The socket the request now uses; shut at once if the time is already up."""
        with self._lock:
            self._socket = sock
            if self._timer is None and not self.expired:
                left = self._ends - time.monotonic()
                if left > 0:
                    self._timer = threading.Timer(left, self._expire)
                    self._timer.daemon = True
                    self._timer.start()
                else:
                    self.expired = True
            if self.expired and sock is not None:
                _shut(sock)

    def exceeded(self) -> DeadlineExceeded:
        """The error a request that ran past this deadline ends with."""
        return DeadlineExceeded(f"no complete answer within {self.seconds:g} s")

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._socket is not None:
                _shut(self._socket)

    @contextmanager
    def running(self) -> Iterator[Deadline]:
        """This thread's requests are under this deadline until the block ends."""
        previous = getattr(_current, "deadline", None)
        _current.deadline = self
        try:
            yield self
        finally:
            with self._lock:
                if self._timer is not None:
                    self._timer.cancel()
            _current.deadline = previous


def current_deadline() -> Deadline | None:
    """The deadline this thread's request runs under, if one was set (HttpClient sets it)."""
    return getattr(_current, "deadline", None)


def _shut(sock: socket.socket) -> None:
    # socket.socket's own shutdown, also for a TLS socket: no TLS goodbye to a stalled peer.
    # A socket already closed has nothing left to wake.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watch(sock: socket.socket | None) -> None:
    deadline = current_deadline()
    if deadline is not None:
        deadline.watch(sock)


class _Watched:
    """Mixed into urllib3's connections: tells the thread's deadline which socket to shut."""

    sock: socket.socket | None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _watch(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None:  # a kept-alive connection: connect() is not called again
            _watch(self.sock)
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class BoundedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections a Deadline can shut, and whose bodies are capped."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


def read_capped(response: requests.Response, cap: int, deadline: Deadline) -> None:
    """Read the body into `response.content`, decompressed, refusing more than `cap` bytes.

    urllib3 decompresses with a bound per read, so a small gzip body that inflates a
    thousandfold never exists in memory beyond one chunk over the cap.
    """
    if response.__dict__.get("_content_consumed"):
        if len(response.content or b"") > cap:
            raise AnswerTooLarge(f"answer larger than {_size(cap)}", response=response)
        return
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        response.close()
        raise AnswerTooLarge(f"answer of {_size(int(declared))}, over {_size(cap)}")
    body = bytearray()
    try:
        for chunk in response.raw.stream(_CHUNK, decode_content=True):
            body += chunk
            if len(body) > cap:
                raise AnswerTooLarge(f"answer larger than {_size(cap)}")
            if deadline.expired:
                break
    except AnswerTooLarge:
        response.close()
        raise
    except Exception as error:
        if not deadline.expired:
            raise requests.exceptions.ChunkedEncodingError(error) from error
    if deadline.expired:
        response.close()
        raise deadline.exceeded()
    response._content = bytes(body)
    response._content_consumed = True


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count} bytes"
