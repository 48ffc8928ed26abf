#!/usr/bin/env python3
"""Time TA-Lib on the same 10M bars the Swift benchmarks use, one indicator at a time.

The bars come from Benchmarks/.data/ohlcv-10000000-seed42.f64, written by the Swift benchmark
target on its first run (five float64 columns: open, high, low, close, volume), so both sides
compute on identical numbers. Each indicator runs at TA-Lib's defaults; the figure is the median
wall time of --runs calls (output allocation included, as on the Swift side).

    cd Benchmarks && swift package benchmark --filter '^sma$'      # writes the data file once
    .venv-peers/bin/python scripts/bench_talib.py --json Benchmarks/results/talib.json
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import numpy as np
import talib
import talib.abstract as abstract

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = ["sma", "ema", "wma", "dema", "tema", "trima", "kama", "t3", "bbands", "midpoint", "midprice", "sar",
         "rsi", "macd", "stoch", "stochf", "stochrsi", "adx", "adxr", "plus_di", "minus_di", "dx", "cci", "willr",
         "mfi", "roc", "rocp", "mom", "cmo", "ppo", "apo", "trix", "ultosc", "aroon", "aroonosc", "bop",
         "atr", "natr", "trange", "obv", "ad", "adosc", "stddev", "var", "linearreg", "linearreg_slope",
         "max", "min", "sum"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bars", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", help="write the results here as JSON")
    parser.add_argument("--only", nargs="*", help="indicator names to time (default: all)")
    parser.add_argument("--list", action="store_true", help="print the indicator names, in order, and exit")
    args = parser.parse_args()
    if args.list:
        print(" ".join(NAMES))
        return

    path = os.path.join(ROOT, "Benchmarks", ".data", f"ohlcv-{args.bars}-seed42.f64")
    if not os.path.exists(path):
        sys.exit(f"{path} not found: run `cd Benchmarks && swift package benchmark --filter '^sma$'` first")
    raw = np.fromfile(path, dtype=np.float64)
    o, h, l, c, v = raw.reshape(5, args.bars)
    data = {"open": o, "high": h, "low": l, "close": c, "volume": v}

    results = {}
    for name in args.only or NAMES:
        fn = abstract.Function(name.upper())
        inputs = fn.input_names
        names = []
        for value in inputs.values():
            names += value if isinstance(value, list) else [value]
        func = getattr(talib, name.upper())
        arrays = [data[n] for n in names]
        func(*arrays)  # warm up
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            func(*arrays)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        results[name] = {"ns_per_bar": median * 1e9 / args.bars, "median_s": median, "runs": args.runs}
        print(f"{name:16s} {median * 1e3:9.2f} ms  {median * 1e9 / args.bars:7.2f} ns/bar", flush=True)

    meta = {"talib_python": talib.__version__, "talib_c": str(talib.__ta_version__), "numpy": np.__version__,
            "python": platform.python_version(), "bars": args.bars, "machine": platform.processor() or platform.machine()}
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "results": results}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
