#!/bin/sh
# Make sure the browser-side tools exist for the browser tests, the benchmark and
# the PDF: Chromium ($CHROMIUM, or Debian's /usr/bin/chromium), Debian's Noto CJK
# fonts (Chinese in screenshots and embedded in the PDF) and poppler-utils
# (pdffonts, pdftotext for the PDF tests). Installed with apt-get when missing
# and we are root.
set -e
missing=""
if [ -n "$CHROMIUM" ]; then
  [ -x "$CHROMIUM" ] || { echo "CHROMIUM=$CHROMIUM is not an executable" >&2; exit 1; }
else
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
fi
[ -d /usr/share/fonts/opentype/noto ] && fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exit 0
fi
echo "Missing:$missing. Install these Debian packages (or set CHROMIUM=/path/to/chromium)." >&2
exit 1
