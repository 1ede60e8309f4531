# Twoshot — the two commands: `make run` (the whole system, locally) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Each language's catalogue, compiled (.mo files are built, never committed).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard shared/locale/*/LC_MESSAGES/messages.po))

.PHONY: catalogues messages staff run lint test test-unit test-integration test-e2e test-faults test-kafka-python bench system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Compile the language catalogues (done by run and test; pybabel is Babel's).
catalogues: $(CATALOGUES)

shared/locale/%/LC_MESSAGES/messages.mo: shared/locale/%/LC_MESSAGES/messages.po $(STAMP)
	$(VENV)/bin/pybabel -q compile -i $< -o $@

## After changing English texts: extract them and merge into every catalogue; translators
## then fill what `pybabel update` marked new or fuzzy (tests/unit/test_catalogues.py checks).
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output -o shared/locale/messages.pot .
	$(VENV)/bin/pybabel update -i shared/locale/messages.pot -d shared/locale -D messages --width 100 --no-fuzzy-matching --ignore-obsolete

## Broker, Redis, mailbox, all four services and demo data; Ctrl-C stops it all.
run: $(STAMP) catalogues
	$(PY) -m devstack run

## Staff accounts against the same Redis as `make run` (moved ports too), e.g.
##   make staff ARGS='add "Ana Lima" editor --login ana'   then   make staff ARGS='password <id>'
staff: $(STAMP)
	$(PY) -m shared.staff $(ARGS)

## Lint and types (well under a minute): ruff, then mypy, as configured in pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

## Every test: unit, integration (real broker, Redis, SMTP) and end-to-end (real browser);
## then the bus's own tests and every fault drill again on the other Kafka client.
test: $(STAMP) catalogues system-deps
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-kafka-python

test-unit: $(STAMP) catalogues
	$(PY) -m pytest tests/unit

test-integration: $(STAMP) catalogues
	$(PY) -m pytest tests/integration

test-e2e: $(STAMP) catalogues system-deps
	$(PY) -m pytest tests/e2e

## The fault drills alone (about 90 s): kills, outages and poison with requests flowing.
test-faults: $(STAMP) catalogues
	$(PY) -m pytest tests/faults

## The consumer loop's, outbox's and dead letters' tests and the fault drills with
## KAFKA_CLIENT=kafka-python (about 3 min): both clients keep the same guarantees (decision
## 0015). The scale drill runs on the default client only, to keep `make test` short.
BUS_TESTS := tests/integration/test_consumer_runtime.py tests/integration/test_outbox.py \
	tests/integration/test_dead_letters.py tests/faults/test_drills.py
test-kafka-python: $(STAMP) catalogues
	KAFKA_CLIENT=kafka-python $(PY) -m pytest $(BUS_TESTS)

## Chromium for the browser tests, from Debian's packages, when it is missing.
system-deps:
	@bash scripts/ensure-chromium.sh

## Benchmarks: one JSON object per line; never part of the tests' pass/fail.
bench: $(STAMP) catalogues
	@$(PY) -m bench

clean:
	rm -rf $(VENV) .run .pytest_cache
