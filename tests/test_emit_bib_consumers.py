"""Acceptance: the .bib of a full run reads well in the LaTeX styles papers are written in.

The real pipeline runs once per session over the shipped list against the local
emulator (the `shipped_outputs` fixture in conftest.py); its .bib is compiled, once
per style and with `\\nocite{*}`, under natbib's plainnat, IEEEtran, acmart's
ACM-Reference-Format (all pdflatex + bibtex) and biblatex + biber. Each must compile
without an error and list every entry; plainnat and IEEEtran without a BibTeX warning;
ACM-Reference-Format without "empty publisher"/"empty booktitle" where the record has
them. The PDF, read back with pdftotext, must show no word of the tool's own (notes,
statuses) and must show every conference paper's proceedings title and publisher.
Needs TeX Live, the publishers' styles and poppler-utils (.ci/install-tex.sh);
each style is skipped, saying so, where its tools are missing.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tex_support import missing_tex_tools, run_tex

PLAINNAT = r"""\documentclass{article}
\usepackage{natbib}
\usepackage{url}
\pagestyle{empty}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{refs}
\end{document}
"""
IEEETRAN = r"""\documentclass{IEEEtran}
\usepackage{url}
\pagestyle{empty}
\begin{document}
\nocite{*}
\bibliographystyle{IEEEtran}
\bibliography{refs}
\end{document}
"""
# sigconf as an ACM author uses it; the rights block, the ACM reference of the
# (nonexistent) paper itself, page numbers and running heads are switched off, here
# and in every document, so the PDF holds the references only: a running head read
# back in the middle of a proceedings title broken across pages would hide it.
ACM = r"""\documentclass[sigconf]{acmart}
\settopmatter{printacmref=false, printfolios=false}
\setcopyright{none}
\renewcommand\footnotetextcopyrightpermission[1]{}
\title{Reading list}
\author{A. Reader}
\begin{document}
\maketitle
\pagestyle{empty}
\nocite{*}
\bibliographystyle{ACM-Reference-Format}
\bibliography{refs}
\end{document}
"""
BIBLATEX = r"""\documentclass{article}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\pagestyle{empty}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


@dataclass(frozen=True)
class Style:
    name: str
    tex: str
    backend: str  # "bibtex" or "biber"
    files: tuple[str, ...]
    strict_bibtex: bool
    """Zero BibTeX warnings (plainnat, IEEEtran); ACM-Reference-Format warns by design."""
    log_problem: re.Pattern[str]


# Anything LaTeX reports as a problem: errors, missing glyphs, undefined commands,
# and every warning (undefined citations among them).
_STRICT_LOG = re.compile(r"^!|Warning|Missing character|Undefined control sequence", re.M)
# acmart always warns about its missing fonts (texlive-fonts-extra, 1.4 GB, is not
# installed), CCS concepts, keywords and \balance: none of that concerns the
# bibliography. Errors, missing glyphs and undefined citations still count.
_ACM_LOG = re.compile(
    r"^!|Missing character|Undefined control sequence"
    r"|LaTeX Warning: (Citation|Reference|There were undefined)",
    re.M,
)
STYLES = {
    "plainnat": Style(
        "plainnat", PLAINNAT, "bibtex", ("natbib.sty", "plainnat.bst"), True, _STRICT_LOG
    ),
    "IEEEtran": Style(
        "IEEEtran",
        IEEETRAN,
        "bibtex",
        ("IEEEtran.cls", "IEEEtran.bst", "ptmr7t.tfm"),
        True,
        _STRICT_LOG,
    ),
    "ACM-Reference-Format": Style(
        "ACM-Reference-Format",
        ACM,
        "bibtex",
        ("acmart.cls", "ACM-Reference-Format.bst", "xstring.sty", "hyperxmp.sty"),
        False,
        _ACM_LOG,
    ),
    "biblatex": Style("biblatex", BIBLATEX, "biber", ("biblatex.sty",), True, _STRICT_LOG),
}
TOOL_TEXT = re.compile(
    r"\b(enrich|unmatched|pinned|overrides|kept from|differs from|accepted because)\b", re.I
)


@dataclass(frozen=True)
class Compiled:
    style: Style
    keys: tuple[str, ...]
    records: tuple[dict, ...]
    log: str
    blg: str
    backend_out: str
    bbl: str
    text: str
    """What pdftotext reads in the PDF."""


