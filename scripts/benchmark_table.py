#!/usr/bin/env python3
"""Build the per-indicator table of docs/benchmarks.md from one sitting's measurements.

Inputs: the markdown export of `swift package benchmark` (p50 wall clock per indicator over
10M bars) and the JSON written by scripts/bench_talib.py (TA-Lib median on the same bars).
Prints the markdown table: ns/bar and bars/s for both, the ratio ours/TA-Lib, and the
geometric mean of the ratios.

    scripts/run_benchmarks.sh     # runs both and rewrites docs/benchmarks.md
"""
import json
import math
import re
import sys


def parse_swift(path, bars):
    text = open(path).read()
    results = {}
    for name, body in re.findall(r"^### (\S+)\n(.*?)(?=^### |\Z)", text, flags=re.S | re.M):
        row = re.search(r"\| Time \(wall clock\) \((\w+)\) \*? *\|([^\n]*)", body)
        if not row:
            continue
        unit = row.group(1)
        cells = [c.strip() for c in row.group(2).split("|") if c.strip()]
        p50 = float(cells[2])  # p0, p25, p50, ...
        scale = {"ns": 1, "us": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9}[unit]
        results[name] = p50 * scale / bars
    return results


def main():
    swift_path, talib_path = sys.argv[1], sys.argv[2]
    talib = json.load(open(talib_path))
    bars = talib["meta"]["bars"]
    ours = parse_swift(swift_path, bars)
    rows, ratios = [], []
    for name, ref in talib["results"].items():
        if name not in ours:
            continue
        mine, theirs = ours[name], ref["ns_per_bar"]
        ratio = mine / theirs
        ratios.append(ratio)
        mark = "" if ratio <= 1 else " (slower)"
        rows.append(f"| `{name}` | {mine:.2f} | {1e3 / mine:,.0f}M | {theirs:.2f} | {1e3 / theirs:,.0f}M | {ratio:.2f}{mark} |")
    print("| indicator | Colonnade ns/bar | Colonnade bars/s | TA-Lib ns/bar | TA-Lib bars/s | ours / TA-Lib |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    slower = sum(1 for r in ratios if r > 1)
    print()
    print(f"Geometric mean of ours/TA-Lib over {len(ratios)} indicators: **{geo:.2f}**; "
          f"{len(ratios) - slower} at or below TA-Lib's time, {slower} slower.")
    extra = [n for n in ours if n not in talib["results"]]
    if extra:
        print()
        print("Not in TA-Lib (no peer): " + ", ".join(f"`{n}` {ours[n]:.2f} ns/bar" for n in extra) + ".")


if __name__ == "__main__":
    main()
