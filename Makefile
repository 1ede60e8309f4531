# Twoshot — the two commands: `make run` (the whole system, locally) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: staff run lint test test-unit test-integration test-e2e test-faults bench system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Broker, Redis, mailbox, all four services and demo data; Ctrl-C stops it all.
run: $(STAMP)
	$(PY) -m devstack run

## Staff accounts against the same Redis as `make run` (moved ports too), e.g.
##   make staff ARGS='add "Ana Lima" editor --login ana'   then   make staff ARGS='password <id>'
staff: $(STAMP)
	$(PY) -m shared.staff $(ARGS)

## Lint and types (well under a minute): ruff, then mypy, as configured in pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

## Every test: unit, integration (real broker, Redis, SMTP) and end-to-end (real browser).
test: $(STAMP) system-deps
	$(PY) -m pytest

test-unit: $(STAMP)
	$(PY) -m pytest tests/unit

test-integration: $(STAMP)
	$(PY) -m pytest tests/integration

test-e2e: $(STAMP) system-deps
	$(PY) -m pytest tests/e2e

## The fault drills alone (about 90 s): kills, outages and poison with requests flowing.
test-faults: $(STAMP)
	$(PY) -m pytest tests/faults

## Chromium for the browser tests, from Debian's packages, when it is missing.
system-deps:
	@bash scripts/ensure-chromium.sh

## Benchmarks: one JSON object per line; never part of the tests' pass/fail.
bench: $(STAMP)
	@$(PY) -m bench

clean:
	rm -rf $(VENV) .run .pytest_cache
