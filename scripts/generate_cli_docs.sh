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
| 2 | an invalid request: unknown indicator, wrong parameter count, fractional period, value out of range, malformed spec |
| 64 | a command-line usage error (missing or unknown option) |

Errors go to standard error as one line starting with `error:`; standard output then stays empty.

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
MD
for c in "" indicators check; do
  echo; echo "## colonnade${c:+ $c}"; echo; echo '```'; $B $c --help; echo '```'
done
} > docs/cli.md
