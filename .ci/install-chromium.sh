#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for tests/test_emit_html.py, which opens the
# HTML page in it and drives it over the DevTools protocol (no chromedriver needed).
# Idempotent and quiet: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "install-chromium: apt-get not found; install Chromium (Debian: chromium) by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# apt's chatter (debconf notes on stderr included) is shown only when a step fails.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-chromium: apt-get failed" >&2
    exit 1
fi
[ -x /usr/bin/chromium ] || { echo "install-chromium: /usr/bin/chromium still missing after install" >&2; exit 1; }
