"""A whole run against a service whose every field is hostile: markup, a heading smuggled in
by a newline, NUL, a bidi override, `javascript:` links, an echoed key. The run ends with its
usual exit code and one-line messages, and no output carries the attack as it was sent."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from hostile_servers import Request, answer, serving

KEY = "fixture-s2-key-Hostile9"
MARKUP = "<img src=x onerror=alert(1)><script>alert(2)</script>"
SMUGGLED = "\n## injected heading\n"
CONTROLS = "\x00\x1b[31m\u202e"
HOSTILE = MARKUP + SMUGGLED + CONTROLS + "[/] [bold]"
LINK = "javascript:alert(3)"

LIST = """# Hostile answers
- [OSDI '22] Example Study of Hostile Answers
- [OSDI '22] Second Example Study of Smuggled Headings
"""


def _dblp_hit(title: str, key: str, venue: str = "OSDI" + HOSTILE) -> dict:
    return {
        "info": {
            "authors": {"author": [{"@pid": "00/0000", "text": "Ann Example" + HOSTILE}]},
            "title": title,
            "venue": venue,
            "pages": "1-2" + HOSTILE,
            "year": "2022",
            "type": "Conference and Workshop Papers",
            "key": key,
            "ee": LINK,
            "url": LINK,
        }
    }


def _s2_paper(title: str) -> dict:
    return {
        "paperId": "0000000000000000000000000000000000example",
        "title": title,
        "venue": "OSDI",
        "year": 2022,
        "url": LINK,
        "openAccessPdf": {"url": "data:text/html,<script>alert(4)</script>"},
        "externalIds": {"DBLP": "conf/osdi/Example22"},
        "authors": [{"authorId": "1", "name": "Ann Example" + HOSTILE}],
    }


def _service(request: Request):
    path = urlsplit(request.path).path
    query = parse_qs(urlsplit(request.path).query)
    echo = {"X-Echo": request.headers.get("x-api-key", "")}
    if path == "/search/publ/api":
        asked = query.get("q", [""])[0]
        hits = [
            _dblp_hit("Example Study of Hostile Answers.", "conf/osdi/Example22", "OSDI"),
            _dblp_hit("Second Example Study" + HOSTILE, "conf/osdi/" + MARKUP + SMUGGLED),
        ]
        body = {"result": {"query": asked + HOSTILE, "hits": {"@total": "2", "hit": hits}}}
        yield from answer(json.dumps(body).encode(), **echo)
    elif path == "/graph/v1/paper/search/match":
        title = query.get("query", [""])[0]
        yield from answer(json.dumps({"data": [_s2_paper(title)]}).encode(), **echo)
    elif path == "/graph/v1/paper/batch":
        yield from answer(json.dumps([_s2_paper("Example Study of Hostile Answers")]).encode())
    else:  # the record export: a hostile HTML page where BibTeX was asked for
        yield from answer(f"<html>{HOSTILE} {KEY}</html>".encode(), Content_Type="text/html")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    reading_list = root / "list.md"
    reading_list.write_text(LIST, encoding="utf-8")
    with serving(_service) as server:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(root),
            "ENRICH_DBLP_URL": server.url,
            "ENRICH_S2_URL": server.url,
            "ENRICH_RATE_DBLP": "1000",
            "ENRICH_RATE_S2": "1000",
            "ENRICH_HTTP_ATTEMPTS": "1",
            "S2_API_KEY": KEY,
        }
        command = [sys.executable, "-m", "enrich", "run", str(reading_list), "--verbose"]
        command += ["--out", str(root / "out"), "--cache", str(root / "cache.sqlite")]
        command += ["--overrides", str(root / "overrides.csv")]
        result = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120
        )
        command[command.index("run")] = "resolve"  # prints each paper's outcome, records' text
        shown = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120
        )
    return result, shown, root / "out"


def test_the_run_ends_as_usual_in_one_line_messages(hostile_run) -> None:
    for result in hostile_run[:2]:
        assert result.returncode in (0, 1, 3), result.stderr
        assert "Traceback" not in result.stderr
        for line in (result.stdout + result.stderr).splitlines():
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", line), line
        assert KEY not in result.stdout + result.stderr
    assert "Hostile" in hostile_run[1].stdout and "status" in hostile_run[1].stdout


def test_no_output_holds_a_link_that_is_not_http(hostile_run) -> None:
    out = hostile_run[2]
    outputs = sorted(p for p in out.iterdir() if p.is_file())
    assert {p.suffix for p in outputs} >= {".bib", ".csv", ".json", ".html", ".md"}
    for output in outputs:
        text = output.read_text(encoding="utf-8")
        assert "javascript:alert" not in text, output.name
        assert "data:text/html" not in text, output.name
        assert KEY not in text, output.name


def test_the_json_says_which_links_were_left_out(hostile_run) -> None:
    out = hostile_run[2]
    document = json.loads((out / "list.json").read_text(encoding="utf-8"))
    notes = [note for record in document["records"] for note in record["match"]["notes"]]
    assert any("left out: javascript: link, not http(s)" in note for note in notes), notes


def test_the_review_holds_no_live_markup_heading_or_control(hostile_run) -> None:
    out = hostile_run[2]
    review = (out / "list.review.md").read_text(encoding="utf-8")
    assert "Example Study" in review  # the papers are there, their service text with them
    assert "<img" not in review and "<script" not in review
    assert not re.search(r"^#+ injected", review, re.MULTILINE)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", review)
