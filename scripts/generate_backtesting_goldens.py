#!/usr/bin/env python3
"""Generate backtesting.py goldens for Colonnade's execution, engine and statistics parity tests.

Runs backtesting.py (PyPI `backtesting`, version recorded in the manifest) with TA-Lib moving
averages on the fixture files and writes one JSON file per scenario to
Fixtures/goldens/backtesting/: the parameters of the run, every statistic of backtesting.py's
stats table under the key names of `colonnade backtest --format json`, the closed trades, and
the equity curve. Floats are written with Python's `repr` (shortest round-trip text), so the
Swift side parses the identical double; NaN is written as null. Durations are days as a float
(pandas Timedelta / 1 day); trade returns are percent (backtesting.py's ReturnPct x 100).

    python3 -m venv .venv-peers && .venv-peers/bin/pip install -r scripts/requirements-peers.txt
    .venv-peers/bin/python scripts/generate_backtesting_goldens.py

The canonical scenario must reproduce the reference values measured on this project's machine
(93 trades, Equity Final 56263.51934000004); the script refuses to write anything otherwise.
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
from backtesting.lib import crossover

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "goldens", "backtesting")


def load(name):
    return pd.read_csv(os.path.join(ROOT, "Fixtures", name + ".csv"), index_col=0, parse_dates=True)


def sma(values, n):
    return talib.SMA(np.asarray(values, dtype=float), timeperiod=n)


class SmaCross(Strategy):
    """The two TA-Lib SMAs of the close every scenario decides on."""
    fast = 10
    slow = 20

    def init(self):
        self.sma_fast = self.I(sma, self.data.Close, self.fast)
        self.sma_slow = self.I(sma, self.data.Close, self.slow)


class SmaCrossLongShort(SmaCross):
    """backtesting.py's README example: reverse on every cross (needs exclusive_orders)."""

    def next(self):
        if crossover(self.sma_fast, self.sma_slow):
            self.buy()
        elif crossover(self.sma_slow, self.sma_fast):
            self.sell()


class SmaCrossLongOnly(SmaCross):
    """Enter long on an up-cross when flat; close the position on a down-cross."""

    def next(self):
        if crossover(self.sma_fast, self.sma_slow):
            if not self.position:
                self.buy()
        elif crossover(self.sma_slow, self.sma_fast):
            if self.position:
                self.position.close()


class SmaCrossStopTake(SmaCross):
    """Long-only cross with a bracket: stop-loss and take-profit as fractions of the signal close."""
    stop_loss = 0.05
    take_profit = 0.10

    def next(self):
        close = self.data.Close[-1]
        if crossover(self.sma_fast, self.sma_slow):
            if not self.position:
                self.buy(sl=close * (1 - self.stop_loss), tp=close * (1 + self.take_profit))
        elif crossover(self.sma_slow, self.sma_fast):
            if self.position:
                self.position.close()


class SmaCrossSpecRules(SmaCross):
    """The long-only cross of the sma-cross spec template, written the way a spec runs it.

    Each bar: in a position, an exit (a down-cross, or `max_bars` held) closes it; then, flat or
    just closed, with no entry order working, an up-cross places the entry with its bracket.
    Subclasses say how the entry is priced and bracketed.
    """
    max_bars = None

    def init(self):
        super().init()
        # The open a market order placed now fills at: the reference needs it to start a trailing
        # stop, or to size by risk, from the fill price, as the engine does once the order fills.
        self.next_open = np.append(np.asarray(self.data.Open[1:], dtype=float), np.nan)
        self.entry_order = None

    def exit_now(self, t):
        held_too_long = self.max_bars is not None and t - self.trades[0].entry_bar + 1 >= self.max_bars
        return crossover(self.sma_slow, self.sma_fast) or held_too_long

    def next(self):
        t = len(self.data) - 1
        self.before(t)
        closed = False
        if self.position and self.exit_now(t):
            self.position.close()
            closed = True
        working = self.entry_order is not None and self.entry_order in self.orders
        if (not self.position or closed) and not working and crossover(self.sma_fast, self.sma_slow):
            self.entry_order = self.enter(t, self.data.Close[-1])

    def before(self, t):
        pass


class SmaCrossATRBracketTimed(SmaCrossSpecRules):
    """Stop-loss 2 ATR(14) below and take-profit 3 ATR(14) above the signal close; out after 10 bars."""
    max_bars = 10

    def init(self):
        super().init()
        self.atr = self.I(talib.ATR, self.data.High, self.data.Low, self.data.Close, 14)

    def enter(self, t, close):
        return self.buy(sl=close - 2 * self.atr[-1], tp=close + 3 * self.atr[-1])


class SmaCrossTrailingStop(SmaCrossSpecRules):
    """An 8 % trailing stop from the fill price, following the highest high since the entry."""

    def before(self, t):
        for trade in self.trades:
            highest = max(float(np.max(self.data.High[trade.entry_bar:])), trade.entry_price)
            trade.sl = max(trade.sl, highest * (1 - 0.08))

    def enter(self, t, close):
        return self.buy(sl=self.next_open[t] * (1 - 0.08))


