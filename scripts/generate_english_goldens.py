#!/usr/bin/env python3
"""Backtest every description of Fixtures/english/corpus.json with a hand-written backtesting.py
equivalent and write the results to Fixtures/goldens/english/<id>.json.

Each entry below is written by hand from the English text (not from Colonnade's translation): the
rules as NumPy arrays over TA-Lib indicators, run by one backtesting.py Strategy that follows the
spec semantics of docs/spec.md: at each bar, a position is closed on its exit rule, on the other
side's entry (a reversal) or when it has been held `max_bars` bars; then, flat or just closed and
with no entry order working, the long entry buys, else the short entry sells. Stop-loss and
take-profit are measured from the signal close; a trailing stop starts from the fill price (the
next open, which a market order placed now fills at) and follows the highest high since. Every
indicator the rules use is registered with `self.I`, so backtesting.py's warm-up (one bar after
all indicators have values) is the spec's. Settings: GOOG, cash 10,000, commission 0.002.

    .venv-peers/bin/python scripts/generate_english_goldens.py
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import pandas as pd
import talib
import backtesting
from backtesting import Backtest, Strategy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "goldens", "english")


def crosses_above(a, b):
    """a[t-1] < b[t-1] and a[t] > b[t], strict, False where anything is NaN."""
    a = np.asarray(a, dtype=float)
    b = np.broadcast_to(np.asarray(b, dtype=float), a.shape)
    out = np.zeros(a.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        out[1:] = (a[:-1] < b[:-1]) & (a[1:] > b[1:])
    return out


def crosses_below(a, b):
    return crosses_above(b if np.ndim(b) else np.full(np.shape(a), float(b)), a)


def shifted(x, n=1):
    x = np.asarray(x, dtype=float)
    return np.concatenate([np.full(n, np.nan), x[:-n]])


def gt(a, b):
    with np.errstate(invalid="ignore"):
        return np.asarray(a) > b


def lt(a, b):
    with np.errstate(invalid="ignore"):
        return np.asarray(a) < b


def ge(a, b):
    with np.errstate(invalid="ignore"):
        return np.asarray(a) >= b


def le(a, b):
    with np.errstate(invalid="ignore"):
        return np.asarray(a) <= b


class Rules:
    """What one description asks for: boolean arrays, the indicators they use, risk and size."""

    def __init__(self, indicators, long_entry=None, long_exit=None, short_entry=None, short_exit=None,
                 max_bars=None, sl=None, tp=None, trail=None, size=None):
        self.indicators = indicators
        self.long_entry, self.long_exit = long_entry, long_exit
        self.short_entry, self.short_exit = short_entry, short_exit
        self.max_bars, self.sl, self.tp, self.trail, self.size = max_bars, sl, tp, trail, size


def build(entry_id, o, h, l, c, v):
    """The hand-written equivalent of each corpus description."""
    SMA, EMA, RSI, ATR = talib.SMA, talib.EMA, talib.RSI, talib.ATR
    if entry_id in ("sma-cross-1", "sma-cross-2", "sma-cross-3", "sma-cross-4", "sma-cross-5"):
        f, s = SMA(c, 10), SMA(c, 20)
        return Rules([f, s], crosses_above(f, s), crosses_below(f, s))
    if entry_id == "ema-cross-1":
        f, s = EMA(c, 50), EMA(c, 200)
        return Rules([f, s], crosses_above(f, s), crosses_below(f, s))
    if entry_id == "ema-cross-2":
        f, s = EMA(c, 12), EMA(c, 26)
        return Rules([f, s], crosses_above(f, s), crosses_below(f, s))
    if entry_id == "ema-cross-short":
        f, s = EMA(c, 12), EMA(c, 26)
        return Rules([f, s], crosses_above(f, s), crosses_below(f, s), crosses_below(f, s), crosses_above(f, s))
    if entry_id == "price-above-sma":
        m = SMA(c, 50)
        return Rules([m], crosses_above(c, m), crosses_below(c, m))
    if entry_id == "close-above-sma":
        m = SMA(c, 200)
        return Rules([m], gt(c, m), lt(c, m))
    if entry_id == "rsi-1":
        r = RSI(c, 14)
        return Rules([r], crosses_above(r, 30), crosses_below(r, 70))
    if entry_id == "rsi-2":
        r = RSI(c, 14)
        return Rules([r], crosses_above(r, 30), crosses_above(r, 70))
    if entry_id == "rsi-3":
        r = RSI(c, 14)
        return Rules([r], lt(r, 30), gt(r, 70))
    if entry_id == "rsi-4":
        r = RSI(c, 14)
        return Rules([r], crosses_below(r, 30), crosses_above(r, 70))
    if entry_id == "rsi-5":
        r = RSI(c, 14)
        return Rules([r], lt(r, 25), gt(r, 75))
    if entry_id == "rsi-6":
        r = RSI(c, 14)
        return Rules([r], lt(r, 30), gt(r, 70))
    if entry_id == "rsi-7":
        r = RSI(c, 2)
        return Rules([r], lt(r, 10), gt(r, 90))
    if entry_id == "rsi-screen":
        r = RSI(c, 14)
        return Rules([r], lt(r, 30), max_bars=5)
    if entry_id == "rsi-short":
        r = RSI(c, 14)
        return Rules([r], short_entry=crosses_below(r, 70), short_exit=crosses_below(r, 30))
    if entry_id in ("macd-1", "macd-2"):
        m, sig, _ = talib.MACD(c, 12, 26, 9)
        return Rules([m, sig], crosses_above(m, sig), crosses_below(m, sig))
    if entry_id == "macd-zero":
        m, sig, _ = talib.MACD(c, 12, 26, 9)
        return Rules([m], crosses_above(m, 0), crosses_below(m, 0))
    if entry_id in ("breakout-1", "breakout-2"):
        hh, ll = shifted(talib.MAX(h, 20)), shifted(talib.MIN(l, 10))
        return Rules([hh, ll], gt(c, hh), lt(c, ll))
    if entry_id == "breakout-3":
        hh = shifted(talib.MAX(h, 55))
        return Rules([hh], gt(c, hh), max_bars=10)
    if entry_id == "gap-1":
        avg = 1.5 * SMA(v, 20)
        return Rules([avg], gt(o, shifted(c) * 1.03) & gt(v, avg), max_bars=5)
    if entry_id == "gap-2":
        return Rules([], gt(o, shifted(c) * 1.03), max_bars=5)
    if entry_id == "gap-3":
        return Rules([], le(o, shifted(c) * 0.98), max_bars=3)
    if entry_id == "volume-1":
        m, avg = SMA(c, 50), 1.5 * SMA(v, 20)
        return Rules([m, avg], crosses_above(c, m) & ge(v, avg), crosses_below(c, m))
    if entry_id == "volume-2":
        m, avg = SMA(c, 20), 1.5 * SMA(v, 20)
        return Rules([m, avg], gt(c, m) & gt(v, avg), lt(c, m))
    if entry_id in ("stop-1", "stop-2"):
        f, s = SMA(c, 10), SMA(c, 20)
        return Rules([f, s], crosses_above(f, s), crosses_below(f, s), sl=("percent", 0.05), tp=("percent", 0.10))
    if entry_id == "stop-atr":
        f, s, atr = SMA(c, 10), SMA(c, 20), ATR(h, l, c, 14)
        return Rules([f, s, atr], crosses_above(f, s), crosses_below(f, s), sl=("atr", 2, atr), tp=("atr", 3, atr))
    if entry_id == "trailing-1":
        f, s = SMA(c, 10), SMA(c, 20)
        return Rules([f, s], crosses_above(f, s), trail=0.08)
    if entry_id == "trailing-2":
        hh = shifted(talib.MAX(h, 20))
        return Rules([hh], gt(c, hh), trail=0.10)
    if entry_id == "hold-1":
        r = RSI(c, 2)
        return Rules([r], lt(r, 5), max_bars=5)
    if entry_id == "hold-2":
        r = RSI(c, 5)
        return Rules([r], crosses_above(r, 30), max_bars=10)
    if entry_id == "size-1":
        f, s = SMA(c, 10), SMA(c, 20)
        return Rules([f, s], crosses_above(f, s), crosses_below(f, s), size=("units", 20))
    if entry_id == "size-2":
        f, s = SMA(c, 10), SMA(c, 20)
        return Rules([f, s], crosses_above(f, s), crosses_below(f, s), size=("fraction", 0.10))
    if entry_id == "size-3":
        m = EMA(c, 20)
        return Rules([m], crosses_above(c, m), crosses_below(c, m), size=("notional", 5000))
    if entry_id == "size-risk":
        f, s = SMA(c, 10), SMA(c, 20)
        return Rules([f, s], crosses_above(f, s), crosses_below(f, s), sl=("percent", 0.05), size=("risk", 0.01))
    if entry_id == "bollinger-1":
        upper, middle, lower = talib.BBANDS(c, 20, 2, 2)
        return Rules([upper, middle, lower], crosses_below(c, lower), crosses_above(c, middle))
    if entry_id == "combo-1":
        m200, r2, m5 = SMA(c, 200), RSI(c, 2), SMA(c, 5)
        return Rules([m200, r2, m5], gt(c, m200) & lt(r2, 10), gt(c, m5))
    if entry_id == "combo-or":
        r = RSI(c, 14)
        upper, middle, lower = talib.BBANDS(c, 20, 2, 2)
        return Rules([r, upper, middle, lower], lt(r, 30) | crosses_below(c, lower), gt(r, 70))
    if entry_id == "long-short-1":
        f, s = EMA(c, 20), EMA(c, 50)
        return Rules([f, s], crosses_above(f, s), short_entry=crosses_below(f, s))
    raise KeyError(entry_id)


class CorpusStrategy(Strategy):
    entry_id = None

    def init(self):
        d = self.data
        o, h, l, c, v = (np.asarray(x, dtype=float) for x in (d.Open, d.High, d.Low, d.Close, d.Volume))
        self.rules = build(self.entry_id, o, h, l, c, v)
        # backtesting.py finds indicators among the strategy's attributes (its warm-up rule).
        for k, values in enumerate(self.rules.indicators):
            setattr(self, f"indicator{k}", self.I(lambda x=values: x, name=f"indicator{k}"))
        self.next_open = np.append(o[1:], np.nan)
        self.entry_order = None
        n = len(c)
        none = np.zeros(n, dtype=bool)
        r = self.rules
        self.signals = [x if x is not None else none for x in (r.long_entry, r.long_exit, r.short_entry, r.short_exit)]
        self.has_short = r.short_entry is not None

    def next(self):
        t = len(self.data) - 1
        le_, lx, se, sx = (s[t] for s in self.signals)
        r = self.rules
        if r.trail is not None:
            for trade in self.trades:
                highest = max(float(np.max(self.data.High[trade.entry_bar:])), trade.entry_price)
                trade.sl = max(trade.sl, highest * (1 - r.trail))
        closed = False
        if self.position:
            held_too_long = r.max_bars is not None and t - self.trades[0].entry_bar + 1 >= r.max_bars
            if self.position.is_long:
                leave = lx or (self.has_short and se) or held_too_long
            else:
                leave = sx or le_ or held_too_long
            if leave:
                self.position.close()
                closed = True
        working = self.entry_order is not None and self.entry_order in self.orders
        if (self.position and not closed) or working:
            return
        if le_:
            self.entry_order = self.enter(t, +1)
        elif self.has_short and se:
            self.entry_order = self.enter(t, -1)

    def enter(self, t, sign):
        r = self.rules
        close = self.data.Close[-1]
        kwargs = {}
        sl = None
        if r.sl is not None:
            sl = close * (1 - sign * r.sl[1]) if r.sl[0] == "percent" else close - sign * r.sl[1] * r.sl[2][t]
            kwargs["sl"] = sl
        if r.tp is not None:
            kwargs["tp"] = close * (1 + sign * r.tp[1]) if r.tp[0] == "percent" else close + sign * r.tp[1] * r.tp[2][t]
        if r.trail is not None:
            kwargs["sl"] = self.next_open[t] * (1 - sign * r.trail)
        if r.size is not None:
            kind, value = r.size
            price = self.next_open[t]
            if kind == "units":
                size = value
            elif kind == "fraction":
                size = value
            elif kind == "notional":
                size = int(value // (price + price * 0.002))
            else:  # risk
                size = int((self.equity * value) // abs(price - sl))
            if size <= 0:
                return None
            kwargs["size"] = size
        return self.buy(**kwargs) if sign > 0 else self.sell(**kwargs)


def main():
    with open(os.path.join(ROOT, "Fixtures", "english", "corpus.json")) as f:
        corpus = json.load(f)["entries"]
    data = pd.read_csv(os.path.join(ROOT, "Fixtures", "GOOG.csv"), index_col=0, parse_dates=True)
    os.makedirs(OUT, exist_ok=True)
    for entry in corpus:
        strategy = type("Corpus_" + entry["id"].replace("-", "_"), (CorpusStrategy,), {"entry_id": entry["id"]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stats = Backtest(data, strategy, cash=10_000, commission=0.002).run()
        trades = stats["_trades"]
        result = {
            "id": entry["id"],
            "text": entry["text"],
            "data": "Fixtures/GOOG.csv",
            "backtest": {"cash": 10_000, "commission": 0.002},
            "trades": [
                {"entryBar": int(t.EntryBar), "exitBar": int(t.ExitBar), "size": int(t.Size),
                 "entryPrice": float(t.EntryPrice), "exitPrice": float(t.ExitPrice), "pnl": float(t.PnL)}
                for t in trades.itertuples()
            ],
            "equityFinal": float(stats["Equity Final [$]"]),
        }
        with open(os.path.join(OUT, entry["id"] + ".json"), "w") as f:
            json.dump(result, f, separators=(",", ":"), allow_nan=False)
            f.write("\n")
        print(f"{entry['id']}: {len(result['trades'])} trades, Equity Final {result['equityFinal']!r}")
    manifest = {"generator": "scripts/generate_english_goldens.py", "backtesting": backtesting.__version__,
                "talib": talib.__version__, "pandas": pd.__version__, "numpy": np.__version__,
                "python": sys.version.split()[0], "entries": [e["id"] for e in corpus]}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
