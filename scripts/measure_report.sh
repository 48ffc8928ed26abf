#!/usr/bin/env bash
# Measures the HTML report of a 1M-bar run: render time in Swift, file size, and headless Chromium's
# wall time to load and screenshot it, next to its wall time for an empty page (the browser's start).
# Usage: scripts/measure_report.sh [bars]   (needs a release build and Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
BARS=${1:-1000000}
OUT=$(mktemp -d)
swift build -c release --product colonnade >/dev/null
.build/release/colonnade bench report --bars "$BARS" --repeat 3 --output "$OUT/report.html"
echo '<!DOCTYPE html><html><body>empty</body></html>' > "$OUT/empty.html"
for page in empty report; do
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "%e" -o "$OUT/t" chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
      --window-size=1200,4000 --screenshot="$OUT/$page.png" "file://$OUT/$page.html" >/dev/null 2>&1
    cat "$OUT/t"
  done | sort -n | awk -v p="$page" '{a[NR]=$1} END {print "chromium " p ".html: median " a[int((NR+1)/2)] " s wall (min " a[1] ", max " a[NR] ")"}'
done
