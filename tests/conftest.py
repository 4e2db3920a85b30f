"""Fixtures shared by the source tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from enrich.http import HttpClient, HttpConfig


@pytest.fixture
def client(tmp_path: Path) -> Iterator[HttpClient]:
    """A real HttpClient with its own cache, no rate limit and no waiting between tries."""
    config = HttpConfig(
        cache_path=tmp_path / "http.sqlite",
        rates={"dblp": 1000.0, "s2": 1000.0},
        attempts=2,
        backoff_initial=0.0,
        backoff_max=0.0,
        max_retry_after=0.0,
    )
    http = HttpClient(config)
    yield http
    http.close()
