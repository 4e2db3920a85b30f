"""What counts as an answer: judged before anything is cached or used.

A source declares, with each request, what it can read (`Expect`): the shape of a 200's JSON,
and which other statuses are definitive answers (404 unless it says otherwise; S2's batch adds
its 400 "No valid paper ids given"). An answer outside that is a failure, never "no results":
a 200 of the wrong kind is retried like a 5xx and never cached. The declaration travels in a
context variable, because requests-cache asks its filter and its allowed statuses about a
response without saying which request it answers.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import requests

Shape = Callable[[Any], str | None]
"""Checks a 200's decoded JSON: None when the source can read it, else what is wrong with it."""
BodyCheck = Callable[[Any], bool]
"""Whether the decoded JSON of a non-200 status is the definitive answer the source declared."""

BIBTEX_ACCEPT = "application/x-bibtex, text/x-bibtex;q=0.9, text/plain;q=0.5"
"""What a request for a BibTeX export sends as Accept; answers are recognised by it."""
_DECODED = "_enrich_decoded_json"


def any_shape(data: Any) -> str | None:
    """Every JSON value is readable: for callers that declare nothing."""
    return None


def any_body(body: Any) -> bool:
    return True


@dataclass(frozen=True)
class Expect:
    """What the source of one request accepts as its answer."""

    shape: Shape = any_shape
    answers: Mapping[int, BodyCheck] = field(
        default_factory=lambda: MappingProxyType({404: any_body})
    )
    """Statuses besides 200 that are definitive answers, cached like a result, when their JSON
    body passes the check. 404 ("no such thing") unless the source declares otherwise."""

    def __post_init__(self) -> None:
        if 200 in self.answers:
            raise ValueError("a 200 is judged by `shape`, not by `answers`")


ANYTHING = Expect()
_expected: ContextVar[Expect] = ContextVar("enrich_http_expect", default=ANYTHING)


@contextmanager
def expecting(expect: Expect) -> Iterator[None]:
    """Declare what the requests made in this block (this thread) accept as answers."""
    token = _expected.set(expect)
    try:
        yield
    finally:
        _expected.reset(token)


def expected() -> Expect:
    return _expected.get()


class _AnswerStatuses(Collection[int]):
    """The statuses that can answer the current request: 200 and those its source declared.

    Given to requests-cache as its allowed statuses, so only these are ever stored, and
    any other status is an error even where an expired entry could answer instead.
    """

    def __contains__(self, status: object) -> bool:
        return status == 200 or status in expected().answers

    def __iter__(self) -> Iterator[int]:
        return iter((200, *expected().answers))

    def __len__(self) -> int:
        return 1 + len(expected().answers)


ANSWER_STATUSES = _AnswerStatuses()


def describe(value: Any) -> str:
    """A JSON value's kind, for a message: "a string", "an object", "null"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def not_objects(items: list[Any], where: str, nulls: bool = False) -> str | None:
    """What is wrong with a list that must hold objects (or also nulls); None when nothing is."""
    for number, item in enumerate(items):
        if not isinstance(item, dict) and not (nulls and item is None):
            return f"{where}[{number}] is {describe(item)}, not an object"
    return None


def wants_bibtex(response: requests.Response) -> bool:
    request = response.request
    return request is not None and request.headers.get("Accept") == BIBTEX_ACCEPT


def looks_like_bibtex(response: requests.Response) -> bool:
    """A BibTeX body: not an HTML error or bot-check page, and starting with an entry."""
    content_type = response.headers.get("Content-Type", "").lower()
    if "html" in content_type:
        return False
    return response.content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"@"


def looks_like_json(response: requests.Response) -> bool:
    """A JSON body, judged by content type and first byte (DBLP's 429/bot-check pages are HTML)."""
    content_type = response.headers.get("Content-Type", "").lower()
    if "html" in content_type or "xml" in content_type:
        return False
    return response.content.lstrip()[:1] in (b"{", b"[")


def decode_json(response: requests.Response) -> tuple[bool, Any]:
    """(True, data) for a JSON body, (False, None) for anything else.

    Decoded strictly as UTF-8 (RFC 8259), whatever charset the headers claim: requests would
    fall back to a lossy decode, turning a damaged body into plausible text. Decoded once per
    response: requests-cache runs the cache filter twice on each answer (fresh or cached) and
    the client then reads it, and a 500-paper S2 batch is ~60 KB.
    """
    known = response.__dict__.get(_DECODED)
    if known is not None:
        return known
    decoded: tuple[bool, Any] = (False, None)
    if looks_like_json(response):
        with contextlib.suppress(ValueError):  # UnicodeDecodeError is a ValueError too
            decoded = (True, json.loads(response.content.decode("utf-8")))
    response.__dict__[_DECODED] = decoded
    return decoded


def content_kind(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "no content type").split(";")[0]


def body_problem(response: requests.Response) -> str | None:
    """What is wrong with the body of a response whose status can answer the current request:
    not the kind asked for (BibTeX, JSON), or a 200's JSON the source cannot read. None when
    nothing is (a declared status's body may still not be the declared answer: is_answer)."""
    if wants_bibtex(response):
        if response.status_code == 404 or looks_like_bibtex(response):
            return None
        return f"answered with {content_kind(response)}, not BibTeX (an error or bot-check page?)"
    is_json, data = decode_json(response)
    if not is_json:
        return f"answered with {content_kind(response)}, not JSON (an error or bot-check page?)"
    if response.status_code != 200:
        return None
    what = expected().shape(data)
    return None if what is None else f"answered with JSON of an unexpected shape: {what}"


def is_answer(response: requests.Response) -> bool:
    """The response answers the current request as its source declared: it may be cached and used.

    A BibTeX export's 404 is "no such record", whatever its page says.
    """
    status = response.status_code
    if status not in ANSWER_STATUSES or body_problem(response) is not None:
        return False
    if status == 200 or wants_bibtex(response):
        return True
    return expected().answers[status](decode_json(response)[1])


class UnsoundAnswer(requests.exceptions.RequestException):
    """A fresh response whose status could answer the request but which is no answer to it.

    Raised where the response arrives (the transport adapter), before requests-cache sees it:
    so it is never stored, and an expired entry still answers in its place when one can. A
    200 is retried like a 5xx; any other status is the service's final word.
    """

    response: requests.Response

    def __init__(self, response: requests.Response) -> None:
        self.status = response.status_code
        self.retryable = self.status == 200
        problem = body_problem(response)
        self.reason = f"HTTP {self.status} {problem}" if problem else f"HTTP {self.status}"
        super().__init__(self.reason, response=response)


def refuse_unsound(response: requests.Response) -> None:
    """Raise UnsoundAnswer for a response that could answer the current request but does not."""
    if response.status_code in ANSWER_STATUSES and not is_answer(response):
        raise UnsoundAnswer(response)
