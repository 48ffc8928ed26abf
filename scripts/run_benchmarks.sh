#!/usr/bin/env bash
# One sitting: Colonnade's indicator benchmarks and TA-Lib on the same 10M bars, interleaved in
# rounds of a few indicators (ours then TA-Lib, then TA-Lib then ours, alternately), so both
# sides of every ratio are measured within about half a minute of each other: this machine has
# stretches of minutes in which everything runs up to ~1.8x slower. The rounds run in PASSES
# passes (default 2), the second with each round's order reversed, so each side of every ratio is
# measured twice, once before and once after the other. Then the table: each side's figure is
# its quieter pass (the lower median), with every pass's own ratio beside it.
# Needs the peers' virtual environment: python3 -m venv .venv-peers && .venv-peers/bin/pip install -r scripts/requirements-peers.txt
# ROUND=n sets the indicators per round (default 7); PASSES=n the passes (default 2);
# COLONNADE_FAULT_HELPER=0 turns the helper thread that faults in fresh outputs off for our side.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv-peers/bin/python}
ROUND=${ROUND:-7}
PASSES=${PASSES:-2}
# Not in TA-Lib: timed on our side only, in the last round.
EXTRA="donchian keltner vwap"
mkdir -p Benchmarks/results
rounds=$(mktemp -d)
trap 'rm -rf "$rounds"' EXIT

ours() {
    local pattern="^($(echo "$*" | tr ' ' '|'))\$"
    ( cd Benchmarks && swift package benchmark --target IndicatorBenchmarks --no-progress --format markdown --path stdout \
        --filter "$pattern" ) >> "$rounds/colonnade-pass$pass.md"
}
# Zero-padded, so the glob below merges the rounds in order (the table follows that order).
theirs() { "$PY" scripts/bench_talib.py --only "$@" --json "$rounds/talib-pass$pass-$(printf %03d "$round").json"; }

# The bars file TA-Lib reads is written by the Swift target's first run.
( cd Benchmarks && swift package benchmark --target IndicatorBenchmarks --no-progress --filter '^sma$' > /dev/null )
read -r -a names <<< "$("$PY" scripts/bench_talib.py --list)"
rm -f Benchmarks/results/colonnade-pass*.md Benchmarks/results/talib-pass*.json
for ((pass = 1; pass <= PASSES; pass++)); do
    round=0
    for ((start = 0; start < ${#names[@]}; start += ROUND)); do
        group=("${names[@]:start:ROUND}")
        if (((round + pass) % 2 == 1)); then ours "${group[@]}"; theirs "${group[@]}"; else theirs "${group[@]}"; ours "${group[@]}"; fi
        round=$((round + 1))
    done
    ours $EXTRA

    cp "$rounds/colonnade-pass$pass.md" "Benchmarks/results/colonnade-pass$pass.md"
    "$PY" - "$rounds"/talib-pass$pass-*.json <<'PYEOF' > "Benchmarks/results/talib-pass$pass.json"
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
done
args=()
for ((pass = 1; pass <= PASSES; pass++)); do
    args+=("Benchmarks/results/colonnade-pass$pass.md" "Benchmarks/results/talib-pass$pass.json")
done
"$PY" scripts/benchmark_table.py "${args[@]}" > Benchmarks/results/table.md
cat Benchmarks/results/table.md
