#!/usr/bin/env bash
# Regenerates docs/cli.md from the built binary's --help texts (Tests/ColonnadeCLITests checks they match).
# Usage: swift build && scripts/generate_cli_docs.sh [path/to/colonnade]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-.build/debug/colonnade}
{
cat <<'MD'
# The `colonnade` command

Every subcommand has `--help`; the text below is that help, verbatim (regenerate with
`scripts/generate_cli_docs.sh`; a test fails when they drift apart).

## Exit status

| status | meaning |
| --- | --- |
| 0 | success |
| 1 | the data could not be read or failed an integrity check; the message names file, line and column |
| 2 | an invalid request: unknown indicator or strategy, unknown or malformed parameter, wrong parameter count, fractional period, value out of range, malformed spec, an English description that cannot be translated, an invalid broker setting (cash, commission, spread, slippage, participation, latency) |
| 3 | a service the command needs did not answer: the language model endpoint of `--model` (refused, timed out, an HTTP error) |
| 64 | a command-line usage error (missing or unknown option) |

Errors go to standard error as one line starting with `error:`; standard output then stays empty.

## `colonnade demo` and the report

`colonnade demo` (README's first command, through `make demo`) translates an example strategy
described in English, backtests it on `Fixtures/GOOG.csv` under the realistic profile, writes
`colonnade-report.html` in the current folder and prints a short summary ending in the report's
path. `backtest --report FILE.html` writes the same report for any run; `--trades-csv` and
`--equity-csv` write every trade and the equity curve (time, equity, drawdown in percent) as
CSV. The report is one self-contained file (docs/reports.md): it loads nothing from anywhere
else. Progress lines go to standard error only when it is a terminal, and never with `--quiet`.

## Output of `colonnade indicators`

- `--format text` (default): the data summary (bars, period, frequency, gaps), then per output its
  first valid bar, last value, minimum and maximum, then the last five bars.
- `--format json`: one object: `"time"` (ISO-8601 strings), then each SPEC exactly as given: an
  array of numbers (`null` for NaN) for single-output functions, or an object keyed by TA-Lib's
  output names in lower case (`macd`, `macdsignal`, `macdhist`; `upperband`, `middleband`,
  `lowerband`; `slowk`, `slowd`; `aroondown`, `aroonup`; ...). Numbers are printed in the shortest
  form that reads back as the same double.
- `--format csv`: a header `time,SPEC,...` (`SPEC|output` for multi-output functions, quoted when
  the spec contains commas), one row per bar, empty cells for NaN.

## Output of `colonnade backtest`

- `--format text` (default): the strategy, its parameters and the execution profile; every
  statistic; a note when trades are still open at the end; the closed trades as a table.
- `--format json`: one object with three keys (four for a portfolio).
  - `"stats"`, exactly these keys (`null` where undefined, e.g. a win rate without trades):
    `start`, `end` (ISO-8601), `durationDays`, `exposureTimePct`, `equityFinal`, `equityPeak`,
    `commissions`, `returnPct`, `buyAndHoldReturnPct`, `returnAnnPct`, `volatilityAnnPct`,
    `cagrPct`, `sharpeRatio`, `sortinoRatio`, `calmarRatio`, `alphaPct`, `beta`, `maxDrawdownPct`,
    `avgDrawdownPct`, `maxDrawdownDurationDays`, `avgDrawdownDurationDays`, `tradeCount`,
    `winRatePct`, `bestTradePct`, `worstTradePct`, `avgTradePct`, `maxTradeDurationDays`,
    `avgTradeDurationDays`, `profitFactor`, `expectancyPct`, `sqn`, `kellyCriterion`.
    Definitions: docs/execution.md. Durations are days (fractional for intraday bars).
  - `"trades"`: the closed trades in the order they closed, each `entryBar`, `exitBar` (0-based
    bar indices), `entryTime`, `exitTime`, `size` (negative for short), `entryPrice` and
    `exitPrice` (slippage and spread included), `pnl` (after commissions), `returnPct` (percent
    of the entry value, after commissions), `commission` (entry plus exit). Under the realistic
    profile's volume cap an order can fill over several bars; each fill of an entry is its own trade.
    A portfolio run (several `--data` files) adds `symbol` to each trade.
  - `"execution"`: the assumptions of the run, in words: `profile` (`realistic` or
    `backtesting-py`), `fills`, `intrabar`, `commission`, `spread`, `slippage`, `volumeCap`,
    `sizes`, `account`; and what the run paid over all its fills: `commissionPaid`, `spreadPaid`,
    `slippagePaid`.
  - `"instruments"`, on a portfolio run only: for each instrument in the order given, `symbol`
    (the file's symbol column, else its name without extension), `file`, `bars` (after
    alignment) and `droppedBars` (its bars at times another instrument lacks). Bar indices in
    `"trades"` count the aligned bars, and `buyAndHoldReturnPct`, `alphaPct` and `beta` refer to
    an equal-weight buy-and-hold of all the instruments.
  A trade still open after the last bar is not listed (its profit is in `equityFinal`) unless
  `--finalize-trades` closes it at the last bar's open.

  Text output starts with the same assumptions and costs paid, then the statistics table and the
  trade table.

## `colonnade spec` and `backtest --spec`

A strategy spec is a JSON document (docs/spec.md) whose rules are expressions
(docs/expressions.md). `spec show NAME` prints a built-in strategy as one; `spec check FILE`
checks every key, value, name and expression and prints what it computes; `backtest --spec FILE`
runs it. Under `--spec`, `--param KEY=VALUE` sets a spec parameter (a number, checked against its
`min`, `max` and `integer`), and each execution flag given (`--profile`, `--cash`,
`--commission`, `--spread`, `--slippage-bps`, `--participation`, `--latency-bars`,
`--exclusive-orders`, `--finalize-trades`) replaces the spec's own setting. A spec error exits 2
with the JSON path of the problem, and for an expression its line and column:

```
error: my-spec.json: $.long.entry: line 1, column 1: unknown name "clsoe" (did you mean "close"?)
  clsoe > open
  ^~~~~
```

## `colonnade parse` and `backtest --describe`

`parse "ENGLISH"` translates a description (docs/english.md) into a spec and prints, for every
phrase it used, what the phrase produced and any default it filled in, then the spec;
`--format json` prints `{"spec": {...}, "explanation": [{"phrase", "meaning", "default"?}]}`.
Save the spec with `--format text` after the explanation, or write the JSON's `spec`.
`backtest --describe "ENGLISH"` runs the translated spec as `--spec` would (execution flags
override its defaults). A description with words the translator cannot place exits 2 and quotes
them:

```
error: could not understand "the moon is full" (character 10): expected a condition such as "the 10-day SMA crosses above the 20-day SMA" or "RSI is below 30"
```

With `--model` (or `--model-url URL` / `--model-name NAME`), a language model behind an
OpenAI-compatible chat-completions endpoint writes the spec instead (docs/english.md, "With a
language model"): the endpoint's base URL comes from `COLONNADE_MODEL_URL`, the model from
`COLONNADE_MODEL_NAME`, the key, if any, from `COLONNADE_MODEL_KEY` (never from the command line,
where it would land in the shell's history). The answer must be a valid spec; its problems go
back to the model for `--repair-rounds` rounds (default 2). `parse --format json` then prints
`{"spec": {...}, "model": "NAME at URL, N answers"}`, and `backtest` notes the model on standard
error. No valid spec within the rounds exits 2 with the last problem; an endpoint that does not
answer exits 3.

## `colonnade strategies`

A folder of spec files is a strategy library: `strategies status DIR` lists each `*.json` spec
directly in it with its state (valid, or the JSON path and problem), where it can run, and its
last result; `strategies run DIR` backtests every valid spec (or those named with `--only`) and
writes `NAME.result.json` beside `NAME.json`:

```
{"spec": "rsi-rebound.json", "specName": "rsi-rebound", "specFingerprint": "9f3c…",
 "ranAt": "2026-11-22T08:22:41Z", "data": ["Fixtures/GOOG.csv"], "result": {…}}
```

`result` is exactly what `backtest --spec FILE --format json` prints for the same spec and data.
`specFingerprint` (FNV-1a of the spec file's bytes) lets `status` mark a result whose spec was
edited since as stale. Data: `--data FILE` for every spec, else each spec's `data.symbols` as
`SYMBOL.csv` in `--data-dir` (default: the folder). Each spec runs with its own execution settings.
`examples/strategies` is such a folder.

## Output of `colonnade bench`

A quick throughput check on deterministic synthetic bars (`BarSeries.synthetic`: a seeded random
walk around 100, one-minute bars), generated before the clock starts; each measurement runs once
untimed, then `--repeat` times, and the median is reported. The measured figures quoted in
docs/benchmarks.md come from the benchmark targets and scripts named there.

- `bench engine --format json`: `{"path", "bars", "symbols", "barsPerSymbol", "seconds", "barsPerSecond",
  "orders", "trades", "equityFinal"}`: `path` is `event` or `fast`, `bars` is every symbol's bars (bars per symbol × symbols),
  `seconds` the median wall time of one whole backtest (indicators, bar loop and every statistic),
  `barsPerSecond` = `bars / seconds`; `orders`, `trades` and `equityFinal` describe the run that
  was timed.
- `bench indicators --format json`: `{"bars", "seconds", "barsPerSecond", "indicators": [{"name",
  "seconds", "barsPerSecond"}]}`, each indicator at its TA-Lib defaults, output columns included;
  `seconds` totals the indicators' medians.
MD
for c in "" demo backtest parse spec "spec list" "spec show" "spec check" strategies "strategies status" "strategies run" indicators check bench "bench engine" "bench indicators" "bench report"; do
  echo; echo "## colonnade${c:+ $c}"; echo; echo '```'; $B $c --help; echo '```'
done
} > docs/cli.md