class SmaCrossLimitEntry(SmaCrossSpecRules):
    """A buy limit 1 % below the signal close, working 3 bars, with a stop-loss 4 % below the limit."""

    def before(self, t):
        if self.entry_order is not None and self.entry_order in self.orders and t - self.placed >= 3:
            self.entry_order.cancel()

    def enter(self, t, close):
        self.placed = t
        limit = close * (1 - 0.01)
        return self.buy(limit=limit, sl=limit * (1 - 0.04))


class SmaCrossRiskSized(SmaCrossSpecRules):
    """Sized to lose 1 % of equity at a stop-loss 5 % below the signal close, from the fill price."""

    def enter(self, t, close):
        sl = close * (1 - 0.05)
        size = int((self.equity * 0.01) // abs(self.next_open[t] - sl))
        return self.buy(size=size, sl=sl) if size > 0 else None


class TargetPositions(Strategy):
    """Holds the position a column of targets asks for: at a bar with a target (not NaN) it orders
    the difference between the target and the position, a buy or a sell of that many units
    (backtesting.py nets a sell against long trades oldest first, the rest opening a short).
    `measure` "units": the target is the position; "equity-fraction": the target is a signed
    fraction of equity at the bar's close, in whole units at that close, truncated toward zero."""
    targets = None
    measure = "units"

    def init(self):
        pass

    def next(self):
        target = self.targets[len(self.data) - 1]
        if math.isnan(target):
            return
        if self.measure == "units":
            desired = int(target)
        else:
            desired = int(target * self.equity / self.data.Close[-1])
        delta = desired - self.position.size
        if delta > 0:
            self.buy(size=delta)
        elif delta < 0:
            self.sell(size=-delta)


def random_targets(name, seed, choices, density):
    """Deterministic targets for `name`'s bars: on about `density` of the bars one of `choices`,
    NaN (hold) elsewhere. Written into the golden, so the Swift side reads the same column."""
    n = len(load(name))
    rng = np.random.default_rng(seed)
    targets = np.full(n, np.nan)
    chosen = rng.random(n) < density
    targets[chosen] = rng.choice(np.asarray(choices, dtype=float), size=int(chosen.sum()))
    return targets


SCENARIOS = [
    {
        "name": "goog-sma-cross-long-short",
        "data": "GOOG", "strategy": SmaCrossLongShort, "params": {"fast": 10, "slow": 20},
        "backtest": {"cash": 10_000, "commission": 0.002, "exclusive_orders": True},
    },
    {
        "name": "goog-sma-cross-long-short-finalized",
        "data": "GOOG", "strategy": SmaCrossLongShort, "params": {"fast": 10, "slow": 20},
        "backtest": {"cash": 10_000, "commission": 0.002, "exclusive_orders": True, "finalize_trades": True},
    },
    {
        "name": "goog-sma-cross-long-only",
        "data": "GOOG", "strategy": SmaCrossLongOnly, "params": {"fast": 10, "slow": 20},
        "backtest": {"cash": 10_000, "commission": 0.002},
    },
    {
        "name": "goog-sma-cross-stop-take",
        "data": "GOOG", "strategy": SmaCrossStopTake,
        "params": {"fast": 10, "slow": 20, "stop_loss": 0.05, "take_profit": 0.10},
        "backtest": {"cash": 10_000, "commission": 0.002},
    },
    {
        "name": "goog-spec-atr-bracket-timed",
        "data": "GOOG", "strategy": SmaCrossATRBracketTimed, "params": {"fast": 10, "slow": 20},
        "backtest": {"cash": 10_000, "commission": 0.002},
    },
    {
        "name": "goog-spec-trailing-stop",
        "data": "GOOG", "strategy": SmaCrossTrailingStop, "params": {"fast": 10, "slow": 20},
        "backtest": {"cash": 10_000, "commission": 0.002},
    },
    {
        "name": "goog-spec-limit-entry",
        "data": "GOOG", "strategy": SmaCrossLimitEntry, "params": {"fast": 10, "slow": 20},
        "backtest": {"cash": 10_000, "commission": 0.002},
    },
    {
        "name": "goog-spec-risk-sized",
        "data": "GOOG", "strategy": SmaCrossRiskSized, "params": {"fast": 10, "slow": 20},
        "backtest": {"cash": 10_000, "commission": 0.002},
    },
    {
        "name": "goog-target-units",
        "data": "GOOG", "strategy": TargetPositions, "params": {},
        "inputs": {"targets": random_targets("GOOG", 11, range(-8, 9), 0.08), "measure": "units"},
        "backtest": {"cash": 10_000, "commission": 0.002},
    },
    {
        "name": "goog-target-equity-fraction",
        "data": "GOOG", "strategy": TargetPositions, "params": {},
        "inputs": {"targets": random_targets("GOOG", 12, [-0.9, -0.5, -0.25, 0.0, 0.25, 0.5, 0.9], 0.05),
                   "measure": "equity-fraction"},
        "backtest": {"cash": 10_000, "commission": 0.002},
    },
    {
        "name": "eurusd-sma-cross-long-short",
        "data": "EURUSD", "strategy": SmaCrossLongShort, "params": {"fast": 20, "slow": 50},
        "backtest": {"cash": 10_000, "commission": 0.0001, "spread": 0.0002, "exclusive_orders": True},
    },
]

STAT_KEYS = [
    ("start", "Start"), ("end", "End"), ("durationDays", "Duration"),
    ("exposureTimePct", "Exposure Time [%]"), ("equityFinal", "Equity Final [$]"),
    ("equityPeak", "Equity Peak [$]"), ("commissions", "Commissions [$]"), ("returnPct", "Return [%]"),
    ("buyAndHoldReturnPct", "Buy & Hold Return [%]"), ("returnAnnPct", "Return (Ann.) [%]"),
    ("volatilityAnnPct", "Volatility (Ann.) [%]"), ("cagrPct", "CAGR [%]"), ("sharpeRatio", "Sharpe Ratio"),
    ("sortinoRatio", "Sortino Ratio"), ("calmarRatio", "Calmar Ratio"), ("alphaPct", "Alpha [%]"),
    ("beta", "Beta"), ("maxDrawdownPct", "Max. Drawdown [%]"), ("avgDrawdownPct", "Avg. Drawdown [%]"),
    ("maxDrawdownDurationDays", "Max. Drawdown Duration"), ("avgDrawdownDurationDays", "Avg. Drawdown Duration"),
    ("tradeCount", "# Trades"), ("winRatePct", "Win Rate [%]"), ("bestTradePct", "Best Trade [%]"),
    ("worstTradePct", "Worst Trade [%]"), ("avgTradePct", "Avg. Trade [%]"),
    ("maxTradeDurationDays", "Max. Trade Duration"), ("avgTradeDurationDays", "Avg. Trade Duration"),
    ("profitFactor", "Profit Factor"), ("expectancyPct", "Expectancy [%]"), ("sqn", "SQN"),
    ("kellyCriterion", "Kelly Criterion"),
]


def plain(value):
    """A JSON-ready value: floats keep every bit, NaN and NaT become null, durations become days."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value / pd.Timedelta(days=1)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    return None if math.isnan(value) else value


def run(scenario):
    data = load(scenario["data"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt = Backtest(data, scenario["strategy"], **scenario["backtest"])
        inputs = scenario.get("inputs", {})
        stats = bt.run(**scenario["params"], **inputs)
    trades = stats["_trades"]
    equity = stats["_equity_curve"]["Equity"].to_numpy()
    return {
        "scenario": scenario["name"],
        "data": f"Fixtures/{scenario['data']}.csv",
        "strategy": scenario["strategy"].__name__,
        "params": scenario["params"],
        "backtest": {"spread": 0.0, "exclusive_orders": False, "finalize_trades": False, **scenario["backtest"]},
        "stats": {key: plain(stats[label]) if label in stats else None for key, label in STAT_KEYS},
        "trades": [
            {
                "entryBar": int(t.EntryBar), "exitBar": int(t.ExitBar),
                "entryTime": t.EntryTime.isoformat(), "exitTime": t.ExitTime.isoformat(),
                "size": int(t.Size), "entryPrice": float(t.EntryPrice), "exitPrice": float(t.ExitPrice),
                "pnl": float(t.PnL), "returnPct": float(t.ReturnPct) * 100, "commission": float(t.Commission),
                "stopLoss": plain(t.SL), "takeProfit": plain(t.TP),
            }
            for t in trades.itertuples()
        ],
        "equity": [float(x) for x in equity],
        **({"targets": [plain(x) for x in inputs["targets"]], "targetMeasure": inputs["measure"]}
           if "targets" in inputs else {}),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    results = [run(s) for s in SCENARIOS]
    canonical = results[0]
    if len(canonical["trades"]) != 93 or canonical["stats"]["equityFinal"] != 56263.51934000004:
        sys.exit(f"canonical run does not reproduce the reference: {len(canonical['trades'])} trades, "
                 f"Equity Final {canonical['stats']['equityFinal']!r}")
    for result in results:
        with open(os.path.join(OUT, result["scenario"] + ".json"), "w") as f:
            json.dump(result, f, indent=1, allow_nan=False)
            f.write("\n")
    manifest = {
        "generator": "scripts/generate_backtesting_goldens.py",
        "backtesting": backtesting.__version__,
        "talib": talib.__version__,
        "talib_c": talib.__ta_version__.decode() if isinstance(talib.__ta_version__, bytes) else str(talib.__ta_version__),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "scenarios": [r["scenario"] for r in results],
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    for r in results:
        print(f"{r['scenario']}: {len(r['trades'])} trades, Equity Final {r['stats']['equityFinal']!r}")


if __name__ == "__main__":
    main()
