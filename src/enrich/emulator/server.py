"""A local HTTP server that plays DBLP and Semantic Scholar, with faults on demand.

One server serves both APIs under their real paths (/search/publ/api, /rec/{key}.bib,
/graph/v1/...), so ENRICH_DBLP_URL and ENRICH_S2_URL can both point at it. Faults
imitate what the real services do on a bad day (apis.md §1.9, §2.7): DBLP's HTML 429
with Retry-After, S2's JSON 429 (Retry-After only when asked), 503 pages, answers
slower than the client's read timeout, connections dropped without an answer. Every
endpoint of a service suffers them alike, and is counted alike, per endpoint and service.
"""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from enrich.emulator.services import (
    Answer,
    Corpus,
    dblp_record_export,
    dblp_search,
    s2_batch,
    s2_match,
    s2_search,
)

FAULT_KINDS = ("429", "503", "slow", "drop")
ENDPOINTS = {
    ("GET", "/search/publ/api"): "dblp.search",
    ("POST", "/graph/v1/paper/batch"): "s2.batch",
    ("GET", "/graph/v1/paper/search/match"): "s2.match",
    ("GET", "/graph/v1/paper/search"): "s2.search",
}
"""The fixed paths; a record export (`GET /rec/{key}.bib`) is "dblp.export" (endpoint_for)."""
_EXPORT_PATH = re.compile(r"/rec/(?P<key>.+)\.bib")


def endpoint_for(method: str, path: str) -> str | None:
    """The endpoint a request is for, None for none: its service is the name's prefix."""
    if method == "GET" and _EXPORT_PATH.fullmatch(path):
        return "dblp.export"
    return ENDPOINTS.get((method, path))


@dataclass(frozen=True)
class Faults:
    """Which requests fail, and how.

    A request fails when it is the `every`-th (counting every request the server
    gets, 0 = never) or, independently, with `probability` drawn from a generator
    seeded with `seed`; the kind cycles through `kinds` (or is drawn, for the
    probabilistic ones). `latency` delays every answer; a "slow" fault delays one by
    `slow_seconds` and then answers normally.
    """

    every: int = 0
    probability: float = 0.0
    seed: int = 0
    kinds: tuple[str, ...] = FAULT_KINDS
    retry_after: int = 1
    s2_retry_after: bool = False
    latency: float = 0.0
    slow_seconds: float = 2.0

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown or not self.kinds:
            raise ValueError(f"fault kinds must be among {FAULT_KINDS}, not {self.kinds}")


class Emulator:
    """The emulator as a context manager: `with Emulator(faults=...) as emu: emu.url`."""

    def __init__(
        self,
        corpus: Corpus | None = None,
        faults: Faults = Faults(),
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.corpus = corpus or Corpus.load()
        self.faults = faults
        self.requests: Counter[str] = Counter()
        """Requests received per endpoint ("dblp.search", "dblp.export", "s2.batch", ...),
        faults included; per_service() adds them up per service."""
        self.faults_injected: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._random = random.Random(faults.seed)
        self._count = 0
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Emulator:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.faults_injected.clear()

    def per_service(self) -> Counter[str]:
        """Requests received per service ("dblp", "s2"): what a rate limit counts."""
        totals: Counter[str] = Counter()
        with self._lock:
            for endpoint, count in self.requests.items():
                totals[endpoint.split(".")[0]] += count
        return totals

    def _admit(self, endpoint: str) -> str | None:
        """Count the request; the fault it suffers, if any."""
        with self._lock:
            self._count += 1
            self.requests[endpoint] += 1
            fault = None
            if self.faults.every and self._count % self.faults.every == 0:
                turn = self._count // self.faults.every - 1
                fault = self.faults.kinds[turn % len(self.faults.kinds)]
            elif self.faults.probability and self._random.random() < self.faults.probability:
                fault = self._random.choice(self.faults.kinds)
            if fault:
                self.faults_injected[fault] += 1
            return fault

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        endpoint = endpoint_for(method, path)
        export = _EXPORT_PATH.fullmatch(path)
        if endpoint == "dblp.search":
            return dblp_search(self.corpus, query)
        if endpoint == "dblp.export" and export:
            return dblp_record_export(self.corpus, unquote(export["key"]), query)
        if endpoint == "s2.batch":
            return s2_batch(self.corpus, query, body)
        if endpoint == "s2.match":
            return s2_match(self.corpus, query)
        if endpoint == "s2.search":
            return s2_search(self.corpus, query)
        return Answer(404, {"error": f"no such endpoint: {method} {path}"})

    def fault_answer(self, fault: str, endpoint: str) -> Answer:
        dblp = endpoint.startswith("dblp")
        if fault == "429" and dblp:  # DBLP: an HTML page and a Retry-After (FAQ 1474706)
            page = "<html><head><title>429 Too Many Requests</title></head></html>"
            return Answer(429, page, "text/html", {"Retry-After": str(self.faults.retry_after)})
        if fault == "429":  # S2: JSON, and no Retry-After unless asked for
            headers = (
                {"Retry-After": str(self.faults.retry_after)} if self.faults.s2_retry_after else {}
            )
            body = {"message": "Too Many Requests. Please wait and try again.", "code": "429"}
            return Answer(429, body, headers=headers)
        page = "<html><head><title>503 Service Unavailable</title></head></html>"
        return Answer(503, page, "text/html")


def _handler_for(emulator: Emulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes: without this,
        # Nagle and the client's delayed ACK hold the body back ~40 ms on a kept-alive connection

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            endpoint = endpoint_for(method, parts.path) or "other"
            fault = emulator._admit(endpoint)
            time.sleep(emulator.faults.latency)
            if fault == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault == "slow":
                time.sleep(emulator.faults.slow_seconds)
            if fault in ("429", "503"):
                self._send(emulator.fault_answer(fault, endpoint))
                return
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                self._send(Answer(400, {"error": "Body is not JSON"}))
                return
            try:
                answer = emulator.answer(method, parts.path, dict(parse_qsl(parts.query)), body)
            except ValueError as error:  # e.g. h=abc: the real services answer 400 too
                answer = Answer(400, {"error": f"Bad query parameter: {error}"})
            self._send(answer)

        def _send(self, answer: Answer) -> None:
            payload = answer.payload()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", f"{answer.content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up on a slow answer: normal

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests and benchmarks read the counters, not a log."""

    return Handler
