#!/usr/bin/env python3
"""Goldens of Python's float floor division `a // b` (CPython, an independent implementation)
for the Execution tests: the sizing of relative orders floors with it, so the broker must give
its bits. Pairs are chosen to be awkward: quotients on, one ulp beside and between integers,
signed zeros, tiny, huge, infinite and NaN operands, and backtesting.py-like sizes (cash over a
price with commission). Values are written as hex floats (exact).

    python3 scripts/generate_floor_division_goldens.py
"""
import json
import math
import os
import platform
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pairs():
    rng = random.Random(20261123)
    out = []
    specials = [0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e300, -1e300,
                math.inf, -math.inf, math.nan, 2.0 ** 52, 2.0 ** 53 + 2, 3.0, 0.1, 7.5]
    for a in specials:
        for b in specials:
            out.append((a, b))
    for _ in range(400):
        b = rng.choice([rng.uniform(0.01, 5000), -rng.uniform(0.01, 5000), rng.uniform(1e-6, 1e-3)])
        k = rng.choice([rng.randrange(0, 10), rng.randrange(0, 100000), rng.randrange(-1000, 1000)])
        a = k * b
        for step in range(-3, 4):
            x = a
            for _ in range(abs(step)):
                x = math.nextafter(x, math.inf if step > 0 else -math.inf)
            out.append((x, b))
    for _ in range(400):
        # backtesting.py's all-in size: margin·(1 − 2⁻⁵²) over price·(1 + commission).
        cash = round(rng.uniform(1, 1e6), 2)
        price = round(rng.uniform(0.5, 3000), 2)
        out.append((cash * (1 - 2.0 ** -52), price * (1 + rng.choice([0.0, 0.001, 0.002]))))
    for _ in range(200):
        out.append((rng.uniform(-1e6, 1e6), rng.uniform(-100, 100)))
    return out


def hexf(x):
    return "nan" if math.isnan(x) else x.hex()


def main():
    cases = []
    for a, b in pairs():
        try:
            q = a // b
        except ZeroDivisionError:
            continue
        cases.append([hexf(a), hexf(b), hexf(q)])
    doc = {"generator": "scripts/generate_floor_division_goldens.py", "python": platform.python_version(),
           "cases": cases}
    path = os.path.join(ROOT, "Fixtures", "goldens", "python", "floor_division.json")
    with open(path, "w") as f:
        # One case a line: [a, b, a // b].
        f.write('{"generator": %s, "python": %s, "cases": [\n' % (json.dumps(doc["generator"]), json.dumps(doc["python"])))
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")
    print(f"{len(cases)} cases -> {path}")


if __name__ == "__main__":
    main()
