#!/usr/bin/env bash
# Builds the DocC documentation of every library module and fails on any warning (a broken
# symbol link, a parameter the doc comment forgets). Run by `make docs` and `make test`.
# Archives land in .build/plugins/Swift-DocC/outputs/MODULE.doccarchive.
set -euo pipefail
cd "$(dirname "$0")/.."
modules="ColumnStore Indicators Execution Analytics Engine StrategySpec NaturalLanguage Reports ChatCompletions Colonnade"
status=0
for module in $modules; do
    log=$(swift package generate-documentation --target "$module" --warnings-as-errors 2>&1) || {
        echo "docs: $module has documentation problems:"
        echo "$log" | grep -E -A6 "^(warning|error):" | grep -v "^\[" | head -60
        status=1
        continue
    }
    echo "docs: $module builds without warnings"
done
exit $status
