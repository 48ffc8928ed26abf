#!/usr/bin/env python3
"""Generate TA-Lib goldens for Colonnade's indicator parity tests.

Runs the TA-Lib C library (through the PyPI `TA-Lib` wheel, which bundles it) on the fixture
files and writes, per fixture, one tab-separated file whose columns are `SPEC` or `SPEC|output` (the spec
syntax of `colonnade indicators`), values as Python `repr` (shortest round-trip text, so the
Swift side parses the identical double), empty for NaN. A manifest records the TA-Lib versions.

    python3 -m venv .venv-peers && .venv-peers/bin/pip install -r scripts/requirements-peers.txt
    .venv-peers/bin/python scripts/generate_talib_goldens.py

Moving-average-type parameters are left at TA-Lib's defaults, as the CLI spec does.

Besides the market fixtures, the script writes Fixtures/SYNTH.csv: a seeded random walk in full
double precision (not cent-rounded). On cent prices, different but nearly equal formulas often
round to the same double; on this series they do not, so it is what holds the bit-exact moving
averages to TA-Lib's exact arithmetic (for EMA that is a fused multiply-add: the wheel's C library
dispatches to an FMA build on CPUs that have it, as this project's machine does).
"""
import csv
import json
import os
import sys

import numpy as np
import talib
import talib.abstract as abstract

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = ["GOOG", "EURUSD", "SYNTH"]
SYNTH_BARS = 2000
SYNTH_SEED = 20261122

# Every listed TA-Lib indicator at its defaults, plus non-default parameters where they exercise
# other code paths (short and long periods, asymmetric bands).
SPECS = [
    "sma", "sma:10", "sma:20", "ema", "ema:10", "ema:20", "wma", "wma:10", "dema", "dema:10", "tema", "tema:10",
    "trima", "trima:10", "trima:11", "kama", "kama:10", "t3", "t3:10,0.5", "rsi", "rsi:2", "rsi:30",
    "macd", "macd:5,35,5", "stoch", "stoch:14,3,3", "stochf", "stochf:14,3", "stochrsi", "stochrsi:14,14,3",
    "bbands", "bbands:10,1.5,2.5", "atr", "atr:5", "natr", "trange", "adx", "adx:5", "adxr", "adxr:5",
    "plus_di", "plus_di:5", "minus_di", "minus_di:5", "dx", "dx:5", "cci", "cci:20", "willr", "willr:5",
    "mfi", "mfi:5", "roc", "rocp", "mom", "mom:1", "cmo", "cmo:5", "ppo", "ppo:5,20", "apo", "apo:5,20",
    "trix", "trix:5", "ultosc", "ultosc:3,9,21", "aroon", "aroon:25", "aroonosc", "aroonosc:25", "bop", "obv",
    "ad", "adosc", "adosc:5,20", "sar", "sar:0.01,0.1", "stddev", "stddev:20,2", "var", "var:20",
    "linearreg", "linearreg:30", "linearreg_slope", "linearreg_slope:30", "midpoint", "midpoint:5",
    "midprice", "midprice:5", "max", "max:5", "min", "min:5", "sum", "sum:5",
]


def write_synthetic():
    """Fixtures/SYNTH.csv: daily bars whose log price is a seeded, strongly mean-reverting AR(1)
    process with large steps (price roughly between 30 and 300), every price a full double.

    Large moves relative to the level are what make a product's rounding visible in a running
    average: with 1 % steps, fused and unfused EMA differ on about one bar in 10,000; here on
    a sizeable fraction of bars."""
    rng = np.random.default_rng(SYNTH_SEED)
    log_price = np.empty(SYNTH_BARS)
    level = 0.0
    for i, shock in enumerate(rng.normal(0.0, 0.2, SYNTH_BARS)):
        level = 0.9 * level + shock
        log_price[i] = level
    close = 100.0 * np.exp(log_price)
    open_ = np.concatenate([[100.0], close[:-1]]) * np.exp(rng.normal(0.0, 0.05, SYNTH_BARS))
    high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0.0, 0.05, SYNTH_BARS)))
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0.0, 0.05, SYNTH_BARS)))
    volume = np.round(rng.lognormal(13.0, 0.5, SYNTH_BARS))
    days = np.datetime64("2000-01-01") + np.arange(SYNTH_BARS)
    with open(os.path.join(ROOT, "Fixtures", "SYNTH.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Date", "Open", "High", "Low", "Close", "Volume"])
        for i in range(SYNTH_BARS):
            w.writerow([str(days[i]), repr(float(open_[i])), repr(float(high[i])), repr(float(low[i])),
                        repr(float(close[i])), repr(float(volume[i]))])


def load(name):
    path = os.path.join(ROOT, "Fixtures", name + ".csv")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = [h.strip().lower() for h in rows[0]]
    cols = {h: np.array([float(r[i]) for r in rows[1:]]) for i, h in enumerate(header) if h and h != "date"}
    return cols


def run(spec, data):
    name, _, params = spec.partition(":")
    fn = abstract.Function(name.upper())
    names = [p for p in fn.parameters if "matype" not in p]
    values = [float(v) for v in params.split(",")] if params else []
    kwargs = {}
    for pname, value in zip(names, values):
        default = fn.parameters[pname]
        kwargs[pname] = int(value) if isinstance(default, int) else value
    out = fn(data, **kwargs)
    outputs = fn.output_names
    if len(outputs) == 1:
        return [(spec, out)]
    return [(f"{spec}|{o}", arr) for o, arr in zip(outputs, out)]


def main():
    manifest = {
        "generator": "scripts/generate_talib_goldens.py",
        "talib_python": talib.__version__,
        "talib_c": talib.__ta_version__.decode() if isinstance(talib.__ta_version__, bytes) else talib.__ta_version__,
        "numpy": np.__version__,
        "specs": SPECS,
        "fixtures": {},
        "synthetic": {"file": "Fixtures/SYNTH.csv", "bars": SYNTH_BARS, "seed": SYNTH_SEED},
    }
    write_synthetic()
    for fixture in FIXTURES:
        data = load(fixture)
        columns = []
        for spec in SPECS:
            columns += run(spec, data)
        n = len(data["close"])
        out = os.path.join(ROOT, "Fixtures", "goldens", "talib", fixture + ".tsv")
        with open(out, "w", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
            w.writerow([c for c, _ in columns])
            for i in range(n):
                w.writerow(["" if np.isnan(a[i]) else repr(float(a[i])) for _, a in columns])
        manifest["fixtures"][fixture] = {"bars": n, "columns": len(columns)}
        print(f"{out}: {n} rows x {len(columns)} columns", file=sys.stderr)
    with open(os.path.join(ROOT, "Fixtures", "goldens", "talib", "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
