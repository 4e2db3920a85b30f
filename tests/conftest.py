"""Fixtures shared by the source tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import responses

from enrich.http import HttpClient, HttpConfig
from http_testkit import FakeClock


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


@dataclass(frozen=True)
class ShippedOutputs:
    """What one real run over the shipped reading list wrote."""

    bib: Path
    json: Path
    records: tuple[dict, ...]
    """records[] of the enriched .json beside the .bib, in list order."""


@pytest.fixture(scope="session")
def shipped_outputs(tmp_path_factory: pytest.TempPathFactory) -> ShippedOutputs:
    """The real pipeline, run once per session on data/raw/mlsys-reading-list.md.

    Against the local emulator without faults, with its own output folder and HTTP
    cache; shared by the tests that feed the .bib to LaTeX and to citation-js.
    """
    from enrich.emulator import Emulator
    from enrich.pipeline import read_inputs, run
    from pipeline_support import SHIPPED, emulated_options

    tmp = tmp_path_factory.mktemp("shipped-outputs")
    with Emulator() as emulator:
        options = emulated_options(tmp, emulator.url, http_changes={"attempts": 2})
        report = run(read_inputs([SHIPPED]), options)
    assert report.service_errors == {}, report.service_errors
    bib = options.out_dir / "mlsys-reading-list.bib"
    data = options.out_dir / "mlsys-reading-list.json"
    records = json.loads(data.read_text(encoding="utf-8"))["records"]
    return ShippedOutputs(bib=bib, json=data, records=tuple(records))


@pytest.fixture
def clock() -> FakeClock:
    """A clock the HTTP tests move by hand: rate limits and backoff without waiting."""
    return FakeClock()


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    """`responses` for the HTTP tests; a test module that needs every mock fired overrides it."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
