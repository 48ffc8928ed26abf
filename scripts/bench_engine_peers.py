#!/usr/bin/env python3
"""Time the peers on Colonnade's engine workload, on the very same bars.

Workload (issue 3, `colonnade bench engine`): SMA(10)/SMA(20) cross, long-only, all-in whole
units, commission 0.002 of traded value per side, market orders filled at the next bar's open,
cash 10,000. Bars: Benchmarks/.data/ohlcv-1000000-seed42.f64, written by the EngineBenchmarks
target (BarSeries.synthetic: five float64 columns back to back), one-minute times from
1970-01-01 regenerated here.

What is timed, per peer (median of --repeat runs, after one untimed warm-up for vectorbt's JIT):
  backtesting.py  Backtest(...).run(): indicators (TA-Lib SMA), event loop and compute_stats
  backtrader      cerebro set-up and run() with a NumPy-backed feed, cheat-on-open all-in sizing
  vectorbt        from_signals alone on precomputed next-open signals (whole units), and the
                  whole pipeline (two MAs, crossings, shift, from_signals, total return)
backtesting.py and backtrader run on the first --slow-bars bars (their throughput is flat in the
number of bars; peer-measurements.md measured 88k and 14k bars/s at both 100k and 1M); vectorbt
on all bars. Prints one JSON object.
"""
import argparse
import json
import statistics
import sys
import time
import warnings

import numpy as np
import pandas as pd


def load(path, count):
    raw = np.fromfile(path, dtype=np.float64)
    n = raw.size // 5
    cols = raw.reshape(5, n)[:, :count]
    index = pd.date_range("1970-01-01", periods=cols.shape[1], freq="1min")
    return pd.DataFrame({"Open": cols[0], "High": cols[1], "Low": cols[2], "Close": cols[3], "Volume": cols[4]},
                        index=index)


def median_time(fn, repeat):
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def sma(values, n):
    # TA-Lib's SMA, as in the parity goldens: pandas' rolling mean sums differently, and on
    # cent-rounded prices the two averages tie often enough for strict crossings to differ.
    import talib
    return talib.SMA(np.asarray(values, dtype=np.float64), n)


def bench_backtesting(df, repeat):
    from backtesting import Backtest, Strategy
    from backtesting.lib import crossover

    class SmaCross(Strategy):
        def init(self):
            self.fast = self.I(sma, self.data.Close, 10)
            self.slow = self.I(sma, self.data.Close, 20)

        def next(self):
            if crossover(self.fast, self.slow):
                if not self.position:
                    self.buy()
            elif crossover(self.slow, self.fast):
                self.position.close()

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bt = Backtest(df, SmaCross, cash=10_000, commission=0.002)
            return bt.run()

    seconds, stats = median_time(run, repeat)
    return {"bars": len(df), "seconds": seconds, "barsPerSecond": len(df) / seconds,
            "trades": int(stats["# Trades"]), "equityFinal": float(stats["Equity Final [$]"])}


