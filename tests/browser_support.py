"""Driving headless Chromium from the tests over the DevTools protocol (CDP).

The HTML page is checked through its real consumer, a browser: Debian's `chromium`
(.ci/install-chromium.sh) is started with a fresh profile and a DevTools port, and one
page is driven over a websocket (websocket-client): navigate, evaluate, type, click,
screenshot. Every console message, uncaught exception, dialog and network request the
page makes is recorded, so a test can say the page loaded cleanly and offline.

By hand: `python tests/browser_support.py screenshot [OUT.png]` renders the shipped list
(through the local emulator, as the tests do) and saves a screenshot of its page,
docs/html-page.png by default.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
START_TIMEOUT = 30.0
CALL_TIMEOUT = 30.0
REPO = Path(__file__).resolve().parent.parent


def find_chromium() -> str | None:
    """The Chromium binary to drive, or None when it is not installed."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    """Chromium did not start, or a DevTools call failed."""


@dataclass
class PageLog:
    """What the page did besides rendering: what a test asserts is empty or offline."""

    console: list[tuple[str, str]] = field(default_factory=list)
    """(level, text) of every console call and browser log entry."""
    exceptions: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    """Every URL the page asked for, the page itself included."""

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and dialogs: none of them should happen."""
        found = [f"console.{level}: {text}" for level, text in self.console if level == "error"]
        found += [f"exception: {text}" for text in self.exceptions]
        found += [f"dialog: {text}" for text in self.dialogs]
        return found


class Page:
    """One browser tab, driven by CDP commands over its websocket."""

    def __init__(self, url: str) -> None:
        self._socket = websocket.create_connection(url, timeout=CALL_TIMEOUT, suppress_origin=True)
        self._ids = itertools.count(1)
        self.log = PageLog()
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")

    def close(self) -> None:
        self._socket.close()

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run one CDP command and return its result; events met meanwhile are recorded."""
        ident = next(self._ids)
        self._socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == ident:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, event: str, timeout: float = CALL_TIMEOUT) -> dict[str, Any]:
        """The next event of this name (others are recorded on the way)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive()
            if message.get("method") == event:
                return message.get("params", {})
        raise BrowserError(f"no {event} within {timeout} s")

    def _receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self._socket.recv())
        self._record(message.get("method"), message.get("params", {}))
        return message

    def _record(self, method: str | None, params: dict[str, Any]) -> None:
        if method == "Runtime.consoleAPICalled":
            text = " ".join(
                str(arg.get("value", arg.get("description", ""))) for arg in params["args"]
            )
            self.log.console.append((params["type"], text))
        elif method == "Log.entryAdded":
            self.log.console.append((params["entry"]["level"], params["entry"]["text"]))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.log.exceptions.append(
                details.get("exception", {}).get("description", details["text"])
            )
        elif method == "Page.javascriptDialogOpening":
            self.log.dialogs.append(f"{params['type']}: {params['message']}")
            ident = next(self._ids)
            command = {
                "id": ident,
                "method": "Page.handleJavaScriptDialog",
                "params": {"accept": False},
            }
            self._socket.send(json.dumps(command))
        elif method == "Network.requestWillBeSent":
            self.log.requests.append(params["request"]["url"])

    def open(self, path: Path) -> None:
        """Load a local file and wait until it and its scripts have run."""
        self.send("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def type_text(self, selector: str, text: str) -> None:
        """Focus an input and type into it one character at a time, as a person would."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        for character in text:
            self.send("Input.insertText", text=character)

    def choose(self, selector: str, value: str) -> None:
        """Pick an option of a <select>, firing the change event a person's pick fires."""
        self.evaluate(
            f"(() => {{ const s = document.querySelector({json.dumps(selector)});"
            f" s.value = {json.dumps(value)};"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )

    def click(self, selector: str) -> None:
        """A real mouse click at the middle of the element."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def screenshot(self, out: Path, width: int = 1280, height: int = 1500) -> None:
        """A PNG of the top of the page at a desktop width."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.evaluate("window.scrollTo(0, 0)")
        data = self.send("Page.captureScreenshot", format="png")["data"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(data))


def _debugging_port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    """The port Chromium chose, from the DevToolsActivePort file it writes in its profile."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BrowserError(f"chromium exited with {process.returncode} at start")
        if marker.exists():
            lines = marker.read_text().splitlines()
            if lines and lines[0].isdigit():
                return int(lines[0])
        time.sleep(0.05)
    raise BrowserError(f"chromium gave no DevTools port within {START_TIMEOUT} s")


def _page_socket(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=CALL_TIMEOUT) as r:
        targets = json.loads(r.read())
    for target in targets:
        if target.get("type") == "page":
            return str(target["webSocketDebuggerUrl"])
    raise BrowserError("chromium has no page to drive")


@contextmanager
def browser_page(chromium: str | None = None) -> Iterator[Page]:
    """A fresh headless Chromium (its own temporary profile) and its one tab; both go after."""
    binary = chromium or find_chromium()
    if binary is None:
        raise BrowserError("chromium is not installed (run .ci/install-chromium.sh)")
    with tempfile.TemporaryDirectory(prefix="enrich-chromium-") as folder:
        profile = Path(folder)
        command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"]
        # Its own process group: Chromium's helpers (zygote, crash handler) outlive the main
        # process and keep writing into the profile unless the whole group is stopped.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            page = Page(_page_socket(_debugging_port(profile, process)))
            try:
                yield page
            finally:
                page.close()
        finally:
            _stop_group(process)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the browser's whole process group, SIGKILL after 10 s; every member gone."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # helpers that ignored SIGTERM
    ends = time.monotonic() + 2.0
    while time.monotonic() < ends:  # until the group is gone (or only unreaped zombies stay)
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def shipped_records_page(out: Path) -> Path:
    """The HTML page of the shipped list, from a run against the local emulator."""
    from enrich.emit.html import render_html
    from enrich.emit.json import load_records
    from enrich.emulator import Emulator
    from enrich.pipeline import read_inputs, run
    from pipeline_support import emulated_options

    shipped = REPO / "data" / "raw" / "mlsys-reading-list.md"
    with tempfile.TemporaryDirectory(prefix="enrich-html-") as folder:
        with Emulator() as emulator:
            options = emulated_options(Path(folder), emulator.url)
            run(read_inputs([shipped]), options)
        records = load_records(options.out_dir / f"{shipped.stem}.json")
    out.write_text(render_html(records, shipped.stem), encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    """`screenshot [OUT.png]`: the shipped list's page, as docs/html-page.png by default."""
    if not argv or argv[0] != "screenshot" or len(argv) > 2:
        print("usage: python tests/browser_support.py screenshot [OUT.png]", file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else REPO / "docs" / "html-page.png"
    with tempfile.TemporaryDirectory(prefix="enrich-html-") as folder:
        page_file = shipped_records_page(Path(folder) / "page.html")
        with browser_page() as page:
            page.open(page_file)
            page.screenshot(out)
            errors = page.log.errors()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
