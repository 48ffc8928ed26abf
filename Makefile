# Colonnade: the two quick-start commands are `make demo` and `make test`.
# `deps` installs the Debian packages the build links against (as root), or prints the command.

DEBS := libopenblas-dev liblapacke-dev libzstd-dev pkg-config
# The browser test renders the demo report in headless Chromium.
TEST_DEBS := $(DEBS) chromium

.PHONY: deps test-deps install-debs demo test docs bench clean

deps:
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(DEBS)"

test-deps:
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(TEST_DEBS)"

install-debs:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "deps: $(PACKAGES) are installed"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "deps: missing$$missing. Install them with:"; \
		echo "  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; \
	fi

demo: deps
	swift build -c release --product colonnade
	.build/release/colonnade demo

test: test-deps
	swift test
	bash scripts/check_docs.sh

# DocC for every library module, failing on any warning (also part of `make test`).
docs: deps
	bash scripts/check_docs.sh

bench: deps
	cd Benchmarks && swift package benchmark --no-progress

clean:
	rm -rf .build Benchmarks/.build
