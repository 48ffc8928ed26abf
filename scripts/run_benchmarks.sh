#!/usr/bin/env bash
# One sitting: Colonnade's indicator benchmarks and TA-Lib on the same 10M bars, interleaved in
# rounds of a few indicators (ours then TA-Lib, then TA-Lib then ours, alternately), so both
# sides of every ratio are measured within about half a minute of each other: this machine has
# stretches of minutes in which everything runs up to ~1.8x slower. Then the table.
# Needs the peers' virtual environment: python3 -m venv .venv-peers && .venv-peers/bin/pip install -r scripts/requirements-peers.txt
# ROUND=n sets the indicators per round (default 7); COLONNADE_FAULT_HELPER=0 turns the helper
# thread that faults in fresh outputs off for our side.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv-peers/bin/python}
ROUND=${ROUND:-7}
# Not in TA-Lib: timed on our side only, in the last round.
EXTRA="donchian keltner vwap"
mkdir -p Benchmarks/results
rounds=$(mktemp -d)
trap 'rm -rf "$rounds"' EXIT

ours() {
    local pattern="^($(echo "$*" | tr ' ' '|'))\$"
    ( cd Benchmarks && swift package benchmark --target IndicatorBenchmarks --no-progress --format markdown --path stdout \
        --filter "$pattern" ) >> "$rounds/colonnade.md"
}
# Zero-padded, so the glob below merges the rounds in order (the table follows that order).
theirs() { "$PY" scripts/bench_talib.py --only "$@" --json "$rounds/talib-$(printf %03d "$round").json"; }

# The bars file TA-Lib reads is written by the Swift target's first run.
( cd Benchmarks && swift package benchmark --target IndicatorBenchmarks --no-progress --filter '^sma$' > /dev/null )
read -r -a names <<< "$("$PY" scripts/bench_talib.py --list)"
round=0
for ((start = 0; start < ${#names[@]}; start += ROUND)); do
    group=("${names[@]:start:ROUND}")
    if ((round % 2 == 0)); then ours "${group[@]}"; theirs "${group[@]}"; else theirs "${group[@]}"; ours "${group[@]}"; fi
    round=$((round + 1))
done
ours $EXTRA

cp "$rounds/colonnade.md" Benchmarks/results/colonnade.md
"$PY" - "$rounds"/talib-*.json <<'PYEOF' > Benchmarks/results/talib.json
import json, sys
merged = None
for path in sys.argv[1:]:
    data = json.load(open(path))
    if merged is None:
        merged = data
    else:
        merged["results"].update(data["results"])
json.dump(merged, sys.stdout, indent=2)
print()
PYEOF
"$PY" scripts/benchmark_table.py Benchmarks/results/colonnade.md Benchmarks/results/talib.json > Benchmarks/results/table.md
cat Benchmarks/results/table.md
