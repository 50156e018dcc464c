# The two commands a newcomer needs: `make run` and `make test`. Everything else builds on them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Only the code folders that exist (bench/ arrives with the benchmarks).
CODE := $(wildcard src tests migrations bench)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check fmt lint types openapi openapi-check config-docs migrate demo clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "doorbraak needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# deduce builds its lookup tables on first use (about a minute): once here, not in a request.
	$(BIN)/python -m doorbraak.leren.anonimiteit
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	@mkdir -p var
	$(BIN)/doorbraak migrate

demo: migrate
	$(BIN)/doorbraak demo

run: demo
	DOORBRAAK_LOG_FORMAT=$${DOORBRAAK_LOG_FORMAT:-tekst} $(BIN)/doorbraak serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fmt: $(STAMP)
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)

lint: $(STAMP)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/ruff check $(CODE)

types: $(STAMP)
	$(BIN)/mypy src

check: lint types test

openapi: $(STAMP)
	$(BIN)/doorbraak openapi > openapi/doorbraak.json

openapi-check: $(STAMP)
	@$(BIN)/doorbraak openapi | diff -u openapi/doorbraak.json - > /dev/null || \
		{ echo "openapi/doorbraak.json differs from the app: run 'make openapi'"; exit 1; }

config-docs: $(STAMP)
	$(BIN)/doorbraak config-docs > docs/configuration.md

clean:
	rm -rf $(VENV) var/*.db var/*.db-*
