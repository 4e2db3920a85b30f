"""Never worse: a bad night for a service leaves the bibliography as good as it was.

One good run of the shipped list against the emulator writes the outputs; then each case
runs again on a fresh cache (as a fresh clone or `--refresh` would) with a fault injected:
a service unreachable, flaky, answering the wrong shape, refusing a batch. For every case,
comparing the previous outputs with the new ones: no field that was present is lost, every
record a failed source had given fields to is marked stale, and the run says a service failed.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from enrich.emit import load_records
from enrich.emulator import Emulator, Faults
from enrich.emulator.services import Answer
from enrich.errors import ExitCode
from enrich.models import EnrichedRecord
from enrich.pipeline import RunOptions, RunReport, read_inputs, run
from http_testkit import expire_all
from pipeline_support import emulated_options

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "data" / "raw" / "mlsys-reading-list.md"
STEM = SHIPPED.stem
UNREACHABLE = "http://127.0.0.1:9"
"""The discard port: nothing listens, so every connection is refused at once."""


class Misbehaving(Emulator):
    """The emulator, with one endpoint's answers replaced by `wrong(answer)`."""

    def __init__(self, endpoint: str, wrong: Callable[[Answer], Answer], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.endpoint, self.wrong = endpoint, wrong

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        from enrich.emulator.server import endpoint_for

        right = super().answer(method, path, query, body)
        return self.wrong(right) if endpoint_for(method, path) == self.endpoint else right


def _hits_as_text(answer: Answer) -> Answer:
    result = dict(answer.body["result"])
    result["hits"] = {**result["hits"], "hit": "<hit/>"}  # a string where a list belongs
    return Answer(200, {"result": result})


CASES: dict[str, tuple[Callable[[ExitStack], tuple[str, str]], set[str]]] = {}
"""Case name -> (start the services, giving DBLP's and S2's URL; the services that fail)."""


def case(name: str, failing: set[str]):
    def register(start: Callable[[ExitStack], tuple[str, str]]):
        CASES[name] = (start, failing)
        return start

    return register


@case("dblp unreachable", {"dblp"})
def _dblp_down(stack: ExitStack) -> tuple[str, str]:
    return UNREACHABLE, stack.enter_context(Emulator()).url


@case("s2 unreachable", {"s2"})
def _s2_down(stack: ExitStack) -> tuple[str, str]:
    return stack.enter_context(Emulator()).url, UNREACHABLE


@case("both unreachable", {"dblp", "s2"})
def _both_down(stack: ExitStack) -> tuple[str, str]:
    return UNREACHABLE, UNREACHABLE


@case("flaky night", {"dblp", "s2"})
def _flaky(stack: ExitStack) -> tuple[str, str]:
    faults = Faults(probability=0.5, seed=7, kinds=("503", "drop"))
    url = stack.enter_context(Emulator(faults=faults)).url
    return url, url


@case("dblp hits of the wrong shape", {"dblp"})
def _dblp_wrong_shape(stack: ExitStack) -> tuple[str, str]:
    url = stack.enter_context(Misbehaving("dblp.search", _hits_as_text)).url
    return url, url


@case("s2 batch answers 500", {"s2"})
def _s2_batch_500(stack: ExitStack) -> tuple[str, str]:
    error = Answer(500, {"message": "Internal Server Error"})
    url = stack.enter_context(Misbehaving("s2.batch", lambda _: error)).url
    return url, url


@case("s2 knows none of the batch's ids", set())
def _s2_all_unknown(stack: ExitStack) -> tuple[str, str]:
    # the real S2's answer to a batch none of whose ids it knows (real-responses/s2)
    refused = Answer(400, {"error": "No valid paper ids given"})
    url = stack.enter_context(Misbehaving("s2.batch", lambda _: refused)).url
    return url, url


def options(dblp: str, s2: str, tmp: Path) -> RunOptions:
    return emulated_options(tmp, dblp, s2, http_changes={"attempts": 3, "read_timeout": 2.0})


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of a run on a good night."""
    tmp = tmp_path_factory.mktemp("good")
    with Emulator() as emulator:
        report = run(read_inputs([SHIPPED]), options(emulator.url, emulator.url, tmp))
    assert report.service_errors == {} and report.lists[0].written
    return tmp / "out"


@pytest.fixture(params=sorted(CASES))
def bad_night(request, good: Path, tmp_path: Path) -> Iterator[tuple[str, set[str], RunReport]]:
    start, failing = CASES[request.param]
    shutil.copytree(good, tmp_path / "out")
    with ExitStack() as stack:
        dblp, s2 = start(stack)
        report = run(read_inputs([SHIPPED]), options(dblp, s2, tmp_path))
    yield request.param, failing, report


def data(record: EnrichedRecord) -> EnrichedRecord:
    """What a record says of its paper, without what a run says of itself."""
    return dataclasses.replace(
        record, match=dataclasses.replace(record.match, notes=()), stale=False, failures={}
    )


def test_a_bad_night_loses_nothing_and_says_what_it_kept(bad_night, good: Path, tmp_path):
    name, failing, report = bad_night
    assert set(report.service_errors) == failing, name
    # a failed service is exit 3; else, as on the good night, some papers are unmatched
    assert report.exit_code == (ExitCode.UNREACHABLE if failing else ExitCode.INCOMPLETE), name
    before = load_records(good / f"{STEM}.json")
    after = load_records(tmp_path / "out" / f"{STEM}.json")
    assert [r.key for r in after] == [r.key for r in before], name
    for then, now in zip(before, after, strict=True):
        assert data(now) == data(then), (name, then.key)
    # the same records, so the same bibliography, to the byte
    for suffix in (".bib", ".csl.json"):
        assert (tmp_path / "out" / f"{STEM}{suffix}").read_bytes() == (
            good / f"{STEM}{suffix}"
        ).read_bytes(), (name, suffix)
    # every record to which a failed source had given a field is stale, and says why
    for then, now in zip(before, report.records, strict=True):
        lost_a_source = set(then.provenance.values()) & set(now.failures)
        if lost_a_source:
            assert now.stale, (name, then.key, now.failures)
            assert any(n.startswith("kept from the previous run") for n in now.match.notes)
        if now.stale:
            assert now.failures, (name, then.key)
    assert any(record.stale for record in report.records) == bool(failing), name


def test_expired_answers_standing_in_during_an_outage_are_said_once_per_service(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    """A month later both services are down: the expired cache answers every lookup, the
    bibliography is the same, and the run says, once per service, that it is an outage."""
    with Emulator() as emulator:
        url = emulator.url
        good = run(read_inputs([SHIPPED]), options(url, url, tmp_path))
    assert expire_all(tmp_path / "cache" / "http.sqlite") > 97
    before = (tmp_path / "out" / f"{STEM}.bib").read_bytes()
    port = int(url.rsplit(":", 1)[1])
    down = Faults(probability=1.0, kinds=("503",))
    with caplog.at_level("INFO"), Emulator(faults=down, port=port):
        report = run(read_inputs([SHIPPED]), options(url, url, tmp_path))
    assert report.exit_code == ExitCode.UNREACHABLE
    assert set(report.service_errors) == {"dblp", "s2"}
    for reason in report.service_errors.values():
        assert reason.endswith("expired cached answers used instead"), reason
    assert report.http.stale["dblp"] > 97 and report.http.stale["s2"] > 0
    assert [data(r) for r in report.records] == [data(r) for r in good.records]
    assert (tmp_path / "out" / f"{STEM}.bib").read_bytes() == before
    # the library's stale-if-error warnings, each with its stack frames, are not shown
    shown = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert not [r for r in shown if r.exc_info or r.name.startswith("requests_cache")]
