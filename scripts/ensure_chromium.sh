#!/bin/sh
# Make sure a Chromium exists for the browser tests and the benchmark.
# $CHROMIUM, if set, names the reader's own; otherwise Debian's /usr/bin/chromium,
# installed with apt-get when missing and we are root.
set -e
if [ -n "$CHROMIUM" ]; then
  [ -x "$CHROMIUM" ] || { echo "CHROMIUM=$CHROMIUM is not an executable" >&2; exit 1; }
  exit 0
fi
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium found. Install Debian's 'chromium' package, or set CHROMIUM=/path/to/chromium." >&2
exit 1
