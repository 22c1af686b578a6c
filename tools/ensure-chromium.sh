#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (tests/test_report_browser.py).
# A no-op when /usr/bin/chromium exists. Never downloads a browser build of its own: the tests
# drive this system Chromium with Playwright. Without it they skip, saying why.
set -u
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "ensure-chromium: $CHROMIUM is missing and installing it needs root (apt-get install chromium);" \
         "the browser tests will be skipped." >&2
    exit 0
fi
SUDO=""
[ "$(id -u)" != 0 ] && SUDO="sudo"
echo "ensure-chromium: installing Debian's chromium (apt-get) for the browser tests..." >&2
if $SUDO apt-get update -qq && \
   DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; then
    echo "ensure-chromium: installed $($CHROMIUM --version 2>/dev/null)" >&2
else
    echo "ensure-chromium: could not install Debian's chromium (apt-get failed);" \
         "the browser tests will be skipped." >&2
fi
exit 0
