# The two commands: `make run` (try it) and `make test` (check it). See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall whenever the dependencies change.
INSTALLED := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.DEFAULT_GOAL := help
.PHONY: help install run test lint format types imports unit check clean

help:
	@echo "make run    install, migrate, load demo data and start the service on the embedded default (SQLite)"
	@echo "make test   install what the tests need, then lint, types, import contracts and every test"
	@echo "make check  the same checks without installing; make format  fix formatting"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "casework needs Python 3.11; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(INSTALLED)

run: install
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
	$(BIN)/pytest -n 2 -q

test: install check

clean:
	rm -rf $(VENV) var *.egg-info .mypy_cache .ruff_cache .hypothesis
