"""Runs of the real pipeline against the local emulator: one way to set them up.

`emulated_options` is what every end-to-end test passes to `pipeline.run`: its own output
folder, cache and overrides file under `tmp`, both services at the emulator's URLs, and
an HTTP configuration with no rate limit and quick retries (`fast_http`). A test that
needs other retry or timeout settings says so in `http_changes`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from enrich.http import HttpConfig
from enrich.pipeline import RunOptions

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "data" / "raw" / "mlsys-reading-list.md"


def fast_http(cache_path: Path, **changes: Any) -> HttpConfig:
    """The emulator is local: no rate limit, retries in hundredths of a second."""
    config = HttpConfig(
        cache_path=cache_path,
        rates={"dblp": 1000.0, "s2": 1000.0},
        backoff_initial=0.01,
        backoff_max=0.02,
        max_retry_after=0.02,
        connect_timeout=1.0,
    )
    return dataclasses.replace(config, **changes)


def emulated_options(
    tmp: Path,
    dblp_url: str,
    s2_url: str | None = None,
    *,
    http_changes: dict[str, Any] | None = None,
    **changes: Any,
) -> RunOptions:
    """Options for a run under `tmp` against the emulator (`s2_url` defaults to `dblp_url`)."""
    return RunOptions(
        out_dir=tmp / "out",
        http=fast_http(tmp / "cache" / "http.sqlite", **(http_changes or {})),
        dblp_url=dblp_url,
        s2_url=s2_url or dblp_url,
        overrides=tmp / "overrides.csv",
        **{"jobs": 4, **changes},
    )
