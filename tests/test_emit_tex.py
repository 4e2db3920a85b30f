"""Acceptance: the .bib compiles with pdflatex + bibtex and biblatex + biber, cleanly.

Zero errors, zero warnings, and every entry in the bibliography, for the real
papers and for every hostile title. Needs TeX Live (.ci/install-tex.sh installs
it in CI); skipped, saying so, where the tools are missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from emit_support import HOSTILE_TITLES, hostile_record, mixed_records
from enrich.emit.bibtex import to_bibtex
from enrich.emit.keys import assign_keys
from tex_support import missing_tex_tools, run_tex

CLASSIC = r"""\documentclass{article}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
BIBLATEX = r"""\documentclass{article}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""
_LOG_PROBLEM = re.compile(r"^!|Warning|Missing character|Undefined control sequence", re.M)


def _records():
    hostile = [hostile_record(p.values[0]) for p in HOSTILE_TITLES]
    return assign_keys([*mixed_records(), *hostile], {})


def _document(tmp_path: Path, tex: str) -> tuple[Path, list[str]]:
    records = _records()
    (tmp_path / "refs.bib").write_text(to_bibtex(records), encoding="utf-8")
    (tmp_path / "main.tex").write_text(tex, encoding="utf-8")
    return tmp_path, [r.key for r in records]


def _pdflatex(cwd: Path) -> None:
    result = run_tex(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex"], cwd)
    assert result.returncode == 0, result.stdout[-3000:]


def _assert_clean_log(cwd: Path) -> None:
    log = (cwd / "main.log").read_text(encoding="utf-8", errors="replace")
    problems = [line for line in log.splitlines() if _LOG_PROBLEM.search(line)]
    assert problems == [], "\n".join(problems)


def test_pdflatex_and_bibtex_plain(tmp_path: Path) -> None:
    missing = missing_tex_tools(("pdflatex", "bibtex"), ("plain.bst",))
    if missing:
        pytest.skip(f"LaTeX acceptance needs {missing}; run .ci/install-tex.sh to install TeX Live")
    cwd, keys = _document(tmp_path, CLASSIC)
    _pdflatex(cwd)
    bibtex = run_tex(["bibtex", "main"], cwd)
    blg = (cwd / "main.blg").read_text(encoding="utf-8", errors="replace")
    assert bibtex.returncode == 0, bibtex.stdout
    assert not re.search(r"^Warning--|error message|I'm skipping|I was expecting", blg, re.M), blg
    _pdflatex(cwd)
    _pdflatex(cwd)
    _assert_clean_log(cwd)
    bbl = (cwd / "main.bbl").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\\bibitem\{([^}]*)\}", bbl)) == sorted(keys)


def test_biblatex_and_biber(tmp_path: Path) -> None:
    missing = missing_tex_tools(("pdflatex", "biber"), ("biblatex.sty",))
    if missing:
        pytest.skip(f"LaTeX acceptance needs {missing}; run .ci/install-tex.sh to install TeX Live")
    cwd, keys = _document(tmp_path, BIBLATEX)
    _pdflatex(cwd)
    biber = run_tex(["biber", "main"], cwd)
    assert biber.returncode == 0, biber.stdout
    problems = [ln for ln in biber.stdout.splitlines() if ln.startswith(("WARN", "ERROR"))]
    assert problems == [], "\n".join(problems)
    _pdflatex(cwd)
    _pdflatex(cwd)
    _assert_clean_log(cwd)
    bbl = (cwd / "main.bbl").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\\entry\{([^}]*)\}", bbl)) == sorted(keys)
