#!/usr/bin/env bash
# One sitting: Colonnade's engine benchmarks, then backtesting.py, backtrader and vectorbt on the
# same bars (Benchmarks/.data/ohlcv-1000000-seed42.f64, written by the Swift target), then the table.
# Needs the peers' virtual environment: python3 -m venv .venv-peers && .venv-peers/bin/pip install -r scripts/requirements-peers.txt
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv-peers/bin/python}
mkdir -p Benchmarks/results
( cd Benchmarks && swift package benchmark --target EngineBenchmarks --no-progress --format markdown --path stdout ) > Benchmarks/results/engine-colonnade.md
"$PY" scripts/bench_engine_peers.py --json Benchmarks/results/engine-peers.json > /dev/null
"$PY" scripts/engine_benchmark_table.py Benchmarks/results/engine-colonnade.md Benchmarks/results/engine-peers.json > Benchmarks/results/engine-table.md
cat Benchmarks/results/engine-table.md
