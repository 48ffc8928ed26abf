# Colonnade: the two quick-start commands are `make demo` and `make test`.
# `deps` installs the Debian packages the build links against (as root), or prints the command.

DEBS := libopenblas-dev liblapacke-dev libzstd-dev pkg-config
DEMO_INDICATORS := --indicator sma:20 --indicator ema:50 --indicator rsi:14 --indicator macd:12,26,9 \
                   --indicator bbands:20,2,2 --indicator atr:14 --indicator adx:14

.PHONY: deps demo test bench clean

deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "deps: $(DEBS) are installed"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) >/dev/null; \
	else \
		echo "deps: missing$$missing. Install them with:"; \
		echo "  sudo apt-get update && sudo apt-get install -y $(DEBS)"; exit 1; \
	fi

demo: deps
	swift build -c release --product colonnade
	.build/release/colonnade indicators --data Fixtures/GOOG.csv $(DEMO_INDICATORS)
	.build/release/colonnade backtest --data Fixtures/GOOG.csv --strategy sma-cross \
		--param fast=10 --param slow=20 --param direction=long-short --cash 10000 --commission 0.002 --profile backtesting-py --exclusive-orders

test: deps
	swift test

bench: deps
	cd Benchmarks && swift package benchmark --no-progress

clean:
	rm -rf .build Benchmarks/.build
