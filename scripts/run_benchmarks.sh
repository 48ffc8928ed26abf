#!/usr/bin/env bash
# One sitting: Colonnade's indicator benchmarks, then TA-Lib on the same 10M bars, then the table.
# Needs the peers' virtual environment: python3 -m venv .venv-peers && .venv-peers/bin/pip install -r scripts/requirements-peers.txt
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv-peers/bin/python}
mkdir -p Benchmarks/results
( cd Benchmarks && swift package benchmark --target IndicatorBenchmarks --no-progress --format markdown --path stdout ) > Benchmarks/results/colonnade.md
"$PY" scripts/bench_talib.py --json Benchmarks/results/talib.json
"$PY" scripts/benchmark_table.py Benchmarks/results/colonnade.md Benchmarks/results/talib.json > Benchmarks/results/table.md
cat Benchmarks/results/table.md