def bench_backtrader(df, repeat):
    import backtrader as bt

    class NumpyFeed(bt.feed.DataBase):
        """Bars straight from NumPy arrays (PandasData reads cell by cell and would dominate)."""
        params = (("frame", None),)

        def start(self):
            super().start()
            f = self.p.frame
            self._cols = [bt.date2num(t) for t in f.index.to_pydatetime()], f["Open"].to_numpy(), \
                f["High"].to_numpy(), f["Low"].to_numpy(), f["Close"].to_numpy(), f["Volume"].to_numpy()
            self._i = 0

        def _load(self):
            if self._i >= len(self._cols[0]):
                return False
            i = self._i
            self.lines.datetime[0] = self._cols[0][i]
            self.lines.open[0] = self._cols[1][i]
            self.lines.high[0] = self._cols[2][i]
            self.lines.low[0] = self._cols[3][i]
            self.lines.close[0] = self._cols[4][i]
            self.lines.volume[0] = self._cols[5][i]
            self._i += 1
            return True

    class SmaCross(bt.Strategy):
        def __init__(self):
            fast, slow = bt.ind.SMA(period=10), bt.ind.SMA(period=20)
            self.up = bt.ind.CrossUp(fast, slow)
            self.down = bt.ind.CrossDown(fast, slow)
            self.signal = 0

        def next(self):
            self.signal = 1 if self.up[0] else -1 if self.down[0] else 0

        def next_open(self):
            # cheat-on-open: size all-in from the open the order fills at, as backtesting.py does.
            if self.signal > 0 and not self.position:
                price = self.data.open[0]
                size = int(self.broker.getcash() * (1 - sys.float_info.epsilon) / (price * 1.002))
                if size > 0:
                    self.buy(size=size)
            elif self.signal < 0 and self.position:
                self.close()

    def run():
        cerebro = bt.Cerebro(stdstats=False, cheat_on_open=True)
        cerebro.adddata(NumpyFeed(frame=df))
        cerebro.addstrategy(SmaCross)
        cerebro.broker.setcash(10_000)
        cerebro.broker.setcommission(commission=0.002)
        cerebro.broker.set_checksubmit(False)
        cerebro.run()
        return cerebro.broker.getvalue()

    seconds, value = median_time(run, repeat)
    return {"bars": len(df), "seconds": seconds, "barsPerSecond": len(df) / seconds, "equityFinal": value}


def bench_vectorbt(df, repeat):
    import vectorbt as vbt

    close, open_ = df["Close"], df["Open"]

    def signals():
        fast, slow = vbt.MA.run(close, 10), vbt.MA.run(close, 20)
        # Decide at the close of t, fill at the open of t + 1.
        return fast.ma_crossed_above(slow).shift(1, fill_value=False), \
            fast.ma_crossed_below(slow).shift(1, fill_value=False)

    def simulate(entries, exits):
        return vbt.Portfolio.from_signals(close, entries, exits, price=open_, fees=0.002, init_cash=10_000,
                                          size=np.inf, size_granularity=1, direction="longonly", freq="1min")

    entries, exits = signals()
    simulate(entries, exits)  # JIT warm-up
    alone, portfolio = median_time(lambda: simulate(entries, exits), repeat)

    def pipeline():
        e, x = signals()
        p = simulate(e, x)
        return p.total_return(), p.trades.count()

    pipeline()  # JIT warm-up of the indicator and crossing kernels
    whole, _ = median_time(pipeline, repeat)
    return {"bars": len(df), "fromSignalsSeconds": alone, "fromSignalsBarsPerSecond": len(df) / alone,
            "pipelineSeconds": whole, "pipelineBarsPerSecond": len(df) / whole,
            "trades": int(portfolio.trades.count()), "equityFinal": float(portfolio.final_value())}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="Benchmarks/.data/ohlcv-1000000-seed42.f64")
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--slow-bars", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slow-repeat", type=int, default=3)
    parser.add_argument("--skip", action="append", default=[], help="backtesting, backtrader or vectorbt")
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()

    df = load(args.data, args.bars)
    result = {"meta": {"data": args.data, "bars": len(df), "slowBars": min(args.slow_bars, len(df))}}
    import backtesting, vectorbt  # noqa: E401
    result["meta"]["versions"] = {"backtesting": backtesting.__version__, "vectorbt": vectorbt.__version__,
                                  "numpy": np.__version__, "pandas": pd.__version__, "python": sys.version.split()[0]}
    slow = df.iloc[: args.slow_bars]
    if "vectorbt" not in args.skip:
        result["vectorbt"] = bench_vectorbt(df, args.repeat)
        print("vectorbt", result["vectorbt"], file=sys.stderr)
    if "backtesting" not in args.skip:
        result["backtesting"] = bench_backtesting(slow, args.slow_repeat)
        print("backtesting.py", result["backtesting"], file=sys.stderr)
    if "backtrader" not in args.skip:
        import backtrader
        result["meta"]["versions"]["backtrader"] = backtrader.__version__
        result["backtrader"] = bench_backtrader(slow, 1)
        print("backtrader", result["backtrader"], file=sys.stderr)
    text = json.dumps(result, indent=2)
    if args.json:
        open(args.json, "w").write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