def _pdflatex(cwd: Path) -> None:
    result = run_tex(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex"], cwd)
    assert result.returncode == 0, result.stdout[-3000:]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


@pytest.fixture(scope="module", params=list(STYLES), ids=list(STYLES))
def compiled(request, shipped_outputs, tmp_path_factory) -> Compiled:
    """The full run's .bib compiled once under one style: logs, .bbl and the PDF's text."""
    style = STYLES[request.param]
    missing = missing_tex_tools(("pdflatex", style.backend, "pdftotext"), style.files)
    if missing:
        pytest.skip(
            f"{style.name} acceptance needs {missing}; run .ci/install-tex.sh to install them"
        )
    cwd = tmp_path_factory.mktemp(f"tex-{style.name}")
    shutil.copyfile(shipped_outputs.bib, cwd / "refs.bib")
    (cwd / "main.tex").write_text(style.tex, encoding="utf-8")
    _pdflatex(cwd)
    backend = run_tex([style.backend, "main"], cwd)
    assert backend.returncode == 0, backend.stdout[-3000:]
    _pdflatex(cwd)
    _pdflatex(cwd)
    text = run_tex(["pdftotext", "-enc", "UTF-8", "main.pdf", "-"], cwd)
    assert text.returncode == 0, text.stderr
    return Compiled(
        style=style,
        keys=tuple(r["key"] for r in shipped_outputs.records),
        records=shipped_outputs.records,
        log=_read(cwd / "main.log"),
        blg=_read(cwd / "main.blg"),
        backend_out=backend.stdout,
        bbl=_read(cwd / "main.bbl"),
        text=text.stdout,
    )


def _bibitem_keys(bbl: str) -> list[str]:
    r"""The keys of `\bibitem[label]{key}`, where the label may hold braces and a newline."""
    keys = []
    for found in re.finditer(r"\\bibitem\b", bbl):
        i = found.end()
        i = _skip_space(bbl, i)
        if bbl.startswith("[", i):
            depth = 0
            while i < len(bbl):
                ch = bbl[i]
                depth += ch == "{"
                depth -= ch == "}"
                i += 1
                if ch == "]" and depth == 0:
                    break
            i = _skip_space(bbl, i)
        key = re.match(r"\{([^{}]*)\}", bbl[i:])
        assert key, bbl[found.start() : found.start() + 300]
        keys.append(key.group(1))
    return keys


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and (text[i].isspace() or text[i] == "%"):
        i += 1
    return i


def _squash(text: str) -> str:
    """Letters and digits only, case-folded, accents off: what survives line breaking.

    pdftotext joins a word hyphenated at a line's end (dropping the hyphen, even a
    real one: "Memory-balanced" can come back as "Memorybalanced"), and a style may
    break a line anywhere between words; ligatures come back as one code point.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.casefold() if c.isalnum())


def _conference_papers(records: tuple[dict, ...]) -> list[dict]:
    return [
        r
        for r in records
        if r.get("type") == "inproceedings" and r.get("venue_full") and r.get("publisher")
    ]


def test_compiles_without_errors(compiled: Compiled) -> None:
    problems = [ln for ln in compiled.log.splitlines() if compiled.style.log_problem.search(ln)]
    assert problems == [], "\n".join(problems)
    if compiled.style.backend == "bibtex":
        errors = re.findall(
            r"^.*(?:error message|I'm skipping|I was expecting|I couldn't open).*$",
            compiled.blg,
            re.M,
        )
        assert errors == [], compiled.blg[-3000:]
    else:
        errors = [ln for ln in compiled.backend_out.splitlines() if ln.startswith("ERROR")]
        assert errors == [], "\n".join(errors)


def test_no_bibtex_warnings(compiled: Compiled) -> None:
    if compiled.style.backend == "biber":
        warnings = [ln for ln in compiled.backend_out.splitlines() if ln.startswith("WARN")]
        assert warnings == [], "\n".join(warnings)
        return
    warnings = re.findall(r"^Warning--.*$", compiled.blg, re.M)
    if compiled.style.strict_bibtex:
        assert warnings == [], "\n".join(warnings)
        return
    # ACM-Reference-Format warns about every missing address, numpages, author (for
    # the list's unmatched papers); it must not miss a publisher or proceedings title
    # the record has.
    expected = {
        "publisher": {r["key"] for r in compiled.records if r.get("publisher")},
        "booktitle": {r["key"] for r in compiled.records if r.get("venue_full")},
    }
    wrong = [
        line
        for line in warnings
        if (m := re.match(r"Warning--empty (publisher|booktitle) in (\S+)", line))
        and m.group(2) in expected[m.group(1)]
    ]
    assert wrong == [], "\n".join(wrong)


def test_every_entry_in_the_bibliography(compiled: Compiled) -> None:
    if compiled.style.backend == "biber":
        found = re.findall(r"\\entry\{([^}]*)\}", compiled.bbl)
    else:
        found = _bibitem_keys(compiled.bbl)
    assert len(compiled.keys) == 97
    assert sorted(found) == sorted(compiled.keys)


def test_no_tool_text_in_the_references(compiled: Compiled) -> None:
    lines = [ln for ln in compiled.text.splitlines() if TOOL_TEXT.search(ln)]
    assert lines == [], "\n".join(lines)


def test_conference_papers_show_proceedings_title_and_publisher(compiled: Compiled) -> None:
    """Each conference paper's whole proceedings title and its publisher, read back.

    Compared squashed (see _squash), so a title broken across lines, columns or pages
    still counts; and counted per paper, since papers of one proceedings share it.
    """
    papers = _conference_papers(compiled.records)
    assert papers, "no conference paper in the run has a proceedings title and a publisher"
    text = _squash(compiled.text)
    for field in ("venue_full", "publisher"):
        wanted = Counter(_squash(r[field]) for r in papers)
        spelled = {_squash(r[field]): r[field] for r in papers}
        short = [
            f"{spelled[value]!r}: {text.count(value)} of {n}"
            for value, n in wanted.items()
            if text.count(value) < n
        ]
        assert short == [], f"{field} missing from the rendered references: {short}"
