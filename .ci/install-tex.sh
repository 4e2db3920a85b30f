#!/usr/bin/env bash
# Installs the TeX tools the LaTeX acceptance tests need, and nothing else:
# tests/test_emit_tex.py (pdflatex + bibtex with plain.bst, biblatex + biber) and
# tests/test_emit_bib_consumers.py (the full run's .bib under plainnat, IEEEtran,
# ACM-Reference-Format and biblatex, read back from the PDF with pdftotext).
# Idempotent and quiet: does nothing when the tools are already there.
# Debian/Ubuntu packages:
#   texlive-latex-base         pdflatex, bibtex, plain.bst (via texlive-base), url.sty,
#                              natbib.sty, plainnat.bst
#   texlive-latex-recommended  etoolbox.sty (biblatex needs it)
#   texlive-bibtex-extra       biblatex.sty, logreq.sty
#   biber                      biblatex's backend
#   texlive-publishers         IEEEtran.cls/.bst, acmart.cls, ACM-Reference-Format.bst
#   texlive-latex-extra        what acmart loads besides: xstring, totpages, environ,
#                              hyperxmp, manyfoot, comment, draftwatermark, ...
#   texlive-fonts-recommended  Times (ptm), which IEEEtran.cls typesets in
#   poppler-utils              pdftotext
# acmart's own fonts (libertine, inconsolata, newtxmath) are in texlive-fonts-extra
# (1.4 GB): without them acmart warns and falls back to Computer Modern, which is
# all a bibliography check needs.
set -euo pipefail

PACKAGES=(
    texlive-latex-base texlive-latex-recommended texlive-bibtex-extra biber
    texlive-publishers texlive-latex-extra texlive-fonts-recommended poppler-utils
)
TEX_FILES=(
    plain.bst biblatex.sty etoolbox.sty
    natbib.sty plainnat.bst IEEEtran.cls IEEEtran.bst acmart.cls ACM-Reference-Format.bst
    xstring.sty totpages.sty environ.sty hyperxmp.sty manyfoot.sty comment.sty ptmr7t.tfm
)

have_tools() {
    local program name
    for program in pdflatex bibtex biber kpsewhich pdftotext; do
        command -v "$program" >/dev/null || return 1
    done
    for name in "${TEX_FILES[@]}"; do
        [ -n "$(kpsewhich "$name")" ] || return 1
    done
}

if have_tools; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "install-tex: apt-get not found; install ${PACKAGES[*]} (or TeX Live with biblatex, biber, IEEEtran, acmart and poppler's pdftotext) by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
have_tools || { echo "install-tex: TeX tools still missing after install" >&2; exit 1; }
