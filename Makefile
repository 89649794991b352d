# The README's two commands are `make run` and `make test`; the rest are helpers for developers.
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
LINTED := src tests benchmarks devtools

.PHONY: run test install system-deps build serve lint check bench clean vendor-axe vendor

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian packages the tests use: chromium for the browser tests (Playwright drives it; no browser
# download) and Virtuoso Open Source's server binaries (virtuoso-t, isql-vt: the tests start their
# own server from an ini file, devtools/virtuoso_server.py). Only the -bin package: the one that
# registers a system service asks for a dba password through debconf; nothing here prompts.
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource-7-bin"; \
	[ -z "$$missing" ] || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }

build: install
	$(VENV)/bin/tehgraph build .

serve: build
	$(VENV)/bin/tehgraph serve . --host $(HOST) --port $(PORT)

run: serve

# CI calls `make test`: the linter first (ruff check, ruff format --check), then every test.
test: lint system-deps
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

check: test

bench: build
	$(PY) -m benchmarks.run

# Front-end packages (frontend/package.json) vendored into the web package, built files and licences.
vendor:
	sh devtools/vendor_js.sh

clean:
	rm -rf dist .pytest_cache

# axe-core for the browser tests only (never served by the app), vendored with its licences:
# the npm package as published, unpacked into devtools/vendor/axe-core/.
AXE_VERSION ?= 4.14.1
vendor-axe:
	cd $$(mktemp -d) && npm pack --silent axe-core@$(AXE_VERSION) && tar -xzf axe-core-$(AXE_VERSION).tgz \
	  && cp package/axe.min.js package/LICENSE package/LICENSE-3RD-PARTY.txt $(CURDIR)/devtools/vendor/axe-core/
