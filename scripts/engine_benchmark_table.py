#!/usr/bin/env python3
"""Build the engine table of docs/benchmarks.md from one sitting's measurements.

Inputs: the markdown export of `swift package benchmark --target EngineBenchmarks` (p50 wall
clock of one whole backtest) and the JSON of scripts/bench_engine_peers.py. Prints a markdown
table: bars/s of each run and the ratio of Colonnade's single-symbol event engine to each peer.

    scripts/run_engine_benchmarks.sh     # runs both and prints this table
"""
import json
import re
import sys

BARS = {"engine-1M-bars": 1_000_000, "fast-path-1M-bars": 1_000_000, "engine-500-symbols-10k-bars": 5_000_000,
        "fast-path-500-symbols-10k-bars": 5_000_000,
        "engine-1M-bars-bracket": 1_000_000, "fast-path-1M-bars-bracket": 1_000_000}


def parse_swift(path):
    text = open(path).read()
    results = {}
    for name, body in re.findall(r"^### (\S+)\n(.*?)(?=^### |\Z)", text, flags=re.S | re.M):
        row = re.search(r"\| Time \(wall clock\) \((\w+)\) \*? *\|([^\n]*)", body)
        if not row or name not in BARS:
            continue
        cells = [c.strip() for c in row.group(2).split("|") if c.strip()]
        scale = {"ns": 1e-9, "us": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1}[row.group(1)]
        results[name] = float(cells[2]) * scale  # p50 seconds
    return results


def main():
    ours = parse_swift(sys.argv[1])
    peers = json.load(open(sys.argv[2]))
    engine = BARS["engine-1M-bars"] / ours["engine-1M-bars"]
    rows = [
        ("Colonnade event engine, 1 symbol (indicators, loop, all statistics)", "1M", BARS["engine-1M-bars"],
         ours["engine-1M-bars"], None),
        ("Colonnade signal fast path, 1 symbol (indicators, crossings, run, all statistics)", "1M",
         BARS["fast-path-1M-bars"], ours["fast-path-1M-bars"], None),
        ("Colonnade event engine, 500 symbols x 10k bars, one account", "5M", BARS["engine-500-symbols-10k-bars"],
         ours["engine-500-symbols-10k-bars"], None),
    ]
    if "fast-path-500-symbols-10k-bars" in ours:
        rows.append(("Colonnade signal fast path, 500 symbols x 10k bars, one account", "5M",
                     BARS["fast-path-500-symbols-10k-bars"], ours["fast-path-500-symbols-10k-bars"], None))
    # The same crossings with a 2 % stop-loss and 4 % take-profit bracket on every entry (no peer run).
    bracket = [name for name in ("engine-1M-bars-bracket", "fast-path-1M-bars-bracket") if name in ours]
    if len(bracket) == 2:
        rows.append(("Colonnade event engine, 1 symbol, 2 % / 4 % bracket on every entry", "1M",
                     BARS["engine-1M-bars-bracket"], ours["engine-1M-bars-bracket"], None))
        rows.append(("Colonnade signal fast path, 1 symbol, 2 % / 4 % bracket on every entry", "1M",
                     BARS["fast-path-1M-bars-bracket"], ours["fast-path-1M-bars-bracket"], None))
    v = peers.get("vectorbt")
    if v:
        rows.append(("vectorbt `from_signals` alone (signals precomputed)", f"{v['bars'] // 1000}k" if v['bars'] < 10**6 else f"{v['bars'] // 10**6}M",
                     v["bars"], v["fromSignalsSeconds"], v["bars"] / v["fromSignalsSeconds"]))
        rows.append(("vectorbt whole pipeline (MAs, crossings, `from_signals`, return)", f"{v['bars'] // 10**6}M",
                     v["bars"], v["pipelineSeconds"], v["bars"] / v["pipelineSeconds"]))
    for key, label in [("backtesting", "backtesting.py `Backtest.run()` (indicators, loop, stats)"),
                       ("backtrader", "backtrader `cerebro.run()` (NumPy feed, cheat-on-open)")]:
        p = peers.get(key)
        if p:
            rows.append((label, f"{p['bars'] // 1000}k", p["bars"], p["seconds"], p["bars"] / p["seconds"]))
    fast = BARS["fast-path-1M-bars"] / ours["fast-path-1M-bars"]
    print("| run | bars | median s | bars/s | event engine ÷ this | fast path ÷ this |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, shown, bars, seconds, rate in rows:
        rate = rate or bars / seconds
        ratios = ["—", "—"] if label.startswith("Colonnade") else [f"{engine / rate:,.1f}x", f"{fast / rate:,.1f}x"]
        print(f"| {label} | {shown} | {seconds:.4g} | {rate / 1e6:,.3g}M | {ratios[0]} | {ratios[1]} |")
    print()
    print(f"Fast path ÷ event engine (1 symbol): {fast / engine:.2f}x")
    if len(bracket) == 2:
        print(f"With the bracket, fast path ÷ event engine: {ours['engine-1M-bars-bracket'] / ours['fast-path-1M-bars-bracket']:.2f}x")


if __name__ == "__main__":
    main()
