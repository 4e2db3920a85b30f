#!/usr/bin/env bash
# Installs citation-js (pinned by tests/citationjs/package-lock.json), the stand-in for
# Zotero's BibTeX import used by tests/test_emit_import.py. Needs node and npm
# (Debian: nodejs npm). Idempotent and quiet: does nothing when already installed.
set -euo pipefail
cd "$(dirname "$0")/../tests/citationjs"
if [ -d node_modules/@citation-js/plugin-bibtex ]; then
    exit 0
fi
if ! command -v npm >/dev/null; then
    echo "install-citation-js: npm not found; install Node.js (Debian: nodejs npm)" >&2
    exit 1
fi
npm ci --silent --no-audit --no-fund >/dev/null
