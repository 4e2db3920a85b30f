"""Test kit for the HTTP layer: a fake clock, a client factory, a scripted local server, and
ways to age or damage a cache file.

The server listens on 127.0.0.1 for tests where real sockets matter. Each path has a queue of
steps; a request takes the next step (the last one repeats): `Step(status, body, headers)`,
`Step(delay=s)` to answer late, `Step(drop=True)` to close the connection without answering.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from requests_cache.backends import SQLiteCache

from enrich.http import HttpClient, HttpConfig
from enrich.http.cache import JSON_SERIALIZER


@dataclass(frozen=True)
class Step:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str -> sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class LocalServer:
    def __init__(self) -> None:
        self.scripts: dict[str, list[Step]] = defaultdict(list)
        self.seen: list[Seen] = []
        self.connections = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                with server._lock:
                    server.connections += 1
                super().setup()
                # headers and body go out in two writes: without this, Nagle's algorithm and
                # delayed ACKs add ~40 ms to every answer
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                    script = server.scripts.get(path) or [Step(404, {"error": "no script"})]
                    step = script.pop(0) if len(script) > 1 else script[0]
                if step.delay:
                    time.sleep(step.delay)
                if step.drop:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if isinstance(step.body, str):
                    payload = step.body.encode()
                    content_type = "text/html; charset=utf-8"
                else:
                    payload = json.dumps(step.body).encode()
                    content_type = "application/json"
                self.send_response(step.status)
                headers = {"Content-Type": content_type, **step.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _answer
            do_POST = _answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def script(self, path: str, *steps: Step) -> None:
        with self._lock:
            self.scripts[path] = list(steps)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FakeClock:
    """Monotonic time that only moves when something sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(seconds, 0.0)


def make_client(tmp_path: Path, clock: FakeClock | None = None, **overrides: Any) -> HttpClient:
    """A client with its own SQLite cache under tmp_path, fast rates and a fake clock."""
    options: dict[str, Any] = {
        "cache_path": tmp_path / "cache" / "http.sqlite",
        "rates": {"dblp": 1.0, "s2": 1.0},
    }
    options.update(overrides)
    clock = clock or FakeClock()
    return HttpClient(HttpConfig(**options), clock=clock, sleep=clock.sleep)


def expire_all(cache_file: Path) -> int:
    """Age every entry of a SQLite HTTP cache past its expiry, as if its days had gone by;
    how many entries there were."""
    store = SQLiteCache(str(cache_file), serializer=JSON_SERIALIZER)
    past = datetime.now(UTC) - timedelta(days=1)
    keys = list(store.responses.keys())
    for key in keys:
        response = store.responses[key]
        response.expires = past
        store.responses[key] = response
    store.close()
    return len(keys)


def damage_middle(cache_file: Path, pages: int = 4) -> None:
    """Overwrite whole pages in the middle of a SQLite file, its header left intact: what a
    crash or a bad disk leaves behind."""
    data = bytearray(cache_file.read_bytes())
    page = int.from_bytes(data[16:18], "big")  # the page size, from the intact header
    start = (len(data) // page // 2) * page
    data[start : start + pages * page] = b"\xa5" * (pages * page)
    cache_file.write_bytes(bytes(data))
