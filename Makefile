# The two commands: `make run` (try it) and `make test` (check it). See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall whenever the dependencies change.
INSTALLED := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.DEFAULT_GOAL := help
.PHONY: help install assets letter-libs test-tools bench-tools run test lint format types imports unit check bench drills clean

help:
	@echo "make run    install, migrate, load demo data and start the service on the embedded default (SQLite)"
	@echo "make test   install what the tests need, then lint, types, import contracts and every test (drills: a quick pass)"
	@echo "make check  the same checks without installing; make format  fix formatting"
	@echo "make bench  the benchmarks, each a ratio to its baseline in the same run (a few minutes)"
	@echo "make drills reliability and security drills with their figures (PostgreSQL and Redis; under 20 minutes)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "casework needs Python 3.11; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

# GOV.UK Frontend (pinned in package.json) and our own files, built into web/static at install time.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/static/.built: node_modules/.installed web/build-assets.sh $(wildcard web/static_src/*)
	sh web/build-assets.sh
	touch $@

assets: web/static/.built

install: $(INSTALLED) assets

# Debian packages a target needs beyond Python, each named as its command: installed when missing and run as root
# (as on CI); otherwise says what cannot run. $(1): the packages; $(2): what happens without them.
define debian_tools
@missing=""; for tool in $(1); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
  else echo "Not installing$$missing (needs root): $(2)"; fi; \
fi
endef

# What the tests need beyond Python: Chromium for the browser tests, Compose to check docker-compose.yml.
test-tools: letter-libs
	$(call debian_tools,chromium docker-compose,their tests will skip)

# WeasyPrint prints letters with Pango (and needs a font): libraries, not commands, so checked by library name.
letter-libs:
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0'; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation >/dev/null; \
	  else echo "Not installing Pango (needs root): letters cannot be printed and their tests will fail"; fi; \
	fi

run: install letter-libs
	$(BIN)/casework db upgrade
	$(BIN)/casework demo-data
	$(BIN)/casework run

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

types:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports

unit:
	$(BIN)/pytest tests/unit -q

check: lint types imports
	$(BIN)/pytest -n 3 --dist worksteal -q

test: install test-tools check

# What the benchmarks need beyond Python: wrk, B4's load generator.
bench-tools:
	$(call debian_tools,wrk,B4 cannot run)

# Benchmarks: ratios of our code to a baseline doing the same work in the same run; see bench/README.md.
bench: install bench-tools
	$(BIN)/python -m bench

# Drills: timers under faults, concurrency, stateful engine properties, hostile input, supply chain, in full.
# They need this machine's PostgreSQL and Redis and print their figures; see README.md. `make test` runs a quick
# pass of the same drills (tests/drills/conftest.py), which never stops or restarts a server it did not start.
# They stop and start Redis and PostgreSQL (DRILLS_REDIS_PORT and DRILLS_PGDATA point them at servers of
# your own: see tests/drills/servers.sh). Whatever pytest's exit, both are started again if not answering.
drills: install test-tools
	@restore() { sh tests/drills/servers.sh restore; }; \
	trap 'restore; exit 130' INT; trap 'restore; exit 143' TERM; \
	CASEWORK_DRILLS=1 CI=true $(BIN)/pytest tests/drills -q --timeout=900 --timeout-method=signal; status=$$?; \
	restore || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) var *.egg-info .mypy_cache .ruff_cache .hypothesis node_modules web/static
