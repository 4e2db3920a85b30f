#!/usr/bin/env bash
# Installs the TeX tools tests/test_emit_tex.py needs (pdflatex + bibtex with plain.bst,
# biblatex + biber), and nothing else. Idempotent and quiet: does nothing when the
# tools are already there. Debian/Ubuntu packages:
#   texlive-latex-base         pdflatex, bibtex, plain.bst, url.sty
#   texlive-latex-recommended  etoolbox.sty (biblatex needs it)
#   texlive-bibtex-extra       biblatex.sty, logreq.sty
#   biber                      biblatex's backend
set -euo pipefail

PACKAGES=(texlive-latex-base texlive-latex-recommended texlive-bibtex-extra biber)

have_tools() {
    command -v pdflatex >/dev/null && command -v bibtex >/dev/null \
        && command -v biber >/dev/null && command -v kpsewhich >/dev/null \
        && [ -n "$(kpsewhich plain.bst)" ] && [ -n "$(kpsewhich biblatex.sty)" ] \
        && [ -n "$(kpsewhich etoolbox.sty)" ]
}

if have_tools; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "install-tex: apt-get not found; install ${PACKAGES[*]} (or TeX Live with biblatex and biber) by hand" >&2
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
