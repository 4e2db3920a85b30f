"""Small misbehaving HTTP servers on 127.0.0.1, each one way a service can go wrong.

`HostileServer` answers each request from a `Behaviour` (a function of the request's path
and headers to raw bytes written to the socket, possibly slowly); `SilentServer` accepts
connections and never says a word. Both run in daemon threads and stop with the test.
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Chunks = Iterable[bytes]
Behaviour = Callable[["Request"], Chunks]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]


class _Listener:
    """A listening socket on 127.0.0.1 whose connections `_take` is given, each in a thread."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self._take(conn)

    def _take(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopped.set()
        self._listener.close()


class HostileServer(_Listener):
    """Every connection is read up to its headers and answered by `behaviour`, whose chunks
    are written as they come (a generator can sleep between them)."""

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__()
        self.behaviour = behaviour
        self.requests: list[Request] = []

    def _take(self, conn: socket.socket) -> None:
        threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
                for chunk in self.behaviour(request):
                    if self._stopped.is_set():
                        return
                    conn.sendall(chunk)
            except OSError:
                return  # the client gave up on us: what several of these servers want


class SilentServer(_Listener):
    """Accepts every connection and never answers (nor closes it before the end)."""

    def __init__(self) -> None:
        super().__init__()
        self._held: list[socket.socket] = []
        self.accepted = 0

    def _take(self, conn: socket.socket) -> None:
        self.accepted += 1
        self._held.append(conn)

    def __exit__(self, *exc_info: object) -> None:
        super().__exit__(*exc_info)
        for conn in self._held:
            conn.close()


def _read_request(conn: socket.socket) -> Request | None:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Request(method, path, headers)


def head(status: str = "200 OK", **headers: str) -> bytes:
    """A status line and headers; `Content_Type=...` becomes `Content-Type: ...`."""
    lines = [f"HTTP/1.1 {status}", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def answer(body: bytes, status: str = "200 OK", **headers: str) -> Chunks:
    """One whole answer, Content-Length set."""
    headers.setdefault("Content_Type", "application/json")
    yield head(status, Content_Length=str(len(body)), **headers) + body


def gzip_bomb(inflated: int) -> bytes:
    """A gzip body of zeros that inflates to `inflated` bytes (about a thousandth of it)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(2**20)
    parts = [compressor.compress(block) for _ in range(inflated // len(block))]
    return b"".join(parts) + compressor.flush()


def trickle(body: bytes, every: float) -> Chunks:
    """Headers at once, then the body one byte each `every` seconds."""
    yield head(Content_Type="application/json", Content_Length=str(len(body)))
    for byte in body:
        time.sleep(every)
        yield bytes([byte])


def endless(chunk: bytes = b" " * 65536) -> Chunks:
    """A chunked answer that never ends, as fast as the client reads."""
    yield head(Content_Type="application/json", Transfer_Encoding="chunked")
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    while True:
        yield framed


@contextmanager
def serving(behaviour: Behaviour) -> Iterator[HostileServer]:
    with HostileServer(behaviour) as server:
        yield server


__all__ = [
    "HostileServer",
    "Request",
    "SilentServer",
    "answer",
    "endless",
    "gzip_bomb",
    "head",
    "serving",
    "trickle",
]
