#!/usr/bin/env python3
"""Resampling goldens from pandas (an independent implementation) for ColumnStore's tests.

For each case: the fixture, the Colonnade timeframe and options, and pandas' equivalent rule.
Aggregation is open=first, high=max, low=min, close=last, volume=sum; intervals without bars
are dropped. Values are written with repr (exact round trip); times as epoch nanoseconds.

    .venv-peers/bin/python scripts/generate_resample_goldens.py
"""
import json
import os

import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = [
    # name, fixture, colonnade timeframe, closed, label, pandas rule
    ("GOOG_1w", "GOOG", "1w", "left", "left", "W-MON"),
    ("GOOG_1M", "GOOG", "1M", "left", "left", "MS"),
    ("GOOG_1y", "GOOG", "1y", "left", "left", "YS"),
    ("GOOG_1w_right", "GOOG", "1w", "right", "right", "W-MON"),
    ("EURUSD_4h", "EURUSD", "4h", "left", "left", "4h"),
    ("EURUSD_1d", "EURUSD", "1d", "left", "left", "D"),
    ("EURUSD_1d_right", "EURUSD", "1d", "right", "right", "D"),
]


def main():
    out = {"generator": "scripts/generate_resample_goldens.py", "pandas": pd.__version__, "cases": {}}
    for name, fixture, timeframe, closed, label, rule in CASES:
        df = pd.read_csv(os.path.join(ROOT, "Fixtures", fixture + ".csv"), index_col=0, parse_dates=True)
        agg = df.resample(rule, closed=closed, label=label).agg(
            {"Open": "first", "High": "max", "Low": "min", "Close": "last", "Volume": "sum"}).dropna(subset=["Open"])
        out["cases"][name] = {
            "fixture": fixture, "timeframe": timeframe, "closed": closed, "label": label, "pandas_rule": rule,
            "time": [int(t.value) for t in agg.index.as_unit("ns")],
            "open": [repr(float(v)) for v in agg["Open"]], "high": [repr(float(v)) for v in agg["High"]],
            "low": [repr(float(v)) for v in agg["Low"]], "close": [repr(float(v)) for v in agg["Close"]],
            "volume": [repr(float(v)) for v in agg["Volume"]],
        }
    path = os.path.join(ROOT, "Fixtures", "goldens", "pandas", "resample.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
