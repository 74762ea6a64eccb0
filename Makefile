# FDE Press: `make serve` runs the app on its embedded default, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
CONFIG ?= development.ini
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/fde_test
export TEST_DATABASE_URL
# bench/ joins the lint once it exists.
LINT_PATHS := frontiers_de tests $(wildcard bench)

.PHONY: translations extract-messages serve test test-sqlite test-postgresql test-wheel lint bench system-deps system-deps-test install install-dev clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q -c constraints.txt --upgrade pip setuptools wheel

$(VENV)/.installed: $(PY) setup.py constraints.txt
	$(PIP) install -q -c constraints.txt -e .
	touch $@

# Compiled message catalogs (.mo) are built, not committed.
TRANSLATIONS := $(patsubst %.po,%.mo,$(wildcard frontiers_de/locale/*/LC_MESSAGES/fde.po))
frontiers_de/locale/%/LC_MESSAGES/fde.mo: frontiers_de/locale/%/LC_MESSAGES/fde.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -D fde -i $< -o $@
translations: $(TRANSLATIONS)

# After changing texts: pybabel extract into the template, then update each catalog.
extract-messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k pgettext:1c,2 --no-location --project "FDE Press" -o frontiers_de/locale/fde.pot .
	$(VENV)/bin/pybabel update -i frontiers_de/locale/fde.pot -d frontiers_de/locale -D fde --no-fuzzy-matching

$(VENV)/.installed-dev: $(VENV)/.installed setup.py constraints.txt
	$(PIP) install -q -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

system-deps:
	scripts/system-deps.sh serve

system-deps-test:
	scripts/system-deps.sh test

# Migrate the database, add the demo data where missing (idempotent; prints the demo
# sign-ins), then serve http://localhost:6543.
serve: install system-deps
	$(VENV)/bin/fde initdb --config $(CONFIG)
	$(VENV)/bin/fde seed-demo --config $(CONFIG)
	$(VENV)/bin/fde serve --config $(CONFIG)

test: install-dev system-deps-test
	$(PY) -m ruff check $(LINT_PATHS)
	$(VENV)/bin/lint-imports --config pyproject.toml
	$(MAKE) test-sqlite
	$(MAKE) test-postgresql

test-sqlite:
	$(PY) -m pytest $(PYTEST_ARGS)

# The database tests again on PostgreSQL. Skipped with a note when the server does not
# answer, except under CI=true, where that is a failure.
test-postgresql:
	@if $(PY) scripts/pg_ready.py "$(TEST_DATABASE_URL)"; then \
		FDE_TEST_BACKEND=postgresql $(PY) -m pytest -m db -p no:cacheprovider $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(TEST_DATABASE_URL) does not answer, and CI requires it." >&2; exit 1; \
	else \
		echo "PostgreSQL at $(TEST_DATABASE_URL) does not answer: PostgreSQL pass skipped."; \
	fi

# The built wheel on its own, in a fresh venv outside the checkout (also part of test-sqlite).
test-wheel: install-dev system-deps-test
	$(PY) -m pytest tests/integration/test_wheel.py $(PYTEST_ARGS)

lint:
	$(PY) -m ruff check $(LINT_PATHS)
	$(PY) -m ruff format --check $(LINT_PATHS)
	$(VENV)/bin/lint-imports --config pyproject.toml

bench: install-dev system-deps
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var *.egg-info
