# joinedup: two commands for a new user, `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= demo.db

.PHONY: install demo test lint typecheck pytest bench bench-large train-model clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Load the bundled fictional demo into the embedded store and show what joined up.
demo: install
	$(BIN)/joinedup demo --db $(DEMO_DB)

## Everything: lint, types, and the test suite on SQLite and PostgreSQL.
test: install lint typecheck pytest

lint: install
	$(BIN)/ruff check src tests $(wildcard bench)

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/python -m pytest -q -n 2 --durations=10

## Benchmarks: resolution quality and throughput, printed as tables with ratios to baselines.
bench: install
	$(BIN)/python bench/run.py

## Large runs: 100k and 1M reports on both stores, each step in its own process (1M takes about
## 8 GB and half an hour or more per store).
bench-large: install
	$(BIN)/python bench/scale.py --reports 100000 1000000

## Retrain the shipped person model with Splink on generated scenarios.
train-model: install
	$(BIN)/python -m joinedup.resolve.splink_model --seed 1 --reports 1000 --out src/joinedup/profiles/safeguarding/person_model.json

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache .mypy_cache .ruff_cache
