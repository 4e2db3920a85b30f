"""Acceptance: a reference manager imports the .bib with type, authors, year, DOI, URL.

Zotero cannot run headless in CI; citation-js (the BibTeX importer behind several
reference tools) stands in for it. Zotero's own importer also keeps the arXiv id
from `eprint` + `eprinttype`, which citation-js drops (it maps eprint only for
PubMed), so the arXiv id is checked through the URL here.
Needs node and `.ci/install-citation-js.sh`; skipped, saying so, without them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from emit_support import HOSTILE_TITLES, as_latex_reads_it, hostile_record, mixed_records
from enrich.emit.bibtex import bibtex_type, to_bibtex
from enrich.emit.fields import author_names, primary_url, year_of
from enrich.emit.keys import assign_keys
from enrich.emit.names import split_name

TOOL_DIR = Path(__file__).parent / "citationjs"
_IMPORTED_TYPE = {
    "inproceedings": "paper-conference",
    "article": "article-journal",
    "misc": "document",
    "book": "book",
    "incollection": "chapter",
}


def _import(bib: str, tmp_path: Path) -> list[dict]:
    if shutil.which("node") is None:
        pytest.skip("Zotero-import check needs node (Debian: nodejs)")
    if not (TOOL_DIR / "node_modules" / "@citation-js" / "plugin-bibtex").is_dir():
        pytest.skip("Zotero-import check needs citation-js: run .ci/install-citation-js.sh")
    path = tmp_path / "refs.bib"
    path.write_text(bib, encoding="utf-8")
    result = subprocess.run(
        ["node", str(TOOL_DIR / "import-bib.js"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _code_points_back(text: str) -> str:
    return re.sub(r"\[U\+([0-9A-F]{4,6})\]", lambda m: chr(int(m.group(1), 16)), text)


def test_every_entry_keeps_type_authors_year_doi_url(tmp_path: Path) -> None:
    hostile = [hostile_record(p.values[0]) for p in HOSTILE_TITLES]
    records = assign_keys([*mixed_records(), *hostile], {})
    items = _import(to_bibtex(records), tmp_path)
    assert [i["id"] for i in items] == [r.key for r in records]
    for record, item in zip(records, items, strict=True):
        assert item["type"] == _IMPORTED_TYPE[bibtex_type(record)], record.key
        expected_authors = [split_name(n) for n in author_names(record)]
        assert [(a["family"], a["given"]) for a in item.get("author", [])] == [
            (n.family, n.given) for n in expected_authors
        ]
        assert item["issued"] == {"date-parts": [[year_of(record)]]}
        assert item.get("DOI") == record.doi
        assert item.get("URL") == primary_url(record)
        assert _code_points_back(item["title"]) == as_latex_reads_it(record.title)


def test_mu_comes_back_as_mu(tmp_path: Path) -> None:
    records = assign_keys(mixed_records(), {})
    items = {i["id"]: i for i in _import(to_bibtex(records), tmp_path)}
    assert items["kim2019mulayer"]["title"].startswith("\u03bcLayer: Low Latency")
    assert items["anon2022achieving"]["title"].startswith("Achieving \u03bcs-scale")
