#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/test_report_browser.py), which drive
# it with Playwright. A no-op when /usr/bin/chromium exists. Never downloads a browser build
# of its own (no `playwright install`). Without Chromium the browser tests skip, saying why;
# in CI (CI set) a failed install fails here, so that they cannot be skipped unnoticed.
set -u
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
fail() {
    echo "ensure-chromium: $1" >&2
    if [ -n "${CI:-}" ]; then
        echo "ensure-chromium: CI needs Chromium for the browser tests; stopping." >&2
        exit 1
    fi
    echo "ensure-chromium: the browser tests will be skipped." >&2
    exit 0
}
SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "$CHROMIUM is missing and installing it needs root (apt-get install chromium)."
    SUDO="sudo"
fi
command -v apt-get >/dev/null 2>&1 || fail "$CHROMIUM is missing and there is no apt-get to install Debian's chromium."
echo "ensure-chromium: installing Debian's chromium for the browser tests (apt-get)..." >&2
$SUDO apt-get update -qq || fail "apt-get update failed; could not install Debian's chromium."
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || fail "apt-get install chromium failed."
[ -x "$CHROMIUM" ] || fail "apt-get installed chromium but $CHROMIUM is not there."
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null)" >&2
