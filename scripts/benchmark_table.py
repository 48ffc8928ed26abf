#!/usr/bin/env python3
"""Build the per-indicator table of docs/benchmarks.md from one sitting's measurements.

Inputs, one pair per pass: the markdown export of `swift package benchmark` (p50 wall clock per
indicator over 10M bars) and the JSON written by scripts/bench_talib.py (TA-Lib median on the
same bars). Prints the markdown table: ns/bar and bars/s for both, and the ratio ours/TA-Lib,
with each side's figure taken from its quieter pass (the lower of its pass medians: this
machine's slow stretches only ever add time, to either side); with more than one pass, every
pass's own ratio beside it. Then the geometric mean of the ratios, overall and per pass.

    scripts/run_benchmarks.sh     # runs both sides in two passes and prints this table
    scripts/benchmark_table.py ours-1.md talib-1.json [ours-2.md talib-2.json ...]
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


def geometric_mean(ratios):
    return math.exp(sum(math.log(r) for r in ratios) / len(ratios))


def summary(ratios):
    slower = sum(1 for r in ratios if r > 1)
    return geometric_mean(ratios), len(ratios) - slower, slower


def main():
    paths = sys.argv[1:]
    if not paths or len(paths) % 2:
        sys.exit("usage: benchmark_table.py OURS.md TALIB.json [OURS.md TALIB.json ...] (one pair per pass)")
    passes = []
    for swift_path, talib_path in zip(paths[0::2], paths[1::2]):
        talib = json.load(open(talib_path))
        bars = talib["meta"]["bars"]
        passes.append((parse_swift(swift_path, bars), {n: r["ns_per_bar"] for n, r in talib["results"].items()}))
    names = [n for n in passes[0][1] if all(n in ours and n in theirs for ours, theirs in passes)]
    several = len(passes) > 1
    rows, ratios, pass_ratios = [], [], [[] for _ in passes]
    for name in names:
        mine = min(ours[name] for ours, _ in passes)
        theirs = min(talib[name] for _, talib in passes)
        ratio = mine / theirs
        ratios.append(ratio)
        mark = "" if ratio <= 1 else " (slower)"
        row = f"| `{name}` | {mine:.2f} | {1e3 / mine:,.0f}M | {theirs:.2f} | {1e3 / theirs:,.0f}M | {ratio:.2f}{mark} |"
        if several:
            for k, (ours, talib) in enumerate(passes):
                pass_ratios[k].append(ours[name] / talib[name])
                row += f" {pass_ratios[k][-1]:.2f} |"
        rows.append(row)
    header = "| indicator | Colonnade ns/bar | Colonnade bars/s | TA-Lib ns/bar | TA-Lib bars/s | ours / TA-Lib |"
    rule = "| --- | ---: | ---: | ---: | ---: | ---: |"
    if several:
        header += "".join(f" pass {k + 1} |" for k in range(len(passes)))
        rule += " ---: |" * len(passes)
    print(header)
    print(rule)
    print("\n".join(rows))
    geo, at_or_below, slower = summary(ratios)
    print()
    print(f"Geometric mean of ours/TA-Lib over {len(ratios)} indicators: **{geo:.2f}**; "
          f"{at_or_below} at or below TA-Lib's time, {slower} slower.")
    if several:
        for k, values in enumerate(pass_ratios):
            geo, at_or_below, slower = summary(values)
            print(f"Pass {k + 1} alone: geometric mean {geo:.2f}; {at_or_below} at or below TA-Lib's time, {slower} slower.")
    extra = [n for n in passes[0][0] if n not in passes[0][1]]
    if extra:
        print()
        print("Not in TA-Lib (no peer): " + ", ".join(
            f"`{n}` {min(ours[n] for ours, _ in passes if n in ours):.2f} ns/bar" for n in extra) + ".")


if __name__ == "__main__":
    main()
